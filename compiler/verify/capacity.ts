// Per cluster and pool: what the models placed there request at min and at max replicas, against
// what the pool offers at maxSize. The scheduling verifier proves from it; `berth check` prints it.
import type { ClusterPlan, ModelPlan, Plan, PoolPlan } from "../plan/types.js";
import { howManyFit, plus, podRequests, times, ZERO, type Resources } from "../plan/pod-requests.js";
import { gpuTarget, spread, timing } from "../plan/rollout.js";
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
  /** What the HPA scales on: cpu, memory, gpu (with their targets); empty when no HPA is rendered. */
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

/** One row per pool, as `check` reports it (report/ prints the rows: a table, or JSON). */
export function capacityRows(plan: Plan): CapacityRow[] {
  const platform = plan.world.platform.spec;
  return poolDemands(plan).map((d) => toRow(d, platform));
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
