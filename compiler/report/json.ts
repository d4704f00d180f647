// The json format: one envelope per run, on stdout, also on failure (SPEC §4):
// `{command, ok, diagnostics, ...what the command reports}`, in that key order. docs/output.md
// shows one example per command.
import type { LocatedDiagnostic } from "../diagnostics.js";
import { diffFields } from "./diff-lines.js";
import { isStopped, type Outcome, type Reporter, type Run, type Streams } from "./reporter.js";

export function jsonReporter(io: Streams): Reporter {
  return {
    print(run: Run): void {
      io.stdout.write(JSON.stringify(envelope(run), null, 2) + "\n");
    },
  };
}

export function envelope({ ok, diagnostics, outcome }: Run): Record<string, unknown> {
  const command = !isStopped(outcome) && outcome.command === "model" ? outcome.name : outcome.command;
  return { command, ok, diagnostics: diagnostics.map(jsonShape), ...payload(outcome) };
}

/** A diagnostic with its keys in the documented order; `hint` only when there is one. */
export function jsonShape(d: LocatedDiagnostic): Record<string, unknown> {
  const o: Record<string, unknown> = { file: d.file, line: d.line, column: d.column, severity: d.severity, code: d.code, message: d.message };
  if (d.hint) o.hint = d.hint;
  return o;
}

function payload(o: Outcome): Record<string, unknown> {
  if (isStopped(o)) return {};
  switch (o.command) {
    case "render":
      return o.files ? { files: o.files } : {};
    case "check":
      return { files: o.files, objects: o.objects, capacity: o.capacity, withoutSlo: o.withoutSlo };
    case "diff":
      return o.report ? diffFields(o.report) : {};
    case "schema":
      return { out: o.out, files: o.files };
    case "report":
      return { file: o.file };
    case "explain":
      return { ...o.entry };
    case "model": {
      const edit = o.edit && {
        file: o.file,
        changed: o.edit.changed,
        written: o.written,
        clusters: Object.fromEntries([...o.edit.clusters].map(([c, s]) => [c, { before: Object.fromEntries(s.before), after: Object.fromEntries(s.after) }])),
        diff: o.diff,
      };
      return { dryRun: o.dryRun, edit: edit ?? null };
    }
  }
}
