// What one pod asks of a node and of its namespace's quota, and what one node offers, in the
// same integer units: the scheduling proof, the capacity report, the quota check and the
// LimitRange defaults all count the same thing.
import { allocatableFor, MESH_SIDECAR } from "../catalogue/allocatable.js";
import type { InstanceType } from "../catalogue/instances.js";
import { attachableVolumes } from "../catalogue/volumes.js";
import type { EffectiveModel } from "./overrides.js";
import { parseQuantity } from "../base/quantity.js";
import type { PlatformSpec } from "../schema/platform.js";

type Quantity = string | number;

const MIB = 2 ** 20;
const GIB = 2 ** 30;

/** CPU in millicores, memory in bytes, whole GPUs, pod slots, EBS volume attachments. */
export interface Resources {
  cpuMilli: number;
  memoryBytes: number;
  gpus: number;
  pods: number;
  volumes: number;
}

export type ResourceName = "cpu" | "memory" | "gpu" | "pods" | "volumes";
export const RESOURCE_NAMES: readonly ResourceName[] = ["cpu", "memory", "gpu", "pods", "volumes"];

export const ZERO: Readonly<Resources> = Object.freeze({ cpuMilli: 0, memoryBytes: 0, gpus: 0, pods: 0, volumes: 0 });

export function amount(r: Resources, name: ResourceName): number {
  return name === "cpu" ? r.cpuMilli : name === "memory" ? r.memoryBytes : name === "gpu" ? r.gpus : name === "pods" ? r.pods : r.volumes;
}

/**
 * One pod of the model as the scheduler sees it: the model container's requests, plus the mesh
 * sidecar, plus its GPUs (an extended resource's request equals its limit). The kubelet rounds
 * CPU up to whole millicores; so does this.
 */
export function podRequests(model: Pick<EffectiveModel, "resources">): Resources {
  return containerPod(model.resources, { sidecar: true, volumes: 0 });
}

/**
 * A pod of one container with these resources: with the mesh sidecar or without (batch pods run
 * outside the mesh), and with the EBS volumes it claims (one per store replica).
 */
export function containerPod(resources: EffectiveModel["resources"], opts: { sidecar: boolean; volumes: number }): Resources {
  const cores = parseQuantity(resources.requests.cpu ?? 0) ?? 0;
  const bytes = parseQuantity(resources.requests.memory ?? 0) ?? 0;
  return {
    cpuMilli: Math.ceil(cores * 1000 - 1e-9) + (opts.sidecar ? MESH_SIDECAR.cpuMilli : 0),
    memoryBytes: Math.ceil(bytes) + (opts.sidecar ? MESH_SIDECAR.memoryMiB * MIB : 0),
    gpus: resources.gpu,
    pods: 1,
    volumes: opts.volumes,
  };
}

/**
 * The injected proxy's requests, pinned per pod: the same numbers podRequests counts for the
 * scheduling proof and the quota check, so what is proven is what is asked.
 */
export function sidecarAnnotations(): Record<string, string> {
  return { "sidecar.istio.io/proxyCPU": `${MESH_SIDECAR.cpuMilli}m`, "sidecar.istio.io/proxyMemory": `${MESH_SIDECAR.memoryMiB}Mi` };
}

/** What one node of the type leaves for model pods (see catalogue/allocatable.ts). */
export function nodeResources(t: InstanceType): Resources {
  const a = allocatableFor(t);
  return { cpuMilli: a.cpuMilli, memoryBytes: a.memoryMiB * MIB, gpus: a.gpus, pods: a.pods, volumes: attachableVolumes(t) };
}

export function times(r: Resources, n: number): Resources {
  return { cpuMilli: r.cpuMilli * n, memoryBytes: r.memoryBytes * n, gpus: r.gpus * n, pods: r.pods * n, volumes: r.volumes * n };
}

export function plus(a: Resources, b: Resources): Resources {
  return {
    cpuMilli: a.cpuMilli + b.cpuMilli,
    memoryBytes: a.memoryBytes + b.memoryBytes,
    gpus: a.gpus + b.gpus,
    pods: a.pods + b.pods,
    volumes: a.volumes + b.volumes,
  };
}

/** The resources of `need` that `have` does not cover, in cpu, memory, gpu, pods, volumes order. */
export function shortfalls(need: Resources, have: Resources): ResourceName[] {
  return RESOURCE_NAMES.filter((n) => amount(need, n) > amount(have, n));
}

/** How many pods of `pod` fit into `free`: the tightest resource decides. */
export function howManyFit(pod: Resources, free: Resources): number {
  let n = Infinity;
  for (const name of RESOURCE_NAMES) {
    const want = amount(pod, name);
    if (want > 0) n = Math.min(n, Math.floor(amount(free, name) / want));
  }
  return n;
}

/** The largest share `need` takes of `have` over the resources `need` uses (Infinity if `have` lacks one). */
export function dominantShare(need: Resources, have: Resources): number {
  let share = 0;
  for (const name of RESOURCE_NAMES) {
    const want = amount(need, name);
    if (want === 0) continue;
    const cap = amount(have, name);
    share = Math.max(share, cap === 0 ? Infinity : want / cap);
  }
  return share;
}

/** cores with up to two decimals: 16.55, 2.1, 0 */
export function formatCores(milli: number): string {
  return String(Math.round(milli / 10) / 100);
}

/** GiB with one decimal, or MiB below 1 GiB: 24.1Gi, 640Mi */
export function formatBytes(bytes: number): string {
  if (bytes >= GIB) return `${Math.round((bytes / GIB) * 10) / 10}Gi`;
  return `${Math.round(bytes / MIB)}Mi`;
}

/** One resource amount as a user reads it in a message. */
export function formatAmount(name: ResourceName, value: number): string {
  if (name === "cpu") return value % 1000 === 0 ? String(value / 1000) : `${value}m`;
  if (name === "memory") return formatBytes(value);
  if (name === "gpu") return `${value} GPU${value === 1 ? "" : "s"}`;
  if (name === "volumes") return `${value} volume${value === 1 ? "" : "s"}`;
  return `${value} pod${value === 1 ? "" : "s"}`;
}

export function describeResources(r: Resources): string {
  return `cpu ${formatAmount("cpu", r.cpuMilli)}, memory ${formatBytes(r.memoryBytes)}, ${formatAmount("gpu", r.gpus)}`;
}

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
