// The markdown format (diff): the pull-request comment. A summary table, the risks, and each
// group's changes folded in <details>; when the specs do not compile, the errors, fenced.
import { appendAll } from "../base/arrays.js";
import type { LocatedDiagnostic } from "../diagnostics.js";
import type { RiskKind } from "../diff/risks.js";
import { chartsMarkdown } from "./charts.js";
import { applicationsOf, count, groups, objectLines, riskCounts, totals, where } from "./diff-lines.js";
import { cell, codeSpan, diagnosticsMarkdown, html, longestBacktickRun, riskGroupsOf, riskPlace } from "./diff-sections.js";
import { printable } from "./printable.js";
import { isStopped, type DiffReport, type Reporter, type Run, type Streams } from "./reporter.js";
import { diagnosticsText, textReporter } from "./text.js";

/** The hidden line the pull-request workflow finds its own comment by. */
export const COMMENT_MARKER = "<!-- berth-diff -->";
/** GitHub refuses comments over 65,536 characters; stay clear of it. */
const COMMENT_BUDGET = 60_000;
const MAX_RISK_ROWS = 100;
const MAX_GROUP_ROWS = 50;

const RISK_ICON: Record<RiskKind, string> = {
  deletion: "🗑️",
  immutable: "⛔",
  access: "🔐",
  capacity: "📈",
  traffic: "🔀",
  schedule: "🕑",
  manual: "✋",
  "platform-upgrade": "⬆️",
};

export function markdownReporter(io: Streams): Reporter {
  return {
    print(run: Run): void {
      const o = run.outcome;
      // Only diff comments; a run stopped before it started reports as text, for the log.
      if (isStopped(o) || o.command !== "diff") return textReporter(io).print(run);
      io.stdout.write(o.report ? markdownComment(o.report) : markdownErrors(run.diagnostics));
    },
  };
}

// Names and values in a comment come from specs and file names: each is kept on its line
// (printable), out of HTML (html), inside its table cell (cell) or code (codeSpan, fenced); the
// first three live in diff-sections.ts, which prints them too.
export { codeSpan };

/** A code fence longer than any backtick run inside, so values can never close it. */
function fenced(lang: string, body: string): string {
  const text = body.split("\n").map(printable).join("\n");
  const fence = "`".repeat(Math.max(2, longestBacktickRun(text)) + 1);
  return `${fence}${lang}\n${text}\n${fence}`;
}

/** The comment body when the specs do not compile: the diagnostics as text, fenced. */
export function markdownErrors(errors: readonly LocatedDiagnostic[]): string {
  const n = `${errors.length} error${errors.length === 1 ? "" : "s"}`;
  return [
    COMMENT_MARKER,
    "## berth diff",
    "",
    `❌ The specs do not compile, so there is no diff (${n}):`,
    "",
    fenced("", diagnosticsText(errors).trimEnd()),
    "",
  ].join("\n");
}

export function markdownComment(r: DiffReport, rerun = `npx berth diff --base ${r.base.ref}`): string {
  const head = [
    COMMENT_MARKER,
    "## berth diff",
    "",
    `Rendered objects against ${codeSpan(r.base.ref)} (${codeSpan(r.base.commit.slice(0, 12))}): **${totals(r)}**.`,
    "",
  ];
  if (r.changes.length === 0) return appendAll([...head, "No rendered object changes.", ""], diagnosticsMarkdown(r, rerun)).join("\n");

  const risks = [r.risks.length ? `### ⚠️ Risks: ${riskCounts(r.risks)}` : "### Risks: none", ""];
  const lines = riskGroupsOf(r);
  if (lines.length) {
    risks.push("| | risk | cluster | tenant / model | object | what |", "|---|---|---|---|---|---|");
    for (const k of lines.slice(0, MAX_RISK_ROWS))
      risks.push(`| ${RISK_ICON[k.kind]} | ${k.kind} | ${cell(k.cluster)} | ${cell(riskPlace(k))} | ${cell(k.subject)} | ${cell(k.message)} |`);
    if (lines.length > MAX_RISK_ROWS) risks.push("", `…and ${lines.length - MAX_RISK_ROWS} more risks: run ${codeSpan(rerun)} for all of them.`);
    risks.push("");
    // What a grouped line stands for, one object a row, folded so the table stays short.
    for (const g of lines.slice(0, MAX_RISK_ROWS).filter((g) => g.count > 1)) {
      risks.push(
        "<details>",
        `<summary>${RISK_ICON[g.kind]} ${html(g.kind)} · <code>${html(g.cluster)}</code> · ${html(g.subject)}: the ${g.count} objects</summary>`,
        "",
      );
      risks.push("| object | what |", "|---|---|");
      appendAll(
        risks,
        g.risks.slice(0, MAX_GROUP_ROWS).map((m) => `| ${cell(m.subject)} | ${cell(m.message)} |`),
      );
      if (g.count > MAX_GROUP_ROWS) risks.push("", `…and ${g.count - MAX_GROUP_ROWS} more: run ${codeSpan(rerun)} for all of them.`);
      risks.push("", "</details>", "");
    }
  }

  const all = groups(r.changes);
  const table = ["### Changes", "", "| cluster | tenant | model | Argo CD Application | changed | added | removed |", "|---|---|---|---|--:|--:|--:|"];
  for (const g of all)
    table.push(
      `| ${cell(g.cluster)} | ${cell(g.tenant ?? "(platform)")} | ${cell(g.model ?? "—")} | ${cell(applicationsOf(g))} | ${count(g.changes, "changed")} | ${count(g.changes, "added")} | ${count(g.changes, "removed")} |`,
    );
  table.push("");

  const out = [...head, ...diagnosticsMarkdown(r, rerun), ...risks, ...(r.charts ? chartsMarkdown(r.charts, cell) : []), ...table];
  let size = out.join("\n").length;
  let omitted = 0;
  for (const g of all) {
    const summary = `<code>${html(g.cluster)}</code> · ${html(where(g))} — ${[
      ["changed", count(g.changes, "changed")],
      ["added", count(g.changes, "added")],
      ["removed", count(g.changes, "removed")],
    ]
      .filter(([, n]) => n)
      .map(([k, n]) => `${n} ${k}`)
      .join(", ")} · ${g.changes.some((c) => c.application) ? `Argo CD ${html(applicationsOf(g))}` : "not synced by Argo CD"}`;
    // One Application for the whole group is named in the summary; several, per object.
    const several = new Set(g.changes.map((c) => c.application)).size > 1;
    const body = g.changes.flatMap((c) => objectLines(c, true, several)).join("\n");
    const block = ["<details>", `<summary>${summary}</summary>`, "", fenced("diff", body), "", "</details>", ""].join("\n");
    if (size + block.length > COMMENT_BUDGET) {
      omitted++;
      continue;
    }
    out.push(block);
    size += block.length + 1;
  }
  if (omitted > 0) out.push(`_${omitted} group${omitted === 1 ? "" : "s"} left out to fit a comment: run ${codeSpan(rerun)} for the full diff._`, "");
  return out.join("\n");
}
