// The github format: GitHub Actions workflow commands on stdout, so each diagnostic shows on the
// line it names in a pull request; the diff adds its text and one warning annotation per risk.
import { hasPosition, type LocatedDiagnostic } from "../diagnostics.js";
import { diffText } from "./diff-lines.js";
import { formatAnnotations } from "./diff-github.js";
import { githubData, githubProperty } from "./github-escape.js";
import { isStopped, type Reporter, type Run, type Streams } from "./reporter.js";

function githubLine(d: LocatedDiagnostic): string {
  const text = d.hint ? `${d.code}: ${d.message} (hint: ${d.hint})` : `${d.code}: ${d.message}`;
  // A flag is no file in the repository: the annotation goes on the run, naming the flag.
  if (!hasPosition(d)) return `::${d.severity} title=${githubProperty(d.code)}::${githubData(`${d.file}: ${text}`)}\n`;
  return `::${d.severity} file=${githubProperty(d.file)},line=${d.line},col=${d.column},title=${githubProperty(d.code)}::${githubData(text)}\n`;
}

/** One `::error`/`::warning` annotation per diagnostic. */
export function githubAnnotations(list: readonly LocatedDiagnostic[]): string {
  return list.map(githubLine).join("");
}

export function githubReporter(io: Streams): Reporter {
  return {
    print({ ok, diagnostics, outcome: o }: Run): void {
      if (!isStopped(o) && o.command === "diff" && o.report) {
        io.stdout.write(diffText(o.report));
        // Annotations on the spec lines that made each change, risk and new warning, so they show
        // in the pull request's file view and on the run's summary page.
        io.stdout.write(formatAnnotations(o.report));
        return;
      }
      io.stdout.write(githubAnnotations(diagnostics));
      if (!isStopped(o) && o.command === "model" && o.dryRun && ok) io.stdout.write(o.diff);
    },
  };
}

export { githubData, githubProperty };
