// Diagnostics are data: built where a problem is found, located and printed in one place.
import { cmp } from "./base/order.js";
import { CATALOGUE, type Code } from "./codes/index.js";

export type Severity = "error" | "warning";
export type PathSegment = string | number;

/** A place in a spec file: the YAML node at `path`, or its key when `key` is set. */
export interface SpecRef {
  readonly file: string;
  readonly path: readonly PathSegment[];
  readonly key?: boolean;
  /** A raw position, for problems that have no YAML node (bad bytes, tabs). */
  readonly line?: number;
  readonly column?: number;
}

export interface Diagnostic {
  readonly severity: Severity;
  readonly code: Code;
  readonly message: string;
  readonly hint?: string;
  readonly at: SpecRef;
}

/** A diagnostic with its position resolved, ready to print. */
export interface LocatedDiagnostic {
  file: string;
  line: number;
  column: number;
  severity: Severity;
  code: Code;
  message: string;
  hint?: string;
}

/** Collects diagnostics from every stage; never throws for bad input. */
export class Diagnostics {
  readonly items: Diagnostic[] = [];

  /** The one way to raise a diagnostic: its severity is the catalogue's for the code, never the caller's. */
  report(code: Code, at: SpecRef, message: string, hint?: string): void {
    this.items.push({ severity: CATALOGUE[code].severity, code, message, hint, at });
  }

  get hasErrors(): boolean {
    return this.items.some((d) => d.severity === "error");
  }
}

export function refAt(file: string, ...path: PathSegment[]): SpecRef {
  return { file, path };
}

/** A command-line flag as the place of the problem (an unknown --cluster, a bad --base): printed `--cluster:1:1`. */
export function flagRef(flag: `--${string}`): SpecRef {
  return { file: flag, path: [], line: 1, column: 1 };
}

export function fileStart(file: string): SpecRef {
  return { file, path: [] };
}

/** Sorts by file, line, column, code, message: output order never depends on discovery order. */
export function sortDiagnostics(list: LocatedDiagnostic[]): LocatedDiagnostic[] {
  return [...list].sort((a, b) => cmp(a.file, b.file) || a.line - b.line || a.column - b.column || cmp(a.code, b.code) || cmp(a.message, b.message));
}

export function dedupe(list: LocatedDiagnostic[]): LocatedDiagnostic[] {
  const seen = new Set<string>();
  return list.filter((d) => {
    const key = `${d.file}:${d.line}:${d.column}:${d.code}:${d.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

export type Format = "text" | "json" | "github" | "sarif";

/**
 * What a terminal adds to a text diagnostic (report/snippet.ts): the source line under the first
 * line, and colour. Without it the text is the plain form scripts parse.
 */
export interface TextDecoration {
  /** Lines shown between the first line and the hint, each ending in "\n"; "" for none. */
  snippet(d: LocatedDiagnostic): string;
  /** `s` coloured as `part` (unchanged when colour is off). */
  paint(part: Severity | "code" | "hint", s: string): string;
}

export interface FormatOptions {
  /** Text: the source snippet and colour (report/snippet.ts). */
  readonly decoration?: TextDecoration;
  /** SARIF: the page that documents the codes, an absolute https URL (catalogueUrl). */
  readonly catalogueUrl?: string;
}

export function formatDiagnostics(list: LocatedDiagnostic[], format: Format, opts: FormatOptions = {}): string {
  switch (format) {
    case "json":
      return JSON.stringify(list.map(jsonShape), null, 2) + "\n";
    case "github":
      return list.map(githubLine).join("");
    case "sarif":
      return JSON.stringify(sarif(list, opts.catalogueUrl), null, 2) + "\n";
    default:
      return list.map((d) => textLine(d, opts.decoration)).join("");
  }
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

/**
 * Characters that would break a diagnostic out of its line or hide what it says: C0 and C1
 * controls (newline, CR, the terminal's ESC and CSI), DEL, Unicode line and paragraph separators,
 * and the bidirectional controls that reorder text on screen. A spec file may be named with any of
 * them, and messages quote spec values.
 */
const UNPRINTABLE = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;
const SHORT_ESCAPES: Record<string, string> = { "\n": "\\n", "\r": "\\r", "\t": "\\t" };

/** `s` with every unprintable character written as an escape (`\n`, `\u001b`): one line, shown as is. */
export function printable(s: string): string {
  return s.replace(UNPRINTABLE, (c) => SHORT_ESCAPES[c] ?? `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
}

/** One diagnostic as text: `file:line:col: severity CODE: message` (scripts parse this line; it never changes), then the source snippet and the hint. */
export function textLine(d: LocatedDiagnostic, decoration?: TextDecoration): string {
  const paint = decoration?.paint ?? ((_: string, s: string) => s);
  const hint = d.hint ? `  ${paint("hint", "hint:")} ${printable(d.hint)}\n` : "";
  const head = `${printable(d.file)}:${d.line}:${d.column}: ${paint(d.severity, d.severity)} ${paint("code", d.code)}: ${printable(d.message)}\n`;
  return head + (decoration?.snippet(d) ?? "") + hint;
}

function jsonShape(d: LocatedDiagnostic): object {
  const o: Record<string, unknown> = {
    file: d.file,
    line: d.line,
    column: d.column,
    severity: d.severity,
    code: d.code,
    message: d.message,
  };
  if (d.hint) o.hint = d.hint;
  return o;
}

function githubLine(d: LocatedDiagnostic): string {
  const text = d.hint ? `${d.code}: ${d.message} (hint: ${d.hint})` : `${d.code}: ${d.message}`;
  return `::${d.severity} file=${githubProperty(d.file)},line=${d.line},col=${d.column},title=${githubProperty(d.code)}::${githubData(text)}\n`;
}

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

/** A relative file path as a URI reference, each segment percent-encoded (SARIF requires URIs). */
export function uriPath(path: string): string {
  return path.split("/").map(encodeURIComponent).join("/");
}

function sarif(list: LocatedDiagnostic[], catalogue: string | undefined): object {
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
          locations: [
            {
              physicalLocation: {
                artifactLocation: { uri: uriPath(d.file) },
                region: { startLine: d.line, startColumn: d.column },
              },
            },
          ],
        })),
      },
    ],
  };
}

export function summaryLine(list: LocatedDiagnostic[]): string {
  const errors = list.filter((d) => d.severity === "error").length;
  const warnings = list.length - errors;
  return `${errors} error${errors === 1 ? "" : "s"}, ${warnings} warning${warnings === 1 ? "" : "s"}`;
}
