// The render's work in layers, in memory, for `npm run bench`'s "in memory" rows. Run as a child
// process by bench.ts, one layer per process so that each pays Node's start and the JIT's warm-up
// as a render does: `node dist/bench/floor.js --root FLEET --layer LAYER [--schemas DIR]`.
//
//   parse      read and parse every spec file with `yaml`: the baseline's timed first half.
//   translate  what render does besides checking, comparing and writing: load, parse, validate
//              the specs (zod), link, plan (with their own judgements), emit every cluster's
//              objects and make each output file's YAML. A copy of Compilation's stages without
//              verify; the digest below shows it makes the render's very output.
//   compile    `compile()` as render calls it (every check, `previous` read from the output on
//              disk, the result cache and the compiled-validator cache of the environment), each
//              file's YAML made; nothing compared with the disk or written. What a render does
//              beyond it: the CLI's setup (config, schema locations, lock, journal recovery), the
//              comparison with the disk, the atomic writes and the report.
//
// Prints {layer, specs} for parse, {layer, files, chars} for the others (the bench checks them
// against the render's), and with --digest also `digest`, which `outputDigest` computes the same
// way for a rendered tree: the tests check that a layer made the render's very output. Hashing
// is left out of the bench's runs: it would add ~0.1 s per 1,000 models to the layer's time.
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { parseArgs } from "node:util";
import { parseDocument } from "yaml";
import { specFiles } from "./spec-files.js";
import { combine, fileDigest } from "./digest.js";

const LAYERS = ["parse", "translate", "compile"] as const;
type Layer = (typeof LAYERS)[number];

const { values } = parseArgs({
  args: process.argv.slice(2),
  options: { root: { type: "string" }, layer: { type: "string" }, schemas: { type: "string" }, digest: { type: "boolean", default: false } },
});
const layer = values.layer as Layer;
if (!values.root || !LAYERS.includes(layer)) throw new Error(`floor: --root and --layer (${LAYERS.join(", ")}) are required`);
if (layer === "compile" && !values.schemas) throw new Error("floor: --layer compile needs --schemas, as render is run");
const root = resolve(values.root);

let files = 0;
let chars = 0;
/** With --digest: one SHA-256 per file, combined below; nothing else holds a file's text. */
const digests: Buffer[] = [];
const made = (path: string, content: string): void => {
  files++;
  chars += content.length;
  if (values.digest) digests.push(fileDigest(path, content));
};

let specCount = 0;
if (layer === "parse") {
  const specs = specFiles(root);
  for (const p of specs) parseDocument(readFileSync(p, "utf8"));
  specCount = specs.length;
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
  // As compile does: every file parsed, then every parsed file validated.
  const parsed = loadSpecs(diskTree(root), diags).map((spec) => parseLoaded(spec, sources, diags));
  const specs = parsed.map((spec) => validateParsed(spec, diags));
  const world = link(specs, diags);
  if (!world || diags.hasErrors) throw new Error("floor: the fleet does not compile");
  const plan = buildPlan(world, diags);
  if (diags.hasErrors) throw new Error("floor: the fleet does not plan");
  // Collected after each cluster as compile does (which collects once more, after verifying).
  for (const cluster of plan.clusters) {
    for (const f of outputFiles(emitAll({ world: plan.world, clusters: [cluster] }), [])) made(f.path, f.content);
    collectIfLarge(since);
  }
  for (const f of outputFiles([], emitTexts(plan))) made(f.path, f.content);
} else {
  const { compile } = await import("../compiler/compile.js");
  const { diskTree } = await import("../compiler/load/load.js");
  const { compiledCacheFor } = await import("../compiler/verify/schemas/compiled-cache.js");
  const { resultCacheFor } = await import("../compiler/verify/result-cache.js");
  const { renderedOnDisk } = await import("../compiler/write/previous.js");
  const { StrictValidator } = await import("../compiler/verify/strict.js");
  const strict = new StrictValidator(values.schemas!, undefined, compiledCacheFor(root, process.env));
  const result = compile({
    tree: diskTree(root),
    strict,
    previous: renderedOnDisk(root),
    results: resultCacheFor(root, process.env),
    onCluster: (_cluster, out) => out.forEach((f) => made(f.path, f.content)),
  });
  if (!result.ok) throw new Error(`floor: the fleet does not compile (${result.diagnostics.length} diagnostics)`);
  for (const f of result.files) made(f.path, f.content); // the text files (CODEOWNERS)
}
const report = layer === "parse" ? { layer, specs: specCount } : { layer, files, chars, ...(values.digest ? { digest: combine(digests) } : {}) };
process.stdout.write(JSON.stringify(report) + "\n");
