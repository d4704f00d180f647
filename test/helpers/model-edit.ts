// The model commands' engine on in-memory specs: the example repository's models and generated
// fleets, each with the clusters it runs on; and a structural line diff to judge an edit by.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Node, type Pair } from "yaml";
import { generateFleet, type FleetOptions } from "../../bench/fleet.js";
import { Diagnostics } from "../../compiler/diagnostics.js";
import { planEdit, type EditResult } from "../../compiler/edit/engine.js";
import { deployedClusters } from "../../compiler/edit/find.js";
import type { ModelCommand } from "../../compiler/edit/operations.js";
import { locateAll } from "../../compiler/locate.js";
import { SourceMap } from "../../compiler/parse.js";
import { REPO_ROOT } from "./fixture.js";

export interface SpecCase {
  readonly path: string;
  readonly text: string;
  readonly clusters: readonly string[];
  /** Every file of the repository it belongs to, for compiling. */
  readonly repo: Record<string, string>;
}

export function exampleFiles(): Record<string, string> {
  const files: Record<string, string> = {};
  const walk = (dir: string) => {
    for (const name of readdirSync(join(REPO_ROOT, dir), { withFileTypes: true })) {
      const rel = `${dir}/${name.name}`;
      if (name.isDirectory()) walk(rel);
      else if (rel.endsWith(".yaml")) files[rel] = readFileSync(join(REPO_ROOT, rel), "utf8");
    }
  };
  for (const d of ["platform", "tenants", "models"]) walk(d);
  return files;
}

export function specCases(repo: Record<string, string>): SpecCase[] {
  return Object.keys(repo)
    .filter((p) => p.startsWith("models/") && /^kind: Model\s*$/m.test(repo[p]!))
    .sort()
    .map((path) => ({ path, text: repo[path]!, clusters: deployedClusters(repo[`tenants/${path.split("/")[1]}.yaml`], repo[path]!), repo }));
}

export function fleetFiles(opts: FleetOptions): Record<string, string> {
  return Object.fromEntries(generateFleet(opts));
}

export interface Edited {
  readonly result?: EditResult;
  readonly printed: string[];
}

/** Runs one command on a spec's text, as `berth model` would before compiling. */
export function runEdit(spec: Pick<SpecCase, "path" | "clusters">, text: string, cmd: ModelCommand): Edited {
  const diags = new Diagnostics();
  const sources = new SourceMap();
  const result = planEdit(
    { path: spec.path, text, clusters: spec.clusters },
    cmd,
    () => ({ file: "<command line>", path: [], line: 1, column: 1 }),
    sources,
    diags,
  );
  const printed = locateAll(diags.items, sources).map((d) => `${d.file}:${d.line}:${d.column}: ${d.severity} ${d.code}: ${d.message}`);
  return { result: diags.hasErrors ? undefined : result, printed };
}

export function versionNames(text: string): string[] {
  const data = parseDocument(text).toJS() as { spec: { versions: { name: string }[] } };
  return data.spec.versions.map((v) => v.name);
}

/**
 * The lines an edit may touch: for every value that differs between the two documents, the lines
 * its node spans in the old text (where it was) and in the new (where it is). List entries are
 * matched by `name`. A key or item added inside a flow collection also changes that collection's
 * lines; inside a block collection it is lines of its own.
 */
export function linesOfChangedValues(before: string, after: string): { old: Set<number>; new: Set<number> } {
  const sides = [before, after].map((text) => {
    const lines = new LineCounter();
    const doc = parseDocument(text, { lineCounter: lines });
    return { doc, lines, marked: new Set<number>() };
  });
  const [a, b] = sides as [(typeof sides)[0], (typeof sides)[0]];
  const mark = (side: typeof a, start: number | undefined, end: number | undefined) => {
    if (start === undefined || end === undefined) return;
    const first = side.lines.linePos(start).line;
    const last = side.lines.linePos(Math.max(start, end - 1)).line;
    for (let l = first; l <= last; l++) side.marked.add(l);
  };
  const markNode = (side: typeof a, n: Node | null | undefined) => mark(side, n?.range?.[0], n?.range?.[1]);
  const markPair = (side: typeof a, p: Pair) => mark(side, (p.key as Node).range?.[0], ((p.value as Node | null)?.range ?? (p.key as Node).range)?.[1]);
  const walk = (x: unknown, y: unknown) => {
    if (isMap(x) && isMap(y)) {
      const keyOf = (p: Pair) => String(isScalar(p.key) ? p.key.value : p.key);
      const ym = new Map(y.items.map((p) => [keyOf(p), p]));
      const xm = new Map(x.items.map((p) => [keyOf(p), p]));
      for (const [k, p] of xm) {
        const q = ym.get(k);
        if (q) walk(p.value, q.value);
        else {
          markPair(a, p);
          if (y.flow) markNode(b, y);
        }
      }
      for (const [k, q] of ym)
        if (!xm.has(k)) {
          markPair(b, q);
          if (x.flow) markNode(a, x);
        }
    } else if (isSeq(x) && isSeq(y)) {
      const named = (s: typeof x) => s.items.every((i) => isMap(i) && i.has("name"));
      const keyOf = (i: unknown, idx: number) => (named(x) && named(y) ? String((i as { get(k: string): unknown }).get("name")) : String(idx));
      const xm = new Map(x.items.map((i, k) => [keyOf(i, k), i]));
      const ym = new Map(y.items.map((i, k) => [keyOf(i, k), i]));
      for (const [k, i] of xm) {
        if (ym.has(k)) walk(i, ym.get(k));
        else {
          markNode(a, i as Node);
          if (y.flow) markNode(b, y);
        }
      }
      for (const [k, i] of ym)
        if (!xm.has(k)) {
          markNode(b, i as Node);
          if (x.flow) markNode(a, x);
        }
    } else if (isScalar(x) && isScalar(y)) {
      if (x.value !== y.value) {
        markNode(a, x);
        markNode(b, y);
      }
    } else {
      markNode(a, x as Node);
      markNode(b, y as Node);
    }
  };
  walk(a.doc.contents, b.doc.contents);
  return { old: a.marked, new: b.marked };
}
