// The sarif format (check): one SARIF 2.1.0 log on stdout, for GitHub code scanning.
import { CATALOGUE } from "../codes/index.js";
import { hasPosition, type LocatedDiagnostic } from "../diagnostics.js";
import { printable } from "./printable.js";
import type { Reporter, Run, Streams } from "./reporter.js";

/** A relative file path as a URI reference, each segment percent-encoded (SARIF requires URIs). */
export function uriPath(path: string): string {
  return path.split("/").map(encodeURIComponent).join("/");
}

/**
 * Where docs/diagnostics.md of this repository is on the web: the platform's GitOps repository
 * (the specs and berth's docs live in it) at its target revision. Undefined for a repoURL that is
 * not https (ssh), whose web address berth cannot know.
 */
export function catalogueUrl(repoURL: string, revision: string): string | undefined {
  const m = /^(https:\/\/[^\s?#]+?)(?:\.git)?\/?$/.exec(repoURL);
  return m ? `${m[1]}/blob/${encodeURIComponent(revision)}/docs/diagnostics.md` : undefined;
}

export function sarifLog(list: readonly LocatedDiagnostic[], catalogue?: string): object {
  const codes = [...new Set(list.map((d) => d.code))].sort();
  return {
    $schema: "https://json.schemastore.org/sarif-2.1.0.json",
    version: "2.1.0",
    runs: [
      {
        tool: {
          driver: {
            name: "berth",
            ...(catalogue ? { informationUri: catalogue } : {}),
            rules: codes.map((c) => ({
              id: c,
              shortDescription: { text: CATALOGUE[c].title },
              ...(catalogue ? { helpUri: `${catalogue}#${c.toLowerCase()}` } : {}),
              defaultConfiguration: { level: CATALOGUE[c].severity },
            })),
          },
        },
        results: list.map((d) => ({
          ruleId: d.code,
          ruleIndex: codes.indexOf(d.code),
          level: d.severity === "error" ? "error" : "warning",
          message: { text: printable(d.hint ? `${d.message} (hint: ${d.hint})` : d.message) },
          // A flag is no artifact: such a result has no location (SARIF allows none).
          locations: hasPosition(d)
            ? [
                {
                  physicalLocation: {
                    artifactLocation: { uri: uriPath(d.file) },
                    region: { startLine: d.line, startColumn: d.column },
                  },
                },
              ]
            : [],
        })),
      },
    ],
  };
}

export function sarifReporter(io: Streams): Reporter {
  return {
    print({ diagnostics, catalogueUrl }: Run): void {
      io.stdout.write(JSON.stringify(sarifLog(diagnostics, catalogueUrl), null, 2) + "\n");
    },
  };
}
