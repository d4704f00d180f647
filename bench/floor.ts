// The render's work in layers, in memory, for `npm run bench`'s "where the time goes" rows. Run as
// a child process by bench.ts, one layer per process so that each pays Node's start and the JIT's
// warm-up as a render does: `node dist/bench/floor.js --root FLEET --layer LAYER [--schemas DIR]`.
//
//   parse      read and parse every spec file with `yaml`: the baseline's timed first half.
//   translate  what render does besides checking and writing: load, parse, validate the specs
//              (zod), link, plan, emit every cluster's objects and make each output file's YAML.
//   compile    `compile()` as render runs it (every check, the compiled-validator cache of the
//              environment), each file's YAML made; nothing compared with the disk or written.
//
// Nothing is written: the difference between `compile` and a render is the comparison with the
// disk and the atomic writes, and between `translate` and `compile` the checks. Prints
// {layer, files, bytes} so the parent can tell that every layer made the render's output.
import { readdirSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { parseDocument } from "yaml";
export const LAYERS = ["parse", "translate", "compile"] as const;
export type Layer = (typeof LAYERS)[number];

const { values } = parseArgs({ args: process.argv.slice(2), options: { root: { type: "string" }, layer: { type: "string" }, schemas: { type: "string" } } });
const layer = values.layer as Layer;
if (!values.root || !LAYERS.includes(layer)) throw new Error(`floor: --root and --layer (${LAYERS.join(", ")}) are required`);
if (layer === "compile" && !values.schemas) throw new Error("floor: --layer compile needs --schemas, as render is run");
const root = resolve(values.root);

let files = 0;
let bytes = 0;
const made = (content: string) => {
  files++;
  bytes += content.length;
};

if (layer === "parse") {
  for (const p of specFiles(root)) parseDocument(readFileSync(p, "utf8"));
} else if (layer === "translate") {
  // Imported here, not at the top, so that the parse layer loads what the baseline's parse does.
  const { collectIfLarge, heapInUse } = await import("../compiler/base/heap.js");
  const { Diagnostics } = await import("../compiler/diagnostics.js");
  const { emitAll, emitTexts } = await import("../compiler/emit/index.js");
  const { link } = await import("../compiler/link.js");
  const { diskTree, loadSpecs } = await import("../compiler/load/load.js");
  const { outputFiles } = await import("../compiler/output/files.js");
  const { parseLoaded, SourceMap } = await import("../compiler/parse.js");
  const { buildPlan } = await import("../compiler/plan/plan.js");
  const { validateParsed } = await import("../compiler/schema/validate.js");
  const since = heapInUse();
  const diags = new Diagnostics();
  const sources = new SourceMap();
  const specs = loadSpecs(diskTree(root), diags).map((spec) => validateParsed(parseLoaded(spec, sources, diags), diags));
  const world = link(specs, diags);
  if (!world || diags.hasErrors) throw new Error("floor: the fleet does not compile");
  const plan = buildPlan(world, diags);
  if (diags.hasErrors) throw new Error("floor: the fleet does not plan");
  // Collected after each cluster as compile does, so that its memory compares with compile's.
  for (const cluster of plan.clusters) {
    for (const f of outputFiles(emitAll({ world: plan.world, clusters: [cluster] }), [])) made(f.content);
    collectIfLarge(since);
  }
  for (const f of outputFiles([], emitTexts(plan))) made(f.content);
} else {
  const { compile } = await import("../compiler/compile.js");
  const { diskTree } = await import("../compiler/load/load.js");
  const { compiledCacheFor } = await import("../compiler/verify/schemas/compiled-cache.js");
  const { StrictValidator } = await import("../compiler/verify/strict.js");
  const strict = new StrictValidator(values.schemas!, undefined, compiledCacheFor(root, process.env));
  const result = compile({ tree: diskTree(root), strict, onCluster: (_cluster, out) => out.forEach((f) => made(f.content)) });
  if (!result.ok) throw new Error(`floor: the fleet does not compile (${result.diagnostics.length} diagnostics)`);
  for (const f of result.files) made(f.content); // the text files (CODEOWNERS)
}
process.stdout.write(JSON.stringify({ layer, files, bytes }) + "\n");

/** Every spec file below platform/, tenants/ and models/ (as baseline.ts finds them). */
function specFiles(repo: string): string[] {
  const found: string[] = [];
  const walk = (dir: string) => {
    let entries;
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries) {
      if (e.isDirectory()) walk(join(dir, e.name));
      else if (/\.ya?ml$/.test(e.name)) found.push(join(dir, e.name));
    }
  };
  for (const d of ["platform", "tenants", "models"]) walk(join(repo, d));
  return found.sort();
}
