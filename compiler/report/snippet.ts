// What a terminal shows under a text diagnostic, as rustc does: the spec's line with a gutter and
// the offending node underlined, and colour when a person (not a script) is reading.
import { isAlias, isCollection, isScalar, visit, type Document, type Node } from "yaml";
import type { LocatedDiagnostic, Severity } from "../diagnostics.js";
import { printable } from "./printable.js";
import type { TextDecoration } from "./reporter.js";
import type { SourceMap } from "../parse.js";

export interface SnippetOptions {
  readonly color: boolean;
}

/** Lines longer than this are shown as a window around the column, so a minified line does not flood the terminal. */
const WIDTH = 120;

const ESC = "\u001b[";
const STYLES: Record<Severity | "code" | "hint" | "gutter", string> = {
  error: "1;31",
  warning: "1;33",
  code: "1",
  hint: "1;36",
  gutter: "1;34",
};

/**
 * Colour is for people: on when stderr is a terminal, off for pipes and files and when NO_COLOR
 * is set (no-color.org); FORCE_COLOR turns it on anyway (CI logs that render ANSI), or off when 0.
 */
export function wantsColor(env: Record<string, string | undefined>, isTTY: boolean | undefined): boolean {
  const force = env.FORCE_COLOR;
  if (force !== undefined && force !== "") return force !== "0" && force !== "false";
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== "") return false;
  return isTTY === true;
}

/** The decoration `formatDiagnostics` applies to text: snippets from `sources` (when given) and colour. */
export function textDecoration(sources: SourceMap | undefined, opts: SnippetOptions): TextDecoration {
  const paint = (part: keyof typeof STYLES, s: string) => (opts.color ? `${ESC}${STYLES[part]}m${s}${ESC}0m` : s);
  return {
    paint,
    snippet: (d) => (sources ? snippet(d, sources, paint) : ""),
  };
}

/**
 * The source line at the diagnostic's position, with a caret under the column and the rest of
 * the node that starts there underlined; "" when the file is not a spec berth read, or the
 * position is not on a line with something to show (an empty file, a flag).
 */
export function snippet(d: LocatedDiagnostic, sources: SourceMap, paint: (part: keyof typeof STYLES, s: string) => string = (_, s) => s): string {
  const text = sources.text(d.file);
  if (text === undefined) return "";
  const rows = text.split("\n");
  const row = rows[d.line - 1]?.replace(/\r$/, "");
  if (row === undefined || row.trim() === "" || d.column < 1 || d.column > row.length + 1) return "";
  const start = d.column - 1;
  const end = Math.max(start + 1, Math.min(row.length, spanEnd(d, sources, rows, start) ?? tokenEnd(row, start)));
  // The window is measured in the printed form, where an escaped control character takes several columns.
  let before = printable(row.slice(0, start));
  let marked = printable(row.slice(start, end)) || " ";
  let after = printable(row.slice(end));
  if (before.length + marked.length + after.length > WIDTH) {
    if (before.length > WIDTH / 2) before = "…" + before.slice(before.length - WIDTH / 2 + 1);
    if (marked.length > WIDTH / 2) marked = marked.slice(0, WIDTH / 2);
    const room = Math.max(0, WIDTH - before.length - marked.length);
    if (after.length > room) after = after.slice(0, Math.max(0, room - 1)) + "…";
  }
  const number = String(d.line);
  const pad = " ".repeat(number.length);
  const bar = paint("gutter", "|");
  const underline = "^".repeat(Math.max(1, marked.length));
  return [
    `${pad} ${bar}\n`,
    `${paint("gutter", number)} ${bar} ${before}${marked}${after}`.trimEnd() + "\n",
    `${pad} ${bar} ${" ".repeat(before.length)}${paint(d.severity, underline)}\n`,
  ].join("");
}

/** Where the YAML node starting at the position ends, on its first line; undefined when no node starts there. */
function spanEnd(d: LocatedDiagnostic, sources: SourceMap, rows: readonly string[], start: number): number | undefined {
  const src = sources.get(d.file);
  if (!src?.doc) return undefined;
  let offset = start;
  for (let i = 0; i < d.line - 1; i++) offset += rows[i]!.length + 1;
  const end = nodeEnds(src.doc).get(offset);
  return end === undefined ? undefined : start + (end - offset);
}

const ENDS = new WeakMap<Document, Map<number, number>>();

/**
 * For every offset where a node starts, the end of the smallest node starting there: a block
 * mapping and its first key start at the same place, and the key is what the position names.
 */
function nodeEnds(doc: Document): Map<number, number> {
  let ends = ENDS.get(doc);
  if (ends) return ends;
  const found = new Map<number, number>();
  const note = (node: Node) => {
    const range = node.range;
    if (!range) return;
    const known = found.get(range[0]);
    if (known === undefined || range[1] < known) found.set(range[0], range[1]);
  };
  visit(doc, {
    Node(_, node) {
      if (isScalar(node) || isAlias(node) || isCollection(node)) note(node);
    },
  });
  ENDS.set(doc, (ends = found));
  return ends;
}

/** Without a node: the word at the column (a syntax error's token), up to a space or YAML punctuation. */
function tokenEnd(row: string, start: number): number {
  const m = /^[^\s:,[\]{}#]+/.exec(row.slice(start));
  return start + (m ? m[0].length : 1);
}
