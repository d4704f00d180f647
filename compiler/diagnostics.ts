// Diagnostics are data: built where a problem is found, located and printed in one place.
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

  error(code: Code, at: SpecRef, message: string, hint?: string): void {
    this.items.push({ severity: "error", code, message, hint, at });
  }

  warn(code: Code, at: SpecRef, message: string, hint?: string): void {
    this.items.push({ severity: "warning", code, message, hint, at });
  }

  /** Reports with the catalogue's severity for the code. */
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

export function fileStart(file: string): SpecRef {
  return { file, path: [] };
}

/** Sorts by file, line, column, code, message: output order never depends on discovery order. */
export function sortDiagnostics(list: LocatedDiagnostic[]): LocatedDiagnostic[] {
  return [...list].sort(
    (a, b) =>
      cmp(a.file, b.file) || a.line - b.line || a.column - b.column || cmp(a.code, b.code) || cmp(a.message, b.message),
  );
}

/** Code-unit string order: the same on every machine, whatever the locale. */
export function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
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

export function formatDiagnostics(list: LocatedDiagnostic[], format: Format): string {
  switch (format) {
    case "json":
      return JSON.stringify(list.map(jsonShape), null, 2) + "\n";
    case "github":
      return list.map(githubLine).join("");
    case "sarif":
      return JSON.stringify(sarif(list), null, 2) + "\n";
    default:
      return list.map(textLine).join("");
  }
}

function textLine(d: LocatedDiagnostic): string {
  const hint = d.hint ? `\n  hint: ${d.hint}` : "";
  return `${d.file}:${d.line}:${d.column}: ${d.severity} ${d.code}: ${d.message}${hint}\n`;
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

/** GitHub workflow commands: data must escape %, CR, LF; properties also , and :. */
function githubLine(d: LocatedDiagnostic): string {
  const prop = (s: string) => escapeData(s).replace(/:/g, "%3A").replace(/,/g, "%2C");
  const text = d.hint ? `${d.code}: ${d.message} (hint: ${d.hint})` : `${d.code}: ${d.message}`;
  return `::${d.severity} file=${prop(d.file)},line=${d.line},col=${d.column},title=${prop(d.code)}::${escapeData(text)}\n`;
}

function escapeData(s: string): string {
  return s.replace(/%/g, "%25").replace(/\r/g, "%0D").replace(/\n/g, "%0A");
}

function sarif(list: LocatedDiagnostic[]): object {
  const codes = [...new Set(list.map((d) => d.code))].sort();
  return {
    $schema: "https://json.schemastore.org/sarif-2.1.0.json",
    version: "2.1.0",
    runs: [
      {
        tool: {
          driver: {
            name: "berth",
            informationUri: "https://github.com/berth/berth/blob/main/docs/diagnostics.md",
            rules: codes.map((c) => ({ id: c, shortDescription: { text: CATALOGUE[c].title }, defaultConfiguration: { level: CATALOGUE[c].severity } })),
          },
        },
        results: list.map((d) => ({
          ruleId: d.code,
          ruleIndex: codes.indexOf(d.code),
          level: d.severity === "error" ? "error" : "warning",
          message: { text: d.hint ? `${d.message} (hint: ${d.hint})` : d.message },
          locations: [
            {
              physicalLocation: {
                artifactLocation: { uri: d.file },
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
