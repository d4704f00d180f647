// YAML text -> documents that keep their source positions, plus the plain data they hold.
import { isAlias, isMap, isPair, isScalar, isSeq, LineCounter, parseAllDocuments, Scalar, visit, type Document, type Node } from "yaml";
import { Diagnostics, fileStart } from "./diagnostics.js";
import type { SourceFile } from "./load.js";

export interface ParsedFile {
  readonly source: SourceFile;
  readonly doc: Document.Parsed;
  readonly lines: LineCounter;
  /** The document as plain data (aliases expanded). */
  readonly data: unknown;
}

/**
 * Where each file's document and line table come from, so positions are looked up only when a
 * diagnostic is printed. Only the text is kept: a file's document is parsed again the first time
 * a diagnostic asks for it. Keeping every document instead held ~5,000 syntax trees in memory for
 * the whole run, which the garbage collector kept walking, for the few files that ever have a
 * diagnostic.
 */
export class SourceMap {
  private readonly texts = new Map<string, string>();
  private readonly parsed = new Map<string, { doc?: Document.Parsed; lines: LineCounter }>();

  /** Registers a file's text (without its byte order mark), as parseSpec read it. */
  add(path: string, text: string): void {
    this.texts.set(path, text);
    this.parsed.delete(path);
  }

  get(path: string): { doc?: Document.Parsed; lines: LineCounter } | undefined {
    let hit = this.parsed.get(path);
    if (hit) return hit;
    const text = this.texts.get(path);
    if (text === undefined) return undefined;
    const lines = new LineCounter();
    const docs = parseDocuments(text, lines);
    const real = docs.filter(isReal);
    // The document parseSpec reported on: the only real one, else the first.
    this.parsed.set(path, (hit = { doc: real.length === 1 ? real[0] : docs[0], lines }));
    return hit;
  }
}

function parseDocuments(text: string, lineCounter: LineCounter): Document.Parsed[] {
  const docs = parseAllDocuments(text, { lineCounter, uniqueKeys: true, prettyErrors: false, version: "1.2", keepSourceTokens: false });
  return Array.isArray(docs) ? docs : [];
}

function isReal(d: Document.Parsed): boolean {
  return d.contents !== null || d.errors.length > 0;
}

/** Aliases are allowed for sharing, but an expansion past this count is treated as an attack. */
const MAX_ALIAS_COUNT = 200;
const YAML11_BOOLEAN_WORDS = /^(y|Y|yes|Yes|YES|n|N|no|No|NO|on|On|ON|off|Off|OFF)$/;
const LEADING_TAB = /^[ ]*\t/;

export function parseSpec(source: SourceFile, sources: SourceMap, diags: Diagnostics): ParsedFile | undefined {
  const lines = new LineCounter();
  const text = source.text.replace(/^\uFEFF/, "");
  const file = source.path;
  const list = parseDocuments(text, lines);
  sources.add(file, text);

  if (reportTabs(text, file, diags)) return undefined;
  const realDocs = list.filter(isReal);
  if (realDocs.length === 0) {
    diags.error("BERTH0104", fileStart(file), "file holds no document (it is empty or only comments)", `write a ${source.expectedKind} spec, or delete the file`);
    return undefined;
  }
  if (realDocs.length > 1) {
    const second = realDocs[1]!;
    const pos = lines.linePos(second.range[0]);
    diags.error("BERTH0105", { file, path: [], line: pos.line, column: pos.col }, `file holds ${realDocs.length} documents; berth reads one spec per file`, "split the documents into one file each");
    return undefined;
  }
  const doc = realDocs[0]!;
  if (doc.errors.length > 0) {
    for (const err of doc.errors) {
      const pos = lines.linePos(err.pos[0]);
      const at = { file, path: [], line: pos.line, column: pos.col };
      const detail = err.message.split("\n")[0]!.replace(/ at line \d+, column \d+:?$/, "");
      if (err.code === "DUPLICATE_KEY") diags.error("BERTH0103", at, duplicateKeyMessage(text, err.pos[0], lines), "each key may appear once in a mapping; remove or merge the repeated one");
      else if (err.code === "TAB_AS_INDENT") diags.error("BERTH0102", at, "tab character in indentation", "YAML indents with spaces only");
      else diags.error("BERTH0101", at, `YAML syntax: ${detail}`);
    }
    return undefined;
  }

  let data: unknown;
  try {
    data = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  } catch (e) {
    const alias = firstAlias(doc);
    const pos = alias?.range ? lines.linePos(alias.range[0]) : { line: 1, col: 1 };
    const reason = e instanceof ReferenceError ? "too many alias expansions (a YAML alias bomb?)" : `cannot resolve the document: ${(e as Error).message}`;
    diags.error("BERTH0106", { file, path: [], line: pos.line, column: pos.col }, reason, "write the values out instead of nesting aliases");
    return undefined;
  }
  warnYaml11Booleans(doc, file, lines, diags);
  return { source, doc, lines, data };
}

/** Tabs before the first non-space character of a line break indentation; yaml misses some. */
function reportTabs(text: string, file: string, diags: Diagnostics): boolean {
  let found = false;
  const rows = text.split("\n");
  for (let i = 0; i < rows.length; i++) {
    const row = rows[i]!;
    if (!LEADING_TAB.test(row) || row.trim() === "" || row.trimStart().startsWith("#")) continue;
    diags.error("BERTH0102", { file, path: [], line: i + 1, column: row.indexOf("\t") + 1 }, "tab character in indentation", "YAML indents with spaces only");
    found = true;
  }
  return found;
}

function duplicateKeyMessage(text: string, offset: number, lines: LineCounter): string {
  const key = /^[^\s:#]+|^"[^"]*"|^'[^']*'/.exec(text.slice(offset))?.[0];
  if (!key) return "duplicate key in a mapping";
  const before = text.slice(0, offset);
  const col = offset - (before.lastIndexOf("\n") + 1);
  const escaped = key.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  const first = new RegExp(`^[ ]{${col}}(- )?${escaped}\\s*:`, "m").exec(before) ?? new RegExp(`[{,\\s]${escaped}\\s*:`).exec(before);
  const where = first ? ` (first at line ${lines.linePos(first.index + (first[0].startsWith(" ") || /^[{,\s]/.test(first[0]) ? 1 : 0)).line})` : "";
  return `duplicate key ${key}${where}`;
}

function firstAlias(doc: Document): Node | undefined {
  let found: Node | undefined;
  visit(doc, {
    Alias(_, node) {
      found = node;
      return visit.BREAK;
    },
  });
  return found;
}

/** `on`, `no`, `yes`... are strings in YAML 1.2 but booleans to YAML 1.1 tools (PyYAML, old kubectl). */
function warnYaml11Booleans(doc: Document, file: string, lines: LineCounter, diags: Diagnostics): void {
  visit(doc, {
    Scalar(key, node) {
      if (key === "key" || node.type !== Scalar.PLAIN || typeof node.value !== "string") return;
      if (!YAML11_BOOLEAN_WORDS.test(node.value) || !node.range) return;
      const pos = lines.linePos(node.range[0]);
      diags.warn("BERTH0107", { file, path: [], line: pos.line, column: pos.col }, `unquoted \`${node.value}\` is a string here but a boolean to YAML 1.1 tools`, `quote it ("${node.value}") if you mean the word, or write true/false if you mean a boolean`);
    },
  });
}

/** The node at `path`, or the deepest ancestor that exists, and the key node of its pair. */
export function findNode(doc: Document, path: readonly (string | number)[]): { node?: Node; keyNode?: Node; depth: number } {
  let node: unknown = doc.contents;
  let keyNode: Node | undefined;
  let depth = 0;
  for (const seg of path) {
    if (isAlias(node)) node = node.resolve(doc);
    if (isMap(node)) {
      const pair = node.items.find((p) => isPair(p) && isScalar(p.key) && String(p.key.value) === String(seg));
      if (!pair) break;
      keyNode = pair.key as Node;
      node = pair.value ?? pair.key;
    } else if (isSeq(node) && typeof seg === "number" && seg < node.items.length) {
      node = node.items[seg];
      keyNode = undefined;
    } else break;
    depth++;
  }
  return { node: node as Node | undefined, keyNode, depth };
}
