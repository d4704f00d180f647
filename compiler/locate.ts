// Turns a diagnostic's SpecRef into file:line:column, only when it is printed.
import { dedupe, sortDiagnostics, type Diagnostic, type LocatedDiagnostic, type SpecRef } from "./diagnostics.js";
import { findNode, type SourceMap } from "./parse.js";

export function locate(d: Diagnostic, sources: SourceMap): LocatedDiagnostic {
  const { line, column } = position(d.at, sources);
  const out: LocatedDiagnostic = { file: d.at.file, line, column, severity: d.severity, code: d.code, message: d.message };
  if (d.hint) out.hint = d.hint;
  return out;
}

/** Where a spec node starts (1-based); the file's first line when it cannot be found. */
export function position(at: SpecRef, sources: SourceMap): { line: number; column: number } {
  let line = at.line ?? 1;
  let column = at.column ?? 1;
  const src = sources.get(at.file);
  if (at.line === undefined && src?.doc && at.path.length > 0) {
    const found = findNode(src.doc, at.path);
    const complete = found.depth === at.path.length;
    const target = complete && at.key ? found.keyNode : complete ? found.node : (found.keyNode ?? found.node);
    const start = target?.range?.[0];
    if (start !== undefined) {
      const pos = src.lines.linePos(start);
      line = pos.line;
      column = pos.col;
    }
  } else if (at.line === undefined && src?.doc?.contents?.range) {
    const pos = src.lines.linePos(src.doc.contents.range[0]);
    line = pos.line;
    column = pos.col;
  }
  return { line, column };
}

export function locateAll(list: readonly Diagnostic[], sources: SourceMap): LocatedDiagnostic[] {
  return sortDiagnostics(dedupe(list.map((d) => locate(d, sources))));
}
