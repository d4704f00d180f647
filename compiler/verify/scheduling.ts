// The scheduling proof: every pod fits a node of its pool, and every pool holds its models at
// minReplicas (error) and at maxReplicas (warning) within maxSize. Pools already reported as
// broken (unknown type, gpu: true without GPUs) and GPU requests already reported as BERTH0606
// stay quiet here, so one mistake gives one diagnostic.
import { cmp } from "../base/order.js";
import { refAt, type Diagnostics, type SpecRef } from "../diagnostics.js";
import type { Rendered } from "../emit/types.js";
import type { ClusterPlan, Plan, PoolPlan } from "../plan/types.js";
import { MESH_SIDECAR } from "../catalogue/allocatable.js";
import { formatQuantity } from "../base/quantity.js";
import {
  amount,
  describeResources,
  formatAmount,
  howManyFit,
  shortfalls,
  type ResourceName,
  type Resources,
} from "../plan/pod-requests.js";
import { nodesNeeded, poolDemands, type Level, type ModelDemand, type PoolDemand } from "./capacity.js";

const TOP = 3;

export function verifyScheduling(plan: Plan, _objects: readonly Rendered[], diags: Diagnostics): void {
  for (const d of poolDemands(plan)) {
    if (!d.pool.node || d.pool.broken) continue;
    for (const m of d.models) if (!m.fitsNode) reportPodTooBig(d, m, diags);
    if (!d.min.fits) reportOverflow(d, d.min, "min", diags);
    else if (!d.max.fits) reportOverflow(d, d.max, "max", diags);
  }
}

function reportPodTooBig(d: PoolDemand, m: ModelDemand, diags: Diagnostics): void {
  const node = d.pool.node!;
  const missing = shortfalls(m.pod, node);
  // GPUs asked of a pool without any were reported when the pool was chosen (BERTH0606).
  if (missing.length === 1 && missing[0] === "gpu" && node.gpus === 0) return;
  const first = missing[0]!;
  const detail = missing.map((r) => `${r} ${formatAmount(r, amount(m.pod, r))} > ${formatAmount(r, amount(node, r))}`).join(", ");
  const type = d.pool.spec.instanceType;
  const others = poolsThatFit(d.cluster, d.pool, m.pod);
  diags.report(
    "BERTH0608",
    fieldOf(m, first),
    `a pod of ${m.plan.name} (${describeResources(m.pod)}, mesh sidecar included) fits no node of pool ${d.pool.spec.name} on cluster ${d.cluster.name}: one ${type} node leaves ${describeResources(node)} after the EKS reservation and daemon allowance; ${detail}`,
    `${lowerHint(first, node)}${others.length > 0 ? `, or choose a pool whose nodes fit it (${others.join(", ")})` : ", or use a larger instance type for the pool"}`,
  );
}

/** The spec field behind a resource of the pod, where the model (or its override) set it. */
function fieldOf(m: ModelDemand, r: ResourceName): SpecRef {
  if (r === "gpu") return m.plan.prov.of("resources", "gpu");
  if (r === "cpu" || r === "memory") return m.plan.prov.of("resources", "requests", r);
  return m.plan.prov.of("resources");
}

function lowerHint(r: ResourceName, node: Resources): string {
  if (r === "cpu") return `lower resources.requests.cpu to at most ${node.cpuMilli - MESH_SIDECAR.cpuMilli}m (the sidecar takes ${MESH_SIDECAR.cpuMilli}m)`;
  if (r === "memory") return `lower resources.requests.memory to at most ${Math.floor(node.memoryBytes / 2 ** 20) - MESH_SIDECAR.memoryMiB}Mi (the sidecar takes ${MESH_SIDECAR.memoryMiB}Mi)`;
  if (r === "gpu") return `lower resources.gpu to at most ${node.gpus}`;
  return "lower the pod's requests";
}

/** Other pools of the cluster where one pod fits, GPU pools only for GPU pods. */
function poolsThatFit(cluster: ClusterPlan, except: PoolPlan, pod: Resources): string[] {
  return cluster.pools
    .filter((p) => p !== except && !p.broken && p.node && howManyFit(pod, p.node) >= 1 && p.hasGpus === pod.gpus > 0)
    .map((p) => p.spec.name);
}

function reportOverflow(d: PoolDemand, level: Level, which: "min" | "max", diags: Diagnostics): void {
  const { pool, cluster } = d;
  const cap = d.capacity!;
  const packing = level.packing!;
  const pods = d.models.filter((m) => m.fitsNode).reduce((n, m) => n + (which === "min" ? m.minPods : m.maxPods), 0);
  const need = nodesNeeded(packing);
  const needText = packing.unplaced > 0 ? `more than ${packing.nodes}` : String(need);
  const binding = bindingResource(level.requests, cap);
  const largest = largestContributors(d, which, binding);
  const sums = (["cpu", "memory", "gpu", "pods"] as const)
    .filter((r) => r !== "gpu" || amount(level.requests, r) > 0 || cap.gpus > 0)
    .map((r) => `${r} ${sumText(r, amount(level.requests, r), amount(cap, r))}`)
    .join(", ");
  const replicas = which === "min" ? "minReplicas" : "maxReplicas";
  const message = `pool ${pool.spec.name} on cluster ${cluster.name} cannot hold its models at ${replicas}: ${pods} pods need ${needText} ${pool.spec.instanceType} nodes by first-fit packing, maxSize is ${pool.spec.maxSize} (requests ${sums}); largest: ${largest}`;
  const raise = packing.unplaced > 0 ? "raise maxSize" : `raise maxSize to at least ${need}`;
  const hint = `${raise}, use a larger instance type, or lower ${replicas} of the largest models`;
  const at = refAt(cluster.file, "spec", "pools", pool.index);
  if (which === "min") diags.report("BERTH0609", at, message, hint);
  else diags.report("BERTH0610", at, message, hint);
}

/** The resource closest to (or furthest past) the pool's capacity. */
function bindingResource(requests: Resources, cap: Resources): ResourceName {
  let best: ResourceName = "cpu";
  let bestShare = -1;
  for (const r of ["cpu", "memory", "gpu", "pods"] as const) {
    const want = amount(requests, r);
    const have = amount(cap, r);
    if (want === 0) continue;
    const share = have === 0 ? Infinity : want / have;
    if (share > bestShare) [best, bestShare] = [r, share];
  }
  return best;
}

function largestContributors(d: PoolDemand, which: "min" | "max", r: ResourceName): string {
  const ranked = d.models
    .filter((m) => m.fitsNode)
    .map((m) => ({ m, pods: which === "min" ? m.minPods : m.maxPods }))
    .map((x) => ({ ...x, amount: amount(x.m.pod, r) * x.pods }))
    .filter((x) => x.pods > 0)
    .sort((a, b) => b.amount - a.amount || cmp(a.m.plan.name, b.m.plan.name));
  const shown = ranked.slice(0, TOP).map((x) => `${x.m.plan.name} ${x.pods} pods (${sumAmount(r, x.amount)})`);
  if (ranked.length > TOP) shown.push(`${ranked.length - TOP} more`);
  return shown.join(", ");
}

function sumText(r: ResourceName, want: number, have: number): string {
  if (r === "cpu") return `${cores(want)} of ${cores(have)} cores`;
  if (r === "memory") return `${formatQuantity("memory", want, { decimals: 1 })} of ${formatQuantity("memory", have, { decimals: 1 })}`;
  return `${want} of ${have}`;
}

function sumAmount(r: ResourceName, value: number): string {
  if (r === "cpu") return `${cores(value)} cores`;
  return formatAmount(r, value);
}

/** Cores to two decimals, as the capacity table prints them: 16.55, 2.1, 0. */
function cores(milli: number): string {
  return formatQuantity("cpu", milli, { decimals: 2 });
}
