// Per cluster and pool: what the workloads placed there request at min and at max replicas,
// against what the pool offers at maxSize. Online serving scales between its replica bounds;
// stores run all their replicas, one per node, each with an EBS volume; batch pods run at their
// parallelism. The scheduling verifier proves from it; `berth check` prints it.
import type { SpecRef } from "../diagnostics.js";
import type { StorePlan } from "../plan/types.js";
import type { ClusterPlan, ModelPlan, Plan, PoolPlan } from "../plan/types.js";
import { containerPod, formatCores, howManyFit, plus, podRequests, times, ZERO, type ResourceName, type Resources } from "../plan/pod-requests.js";
import { gatewayTiming, gpuTarget, spread, timing, type GatewayTiming } from "../plan/rollout.js";
import type { PlatformSpec } from "../schema/platform.js";
import { packPods, type Packing } from "./packing.js";

export type WorkloadKind = "serving" | "store" | "batch";

export interface WorkloadDemand {
  readonly kind: WorkloadKind;
  /** A model, a store, or <model>/<batch>. */
  readonly name: string;
  readonly tenant: string;
  /** Deployments of a model (one per version); 1 for a store or a batch. */
  readonly versions: number;
  /** One pod: the mesh sidecar included, except in batch pods (they run outside the mesh). */
  readonly pod: Resources;
  /** Pods at minReplicas and maxReplicas: a model's over all its versions, a store's replicas, a batch's parallelism. */
  readonly minPods: number;
  readonly maxPods: number;
  /** The pod fits on one empty node of the pool. */
  readonly fitsNode: boolean;
  /** At most one pod per node (a store's replicas). */
  readonly spread: boolean;
  /** The model, for serving: its derived rollout values are reported beside its demand. */
  readonly plan?: ModelPlan;
  /** The spec field behind a resource of the pod. */
  fieldOf(r: ResourceName): SpecRef;
}

export interface Level {
  /** Sum of the requests of every pod at this replica level. */
  readonly requests: Resources;
  /** First-fit-decreasing packing of the pods that fit a node; undefined when the type is unknown. */
  readonly packing?: Packing;
  /** Every pod that fits a node finds one within maxSize. */
  readonly fits: boolean;
}

export interface PoolDemand {
  readonly cluster: ClusterPlan;
  readonly pool: PoolPlan;
  readonly models: readonly WorkloadDemand[];
  /** One node's allocatable × maxSize; undefined when the instance type is unknown. */
  readonly capacity?: Resources;
  /** Online serving and stores, with batch pods at their parallelism. */
  readonly min: Level;
  readonly max: Level;
  /** The same without batch (the same objects when the pool runs no batch). */
  readonly onlineMin: Level;
  readonly onlineMax: Level;
}

const cache = new WeakMap<Plan, PoolDemand[]>();

/** Every pool of every planned cluster, in cluster then declaration order. Computed once per plan. */
export function poolDemands(plan: Plan): PoolDemand[] {
  let out = cache.get(plan);
  if (!out) cache.set(plan, (out = plan.clusters.flatMap((c) => c.pools.map((p) => poolDemand(c, p)))));
  return out;
}

/** The workloads of one model on its cluster: its serving Deployments and its batch entries. */
export function modelWorkloads(m: ModelPlan, node: Resources | undefined): WorkloadDemand[] {
  const fits = (pod: Resources) => node !== undefined && howManyFit(pod, node) >= 1;
  const servingPod = podRequests(m.model);
  const { minReplicas, maxReplicas } = m.model.autoscaling;
  const out: WorkloadDemand[] = [
    {
      kind: "serving",
      name: m.name,
      tenant: m.tenant.name,
      versions: m.versions.length,
      pod: servingPod,
      minPods: minReplicas * m.versions.length,
      maxPods: maxReplicas * m.versions.length,
      fitsNode: fits(servingPod),
      spread: false,
      plan: m,
      fieldOf: (r) =>
        r === "gpu" ? m.prov.of("resources", "gpu") : r === "cpu" || r === "memory" ? m.prov.of("resources", "requests", r) : m.prov.of("resources"),
    },
  ];
  for (const b of m.batch) {
    const pod = containerPod(b.resources, { sidecar: false, volumes: 0 });
    out.push({
      kind: "batch",
      name: `${m.name}/${b.name}`,
      tenant: m.tenant.name,
      versions: 1,
      pod,
      minPods: b.parallelism,
      maxPods: b.parallelism,
      fitsNode: fits(pod),
      spread: false,
      fieldOf: (r) => (r === "gpu" ? b.at("resources", "gpu") : r === "cpu" || r === "memory" ? b.at("resources", "requests", r) : b.at("resources")),
    });
  }
  return out;
}

/** A store's replicas: all of them always, one per node, each with its EBS volume. */
export function storeWorkload(s: StorePlan, node: Resources | undefined): WorkloadDemand {
  const pod = containerPod(s.resources, { sidecar: true, volumes: 1 });
  return {
    kind: "store",
    name: s.name,
    tenant: s.tenant.name,
    versions: 1,
    pod,
    minPods: s.replicas,
    maxPods: s.replicas,
    fitsNode: node !== undefined && howManyFit(pod, node) >= 1,
    spread: true,
    fieldOf: (r) => (r === "gpu" ? s.at("resources", "gpu") : r === "cpu" || r === "memory" ? s.at("resources", "requests", r) : s.at("resources")),
  };
}

function poolDemand(cluster: ClusterPlan, pool: PoolPlan): PoolDemand {
  const workloads: WorkloadDemand[] = cluster.models.filter((m) => m.pool === pool).flatMap((m) => modelWorkloads(m, pool.node));
  for (const s of cluster.stores) if (s.pool === pool) workloads.push(storeWorkload(s, pool.node));
  const level = (chosen: readonly WorkloadDemand[], pods: (d: WorkloadDemand) => number): Level => {
    const requests = chosen.reduce((sum, d) => plus(sum, times(d.pod, pods(d))), { ...ZERO });
    if (!pool.node) return { requests, fits: true };
    const groups = chosen.filter((d) => d.fitsNode).map((d) => ({ key: `${d.tenant}/${d.name}`, pod: d.pod, count: pods(d), spread: d.spread }));
    const packing = packPods(groups, pool.node);
    return { requests, packing, fits: packing.unplaced === 0 && packing.nodes <= pool.spec.maxSize };
  };
  const online = workloads.filter((d) => d.kind !== "batch");
  const hasBatch = online.length < workloads.length;
  const onlineMin = level(online, (d) => d.minPods);
  const onlineMax = level(online, (d) => d.maxPods);
  return {
    cluster,
    pool,
    models: workloads,
    capacity: pool.node && times(pool.node, pool.spec.maxSize),
    min: hasBatch ? level(workloads, (d) => d.minPods) : onlineMin,
    max: hasBatch ? level(workloads, (d) => d.maxPods) : onlineMax,
    onlineMin,
    onlineMax,
  };
}

export interface CapacityRow {
  cluster: string;
  pool: string;
  instanceType: string;
  minSize: number;
  maxSize: number;
  /** One node's allocatable after the reservation (null: instance type unknown). */
  node: Resources | null;
  /** `node` × maxSize. */
  allocatable: Resources | null;
  atMin: { requests: Resources; nodesNeeded: number | null; fits: boolean };
  atMax: { requests: Resources; nodesNeeded: number | null; fits: boolean };
  /** Each workload: `model` names a model, a store or <model>/<batch>, as `kind` says. */
  models: {
    kind: WorkloadKind;
    tenant: string;
    model: string;
    versions: number;
    pod: Resources;
    minPods: number;
    maxPods: number;
    fitsNode: boolean;
    rollout?: RolloutRow;
  }[];
}

/** The derived rollout values of one model (rollout.ts, docs/rollouts.md). */
export interface RolloutRow {
  timeoutSeconds: number;
  preStopSeconds: number;
  drainSeconds: number;
  terminationGracePeriodSeconds: number;
  progressDeadlineSeconds: number;
  /** The parts the deadline adds up (before the slack and the round-up to a minute). */
  deadline: { nodeSeconds: number; imageSeconds: number; startupSeconds: number; readySeconds: number };
  zoneSpread: "required" | "preferred";
  zones: number;
  /** What the HPA scales on: cpu, memory, gpu (with their targets), or why a GPU model has no GPU signal; empty when no HPA is rendered. */
  signals: string[];
}

function rolloutRow(m: ModelPlan, platform: PlatformSpec): RolloutRow {
  const t = timing(m);
  const s = spread(m);
  const a = m.model.autoscaling;
  const gpu = gpuTarget(m, platform);
  const signals =
    a.maxReplicas > a.minReplicas
      ? [
          ...(a.targetCPUUtilization !== undefined ? [`cpu ${a.targetCPUUtilization}%`] : []),
          ...(a.targetMemoryUtilization !== undefined ? [`memory ${a.targetMemoryUtilization}%`] : []),
          ...(gpu !== undefined ? [`gpu ${gpu}%`] : []),
          // The fallback made visible: a GPU model on a platform without the adapter scales on CPU alone.
          ...(gpu === undefined && m.model.resources.gpu > 0 ? ["no gpu signal (no metricsAdapter)"] : []),
        ]
      : [];
  return {
    timeoutSeconds: t.timeoutSeconds,
    preStopSeconds: t.preStopSeconds,
    drainSeconds: t.drainSeconds,
    terminationGracePeriodSeconds: t.terminationGracePeriodSeconds,
    progressDeadlineSeconds: t.progressDeadlineSeconds,
    deadline: { ...t.deadline },
    zoneSpread: s.hardZones ? "required" : "preferred",
    zones: s.zones,
    signals,
  };
}

/** The JSON shape (`check --format json`) and the text table (`check`). */
export function capacityReport(plan: Plan): { text: string; data: CapacityRow[] } {
  const platform = plan.world.platform.spec;
  const data = poolDemands(plan).map((d) => toRow(d, platform));
  const gateways = new Map(plan.clusters.map((c) => [c.name, gatewayTiming(c)] as const));
  return { text: capacityText(data, gateways), data };
}

function toRow(d: PoolDemand, platform: PlatformSpec): CapacityRow {
  const level = (l: Level) => ({ requests: l.requests, nodesNeeded: l.packing ? nodesNeeded(l.packing) : null, fits: l.fits });
  return {
    cluster: d.cluster.name,
    pool: d.pool.spec.name,
    instanceType: d.pool.spec.instanceType,
    minSize: d.pool.spec.minSize,
    maxSize: d.pool.spec.maxSize,
    node: d.pool.node ?? null,
    allocatable: d.capacity ?? null,
    atMin: level(d.min),
    atMax: level(d.max),
    models: d.models.map((m) => ({
      kind: m.kind,
      tenant: m.tenant,
      model: m.name,
      versions: m.versions,
      pod: m.pod,
      minPods: m.minPods,
      maxPods: m.maxPods,
      fitsNode: m.fitsNode,
      ...(m.plan ? { rollout: rolloutRow(m.plan, platform) } : {}),
    })),
  };
}

/** Nodes the packing opened; when it gave up at its limit, one more than that says "more". */
export function nodesNeeded(p: Packing): number {
  return p.unplaced > 0 ? p.nodes + 1 : p.nodes;
}

const GIB = 2 ** 30;

function capacityText(rows: readonly CapacityRow[], gateways: ReadonlyMap<string, GatewayTiming>): string {
  if (rows.length === 0) return "";
  const lines = [
    "capacity: pod requests at min / max replicas against each pool at maxSize (allocatable after the EKS reservation and daemon allowance; docs/pools.md)",
  ];
  for (const cluster of [...new Set(rows.map((r) => r.cluster))]) {
    lines.push(`${cluster}:`);
    const table = [["pool", "instance", "nodes", "cpu cores", "memory GiB", "gpus", "pods", "nodes needed", "status"]];
    for (const r of rows.filter((x) => x.cluster === cluster)) {
      const triple = (pick: (x: Resources) => number, fmt: (n: number) => string) =>
        `${fmt(pick(r.atMin.requests))} / ${fmt(pick(r.atMax.requests))} of ${r.allocatable ? fmt(pick(r.allocatable)) : "?"}`;
      table.push([
        r.pool,
        r.instanceType,
        `${r.minSize}..${r.maxSize}`,
        triple((x) => x.cpuMilli, formatCores),
        triple(
          (x) => x.memoryBytes,
          (n) => String(Math.round((n / GIB) * 10) / 10),
        ),
        triple((x) => x.gpus, String),
        triple((x) => x.pods, String),
        r.node ? `${r.atMin.nodesNeeded} / ${r.atMax.nodesNeeded}` : "?",
        status(r),
      ]);
    }
    lines.push(...alignColumns(table).map((l) => `  ${l}`));
  }
  lines.push(...rolloutText(rows, gateways));
  return lines.join("\n") + "\n";
}

function rolloutText(rows: readonly CapacityRow[], gateways: ReadonlyMap<string, GatewayTiming>): string[] {
  const lines = ["rollouts: per model, seconds (progress deadline = node + image + startup + ready + slack, rounded up to a minute; docs/rollouts.md)"];
  for (const cluster of [...new Set(rows.map((r) => r.cluster))]) {
    const table = [["model", "pool", "timeout", "preStop", "drain", "grace", "deadline", "= node + image + startup + ready", "zone spread", "scales on"]];
    for (const r of rows.filter((x) => x.cluster === cluster)) {
      for (const m of r.models) {
        const o = m.rollout;
        if (!o) continue;
        const d = o.deadline;
        const zones = o.zones > 0 ? `${o.zoneSpread} (${o.zones} zones)` : `${o.zoneSpread} (zones unknown)`;
        table.push([
          `${m.tenant}/${m.model}`,
          r.pool,
          String(o.timeoutSeconds),
          String(o.preStopSeconds),
          String(o.drainSeconds),
          String(o.terminationGracePeriodSeconds),
          String(o.progressDeadlineSeconds),
          `${d.nodeSeconds} + ${d.imageSeconds} + ${d.startupSeconds} + ${d.readySeconds}`,
          zones,
          o.signals.join(", ") || "fixed replicas",
        ]);
      }
    }
    if (table.length === 1) continue;
    lines.push(`${cluster}:`, ...alignColumns(table).map((l) => `  ${l}`));
    const g = gateways.get(cluster);
    if (g) lines.push(`  gateway: drain ${g.drainSeconds}, grace ${g.terminationGracePeriodSeconds} (5 + longest timeout ${g.timeoutSeconds} + 5)`);
  }
  return lines.length > 1 ? lines : [];
}

function status(r: CapacityRow): string {
  if (!r.node) return "unknown instance type";
  const tooBig = r.models.filter((m) => !m.fitsNode).map((m) => m.model);
  const notes = [];
  if (!r.atMin.fits) notes.push("OVERFLOWS at min");
  else if (!r.atMax.fits) notes.push("overflows at max");
  if (tooBig.length > 0) notes.push(`fits no node: ${tooBig.join(", ")}`);
  return notes.length > 0 ? notes.join("; ") : "ok";
}

function alignColumns(rows: readonly string[][]): string[] {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  return rows.map((r) =>
    r
      .map((cell, i) => (i === r.length - 1 ? cell : cell.padEnd(widths[i]!)))
      .join("  ")
      .trimEnd(),
  );
}
