// Minimal text edits at the source ranges of a parsed yaml Document: replace a scalar, add a key
// or an item after its last sibling, remove an item or a key with its lines. Every byte outside
// the edited nodes stays as it was, comments and blank lines included.
import { isScalar, type Node, type Pair, type YAMLMap, type YAMLSeq } from "yaml";

interface Splice {
  readonly start: number;
  readonly end: number;
  readonly text: string;
  /** Insertions at one offset go deepest first: an item of a nested list before the next key of its parent. */
  readonly depth: number;
}

/** A layout the editor does not handle; the command refuses rather than guess. */
export class NotEditable extends Error {
  constructor(
    readonly offset: number,
    why: string,
  ) {
    super(why);
  }
}

/** A value to write under a new key: inline (scalar or flow) or block lines below the key. */
export type NewValue = { readonly inline: string } | { readonly lines: (indent: string) => string[] };

export class TextEditor {
  readonly nl: string;
  private readonly splices: Splice[] = [];

  constructor(readonly text: string) {
    this.nl = text.includes("\r\n") ? "\r\n" : "\n";
  }

  replace(node: Node, text: string, depth: number): void {
    this.splices.push({ start: node.range![0], end: node.range![1], text, depth });
  }

  /** Adds `key: value` pairs, in order, after the pair `after` (default: the last pair). */
  insertPairs(map: YAMLMap, pairs: readonly (readonly [string, NewValue])[], depth: number, after?: string): void {
    const items = map.items;
    const anchor = (after !== undefined ? items.find((p) => isScalar(p.key) && String(p.key.value) === after) : undefined) ?? items[items.length - 1];
    if (map.flow) {
      const flow = pairs.map(([key, value]) => {
        if (!("inline" in value)) throw new NotEditable(map.range![0], "a block value cannot go inside a flow mapping");
        return `${key}: ${value.inline}`;
      });
      const at = anchor ? pairEnd(anchor) : map.range![0] + 1;
      this.splices.push({ start: at, end: at, text: (anchor ? ", " : "") + flow.join(", "), depth });
      return;
    }
    if (!anchor) throw new NotEditable(map.range?.[0] ?? 0, "an empty block mapping has no indentation to follow");
    const indent = this.keyIndent(items[0]!);
    const lines = pairs.flatMap(([key, value]) => ("inline" in value ? [`${indent}${key}: ${value.inline}`] : [`${indent}${key}:`, ...value.lines(indent)]));
    this.insertLines(this.lineEnd(pairEnd(anchor)), lines, depth);
  }

  /** Appends items to a list; `items` gets the indentation of continuation lines. */
  appendItems(seq: YAMLSeq, items: (indent: string) => string[], depth: number): void {
    const last = seq.items[seq.items.length - 1] as Node | undefined;
    if (seq.flow || !last) {
      const at = last ? last.range![1] : seq.range![0] + 1;
      this.splices.push({ start: at, end: at, text: (last ? ", " : "") + items("").join(", "), depth });
      return;
    }
    const prefix = this.dashPrefix(last);
    this.insertLines(
      this.lineEnd(last.range![1]),
      items(" ".repeat(prefix.length)).map((t) => prefix + t),
      depth,
    );
  }

  /** Removes some items of a list (not all: the caller removes an emptied list with its key). */
  removeItems(seq: YAMLSeq, indices: ReadonlySet<number>): void {
    const items = seq.items as Node[];
    if (!seq.flow) {
      for (const i of indices) {
        const item = items[i]!;
        this.dashPrefix(item);
        this.splices.push({ start: this.lineStart(item.range![0]), end: this.lineEnd(item.range![1]), text: "", depth: 0 });
      }
      return;
    }
    this.removeFlow(
      items.map((n) => [n.range![0], n.range![1]]),
      indices,
    );
  }

  /** Replaces a flow list's whole text. */
  replaceFlowList(seq: YAMLSeq, text: string): void {
    this.splices.push({ start: seq.range![0], end: seq.range![1], text, depth: 0 });
  }

  /** Whether `removePair` can take the key out with its line (block) or its comma (flow). */
  canRemovePair(map: YAMLMap, key: string): boolean {
    if (map.flow) return true;
    const pair = map.items.find((p) => isScalar(p.key) && String(p.key.value) === key);
    const start = (pair?.key as Node | undefined)?.range?.[0];
    return start !== undefined && this.text.slice(this.lineStart(start), start).trim() === "";
  }

  removePair(map: YAMLMap, key: string): void {
    const index = map.items.findIndex((p) => isScalar(p.key) && String(p.key.value) === key);
    const pair = map.items[index]!;
    const keyStart = (pair.key as Node).range![0];
    if (map.flow)
      return this.removeFlow(
        map.items.map((p) => [(p.key as Node).range![0], pairEnd(p)]),
        new Set([index]),
      );
    const start = this.lineStart(keyStart);
    if (this.text.slice(start, keyStart).trim() !== "") throw new NotEditable(keyStart, `${key} shares its line with other content`);
    this.splices.push({ start, end: this.lineEnd(pairEnd(pair)), text: "", depth: 0 });
  }

  /** The edited text. Throws when two edits overlap (a bug in the caller). */
  apply(): string {
    const sorted = [...this.splices].sort((a, b) => b.start - a.start || b.end - a.end || a.depth - b.depth);
    let out = this.text;
    let floor = Infinity;
    for (const s of sorted) {
      if (s.end > floor) throw new Error(`berth bug: overlapping edits at ${s.start}-${s.end}`);
      out = out.slice(0, s.start) + s.text + out.slice(s.end);
      floor = s.start;
    }
    return out;
  }

  /**
   * Flow removals: an element after a kept one goes with the separator before it; an element with
   * no kept one before it goes with the separator after it. Runs of removals stay adjacent.
   */
  private removeFlow(ranges: [number, number][], indices: ReadonlySet<number>): void {
    const firstKept = ranges.findIndex((_, i) => !indices.has(i));
    for (const i of indices) {
      const [start, end] = ranges[i]!;
      if (firstKept !== -1 && firstKept < i) this.splices.push({ start: ranges[i - 1]![1], end, text: "", depth: 0 });
      else if (i + 1 < ranges.length) this.splices.push({ start, end: ranges[i + 1]![0], text: "", depth: 0 });
      else this.splices.push({ start, end, text: "", depth: 0 });
    }
  }

  private insertLines(at: number, lines: string[], depth: number): void {
    const lead = at === this.text.length && at > 0 && !this.text.endsWith("\n") ? this.nl : "";
    this.splices.push({ start: at, end: at, text: lead + lines.map((l) => l + this.nl).join(""), depth });
  }

  /** `    - ` before a block list item; anything else on that line is a layout berth does not edit. */
  private dashPrefix(item: Node): string {
    const start = item.range![0];
    const prefix = this.text.slice(this.lineStart(start), start);
    if (!/^[ ]*-[ ]+$/.test(prefix)) throw new NotEditable(start, "a list item that does not start its own line");
    return prefix;
  }

  /** The column of the dash before a block list item, and the dash with the spaces after it. */
  dashOf(item: Node): { column: number; dash: string } {
    const prefix = this.dashPrefix(item);
    return { column: prefix.indexOf("-"), dash: prefix.slice(prefix.indexOf("-")) };
  }

  /** Characters between the start of the line and `offset`. */
  column(offset: number): number {
    return offset - this.lineStart(offset);
  }

  private keyIndent(pair: Pair): string {
    const start = (pair.key as Node).range![0];
    return " ".repeat(start - this.lineStart(start));
  }

  private lineStart(p: number): number {
    return this.text.lastIndexOf("\n", p - 1) + 1;
  }

  /** The start of the line after the one holding offset `p` (p itself when it starts a line). */
  private lineEnd(p: number): number {
    if (p > 0 && this.text[p - 1] === "\n") return p;
    const i = this.text.indexOf("\n", p);
    return i === -1 ? this.text.length : i + 1;
  }
}

/** Where a pair's value ends (its key's end when the value is empty). */
function pairEnd(pair: Pair): number {
  const value = pair.value as Node | null;
  return value?.range ? value.range[1] : (pair.key as Node).range![1];
}
