// What a pool's nodes look like to the scheduler: their labels and taints. Shared by the eksctl
// config (which puts them on the nodes) and the workloads (which select and tolerate them).
import { sortRecord } from "../base/order.js";
import type { PoolSpec } from "../schema/cluster.js";

export interface Taint {
  key: string;
  value?: string;
  effect: "NoSchedule" | "PreferNoSchedule" | "NoExecute";
}

export const GPU_TAINT: Taint = { key: "nvidia.com/gpu", value: "true", effect: "NoSchedule" };

/** `workload-type: <pool>` unless the pool declares its own labels. */
export function poolLabels(pool: PoolSpec): Record<string, string> {
  return pool.labels && Object.keys(pool.labels).length > 0 ? sortRecord(pool.labels) : { "workload-type": pool.name };
}

/** Keeps every pod that was not placed on a dedicated pool off its nodes: platform pods included. */
export const POOL_TAINT_KEY = "berth.dev/pool";

/** A pool and whether it is dedicated (not the cluster's general pool: pool-rules.ts). */
export interface PoolTarget {
  readonly spec: PoolSpec;
  readonly dedicated: boolean;
}

/**
 * Declared taints, plus the GPU taint on GPU pools, plus `berth.dev/pool=<name>:NoSchedule` on a
 * dedicated pool that no NoSchedule or NoExecute taint guards yet: without one, platform pods and DaemonSet-less
 * add-ons take the memory the scheduling proof reserved for the pool's models.
 */
export function poolTaints(pool: PoolTarget): Taint[] {
  const { spec } = pool;
  const taints: Taint[] = (spec.taints ?? []).map((t) => ({ key: t.key, ...(t.value !== undefined ? { value: t.value } : {}), effect: t.effect }));
  if (spec.gpu && !taints.some((t) => t.key === GPU_TAINT.key && t.effect === GPU_TAINT.effect)) taints.push(GPU_TAINT);
  if (pool.dedicated && !taints.some((t) => t.effect !== "PreferNoSchedule")) taints.push({ key: POOL_TAINT_KEY, value: spec.name, effect: "NoSchedule" });
  return taints;
}

/** Exactly the tolerations a pod needs to land on the pool's nodes. */
export function tolerationsFor(pool: PoolTarget): { key: string; operator: "Equal" | "Exists"; value?: string; effect: Taint["effect"] }[] {
  return poolTaints(pool).map((t) =>
    t.value !== undefined
      ? { key: t.key, operator: "Equal" as const, value: t.value, effect: t.effect }
      : { key: t.key, operator: "Exists" as const, effect: t.effect },
  );
}
