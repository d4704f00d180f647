// YAML syntax errors in berth's words. The parser knows that something broke, but reports where
// it noticed (the next line, column 1, the end of the file) in its own terms. When it reports an
// error, a line scan of the text finds the usual cause (a key indented off its siblings, a bracket
// or quote never closed, `key:value` without a space) and reports that once, at the token a user
// must change; the parser's follow-on errors stay quiet. Anything else keeps the parser's message.
import type { LineCounter, YAMLError } from "yaml";
import type { Diagnostics } from "./diagnostics.js";

export interface SyntaxFinding {
  readonly line: number;
  readonly column: number;
  readonly message: string;
  readonly hint: string;
  /** Certain on its own (an unclosed bracket or quote), or only near an error the parser reported. */
  readonly certain: boolean;
}

interface Entry {
  readonly col: number;
  readonly line: number;
  readonly label: string;
  readonly dash: boolean;
  /** Its value is a block on the lines below (`key:` with nothing after it, or a bare `-`). */
  readonly opens: boolean;
  /** A list under a key at the key's own column (`key:` then `- item` below it, unindented). */
  readonly underKey?: boolean;
}

interface Open {
  readonly ch: string;
  readonly line: number;
  readonly col: number;
}

const CLOSER: Record<string, string> = { "[": "]", "{": "}" };
const KIND: Record<string, string> = { "[": "list", "{": "mapping" };
const KEY = /^("(?:[^"\\]|\\.)*"|'(?:[^']|'')*'|[^\s#'"[\]{},:][^#]*?)[ \t]*:(?=[ \t]|$)/;
const NO_SPACE = /^([A-Za-z_][\w.-]*):([^\s/:#].*)$/;
const OPENS = /^(?:[&!][^\s]*)?[ \t]*(?:#.*)?$/;
const BLOCK_SCALAR = /^[|>][-+0-9]*[ \t]*(?:#.*)?$/;

/** What broke, found by reading the lines as a person would. */
export function scanSyntax(text: string): SyntaxFinding[] {
  const rows = text.split("\n").map((r) => r.replace(/\r$/, ""));
  const found: SyntaxFinding[] = [];
  let stack: Entry[] = [];
  let flow: Open[] = [];
  let flowIndent = 0;
  let quote: Open | undefined;
  let quoteIndent = 0;
  let blockScalar: number | undefined;

  for (let i = 0; i < rows.length; i++) {
    const row = rows[i]!;
    const line = i + 1;
    const indent = row.length - row.trimStart().length;
    const blank = row.trim() === "" || row.trimStart().startsWith("#");
    if (blockScalar !== undefined) {
      if (row.trim() === "" || indent > blockScalar) continue;
      blockScalar = undefined;
    }
    let at = 0;
    if (quote && !blank && indent <= quoteIndent) {
      // A string's next lines are indented deeper than where it started: this line is the spec going on.
      found.push(unterminated(quote));
      quote = undefined;
      flow = [];
    } else if (quote) {
      at = closeQuote(row, 0, quote.ch);
      if (at < 0) continue;
      quote = undefined;
    } else if (flow.length > 0) {
      if (blank) continue;
      if (indent <= flowIndent) {
        const open = flow[flow.length - 1]!;
        found.push({
          line: open.line,
          column: open.col,
          certain: true,
          message: `YAML syntax: this \`${open.ch}\` is never closed`,
          hint: `end the ${KIND[open.ch]} with \`${CLOSER[open.ch]}\` on line ${lastContent(rows, i) + 1}, or indent the lines that continue it deeper than line ${open.line}`,
        });
        flow = [];
      } else at = indent;
    }
    if (flow.length === 0 && at === 0) {
      if (blank) continue;
      if (/^(---|\.\.\.)(\s|$)|^%/.test(row)) {
        stack = [];
        continue;
      }
      const parsed = blockLine(row, indent, line, stack, found);
      stack = parsed.stack;
      at = parsed.rest;
      if (parsed.blockScalar !== undefined) blockScalar = parsed.blockScalar;
    }
    const scanned = scanFlow(row, at, line, flow, found);
    if (flow.length === 0 && scanned.flow.length > 0) flowIndent = indent;
    if (!quote && scanned.quote) quoteIndent = flow.length > 0 || scanned.flow.length > 0 ? Math.min(flowIndent, indent) : indent;
    flow = scanned.flow;
    quote = scanned.quote;
  }
  if (quote) return [...found, unterminated(quote)];
  if (flow.length > 0) {
    const open = flow[flow.length - 1]!;
    found.push({
      line: open.line,
      column: open.col,
      certain: true,
      message: `YAML syntax: this \`${open.ch}\` is never closed`,
      hint: `end the ${KIND[open.ch]} with \`${CLOSER[open.ch]}\``,
    });
  }
  return found;
}

/** The indentation of one block line against the lines above it; returns where its flow content starts. */
function blockLine(row: string, indent: number, line: number, stack: Entry[], found: SyntaxFinding[]): { stack: Entry[]; rest: number; blockScalar?: number } {
  let col = indent;
  const dashes: number[] = [];
  while (row[col] === "-" && (row[col + 1] === " " || col + 1 === row.length)) {
    dashes.push(col);
    col += 1;
    while (row[col] === " ") col++;
  }
  const content = row.slice(col);
  const key = dashes.length > 0 && col >= row.length ? undefined : KEY.exec(content);
  const label = key ? key[1]! : dashes.length > 0 ? "-" : content.split(/\s/)[0]!;
  const first = dashes.length > 0;

  const reportedBefore = found.length;
  const next = [...stack];
  // The nearest line above that this one should line up with, when it does not.
  let nearest: Entry | undefined;
  while (next.length > 0) {
    const top = next[next.length - 1]!;
    if (top.col < indent || (top.col === indent && !(top.underKey && !first))) break;
    next.pop();
    nearest ??= top;
  }
  const top = next[next.length - 1];
  const what = first ? "this list item" : `\`${label}\``;
  if (top && top.col === indent && top.dash !== first && !(first && !top.dash && top.opens)) {
    found.push({
      line,
      column: indent + 1,
      certain: false,
      message: first
        ? `YAML syntax: a list item where the mapping of \`${top.label}\` (line ${top.line}) continues`
        : `YAML syntax: \`${label}\` is a key where the list of line ${top.line} continues`,
      hint: first
        ? `put the item under a key that ends with \`:\`, or write it as \`key: value\``
        : `end the list before the key: indent \`${label}\` like the key that holds the list`,
    });
  } else if (top && top.col < indent && nearest) {
    const other = top.dash ? "" : `, or ${top.col} like ${name(top)} on line ${top.line}`;
    found.push({
      line,
      column: indent + 1,
      certain: false,
      message: `YAML syntax: ${what} is indented ${indent} spaces, but ${name(nearest)} on line ${nearest.line} has ${nearest.col}`,
      hint: `indent it ${nearest.col} spaces like ${name(nearest)}${other}`,
    });
  } else if (top && top.col < indent && !top.opens) {
    found.push({
      line,
      column: indent + 1,
      certain: false,
      message: `YAML syntax: ${what} is indented ${indent} spaces, deeper than ${name(top)} on line ${top.line} (indented ${top.col}), which already has a value`,
      hint: `indent it ${top.col} spaces to make it a sibling of ${name(top)}; only a key ending in \`:\` takes lines indented below it`,
    });
  }
  if (!first && !key) {
    const m = NO_SPACE.exec(content);
    if (m)
      found.push({
        line,
        column: col + m[1]!.length + 1,
        certain: false,
        message: `YAML syntax: no space after the colon in \`${m[1]}:${m[2]!.split(/\s/)[0]}\`, so YAML reads one word, not the key \`${m[1]}\``,
        hint: `write \`${m[1]}: ${m[2]!.trim()}\``,
      });
  }

  // A line reported for its indentation does not become the measure for the lines after it.
  if (found.length > reportedBefore) return { stack, rest: col };
  const parent = top && top.col === indent && first && ((top.opens && !top.dash) || (top.dash && top.underKey));
  dashes.forEach((d, n) =>
    next.push({ col: d, line, label: "-", dash: true, opens: n === dashes.length - 1 && col >= row.length, underKey: n === 0 && parent ? true : undefined }),
  );
  if (!key) return { stack: next, rest: col };
  const value = content.slice(key[0].length).trim();
  const opens = OPENS.test(value);
  const inner = /^[^'"[{|>&!*#][^#]*?:[ \t]/.exec(value);
  if (inner) {
    const plain = value.replace(/[ \t]+#.*$/, "");
    found.push({
      line,
      column: row.length - row.slice(col + key[0].length).trimStart().length + 1,
      certain: false,
      message: `YAML syntax: the value of \`${key[1]}\` holds \`: \`, which YAML reads as the start of another key`,
      hint: `quote the value: "${plain.replace(/["\\]/g, "\\$&")}"`,
    });
  }
  next.push({ col, line, label: key[1]!, dash: false, opens });
  const rest = col + key[0].length + (content.length - key[0].length - content.slice(key[0].length).trimStart().length);
  return { stack: next, rest, ...(BLOCK_SCALAR.test(value) ? { blockScalar: indent } : {}) };
}

function unterminated(q: Open): SyntaxFinding {
  const hint =
    q.ch === '"'
      ? `close it with " on the same line; inside double quotes a quote is written \\"`
      : `close it with ' on the same line; inside single quotes a quote is written ''`;
  return { line: q.line, column: q.col, certain: true, message: `YAML syntax: the string that starts with ${q.ch} here never ends`, hint };
}

function name(e: Entry): string {
  return e.dash ? "the list item" : `\`${e.label}\``;
}

/** Brackets and quotes from `from` to the end of the line (or a comment). */
function scanFlow(row: string, from: number, line: number, flow: Open[], found: SyntaxFinding[]): { flow: Open[]; quote?: Open } {
  const open = [...flow];
  let justClosed = false;
  for (let c = from; c < row.length; c++) {
    const ch = row[c]!;
    if (ch === " " || ch === "\t") continue;
    const prev = lastNonSpace(row, c, from);
    const tokenStart = prev === undefined || ":-[{,?".includes(prev);
    if (ch === "#" && (c === 0 || row[c - 1] === " " || row[c - 1] === "\t")) break;
    if ((ch === '"' || ch === "'") && tokenStart) {
      const end = closeQuote(row, c + 1, ch);
      if (end < 0) return { flow: open, quote: { ch, line, col: c + 1 } };
      c = end - 1;
    } else if ((ch === "[" || ch === "{") && (tokenStart || open.length > 0)) {
      open.push({ ch, line, col: c + 1 });
    } else if (ch === "]" || ch === "}") {
      const top = open[open.length - 1];
      if (top && CLOSER[top.ch] === ch) {
        open.pop();
        justClosed = open.length === 0;
        continue;
      }
      if (top) {
        found.push({
          line,
          column: c + 1,
          certain: true,
          message: `YAML syntax: \`${ch}\` closes the \`${top.ch}\` of line ${top.line}, column ${top.col}`,
          hint: `close it with \`${CLOSER[top.ch]}\``,
        });
        open.pop();
      } else if (justClosed)
        found.push({
          line,
          column: c + 1,
          certain: true,
          message: `YAML syntax: \`${ch}\` closes nothing: the brackets before it are already closed`,
          hint: "remove it",
        });
    } else if (open.length === 0) {
      // A plain value in block context: brackets and quotes inside it are ordinary characters.
      const comment = row.indexOf(" #", c);
      c = comment < 0 ? row.length : comment;
    }
    justClosed = false;
  }
  return { flow: open };
}

/** The index just after the quote that closes a `ch`-quoted string, searching from `from`; -1 when the line ends first. */
function closeQuote(row: string, from: number, ch: string): number {
  for (let c = from; c < row.length; c++) {
    if (ch === '"' && row[c] === "\\") c++;
    else if (row[c] === ch) {
      if (ch === "'" && row[c + 1] === "'") c++;
      else return c + 1;
    }
  }
  return -1;
}

function lastNonSpace(row: string, before: number, from: number): string | undefined {
  for (let c = before - 1; c >= from; c--) if (row[c] !== " " && row[c] !== "\t") return row[c];
  return from > 0 ? ":" : undefined;
}

function lastContent(rows: readonly string[], before: number): number {
  for (let i = before - 1; i >= 0; i--) if (rows[i]!.trim() !== "" && !rows[i]!.trimStart().startsWith("#")) return i;
  return 0;
}

/** The parser's errors by its code, in berth's words; the position stays the parser's. */
const TRANSLATED: Record<string, [string, string]> = {
  BAD_INDENT: [
    "indentation does not line up with the lines around it",
    "the keys of one mapping, and the `-` of the items of one list, start in the same column",
  ],
  MULTILINE_IMPLICIT_KEY: [
    "a key runs over more than one line",
    "a key and its `:` stay on one line: check the indentation of the line above, and the space after each colon",
  ],
  BLOCK_AS_IMPLICIT_KEY: ["a list or mapping is written where a key is expected", "check the indentation of this line against the lines above"],
  MISSING_CHAR: ["a closing quote or bracket is missing", "close every quote and bracket on the line where it opens"],
  BAD_SCALAR_START: ["a plain value cannot start with this character", "quote the value"],
  BAD_DQ_ESCAPE: ["unknown escape in a double-quoted string", "write \\\\ for a backslash, or use single quotes, where \\ is an ordinary character"],
  UNEXPECTED_TOKEN: ["unexpected text here", "check the indentation and the brackets of this line and the one above"],
};

/**
 * Reports a document's syntax errors (the parser's `errors`, tabs excepted) once per cause:
 * the scan's findings when it explains them, else the parser's errors, one per line.
 */
export function reportSyntax(text: string, errors: readonly YAMLError[], lines: LineCounter, file: string, diags: Diagnostics): void {
  const reported = errors.map((e) => ({ error: e, at: lines.linePos(e.pos[0]) }));
  const near = (line: number) => reported.some((r) => Math.abs(r.at.line - line) <= 1);
  const findings = scanSyntax(text).filter((f) => f.certain || near(f.line));
  if (findings.length > 0) {
    for (const f of findings) diags.report("BERTH0101", { file, path: [], line: f.line, column: f.column }, f.message, f.hint);
    return;
  }
  const seen = new Set<number>();
  for (const { error, at } of reported) {
    if (seen.has(at.line)) continue;
    seen.add(at.line);
    const own = TRANSLATED[error.code];
    const where = { file, path: [], line: at.line, column: at.col };
    if (error.code === "TAB_AS_INDENT") diags.report("BERTH0102", where, "tab character in indentation", "YAML indents with spaces only");
    else if (own) diags.report("BERTH0101", where, `YAML syntax: ${own[0]} (${firstLine(error.message)})`, own[1]);
    else diags.report("BERTH0101", where, `YAML syntax: ${firstLine(error.message)}`);
  }
}

function firstLine(message: string): string {
  return message.split("\n")[0]!.replace(/ at line \d+, column \d+:?$/, "");
}
