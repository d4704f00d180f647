// Never lose production (issue 22, finding 1): Argo CD prunes whatever leaves clusters/, so for
// any fleet and any single-spec mutation, either `render` exits 1 and the tree is byte-identical,
// or every generated file it removes belongs to a spec the mutation deleted or renamed.
//
// A few fields decide by design which objects exist (EXISTENCE below: an HPA only with a replica
// range, a PDB only above one replica, a PrometheusRule only with an slo, a RoleBinding per group,
// a version's Deployment by its name, placement on clusters). Editing one of them may remove the objects it decides, so for
// those the property is per spec: every spec still renders on every cluster it is still placed on.
import fc from "fast-check";
import { mkdirSync, rmSync, unlinkSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { parse, stringify } from "yaml";
import { generateFleet, type FleetOptions } from "../../bench/fleet.js";
import { main } from "../../compiler/cli.js";
import { compile } from "../../compiler/compile.js";
import { diskTree } from "../../compiler/load/load.js";
import { SCHEMAS_DIR, sharedStrict, tempRepo } from "../helpers/fixture.js";
import { snapshotTree } from "../helpers/tree.js";

type Path = (string | number)[];
type Tree = Record<string, string>;

/** Fleets whose tenants have at least two models each: deleting one model leaves its tenant's folder (and Application) in place. */
const FLEETS: FleetOptions[] = [
  { tenants: 2, models: 5, versions: 2, clusters: 2, seed: 11 },
  { tenants: 2, models: 4, versions: 1, clusters: 1, seed: 12 },
  { tenants: 3, models: 7, versions: 3, clusters: 2, seed: 13 },
];

/** Paths (`[]` for any index) whose edits may remove the objects they decide, per folder of the spec. */
const EXISTENCE: Record<string, readonly string[]> = {
  models: ["spec.versions", "spec.versions.[]", "spec.versions.[].name", "spec.autoscaling", "spec.overrides", "spec.clusters", "spec.slo"],
  tenants: ["spec.access", "spec.namespace", "spec.priority", "spec.clusters"],
  platform: ["spec.defaults", "spec.pools"],
};

const WEIRD: readonly unknown[] = [
  "4096m",
  "512m",
  "-1Gi",
  "-1",
  "0",
  "0m",
  "0Gi",
  "1e3",
  "1E3",
  "0.5",
  ".5",
  "+1",
  "1Ki",
  "1ki",
  "1.5Gi",
  "1 Gi",
  "9999999999999999999Gi",
  "1e400",
  "Infinity",
  "NaN",
  "",
  " ",
  "*",
  "v2.0.0",
  "a".repeat(64),
  "x\ny",
  "on",
  "~",
  "0755",
  0,
  -1,
  0.5,
  1,
  2,
  100,
  101,
  1e21,
  Number.MAX_SAFE_INTEGER + 2,
  true,
  false,
  null,
  [],
  {},
  ["a"],
  { a: 1 },
];
const QUANTITY_KEYS = new Set(["cpu", "memory"]);
const quantityLike = fc
  .tuple(fc.integer({ min: -3, max: 100_000 }), fc.constantFrom("", "m", "k", "Ki", "M", "Mi", "G", "Gi", "e3", "u", "n", "Ti"))
  .map(([n, s]) => `${n}${s}`);
const value = fc.oneof(fc.constantFrom(...WEIRD), quantityLike, fc.integer({ min: -10, max: 10_000 }), fc.string({ maxLength: 8 }));

type Mutation =
  | { op: "set"; at: number; value: unknown }
  | { op: "quantity"; at: number; value: unknown }
  | { op: "remove"; at: number }
  | { op: "retype"; at: number }
  | { op: "delete" }
  | { op: "rename"; fileOnly: boolean };

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  { weight: 4, arbitrary: fc.record({ op: fc.constant("set" as const), at: fc.nat(), value }) },
  { weight: 4, arbitrary: fc.record({ op: fc.constant("quantity" as const), at: fc.nat(), value: fc.oneof(quantityLike, fc.constantFrom(...WEIRD)) }) },
  { weight: 3, arbitrary: fc.record({ op: fc.constant("remove" as const), at: fc.nat() }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant("retype" as const), at: fc.nat() }) },
  { weight: 1, arbitrary: fc.constant({ op: "delete" as const }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant("rename" as const), fileOnly: fc.boolean() }) },
);

interface Fleet {
  readonly root: string;
  readonly specs: readonly string[];
  /** Generated path -> the spec files it came from, as rendered before any mutation. */
  readonly sources: ReadonlyMap<string, readonly string[]>;
  readonly tree: Tree;
}

const fleets: Fleet[] = [];
const quiet = { write: () => true };

async function render(root: string): Promise<number> {
  return main(["render", "--root", root, "--schemas", SCHEMAS_DIR], { cwd: root, env: {}, stdout: quiet, stderr: quiet });
}

beforeAll(async () => {
  for (const opts of FLEETS) {
    const specs = Object.fromEntries(generateFleet(opts));
    const root = tempRepo(specs);
    expect(await render(root)).toBe(0);
    const result = compile({ tree: diskTree(root), strict: sharedStrict() });
    expect(result.diagnostics).toEqual([]);
    fleets.push({ root, specs: Object.keys(specs).sort(), sources: new Map(result.objects.map((o) => [o.path, o.sources])), tree: snapshotTree(root) });
  }
});

afterAll(() => {
  for (const f of fleets) rmSync(f.root, { recursive: true, force: true });
});

function allPaths(v: unknown, at: Path = []): Path[] {
  const out: Path[] = at.length > 0 ? [at] : [];
  if (Array.isArray(v)) v.forEach((x, i) => out.push(...allPaths(x, [...at, i])));
  else if (v !== null && typeof v === "object") for (const [k, x] of Object.entries(v)) out.push(...allPaths(x, [...at, k]));
  return out;
}

function retype(v: unknown): unknown {
  if (Array.isArray(v)) return Object.fromEntries(v.map((x, i) => [String(i), x]));
  if (v !== null && typeof v === "object") return JSON.stringify(v);
  return typeof v === "string" ? [v] : String(v);
}

/** Applies the mutation to one spec: the files to write (null deletes) and, for an edit, the path it touched. */
function apply(fleet: Fleet, file: string, m: Mutation): { writes: Record<string, string | null>; path?: Path; gone?: string } {
  const text = fleet.tree[file]!;
  if (m.op === "delete") return { writes: { [file]: null }, gone: file };
  if (m.op === "rename") {
    const stem = file.slice(file.lastIndexOf("/") + 1, -".yaml".length);
    const to = file.replace(/[^/]+\.yaml$/, `${stem}-renamed.yaml`);
    const renamed = m.fileOnly ? text : text.replace(`name: ${stem}\n`, `name: ${stem}-renamed\n`);
    return { writes: { [file]: null, [to]: renamed }, gone: file };
  }
  const doc = parse(text) as unknown;
  const all = allPaths(doc);
  // A quantity edit picks one of the spec's cpu and memory values, where a warning once dropped the spec.
  const quantities = all.filter((p) => QUANTITY_KEYS.has(String(p[p.length - 1])));
  const paths = m.op === "quantity" && quantities.length > 0 ? quantities : all;
  const path = paths[m.at % paths.length]!;
  let parent = doc as Record<string | number, unknown>;
  for (const k of path.slice(0, -1)) parent = parent[k] as Record<string | number, unknown>;
  const last = path[path.length - 1]!;
  if (m.op === "remove") {
    if (Array.isArray(parent)) parent.splice(last as number, 1);
    else delete parent[last];
  } else parent[last] = m.op === "retype" ? retype(parent[last]) : m.value;
  return { writes: { [file]: stringify(doc) }, path };
}

function decidesObjects(file: string, path: Path): boolean {
  const pattern = path.map((k) => (typeof k === "number" ? "[]" : k)).join(".");
  const folder = file.startsWith("platform/clusters/") ? "platform" : file.slice(0, file.indexOf("/"));
  return (EXISTENCE[folder] ?? []).some((p) => pattern === p || pattern.startsWith(`${p}.`));
}

function write(root: string, files: Record<string, string | null>): void {
  for (const [p, c] of Object.entries(files)) {
    if (c === null) unlinkSync(join(root, p));
    else {
      mkdirSync(dirname(join(root, p)), { recursive: true });
      writeFileSync(join(root, p), c);
    }
  }
}

/** Puts the tree back exactly as `tree` holds it. */
function restore(root: string, tree: Tree): void {
  const now = snapshotTree(root);
  for (const p of Object.keys(now)) if (!(p in tree)) unlinkSync(join(root, p));
  write(root, Object.fromEntries(Object.entries(tree).filter(([p, c]) => now[p] !== c)));
}

const generated = (p: string) => p.startsWith("clusters/") || p === ".github/CODEOWNERS";

/** spec file -> the clusters it is a source of output on. */
function clustersBySpec(sources: Iterable<[string, readonly string[]]>): Map<string, Set<string>> {
  const out = new Map<string, Set<string>>();
  for (const [path, specs] of sources) {
    const cluster = path.split("/")[1]!;
    for (const s of specs) (out.get(s) ?? out.set(s, new Set()).get(s)!).add(cluster);
  }
  return out;
}

/** Where each spec of the mutated tree is placed: the clusters it must render on. */
function placement(root: string): { rendered: Map<string, Set<string>>; placed: Map<string, Set<string>> } {
  const result = compile({ tree: diskTree(root), strict: sharedStrict() });
  const world = result.plan!.world;
  const all = new Set(world.clusters.keys());
  const placed = new Map<string, Set<string>>([[world.platform.file, all]]);
  for (const c of world.clusters.values()) placed.set(c.file, new Set([c.name]));
  for (const t of world.tenants.values()) placed.set(t.file, new Set(t.spec.clusters));
  for (const m of world.models) placed.set(m.file, new Set(m.clusters));
  return { rendered: clustersBySpec(result.objects.map((o) => [o.path, o.sources])), placed };
}

test("any single-spec mutation either fails with the tree untouched or removes only a deleted or renamed spec's files", async () => {
  const seen = { failed: 0, removedLegitimately: 0, perSpec: 0 };
  await fc.assert(
    fc.asyncProperty(fc.nat(FLEETS.length - 1), fc.nat(), mutation, async (f, s, m) => {
      const fleet = fleets[f]!;
      const file = fleet.specs[s % fleet.specs.length]!;
      const { writes, path, gone } = apply(fleet, file, m);
      write(fleet.root, writes);
      try {
        const before = snapshotTree(fleet.root);
        const code = await render(fleet.root);
        const after = snapshotTree(fleet.root);
        if (code !== 0) {
          seen.failed++;
          expect(after).toEqual(before);
          return;
        }
        const removed = Object.keys(before).filter((p) => generated(p) && !(p in after));
        if (path && decidesObjects(file, path)) {
          seen.perSpec++;
          const { rendered, placed } = placement(fleet.root);
          for (const [spec, clusters] of clustersBySpec(fleet.sources)) {
            if (!(spec in after)) continue;
            const lost = [...clusters].filter((c) => placed.get(spec)?.has(c) && !rendered.get(spec)?.has(c));
            expect({ spec, lost }).toEqual({ spec, lost: [] });
          }
          return;
        }
        const unexplained = removed.filter((p) => !gone || !fleet.sources.get(p)?.includes(gone));
        expect({ mutation: m, file, path, unexplained }).toEqual({ mutation: m, file, path, unexplained: [] });
        if (removed.length > 0) seen.removedLegitimately++;
      } finally {
        restore(fleet.root, fleet.tree);
      }
    }),
    { numRuns: 150, seed: 2026_0522 },
  );
  // The run saw each outcome: errors, legitimate removals, and edits of fields that decide objects.
  expect(seen.failed).toBeGreaterThan(30);
  expect(seen.removedLegitimately).toBeGreaterThan(3);
  expect(seen.perSpec).toBeGreaterThan(3);
});
