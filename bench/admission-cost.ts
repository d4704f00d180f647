// `node dist/bench/admission-cost.js [--models 1000] [--runs 5] [--schemas DIR]`: what the
// admission stage costs next to the whole compile of a generated fleet, both in this process:
// the compile (strictly validated, serialized, as `render` does before writing) and the admission
// stage alone on its objects, each the median of several warm runs after one cold one.
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { compile } from "../compiler/compile.js";
import { Diagnostics } from "../compiler/diagnostics.js";
import type { SpecTree } from "../compiler/load/load.js";
import { verifyAdmission } from "../compiler/verify/admission/index.js";
import { StrictValidator } from "../compiler/verify/strict.js";
import { generateFleet, type FleetFiles } from "./fleet.js";
import { fleetOptionsFrom } from "./generate.js";
import { median } from "./measure.js";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));

function memoryTree(files: FleetFiles): SpecTree {
  const paths = [...files.keys()].sort();
  return {
    list: (dir) => paths.filter((p) => p.startsWith(dir + "/")),
    read: (p) => (files.has(p) ? Buffer.from(files.get(p)!, "utf8") : { code: "BERTH0001", detail: "missing" }),
  };
}

function time(f: () => void): number {
  const t = performance.now();
  f();
  return performance.now() - t;
}

function main(): void {
  const { values } = parseArgs({
    options: { models: { type: "string", default: "1000" }, runs: { type: "string", default: "5" }, schemas: { type: "string" } },
  });
  const opts = fleetOptionsFrom({}, Number(values.models));
  const tree = memoryTree(generateFleet(opts));
  const strict = new StrictValidator(values.schemas ?? join(ROOT, "..", "shared", "schemas"));
  const runs = Number(values.runs);
  let result = compile({ tree, strict });
  // Reading every file's content is what serializing costs; render does it to compare or write.
  const render = () => {
    result = compile({ tree, strict });
    for (const f of result.files) void f.content.length;
  };
  const cold = time(render);
  const compiles = Array.from({ length: runs }, () => time(render));
  const stage = () => verifyAdmission(result.plan!, result.objects, new Diagnostics(), { asOf: "2026-11-30" });
  const coldStage = time(stage);
  const stages = Array.from({ length: runs }, () => time(stage));
  const ms = (n: number) => `${Math.round(n)} ms`;
  const c = median(compiles);
  const s = median(stages);
  process.stdout.write(
    [
      `fleet: ${opts.models} models x ${opts.versions} versions, ${opts.clusters} clusters: ${result.objects.length} objects`,
      `compile + serialize (admission included): cold ${ms(cold)}, warm median ${ms(c)} of ${runs}`,
      `admission stage alone: cold ${ms(coldStage)}, warm median ${ms(s)} of ${runs}`,
      `admission share: ${((100 * s) / (c - s)).toFixed(1)} % on top of the rest of the compile (warm), ${((100 * coldStage) / (cold - coldStage)).toFixed(1)} % (cold)`,
    ].join("\n") + "\n",
  );
}

main();
