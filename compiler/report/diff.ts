// Prints a diff report: text for a terminal, markdown for a pull-request comment (a summary
// table, the risks, and each group's changes folded in <details>), JSON for machines.
import { formatDiagnostics, printable, type LocatedDiagnostic } from "../diagnostics.js";
import { chartsMarkdown, type DiffCharts } from "../diff/charts.js";
import { inline, inlinePair, lineDiff, type FieldChange, type ObjectChange } from "../diff/match.js";
import { RISK_KINDS, subjectOf, type Risk, type RiskKind } from "../diff/risks.js";
import type { RiskGroup } from "../diff/risk-groups.js";
import { cell, codeSpan, diagnosticLines, diagnosticsMarkdown, diagnosticTotals, html, longestBacktickRun, riskGroupsOf, riskPlace } from "./diff-sections.js";

export interface DiffReport {
  readonly base: { readonly ref: string; readonly commit: string };
  readonly changes: readonly ObjectChange[];
  readonly risks: readonly Risk[];
  /** The risks, those that share a cause as one line (each risk its own line when absent). */
  readonly riskGroups?: readonly RiskGroup[];
  /** Diagnostics (warnings included) the working tree raises and the base did not. */
  readonly diagnosticsAdded?: readonly LocatedDiagnostic[];
  /** Diagnostics the base raised and the working tree no longer does, at their base positions. */
  readonly diagnosticsRemoved?: readonly LocatedDiagnostic[];
  /** Traffic shifts and capacity before/after, for the pull-request comment. */
  readonly charts?: DiffCharts;
}

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

interface Group {
  readonly cluster: string;
  readonly tenant?: string;
  readonly model?: string;
  readonly changes: ObjectChange[];
}

function groups(changes: readonly ObjectChange[]): Group[] {
  const out: Group[] = [];
  for (const c of changes) {
    const last = out[out.length - 1];
    if (last && last.cluster === c.owner.cluster && last.tenant === c.owner.tenant && last.model === c.owner.model) last.changes.push(c);
    else out.push({ cluster: c.owner.cluster, tenant: c.owner.tenant, model: c.owner.model, changes: [c] });
  }
  return out;
}

const count = (cs: readonly ObjectChange[], op: ObjectChange["change"]) => cs.filter((c) => c.change === op).length;

function totals(r: DiffReport): string {
  const clusters = new Set(r.changes.map((c) => c.owner.cluster)).size;
  const diagnostics = diagnosticTotals(r);
  return `${count(r.changes, "changed")} changed, ${count(r.changes, "added")} added, ${count(r.changes, "removed")} removed in ${clusters} cluster${clusters === 1 ? "" : "s"}${diagnostics ? `; ${diagnostics}` : ""}`;
}

function riskCounts(risks: readonly Risk[]): string {
  return RISK_KINDS.map((k) => [k, risks.filter((r) => r.kind === k).length] as const)
    .filter(([, n]) => n > 0)
    .map(([k, n]) => `${n} ${k}`)
    .join(", ");
}

const SIGN = { added: "+", removed: "-", changed: "~" } as const;

/**
 * The lines of one object's change. For a pull-request comment (`diffStyle`) old and new values
 * go on - and + lines and the file is left out (the PR's own file view has it).
 */
function objectLines(c: ObjectChange, diffStyle: boolean, nameApplication = false): string[] {
  const app = nameApplication && c.application ? `  (Application ${c.application})` : "";
  const lines = [
    diffStyle
      ? `${SIGN[c.change]} ${subjectOf(c)}${app}`
      : `${SIGN[c.change]} ${subjectOf(c)}  (${c.file}${c.application ? `, Application ${c.application}` : ""})`,
  ];
  for (const f of c.fields) lines.push(...fieldLines(f, diffStyle));
  return lines;
}

function fieldLines(f: FieldChange, diffStyle: boolean): string[] {
  // A multi-line string changed in place: the lines that differ, not two escaped blobs.
  const lines = f.op === "changed" ? lineDiff(f.old, f.new) : undefined;
  if (lines)
    return diffStyle
      ? [`~   ${f.path}: (lines)`, ...lines.map((l) => `${l[0] === " " ? " " : l[0]}     ${l.slice(2)}`)]
      : [`    ${f.path}: (lines)`, ...lines.map((l) => `      ${l}`)];
  if (!diffStyle) {
    if (f.op === "added") return [`    ${f.path}: + ${inline(f.new)}`];
    if (f.op === "removed") return [`    ${f.path}: - ${inline(f.old)}`];
    const [was, now] = inlinePair(f.old, f.new);
    return [`    ${f.path}: ${was} → ${now}`];
  }
  if (f.op === "added") return [`+   ${f.path}: ${inline(f.new)}`];
  if (f.op === "removed") return [`-   ${f.path}: ${inline(f.old)}`];
  const [was, now] = inlinePair(f.old, f.new);
  return [`-   ${f.path}: ${was}`, `+   ${f.path}: ${now}`];
}

/** The one Application a group's changes land in, or the several. */
function applicationsOf(g: Group): string {
  return [...new Set(g.changes.map((c) => c.application ?? "(by hand)"))].join(", ");
}

function applicationLabel(g: Group): string {
  return g.changes.some((c) => c.application) ? `  (Application ${applicationsOf(g)})` : "";
}

function where(g: { tenant?: string; model?: string }): string {
  return g.tenant ? `${g.tenant}${g.model ? ` / ${g.model}` : ""}` : "platform";
}

export function formatText(r: DiffReport): string {
  const out = [`berth diff ${r.base.ref} (${r.base.commit.slice(0, 12)}) → working tree: ${totals(r)}`];
  if (r.changes.length === 0)
    return out
      .concat("no rendered object changes", ...diagnosticLines(r), "")
      .map(printable)
      .join("\n");
  let cluster = "";
  let tenant: string | undefined = "\u0000";
  for (const g of groups(r.changes)) {
    if (g.cluster !== cluster) {
      out.push("", `cluster ${g.cluster}`);
      cluster = g.cluster;
      tenant = "\u0000";
    }
    if (g.tenant !== tenant) {
      out.push(g.tenant ? `  tenant ${g.tenant}` : "  platform");
      tenant = g.tenant;
    }
    if (g.model) out.push(`    model ${g.model}${applicationLabel(g)}`);
    const indent = g.model ? "      " : "    ";
    for (const c of g.changes) for (const line of objectLines(c, false)) out.push(indent + line);
  }
  out.push(...diagnosticLines(r));
  out.push("", r.risks.length ? `risks: ${riskCounts(r.risks)}` : "risks: none");
  const width = Math.max(...RISK_KINDS.map((k) => k.length));
  const clusterWidth = Math.max(0, ...r.risks.map((k) => k.cluster.length));
  for (const k of riskGroupsOf(r)) out.push(`  ${k.kind.padEnd(width)}  ${k.cluster.padEnd(clusterWidth)}  ${riskPlace(k)}  ${k.subject}: ${k.message}`);
  return out.map(printable).join("\n") + "\n";
}

export function formatJson(r: DiffReport): string {
  const summary: Record<string, unknown> = {
    changed: count(r.changes, "changed"),
    added: count(r.changes, "added"),
    removed: count(r.changes, "removed"),
    clusters: [...new Set(r.changes.map((c) => c.owner.cluster))],
    risks: Object.fromEntries(RISK_KINDS.map((k) => [k, r.risks.filter((x) => x.kind === k).length])),
    diagnosticsAdded: (r.diagnosticsAdded ?? []).length,
    diagnosticsRemoved: (r.diagnosticsRemoved ?? []).length,
  };
  const changes = r.changes.map((c) => ({
    cluster: c.owner.cluster,
    ...(c.owner.tenant ? { tenant: c.owner.tenant } : {}),
    ...(c.owner.model ? { model: c.owner.model } : {}),
    ...(c.application ? { application: c.application } : {}),
    change: c.change,
    apiVersion: c.apiVersion,
    kind: c.kind,
    ...(c.namespace ? { namespace: c.namespace } : {}),
    name: c.name,
    file: c.file,
    ...(c.at ? { spec: c.at } : {}),
    fields: c.fields,
  }));
  const riskGroups = riskGroupsOf(r).map((g) => ({ ...g, risks: g.risks.map(({ subject, message }) => ({ subject, message })) }));
  const diagnostics = { diagnosticsAdded: r.diagnosticsAdded ?? [], diagnosticsRemoved: r.diagnosticsRemoved ?? [] };
  return JSON.stringify({ base: r.base, summary, risks: r.risks, riskGroups, ...diagnostics, changes }, null, 2) + "\n";
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
export function formatMarkdownErrors(errors: LocatedDiagnostic[]): string {
  const n = `${errors.length} error${errors.length === 1 ? "" : "s"}`;
  return [
    COMMENT_MARKER,
    "## berth diff",
    "",
    `❌ The specs do not compile, so there is no diff (${n}):`,
    "",
    fenced("", formatDiagnostics(errors, "text").trimEnd()),
    "",
  ].join("\n");
}

export function formatMarkdown(r: DiffReport, rerun = `npx berth diff --base ${r.base.ref}`): string {
  const head = [
    COMMENT_MARKER,
    "## berth diff",
    "",
    `Rendered objects against ${codeSpan(r.base.ref)} (${codeSpan(r.base.commit.slice(0, 12))}): **${totals(r)}**.`,
    "",
  ];
  if (r.changes.length === 0) return head.concat("No rendered object changes.", "", ...diagnosticsMarkdown(r, rerun)).join("\n");

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
      risks.push("| object | what |", "|---|---|", ...g.risks.slice(0, MAX_GROUP_ROWS).map((m) => `| ${cell(m.subject)} | ${cell(m.message)} |`));
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
