// One reporter per output format, behind one interface (as kubeconform's pkg/output): a command
// compiles, writes or compares, then hands its run to the reporter of the chosen format, once.
// This folder is the only place output is formatted or escaped.
import { githubReporter } from "./github.js";
import { jsonReporter } from "./json.js";
import { markdownReporter } from "./markdown.js";
import type { Format, Reporter, Run, Streams } from "./reporter.js";
import { sarifReporter } from "./sarif.js";
import { textReporter } from "./text.js";

export function reporterFor(format: Format, io: Streams): Reporter {
  switch (format) {
    case "json":
      return jsonReporter(io);
    case "github":
      return githubReporter(io);
    case "sarif":
      return sarifReporter(io);
    case "markdown":
      return markdownReporter(io);
    default:
      return textReporter(io);
  }
}

/** Reports a run and returns its exit code. */
export function finish(format: Format, io: Streams, run: Run): number {
  reporterFor(format, io).print(run);
  return run.ok ? 0 : 1;
}
