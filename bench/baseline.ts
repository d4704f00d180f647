// The near-limit baseline (issue 8): the least work that puts the same objects on disk. Run as a
// child process by bench.ts: `node dist/bench/baseline.js --root FLEET --out DIR`.
//
// 1. Timed: read and parse every spec file with the same YAML library (`parseDocument`), cold, as
//    render parses them.
// 2. Untimed: compile the fleet in this process without strict validation, keeping only each
//    output file's path and its already-built object (or text, for CODEOWNERS).
// 3. Timed: write each object as JSON (valid YAML), one file per output file, with plain writes.
//    No validation, no pretty YAML, no header, no comparison with what is on disk.
//
// Parsing comes first so that the YAML library is as cold as in render, not warmed up by the
// untimed compile. It prints {untimedMs, untimedCpuMs, files, specs}: the parent takes the untimed
// part off the child's wall and CPU time, which keeps Node's bootstrap and exit in the baseline,
// as they are in render's.
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { performance } from "node:perf_hooks";
import { parseArgs } from "node:util";
import { parseDocument } from "yaml";
import { specFiles } from "./spec-files.js";

const { values } = parseArgs({ args: process.argv.slice(2), options: { root: { type: "string" }, out: { type: "string" } } });
if (!values.root || !values.out) throw new Error("baseline: --root and --out are required");
const root = resolve(values.root);
const out = resolve(values.out);

const specs = specFiles(root);
for (const p of specs) parseDocument(readFileSync(p, "utf8"));

const untimedStart = performance.now();
const cpuStart = process.cpuUsage();
const outputs = await buildOutputs(root);
(globalThis as { gc?: () => void }).gc?.(); // the compiler's garbage is not the baseline's to collect
const cpu = process.cpuUsage(cpuStart);
const untimedMs = performance.now() - untimedStart;

const made = new Set<string>();
for (const o of outputs) {
  const abs = join(out, o.path);
  const dir = dirname(abs);
  if (!made.has(dir)) {
    mkdirSync(dir, { recursive: true });
    made.add(dir);
  }
  writeFileSync(abs, o.text ?? JSON.stringify(o.object));
}
process.stdout.write(JSON.stringify({ untimedMs, untimedCpuMs: (cpu.user + cpu.system) / 1000, files: outputs.length, specs: specs.length }) + "\n");

interface Output {
  path: string;
  object?: unknown;
  text?: string;
}

async function buildOutputs(repo: string): Promise<Output[]> {
  const { compile } = await import("../compiler/compile.js");
  const { diskTree } = await import("../compiler/load/load.js");
  const result = compile({ tree: diskTree(repo) });
  if (!result.ok) throw new Error(`baseline: the fleet does not compile (${result.diagnostics.length} diagnostics)`);
  const objects = new Map(result.objects.map((r) => [r.path, r.object]));
  return result.files.map((f) => (objects.has(f.path) ? { path: f.path, object: objects.get(f.path) } : { path: f.path, text: f.content }));
}
