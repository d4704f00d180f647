// The text format, for a terminal: diagnostics (and failures) on stderr, what the command did on
// stdout. Every spec-derived string goes through `printable`, so no value can break a line.
import { hasPosition, type LocatedDiagnostic } from "../diagnostics.js";
import type { EditResult } from "../edit/engine.js";
import { capacityText } from "./capacity.js";
import { diffText } from "./diff-lines.js";
import { printable } from "./printable.js";
import { isStopped, type CheckOutcome, type Explanation, type Reporter, type Run, type Streams, type TextDecoration } from "./reporter.js";

/** One diagnostic as text: `file:line:col: severity CODE: message` (scripts parse this line; it never changes), then the source snippet and the hint. */
export function textLine(d: LocatedDiagnostic, decoration?: TextDecoration): string {
  const paint = decoration?.paint ?? ((_: string, s: string) => s);
  const hint = d.hint ? `  ${paint("hint", "hint:")} ${printable(d.hint)}\n` : "";
  const place = hasPosition(d) ? `${printable(d.file)}:${d.line}:${d.column}` : printable(d.file);
  const head = `${place}: ${paint(d.severity, d.severity)} ${paint("code", d.code)}: ${printable(d.message)}\n`;
  return head + (decoration?.snippet(d) ?? "") + hint;
}

/** `file:line:column: severity CODE: message`, the spec lines when decorated, and an indented hint line, one per diagnostic. */
export function diagnosticsText(list: readonly LocatedDiagnostic[], decoration?: TextDecoration): string {
  return list.map((d) => textLine(d, decoration)).join("");
}

export function summaryLine(list: readonly LocatedDiagnostic[]): string {
  const errors = list.filter((d) => d.severity === "error").length;
  const warnings = list.length - errors;
  return `${errors} error${errors === 1 ? "" : "s"}, ${warnings} warning${warnings === 1 ? "" : "s"}`;
}

export function textReporter(io: Streams): Reporter {
  return {
    print({ ok, diagnostics, outcome: o, decoration }: Run): void {
      const summary = summaryLine(diagnostics);
      // A successful diff shows the diff alone, as it always has; its warnings are in the JSON envelope.
      if (!(o.command === "diff" && !isStopped(o) && o.report)) io.stderr.write(diagnosticsText(diagnostics, decoration));
      if (isStopped(o)) {
        if (o.stopped === "environment") return;
        io.stderr.write(`berth ${o.command}: ${summary}${o.command === "render" ? "; nothing written" : ""}\n`);
        return;
      }
      switch (o.command) {
        case "render":
          if (!o.files) io.stderr.write(`berth render: ${summary}; ${o.rollbackIncomplete ? "the rollback is incomplete" : "nothing written"}\n`);
          else {
            const f = o.files;
            io.stdout.write(`berth render: ${f.total} files: ${f.written.length} written, ${f.removed.length} removed, ${f.unchanged} unchanged; ${summary}\n`);
          }
          return;
        case "check":
          io.stdout.write(capacityText(o.capacity, o.gateways) + sloText(o));
          io.stdout.write(`berth check: ${o.files} files, ${o.objects} objects; ${summary}${ok ? "; clusters/ is up to date" : ""}\n`);
          return;
        case "diff":
          if (o.report) io.stdout.write(diffText(o.report));
          return;
        case "schema":
          io.stdout.write(`berth schema: wrote ${o.files.length} schemas to ${o.out}\n`);
          return;
        case "report": {
          const p = o.page;
          const line =
            o.file === null
              ? `berth report: nothing written; ${summary}\n`
              : `berth report: wrote ${o.file} (${p.clusters} clusters, ${p.tenants} tenants, ${p.models} models; ${p.kib} KiB); ${summary}\n`;
          (ok ? io.stdout : io.stderr).write(line);
          return;
        }
        case "explain":
          io.stdout.write(explainText(o.entry));
          return;
        case "model": {
          if (o.dryRun && ok) io.stdout.write(o.diff);
          const say = o.dryRun ? io.stderr : io.stdout;
          if (o.edit && ok) for (const line of weightLines(o.edit)) say.write(line);
          const what = !ok ? "nothing written" : !o.edit?.changed ? "nothing to change" : o.dryRun ? "dry run, nothing written" : `${o.file} written`;
          (ok ? say : io.stderr).write(`berth ${o.name}: ${summary}; ${what}\n`);
          return;
        }
      }
    },
  };
}

/** "  prod-us-east-1: v1.2.0 90 -> 80, v1.3.0 10 -> 20" for each cluster whose weights move. */
function weightLines(edit: EditResult): string[] {
  const lines: string[] = [];
  for (const [cluster, { before, after }] of edit.clusters) {
    const names = [...new Set([...before.keys(), ...after.keys()])];
    if (names.every((v) => before.get(v) === after.get(v))) continue;
    lines.push(`  ${cluster}: ${names.map((v) => `${v} ${before.get(v) ?? "(new)"} -> ${after.get(v) ?? "(removed)"}`).join(", ")}\n`);
  }
  return lines;
}

/** The models that get dashboards but no alerts, one line per cluster (docs/observability.md). */
function sloText(o: CheckOutcome): string {
  // Without a plan (the specs did not compile) there is nothing to say about slos.
  if (!o.gateways) return "";
  if (o.withoutSlo.length === 0) return "every model states an slo\n";
  const byCluster = new Map<string, string[]>();
  for (const m of o.withoutSlo) byCluster.set(m.cluster, [...(byCluster.get(m.cluster) ?? []), m.model]);
  const lines = [...byCluster].map(([c, models]) => `  ${c}: ${models.join(", ")}\n`);
  return `models without an slo (dashboards, no alerts): ${o.withoutSlo.length}\n${lines.join("")}`;
}

function explainText(e: Explanation): string {
  const lines = [`${e.code} (${e.severity}): ${e.title}`, "", "example:", `  ${e.example}`];
  if (e.hint) lines.push(`    hint: ${e.hint}`);
  lines.push("");
  const what =
    e.severity === "error"
      ? "berth writes nothing while it stands; fix the spec at the position printed"
      : "a warning: render still writes; fix it or accept it knowingly";
  lines.push("what to do:", `  ${e.hint ?? "follow the hint printed with the diagnostic"}`, `  ${what}`);
  if (e.source) lines.push("", `the rule comes from: ${e.source}`);
  lines.push("", `more: ${e.docs.join(", ")}`, "");
  return lines.join("\n");
}
