// What one model pod asks of the scheduler and of its namespace's ResourceQuota. Shared by the
// LimitRange emitter (container defaults) and the quota check, so both count the same thing.
import type { ModelPlan } from "./plan.js";
import { parseQuantity } from "./quantity.js";
import type { PlatformSpec } from "./schema/platform.js";

type Quantity = string | number;

/**
 * The Istio sidecar every pod of a tenant gets (istio-injection: enabled): Istio's default
 * `global.proxy.resources.requests`. The quota admission counts it, so berth counts it too.
 */
export const SIDECAR_REQUESTS = { cpu: 0.1, memory: 128 * 2 ** 20 } as const;

/** Container requests berth falls back to when the platform defaults give none. */
export const FALLBACK_REQUESTS = { cpu: "100m", memory: "128Mi" } as const;

export interface ContainerDefaults {
  /** LimitRange defaultRequest: always cpu and memory, because the quota counts both. */
  readonly requests: { cpu: Quantity; memory: Quantity };
  /** LimitRange default (limits): only what the platform declares. */
  readonly limits: { cpu?: Quantity; memory?: Quantity };
}

/** Platform defaults, completed with berth's fallbacks (never above the default limit). */
export function containerDefaults(platform: PlatformSpec): ContainerDefaults {
  const d = platform.defaults?.resources;
  const limits = { ...(d?.limits?.cpu !== undefined ? { cpu: d.limits.cpu } : {}), ...(d?.limits?.memory !== undefined ? { memory: d.limits.memory } : {}) };
  const request = (k: "cpu" | "memory"): Quantity => {
    const own = d?.requests?.[k];
    if (own !== undefined) return own;
    const limit = limits[k];
    // A default request above the default limit makes the LimitRange invalid; cap it at the limit.
    if (limit !== undefined && (parseQuantity(limit) ?? 0) < (parseQuantity(FALLBACK_REQUESTS[k]) ?? 0)) return limit;
    return FALLBACK_REQUESTS[k];
  };
  return { requests: { cpu: request("cpu"), memory: request("memory") }, limits };
}

export interface PodRequests {
  /** Cores. */
  readonly cpu: number;
  /** Bytes. */
  readonly memory: number;
  readonly gpu: number;
}

/**
 * One pod of the model: its container's request (else its limit, which Kubernetes copies into
 * the request, else the LimitRange default) plus the sidecar's.
 */
export function podRequests(m: ModelPlan, platform: PlatformSpec): PodRequests {
  const { requests, limits, gpu } = m.model.resources;
  const defaults = containerDefaults(platform);
  const of = (k: "cpu" | "memory") => parseQuantity(requests[k] ?? limits[k] ?? defaults.requests[k]) ?? 0;
  return { cpu: of("cpu") + SIDECAR_REQUESTS.cpu, memory: of("memory") + SIDECAR_REQUESTS.memory, gpu };
}
