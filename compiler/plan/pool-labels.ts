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

/** Declared taints, plus the GPU taint on GPU pools. */
export function poolTaints(pool: PoolSpec): Taint[] {
  const taints: Taint[] = (pool.taints ?? []).map((t) => ({ key: t.key, ...(t.value !== undefined ? { value: t.value } : {}), effect: t.effect }));
  if (pool.gpu && !taints.some((t) => t.key === GPU_TAINT.key && t.effect === GPU_TAINT.effect)) taints.push(GPU_TAINT);
  return taints;
}

/** Exactly the tolerations a pod needs to land on the pool's nodes. */
export function tolerationsFor(pool: PoolSpec): { key: string; operator: "Equal" | "Exists"; value?: string; effect: Taint["effect"] }[] {
  return poolTaints(pool).map((t) =>
    t.value !== undefined ? { key: t.key, operator: "Equal" as const, value: t.value, effect: t.effect } : { key: t.key, operator: "Exists" as const, effect: t.effect },
  );
}
