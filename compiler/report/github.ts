// The github format: GitHub Actions workflow commands on stdout, so each diagnostic shows on the
// line it names in a pull request; the diff adds its text and one warning annotation per risk.
import { hasPosition, type LocatedDiagnostic } from "../diagnostics.js";
import { diffText } from "./diff-lines.js";
import { printable } from "./printable.js";
import { isStopped, type Reporter, type Run, type Streams } from "./reporter.js";

/**
 * A workflow command's message, escaped as GitHub's toolkit does (% CR LF, so no value can end the
 * command's line and start another); other unprintable characters as `\u` escapes.
 */
export function githubData(s: string): string {
  return printable(s.replace(/%/g, "%25").replace(/\r/g, "%0D").replace(/\n/g, "%0A"));
}

/** A workflow command's property value: as data, and also `:` and `,`, which end a property. */
export function githubProperty(s: string): string {
  return githubData(s).replace(/:/g, "%3A").replace(/,/g, "%2C");
}

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
        // Risks also as annotations, so they show on the run's summary page.
        // At the spec line that caused the change where there is one (a removed object's spec is gone).
        for (const r of o.report.risks) {
          const at = r.at ? `file=${githubProperty(r.at.file)},line=${r.at.line},col=${r.at.column},` : "";
          io.stdout.write(`::warning ${at}title=${githubProperty(`berth diff: ${r.kind}`)}::${githubData(`${r.cluster} ${r.subject}: ${r.message}`)}\n`);
        }
        return;
      }
      io.stdout.write(githubAnnotations(diagnostics));
      if (!isStopped(o) && o.command === "model" && o.dryRun && ok) io.stdout.write(o.diff);
    },
  };
}
