// Per cluster and pool: what the models placed there request at min and at max replicas, against
// what the pool offers at maxSize. The scheduling verifier proves from it; `berth check` prints it.
import type { ClusterPlan, ModelPlan, Plan, PoolPlan } from "../plan/types.js";
import { formatCores, howManyFit, plus, podRequests, times, ZERO, type Resources } from "../plan/pod-requests.js";
import { gatewayTiming, gpuTarget, spread, timing, type GatewayTiming } from "../plan/rollout.js";
import type { PlatformSpec } from "../schema/platform.js";
import { packPods, type Packing } from "./packing.js";

export interface ModelDemand {
  readonly plan: ModelPlan;
  /** One pod, sidecar included. */
  readonly pod: Resources;
  /** Pods at minReplicas and maxReplicas, over all the model's versions (one Deployment each). */
  readonly minPods: number;
  readonly maxPods: number;
  /** The pod fits on one empty node of the pool. */
  readonly fitsNode: boolean;
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
  readonly models: readonly ModelDemand[];
  /** One node's allocatable × maxSize; undefined when the instance type is unknown. */
  readonly capacity?: Resources;
  readonly min: Level;
  readonly max: Level;
}

const cache = new WeakMap<Plan, PoolDemand[]>();

/** Every pool of every planned cluster, in cluster then declaration order. Computed once per plan. */
export function poolDemands(plan: Plan): PoolDemand[] {
  let out = cache.get(plan);
  if (!out) cache.set(plan, (out = plan.clusters.flatMap((c) => c.pools.map((p) => poolDemand(c, p)))));
  return out;
}

function poolDemand(cluster: ClusterPlan, pool: PoolPlan): PoolDemand {
  const models = cluster.models
    .filter((m) => m.pool === pool)
    .map((m): ModelDemand => {
      const pod = podRequests(m.model);
      const { minReplicas, maxReplicas } = m.model.autoscaling;
      const fitsNode = pool.node !== undefined && howManyFit(pod, pool.node) >= 1;
      return { plan: m, pod, minPods: minReplicas * m.versions.length, maxPods: maxReplicas * m.versions.length, fitsNode };
    });
  const level = (pods: (d: ModelDemand) => number): Level => {
    const requests = models.reduce((sum, d) => plus(sum, times(d.pod, pods(d))), { ...ZERO });
    if (!pool.node) return { requests, fits: true };
    const groups = models.filter((d) => d.fitsNode).map((d) => ({ key: `${d.plan.tenant.name}/${d.plan.name}`, pod: d.pod, count: pods(d) }));
    const packing = packPods(groups, pool.node);
    return { requests, packing, fits: packing.unplaced === 0 && packing.nodes <= pool.spec.maxSize };
  };
  return {
    cluster,
    pool,
    models,
    capacity: pool.node && times(pool.node, pool.spec.maxSize),
    min: level((d) => d.minPods),
    max: level((d) => d.maxPods),
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
  models: { tenant: string; model: string; versions: number; pod: Resources; minPods: number; maxPods: number; fitsNode: boolean; rollout: RolloutRow }[];
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
  const signals = a.maxReplicas > a.minReplicas
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
      tenant: m.plan.tenant.name,
      model: m.plan.name,
      versions: m.plan.versions.length,
      pod: m.pod,
      minPods: m.minPods,
      maxPods: m.maxPods,
      fitsNode: m.fitsNode,
      rollout: rolloutRow(m.plan, platform),
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
  const lines = ["capacity: pod requests at min / max replicas against each pool at maxSize (allocatable after the EKS reservation and daemon allowance; docs/pools.md)"];
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
        triple((x) => x.memoryBytes, (n) => String(Math.round((n / GIB) * 10) / 10)),
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
        const d = o.deadline;
        const zones = o.zones > 0 ? `${o.zoneSpread} (${o.zones} zones)` : `${o.zoneSpread} (zones unknown)`;
        table.push([`${m.tenant}/${m.model}`, r.pool, String(o.timeoutSeconds), String(o.preStopSeconds), String(o.drainSeconds), String(o.terminationGracePeriodSeconds), String(o.progressDeadlineSeconds), `${d.nodeSeconds} + ${d.imageSeconds} + ${d.startupSeconds} + ${d.readySeconds}`, zones, o.signals.join(", ") || "fixed replicas"]);
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
  return rows.map((r) => r.map((cell, i) => (i === r.length - 1 ? cell : cell.padEnd(widths[i]!))).join("  ").trimEnd());
}
