// Quota fit, per tenant and cluster: every version's Deployment of every model of the tenant, at
// minimum replicas, and every replica of its stores, must fit the tenant's quota (an error: pods
// would be refused at admission); at maximum replicas a warning (the HPA would stall below its
// maximum). Batch pods at their parallelism come on top: if they do not fit beside serving at
// minimum replicas the batch cannot start (an error); beside maximum replicas, a warning.
import { cmp } from "../base/order.js";
import { Diagnostics, refAt, type SpecRef } from "../diagnostics.js";
import type { ClusterPlan, Plan, TenantPlan } from "../plan/types.js";
import { MESH_SIDECAR } from "../catalogue/allocatable.js";
import type { Resources } from "../plan/pod-requests.js";
import { formatCpu, parseQuantity } from "../base/quantity.js";
import { modelWorkloads, storeWorkload, type WorkloadDemand } from "./capacity.js";

export type Dimension = "cpu" | "memory" | "gpu" | "pods";
export const DIMENSIONS: readonly Dimension[] = ["cpu", "memory", "gpu", "pods"];
const LARGEST = 3;

/** One pod as the quota admission counts it: the scheduler's figure, sidecar included. */
interface PodRequests {
  readonly cpu: number;
  readonly memory: number;
  readonly gpu: number;
}

function quotaPod(r: Resources): PodRequests {
  return { cpu: r.cpuMilli / 1000, memory: r.memoryBytes, gpu: r.gpus };
}

/** Integer units, so sums are exact: millicores, bytes, GPUs, pods. */
function units(d: Dimension, perPod: PodRequests): number {
  if (d === "cpu") return Math.round(perPod.cpu * 1000);
  if (d === "memory") return Math.round(perPod.memory);
  if (d === "gpu") return perPod.gpu;
  return 1;
}

function quotaUnits(d: Dimension, t: TenantPlan): number {
  const q = t.spec.quota;
  if (d === "cpu") return Math.round((parseQuantity(q.cpu) ?? 0) * 1000);
  if (d === "memory") return Math.round(parseQuantity(q.memory) ?? 0);
  if (d === "gpu") return q.gpu ?? 0;
  return q.pods;
}

export function formatUnits(d: Dimension, n: number): string {
  // Cores as Kubernetes writes them: 600m below one core, 20.8 above.
  if (d === "cpu") return n < 1000 ? `${n}m` : String(n / 1000);
  if (d === "memory") {
    const gi = n / 2 ** 30;
    if (gi >= 1) return `${Number(gi.toFixed(3))}Gi`;
    const mi = n / 2 ** 20;
    return Number.isInteger(mi) ? `${mi}Mi` : `${n}`;
  }
  return String(n);
}

export interface Share {
  readonly model: string;
  readonly pods: number;
  readonly perPod: number;
  readonly total: number;
}

interface Demand {
  readonly workload: WorkloadDemand;
  readonly perPod: PodRequests;
}

function shares(demands: readonly Demand[], d: Dimension, replicas: "minReplicas" | "maxReplicas"): Share[] {
  return demands
    .map(({ workload: w, perPod: requests }) => {
      const pods = replicas === "minReplicas" ? w.minPods : w.maxPods;
      const perPod = units(d, requests);
      return { model: w.name, pods, perPod, total: pods * perPod };
    })
    .filter((s) => s.total > 0)
    .sort((a, b) => b.total - a.total || cmp(a.model, b.model));
}

const NOUN: Record<Dimension, string> = { cpu: "cpu", memory: "memory", gpu: "GPUs", pods: "pods" };

function quotaRef(t: TenantPlan, d: Dimension): SpecRef {
  return d === "gpu" && t.spec.quota.gpu === undefined ? refAt(t.file, "spec", "quota") : refAt(t.file, "spec", "quota", d);
}

function describeShares(d: Dimension, list: readonly Share[]): string {
  const top = list
    .slice(0, LARGEST)
    .map((s) => (d === "pods" ? `${s.model} ${s.total}` : `${s.model} ${formatUnits(d, s.total)} (${s.pods} pods × ${formatUnits(d, s.perPod)})`));
  const rest = list.length - top.length;
  return `largest: ${top.join(", ")}${rest > 0 ? `, and ${rest} more` : ""}`;
}

const SIDECAR_NOTE = `each pod includes the Istio sidecar's ${formatCpu(MESH_SIDECAR.cpuMilli / 1000)} cpu and ${MESH_SIDECAR.memoryMiB}Mi memory`;

function checkTenant(cluster: ClusterPlan, t: TenantPlan, demands: readonly Demand[], diags: Diagnostics): void {
  if (demands.length === 0) return;
  const models = demands.filter((x) => x.workload.kind !== "batch");
  const batch = demands.filter((x) => x.workload.kind === "batch");
  for (const d of DIMENSIONS) {
    const limit = quotaUnits(d, t);
    const field = `quota.${d}${d === "gpu" && t.spec.quota.gpu === undefined ? " (unset, so 0)" : ""}`;
    const note = d === "cpu" || d === "memory" ? ` (${SIDECAR_NOTE})` : "";
    const atMin = shares(models, d, "minReplicas");
    const minTotal = atMin.reduce((n, s) => n + s.total, 0);
    const ofBatch = shares(batch, d, "minReplicas");
    const batchTotal = ofBatch.reduce((n, s) => n + s.total, 0);
    if (minTotal > limit) {
      const fix =
        d === "pods"
          ? "lower minReplicas of the largest models"
          : d === "gpu"
            ? "lower minReplicas or resources.gpu of the largest models"
            : `lower minReplicas or resources.requests.${d} of the largest models`;
      diags.report(
        "BERTH0502",
        quotaRef(t, d),
        `on cluster ${cluster.name} the models of tenant ${t.name} request ${formatUnits(d, minTotal)} ${NOUN[d]} at minimum replicas; ${field} is ${formatUnits(d, limit)}${note}; ${describeShares(d, atMin)}`,
        `raise ${d === "gpu" ? "quota.gpu" : `quota.${d}`} to at least ${formatUnits(d, minTotal)}, or ${fix}`,
      );
      continue;
    }
    if (minTotal + batchTotal > limit) {
      diags.report(
        "BERTH1412",
        quotaRef(t, d),
        `on cluster ${cluster.name} the models of tenant ${t.name} at minimum replicas leave ${formatUnits(d, limit - minTotal)} ${NOUN[d]} of ${field} (${formatUnits(d, limit)}); their batch pods at parallelism need ${formatUnits(d, batchTotal)}; ${describeShares(d, ofBatch)}`,
        `raise quota.${d} to at least ${formatUnits(d, minTotal + batchTotal)}, or lower the batch's parallelism${d === "cpu" || d === "memory" ? ` or resources.requests.${d}` : ""}`,
      );
      continue;
    }
    const atMax = shares(models, d, "maxReplicas");
    const maxTotal = atMax.reduce((n, s) => n + s.total, 0);
    if (maxTotal > limit)
      diags.report(
        "BERTH0503",
        quotaRef(t, d),
        `on cluster ${cluster.name} the models of tenant ${t.name} may request ${formatUnits(d, maxTotal)} ${NOUN[d]} at maximum replicas; ${field} is ${formatUnits(d, limit)}, so autoscaling stops short${note}; ${describeShares(d, atMax)}`,
        `raise quota.${d} to ${formatUnits(d, maxTotal)} to let every model reach maxReplicas, or lower maxReplicas of the largest models`,
      );
    else if (maxTotal + batchTotal > limit)
      diags.report(
        "BERTH1413",
        quotaRef(t, d),
        `on cluster ${cluster.name} the models of tenant ${t.name} at maximum replicas and their batch pods at parallelism request ${formatUnits(d, maxTotal + batchTotal)} ${NOUN[d]}; ${field} is ${formatUnits(d, limit)}, so while a batch runs autoscaling stops short; largest batch: ${describeShares(d, ofBatch).replace(/^largest: /, "")}`,
        `raise quota.${d} to ${formatUnits(d, maxTotal + batchTotal)}, or lower the batch's parallelism`,
      );
  }
}

/** Per tenant: its models' serving pods and batch pods, and its stores' replicas. */
function demandsByTenant(cluster: ClusterPlan): Map<string, Demand[]> {
  const byTenant = new Map<string, Demand[]>();
  const add = (tenant: string, workload: WorkloadDemand) => {
    const demand = { workload, perPod: quotaPod(workload.pod) };
    const list = byTenant.get(tenant);
    if (list) list.push(demand);
    else byTenant.set(tenant, [demand]);
  };
  for (const m of cluster.models) for (const w of modelWorkloads(m, undefined)) add(m.tenant.name, w);
  for (const s of cluster.stores) add(s.tenant.name, storeWorkload(s, undefined));
  return byTenant;
}

export function verifyQuotas(plan: Plan, diags: Diagnostics): void {
  for (const cluster of plan.clusters) {
    const byTenant = demandsByTenant(cluster);
    for (const t of cluster.tenants) checkTenant(cluster, t, byTenant.get(t.name) ?? [], diags);
  }
}

/** One tenant's use of one quota dimension on one cluster, counted exactly as the check counts it. */
export interface QuotaUse {
  readonly cluster: string;
  readonly tenant: string;
  readonly dimension: Dimension;
  /** Integer units (millicores, bytes, GPUs, pods), as formatUnits prints them. */
  readonly quota: number;
  readonly atMin: number;
  readonly atMax: number;
  /** Contributors at maximum replicas, largest first. */
  readonly largestAtMax: readonly Share[];
}

/** Every tenant's quota use per cluster and dimension: the figures the report draws. */
export function quotaUsage(plan: Plan): QuotaUse[] {
  const out: QuotaUse[] = [];
  for (const cluster of plan.clusters) {
    const byTenant = demandsByTenant(cluster);
    for (const t of cluster.tenants) {
      const models = byTenant.get(t.name) ?? [];
      for (const d of DIMENSIONS) {
        const sum = (list: readonly Share[]) => list.reduce((n, s) => n + s.total, 0);
        const atMax = shares(models, d, "maxReplicas");
        out.push({
          cluster: cluster.name,
          tenant: t.name,
          dimension: d,
          quota: quotaUnits(d, t),
          atMin: sum(shares(models, d, "minReplicas")),
          atMax: sum(atMax),
          largestAtMax: atMax,
        });
      }
    }
  }
  return out;
}
