// YAML text -> documents that keep their source positions, plus the plain data they hold.
import {
  isAlias,
  isMap,
  isPair,
  isScalar,
  isSeq,
  LineCounter,
  parseAllDocuments,
  Scalar,
  visit,
  type Document,
  type Node,
  type Pair,
  type YAMLMap,
} from "yaml";
import { Diagnostics, fileStart, type SpecRef } from "./diagnostics.js";
import { reportSyntax } from "./yaml-errors.js";
import { isUnusable, unusableSpec, type LoadedSpec, type SourceFile, type UnusableSpec } from "./load/load.js";

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

  /** A file's text as it was parsed (for showing its lines under a diagnostic). */
  text(path: string): string | undefined {
    return this.texts.get(path);
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
  // Duplicate keys are found by checkDocument: the library's own check compares each key with
  // every earlier one (100,000 keys took minutes). Known YAML 1.1 tags (!!binary, !!timestamp)
  // stay unresolved so they are reported, not turned into Buffers and Dates.
  const docs = parseAllDocuments(text, {
    lineCounter,
    uniqueKeys: false,
    resolveKnownTags: false,
    logLevel: "error",
    prettyErrors: false,
    version: "1.2",
    keepSourceTokens: false,
  });
  return Array.isArray(docs) ? docs : [];
}

function isReal(d: Document.Parsed): boolean {
  return d.contents !== null || d.errors.length > 0;
}

/** Aliases are allowed for sharing, but an expansion past this count is treated as an attack. */
const MAX_ALIAS_COUNT = 200;
const YAML11_BOOLEAN_WORDS = /^(y|Y|yes|Yes|YES|n|N|no|No|NO|on|On|ON|off|Off|OFF)$/;
const LEADING_TAB = /^[ ]*\t/;

/** The parse stage for one loaded spec: a document with positions, or unusable (reported here). */
export function parseLoaded(spec: LoadedSpec, sources: SourceMap, diags: Diagnostics): ParsedFile | UnusableSpec {
  if (isUnusable(spec)) return spec;
  return parseSpec(spec, sources, diags) ?? unusableSpec(spec.path, spec.expectedKind, spec.stem);
}

export function parseSpec(source: SourceFile, sources: SourceMap, diags: Diagnostics): ParsedFile | undefined {
  const lines = new LineCounter();
  const text = source.text.replace(/^\uFEFF/, "");
  const file = source.path;
  const list = parseDocuments(text, lines);
  sources.add(file, text);

  if (reportTabs(text, file, diags)) return undefined;
  const realDocs = list.filter(isReal);
  if (realDocs.length === 0) {
    diags.report(
      "BERTH0104",
      fileStart(file),
      "file holds no document (it is empty or only comments)",
      `write a ${source.expectedKind} spec, or delete the file`,
    );
    return undefined;
  }
  if (realDocs.length > 1) {
    const second = realDocs[1]!;
    const pos = lines.linePos(second.range[0]);
    diags.report(
      "BERTH0105",
      { file, path: [], line: pos.line, column: pos.col },
      `file holds ${realDocs.length} documents; berth reads one spec per file`,
      "split the documents into one file each",
    );
    return undefined;
  }
  const doc = realDocs[0]!;
  let broken = false;
  if (doc.errors.length > 0) {
    reportSyntax(text, doc.errors, lines, file, diags);
    broken = true;
  }
  if (checkDocument(doc, text, file, lines, diags)) broken = true;
  if (broken) return undefined;

  let data: unknown;
  try {
    data = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  } catch (e) {
    const alias = firstAlias(doc);
    const pos = alias?.range ? lines.linePos(alias.range[0]) : { line: 1, col: 1 };
    const reason = e instanceof ReferenceError ? "too many alias expansions (a YAML alias bomb?)" : `cannot resolve the document: ${(e as Error).message}`;
    diags.report("BERTH0106", { file, path: [], line: pos.line, column: pos.col }, reason, "write the values out instead of nesting aliases");
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
    diags.report("BERTH0102", { file, path: [], line: i + 1, column: row.indexOf("\t") + 1 }, "tab character in indentation", "YAML indents with spaces only");
    found = true;
  }
  return found;
}

function position(lines: LineCounter, offset: number): { line: number; column: number } {
  const pos = lines.linePos(offset);
  return { line: pos.line, column: pos.col };
}

function firstLine(message: string): string {
  return message.split("\n")[0]!.replace(/ at line \d+, column \d+:?$/, "");
}

/** A tag of YAML 1.2's core schema, as written; any other tag would change what a value means, or be dropped. */
const CORE_TAG = /^(!!|!<tag:yaml\.org,2002:)(str|int|float|bool|null|map|seq)>?$/;

/**
 * What the parser accepts but berth must not: a `%YAML 1.1` directive (it turns `0755` into 493
 * and `yes` into true), tags outside the core schema (the library keeps the bare value and drops
 * the tag with a warning), and duplicate keys, compared as the plain data will hold them (`1` and
 * `"1"` become the same key) with one Map per mapping, so the check stays linear. True when
 * something was reported.
 */
function checkDocument(doc: Document.Parsed, text: string, file: string, lines: LineCounter, diags: Diagnostics): boolean {
  let found = false;
  const at = (offset: number) => ({ file, path: [], ...position(lines, offset) });
  if (doc.directives?.yaml.explicit && doc.directives.yaml.version !== "1.2") {
    diags.report(
      "BERTH0101",
      at(Math.max(0, text.indexOf("%YAML"))),
      `YAML syntax: the file declares %YAML ${doc.directives.yaml.version}; berth reads YAML 1.2, where 0755, yes and 1_000 mean what they say`,
      "remove the %YAML directive",
    );
    found = true;
  }
  for (const w of doc.warnings) {
    found = true;
    const written = text.slice(w.pos[0], w.pos[1]);
    if ((w.code !== "TAG_RESOLVE_FAILED" && w.code !== "BAD_COLLECTION_TYPE") || !written.startsWith("!")) {
      diags.report("BERTH0101", at(w.pos[0]), `YAML syntax: ${firstLine(w.message)}`);
      continue;
    }
    if (CORE_TAG.test(written) || w.code === "BAD_COLLECTION_TYPE")
      diags.report("BERTH0230", at(w.pos[0]), `YAML tag ${written} does not fit its value`, "remove the tag: YAML 1.2 reads the value by its form");
    else
      diags.report(
        "BERTH0230",
        at(w.pos[0]),
        `unknown YAML tag ${written}: berth reads plain YAML 1.2 data, and would drop the tag without a word`,
        "remove the tag; quote the value if it must stay a string",
      );
  }
  const pending: unknown[] = [doc.contents];
  while (pending.length > 0) {
    const node = pending.pop();
    if (isSeq(node)) for (const item of node.items) pending.push(item);
    else if (isMap(node)) {
      if (reportDuplicateKeys(node, doc, text, at, lines, diags)) found = true;
      for (const pair of node.items) pending.push(pair.key, pair.value);
    }
  }
  return found;
}

function reportDuplicateKeys(map: YAMLMap, doc: Document, text: string, at: (offset: number) => SpecRef, lines: LineCounter, diags: Diagnostics): boolean {
  let found = false;
  const first = new Map<string, Pair>();
  for (const pair of map.items) {
    const key = isAlias(pair.key) ? pair.key.resolve(doc) : pair.key;
    const range = (pair.key as Node | null)?.range;
    if (!isScalar(key) || !range) continue;
    const name = key.value === null ? "" : String(key.value);
    const earlier = first.get(name);
    if (!earlier) {
      first.set(name, pair);
      continue;
    }
    const source = text.slice(range[0], range[1]);
    const shown = source.length > 80 ? `${source.slice(0, 79)}…` : source;
    const before = (earlier.key as Node).range;
    diags.report(
      "BERTH0103",
      at(range[0]),
      `duplicate key ${shown}${before ? ` (first at line ${lines.linePos(before[0]).line})` : ""}`,
      "each key may appear once in a mapping; remove or merge the repeated one",
    );
    found = true;
  }
  return found;
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
      diags.report(
        "BERTH0107",
        { file, path: [], line: pos.line, column: pos.col },
        `unquoted \`${node.value}\` is a string here but a boolean to YAML 1.1 tools`,
        `quote it ("${node.value}") if you mean the word, or write true/false if you mean a boolean`,
      );
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
      const pair = pairOf(node, String(seg));
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

/** Pair lookup by key; large mappings get an index, so locating many diagnostics in one stays linear. */
const PAIR_INDEX = new WeakMap<YAMLMap, Map<string, Pair>>();
const INDEXED_FROM = 16;

function pairOf(map: YAMLMap, key: string): Pair | undefined {
  if (map.items.length < INDEXED_FROM) return map.items.find((p) => isPair(p) && isScalar(p.key) && String(p.key.value) === key);
  let index = PAIR_INDEX.get(map);
  if (!index) {
    index = new Map();
    for (const p of map.items) {
      const name = isScalar(p.key) ? String(p.key.value) : undefined;
      if (name !== undefined && !index.has(name)) index.set(name, p);
    }
    PAIR_INDEX.set(map, index);
  }
  return index.get(key);
}
