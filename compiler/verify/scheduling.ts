// The scheduling proof: every pod fits a node of its pool, and every pool holds its models and
// stores at minReplicas (error) and at maxReplicas (warning) within maxSize, and also with its
// batch pods at their parallelism (BERTH1410 error, BERTH1411 warning). Pools already reported as
// broken (unknown type, gpu: true without GPUs) and GPU requests already reported as BERTH0606
// stay quiet here, so one mistake gives one diagnostic.
import { cmp } from "../base/order.js";
import { refAt, type Diagnostics } from "../diagnostics.js";
import type { Rendered } from "../emit/types.js";
import type { ClusterPlan, Plan, PoolPlan } from "../plan/types.js";
import { MESH_SIDECAR } from "../catalogue/allocatable.js";
import {
  amount,
  describeResources,
  formatAmount,
  formatBytes,
  formatCores,
  howManyFit,
  shortfalls,
  type ResourceName,
  type Resources,
} from "../plan/pod-requests.js";
import { nodesNeeded, poolDemands, type Level, type PoolDemand, type WorkloadDemand } from "./capacity.js";

const TOP = 3;

export function verifyScheduling(plan: Plan, _objects: readonly Rendered[], diags: Diagnostics): void {
  for (const d of poolDemands(plan)) {
    if (!d.pool.node || d.pool.broken) continue;
    for (const m of d.models) if (!m.fitsNode) reportPodTooBig(d, m, diags);
    const online = d.models.filter((m) => m.kind !== "batch");
    if (!d.onlineMin.fits) reportOverflow(d, d.onlineMin, online, "min", diags);
    else if (!d.min.fits) reportBatchOverflow(d, d.min, "min", diags);
    else if (!d.onlineMax.fits) reportOverflow(d, d.onlineMax, online, "max", diags);
    else if (!d.max.fits) reportBatchOverflow(d, d.max, "max", diags);
  }
}

function describeWorkload(m: WorkloadDemand): string {
  const what = m.kind === "serving" ? m.name : `${m.kind} ${m.name}`;
  return `${what} (${describeResources(m.pod)}${m.kind === "batch" ? ", no sidecar: batch pods run outside the mesh" : ", mesh sidecar included"})`;
}

function reportPodTooBig(d: PoolDemand, m: WorkloadDemand, diags: Diagnostics): void {
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
    m.fieldOf(first),
    `a pod of ${describeWorkload(m)} fits no node of pool ${d.pool.spec.name} on cluster ${d.cluster.name}: one ${type} node leaves ${describeResources(node)} after the EKS reservation and daemon allowance; ${detail}`,
    `${lowerHint(first, node, m.kind !== "batch")}${others.length > 0 ? `, or choose a pool whose nodes fit it (${others.join(", ")})` : ", or use a larger instance type for the pool"}`,
  );
}

function lowerHint(r: ResourceName, node: Resources, sidecar: boolean): string {
  if (r === "cpu" && !sidecar) return `lower resources.requests.cpu to at most ${node.cpuMilli}m`;
  if (r === "memory" && !sidecar) return `lower resources.requests.memory to at most ${Math.floor(node.memoryBytes / 2 ** 20)}Mi`;
  if (r === "cpu") return `lower resources.requests.cpu to at most ${node.cpuMilli - MESH_SIDECAR.cpuMilli}m (the sidecar takes ${MESH_SIDECAR.cpuMilli}m)`;
  if (r === "memory")
    return `lower resources.requests.memory to at most ${Math.floor(node.memoryBytes / 2 ** 20) - MESH_SIDECAR.memoryMiB}Mi (the sidecar takes ${MESH_SIDECAR.memoryMiB}Mi)`;
  if (r === "gpu") return `lower resources.gpu to at most ${node.gpus}`;
  return "lower the pod's requests";
}

/** Other pools of the cluster where one pod fits, GPU pools only for GPU pods. */
function poolsThatFit(cluster: ClusterPlan, except: PoolPlan, pod: Resources): string[] {
  return cluster.pools.filter((p) => p !== except && !p.broken && p.node && howManyFit(pod, p.node) >= 1 && p.hasGpus === pod.gpus > 0).map((p) => p.spec.name);
}

function reportOverflow(d: PoolDemand, level: Level, chosen: readonly WorkloadDemand[], which: "min" | "max", diags: Diagnostics): void {
  const { pool, cluster } = d;
  const cap = d.capacity!;
  const packing = level.packing!;
  const pods = chosen.filter((m) => m.fitsNode).reduce((n, m) => n + (which === "min" ? m.minPods : m.maxPods), 0);
  const need = nodesNeeded(packing);
  const needText = packing.unplaced > 0 ? `more than ${packing.nodes}` : String(need);
  const binding = bindingResource(level.requests, cap);
  const largest = largestContributors(chosen, which, binding);
  const sums = (["cpu", "memory", "gpu", "pods", "volumes"] as const)
    .filter((r) => (r !== "gpu" && r !== "volumes") || amount(level.requests, r) > 0 || (r === "gpu" && cap.gpus > 0))
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

/**
 * Online serving fits, but not with the batch pods at their parallelism: at minReplicas the batch
 * cannot start (an error); at maxReplicas a running batch holds nodes serving would scale onto.
 */
function reportBatchOverflow(d: PoolDemand, level: Level, which: "min" | "max", diags: Diagnostics): void {
  const { pool, cluster } = d;
  const packing = level.packing!;
  const pods = d.models.filter((m) => m.fitsNode).reduce((n, m) => n + (which === "min" ? m.minPods : m.maxPods), 0);
  const need = nodesNeeded(packing);
  const needText = packing.unplaced > 0 ? `more than ${packing.nodes}` : String(need);
  const batches = d.models
    .filter((m) => m.kind === "batch" && m.fitsNode)
    .sort((a, b) => b.pod.cpuMilli * b.minPods - a.pod.cpuMilli * a.minPods || cmp(a.name, b.name));
  const listed = batches
    .slice(0, TOP)
    .map((b) => `${b.name} ${b.minPods} pods (cpu ${formatAmount("cpu", b.pod.cpuMilli)}, memory ${formatBytes(b.pod.memoryBytes)} each)`);
  if (batches.length > TOP) listed.push(`${batches.length - TOP} more`);
  const at = refAt(cluster.file, "spec", "pools", pool.index);
  const counted = `${pods} pods need ${needText} ${pool.spec.instanceType} nodes by first-fit packing, maxSize is ${pool.spec.maxSize}`;
  const raise = packing.unplaced > 0 ? "raise maxSize" : `raise maxSize to ${which === "min" ? "at least " : ""}${need}`;
  if (which === "min")
    diags.report(
      "BERTH1410",
      at,
      `pool ${pool.spec.name} on cluster ${cluster.name} holds its online workloads at minReplicas, but not with batch pods at their parallelism: ${counted}; batch: ${listed.join(", ")}`,
      `${raise}, lower the batch's parallelism or resources, or run its model on a larger pool`,
    );
  else
    diags.report(
      "BERTH1411",
      at,
      `pool ${pool.spec.name} on cluster ${cluster.name} holds its online workloads at maxReplicas, but not while batch pods run at their parallelism: ${counted}, so scale-ups wait for the batch to finish; batch: ${listed.join(", ")}`,
      `${raise}, or lower the batch's parallelism`,
    );
}

/** The resource closest to (or furthest past) the pool's capacity. */
function bindingResource(requests: Resources, cap: Resources): ResourceName {
  let best: ResourceName = "cpu";
  let bestShare = -1;
  for (const r of ["cpu", "memory", "gpu", "pods", "volumes"] as const) {
    const want = amount(requests, r);
    const have = amount(cap, r);
    if (want === 0) continue;
    const share = have === 0 ? Infinity : want / have;
    if (share > bestShare) [best, bestShare] = [r, share];
  }
  return best;
}

function largestContributors(chosen: readonly WorkloadDemand[], which: "min" | "max", r: ResourceName): string {
  const ranked = chosen
    .filter((m) => m.fitsNode)
    .map((m) => ({ m, pods: which === "min" ? m.minPods : m.maxPods }))
    .map((x) => ({ ...x, amount: amount(x.m.pod, r) * x.pods }))
    .filter((x) => x.pods > 0)
    .sort((a, b) => b.amount - a.amount || cmp(a.m.name, b.m.name));
  const shown = ranked.slice(0, TOP).map((x) => `${x.m.kind === "store" ? "store " : ""}${x.m.name} ${x.pods} pods (${sumAmount(r, x.amount)})`);
  if (ranked.length > TOP) shown.push(`${ranked.length - TOP} more`);
  return shown.join(", ");
}

function sumText(r: ResourceName, want: number, have: number): string {
  if (r === "cpu") return `${formatCores(want)} of ${formatCores(have)} cores`;
  if (r === "memory") return `${formatBytes(want)} of ${formatBytes(have)}`;
  return `${want} of ${have}`;
}

function sumAmount(r: ResourceName, value: number): string {
  if (r === "cpu") return `${formatCores(value)} cores`;
  return formatAmount(r, value);
}
