// A cluster's node pools, checked and resolved against the instance catalogue once, before any
// model is placed on them.
import { knownInstanceTypeNames, lookupInstanceType } from "../catalogue/instances.js";
import { Diagnostics, refAt } from "../diagnostics.js";
import type { Spec } from "../link.js";
import type { PoolPlan } from "./types.js";
import { nodeResources } from "./pod-requests.js";
import type { ClusterSpec } from "../schema/cluster.js";
import { closest } from "../schema/suggest.js";

const FAMILIES = [...new Set(knownInstanceTypeNames().map((n) => n.split(".")[0]!))].sort().join(", ");

export function resolvePools(cluster: Spec<ClusterSpec>, diags: Diagnostics): PoolPlan[] {
  const file = cluster.file;
  const firstIndex = new Map<string, number>();
  const general = generalPoolIndex(cluster.spec);
  return cluster.spec.pools.map((spec, index) => {
    const at = (...path: (string | number)[]) => refAt(file, "spec", "pools", index, ...path);
    let broken = false;

    const first = firstIndex.get(spec.name);
    if (first === undefined) firstIndex.set(spec.name, index);
    else
      diags.report(
        "BERTH0603",
        at("name"),
        `pool name ${spec.name} is declared twice (first at pools[${first}])`,
        "every pool of a cluster needs its own name: it names the eksctl node group and the pool models choose",
      );

    checkSizes(spec, at, diags);

    const instance = lookupInstanceType(spec.instanceType);
    if (!instance) {
      broken = true;
      const near = closest(spec.instanceType, knownInstanceTypeNames());
      diags.report(
        "BERTH0601",
        at("instanceType"),
        `pool ${spec.name}: instance type ${spec.instanceType} is not in berth's catalogue, so berth cannot prove what fits on its nodes`,
        near ? `did you mean \`${near}\`?` : `use a catalogued type from the families ${FAMILIES} (compiler/catalogue/instances.ts)`,
      );
    } else if (spec.gpu === true && instance.gpus === 0) {
      broken = true;
      diags.report(
        "BERTH0604",
        at("gpu"),
        `pool ${spec.name} declares gpu: true but ${instance.name} has no GPUs`,
        "use a GPU instance type (g4dn, g5, g6, p3, p4d) or remove gpu: true",
      );
    } else if (spec.gpu !== true && instance.gpus > 0) {
      diags.report(
        "BERTH0605",
        spec.gpu === false ? at("gpu") : at("instanceType"),
        `pool ${spec.name} uses ${instance.name} (${instance.gpus} ${instance.gpuModel}) but does not declare gpu: true, so its nodes get no GPU taint and models without GPUs may fill them`,
        "set gpu: true on the pool",
      );
    }

    const hasGpus = instance ? instance.gpus > 0 : spec.gpu === true;
    return { spec, index, instance, node: instance ? nodeResources(instance) : undefined, hasGpus, broken, dedicated: index !== general };
  });
}

/** The pool platform pods and untargeted pods run on: the one named general, else the first declared. */
export function generalPoolIndex(spec: ClusterSpec): number {
  const i = spec.pools.findIndex((p) => p.name === "general");
  return i < 0 ? 0 : i;
}

function checkSizes(spec: ClusterSpec["pools"][number], at: (...path: string[]) => ReturnType<typeof refAt>, diags: Diagnostics): void {
  const { name, minSize, maxSize, desiredCapacity } = spec;
  if (minSize > maxSize) {
    diags.report("BERTH0602", at("minSize"), `pool ${name}: minSize (${minSize}) is greater than maxSize (${maxSize})`, "lower minSize or raise maxSize");
    return;
  }
  if (desiredCapacity !== undefined && (desiredCapacity < minSize || desiredCapacity > maxSize))
    diags.report(
      "BERTH0602",
      at("desiredCapacity"),
      `pool ${name}: desiredCapacity (${desiredCapacity}) is outside minSize..maxSize (${minSize}..${maxSize})`,
      `choose a desiredCapacity from ${minSize} to ${maxSize}, or leave it out (it defaults to minSize)`,
    );
}
