// Table tests for diagnostics: each case compiles a fixture and names the diagnostics it must print.
import type { Code } from "../../compiler/codes/index.js";
import type { LocatedDiagnostic } from "../../compiler/diagnostics.js";
import { compileFiles, type Files } from "./fixture.js";

export interface Expected {
  code: Code;
  file?: string;
  line?: number;
  column?: number;
  severity?: "error" | "warning";
  message?: RegExp;
  hint?: RegExp;
}

export interface Case {
  name: string;
  /** Changes to the base fixture (null deletes a file). */
  files: Files;
  /** The base fixture to change; the default is baseFiles(). */
  base?: Files;
  expect: Expected[];
  /** Other diagnostics are allowed too (by default, any other error fails the case). */
  others?: boolean;
}

export function matches(d: LocatedDiagnostic, e: Expected): boolean {
  return (
    d.code === e.code &&
    (e.file === undefined || d.file === e.file) &&
    (e.line === undefined || d.line === e.line) &&
    (e.column === undefined || d.column === e.column) &&
    (e.severity === undefined || d.severity === e.severity) &&
    (e.message === undefined || e.message.test(d.message)) &&
    (e.hint === undefined || (d.hint !== undefined && e.hint.test(d.hint)))
  );
}

export function runTable(cases: Case[]): void {
  test.each(cases.map((c) => [c.name, c] as const))("%s", (_name, c) => {
    const result = compileFiles(c.files, c.base);
    const printed = result.diagnostics.map((d) => `${d.file}:${d.line}:${d.column}: ${d.severity} ${d.code}: ${d.message}`).join("\n");
    for (const e of c.expect) {
      if (!result.diagnostics.some((d) => matches(d, e)))
        throw new Error(`expected ${JSON.stringify({ ...e, message: e.message?.source })}\nprinted:\n${printed || "(nothing)"}`);
    }
    if (!c.others) {
      const unexpected = result.diagnostics.filter((d) => d.severity === "error" && !c.expect.some((e) => matches(d, e)));
      if (unexpected.length) throw new Error(`unexpected errors:\n${printed}`);
    }
    if (c.expect.some((e) => (e.severity ?? "error") === "error")) expect(result.files).toEqual([]);
  });
}
