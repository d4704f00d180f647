// Diagnostics are data: built where a problem is found, located by locate.ts, printed by report/.
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

/**
 * A command-line flag or environment variable as the place of the problem (an unknown --cluster,
 * a bad --base): it has no line, so line and column are 0 and it is printed `--cluster: error ...`.
 */
export function flagRef(flag: `--${string}` | `BERTH_${string}`): SpecRef {
  return { file: flag, path: [], line: 0, column: 0 };
}

/** Line 0: the place is a flag or variable (flagRef), not a position in a file. */
export function hasPosition(d: { line: number }): boolean {
  return d.line > 0;
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
