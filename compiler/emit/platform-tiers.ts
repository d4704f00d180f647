// The platform's own place on a cluster: its namespaces (one per tier, with the Pod Security level
// and the share of the cluster each may request), its PriorityClass and StorageClass names, and
// the gateway the shared host is served by. Shared by the platform layer's emitters and traffic.
import type { PlatformSpec } from "../schema/platform.js";
import { DEFAULT_MONITORING_NAMESPACE } from "./network-policy.js";

/** The platform's own namespaces, one per tier; the mesh keeps Istio's. */
export const PLATFORM_NAMESPACE = { core: "ai-platform-core", batch: "batch-processing", mesh: "istio-system" } as const;
/** Above every tenant tier (at most 100000 + 1000 × 100), below the user ceiling (1e9) and the system classes (2e9). */
export const PLATFORM_PRIORITY = { name: "berth-platform", value: 1_000_000 } as const;
/** Encrypted EBS gp3, bound where the pod lands: Prometheus and Grafana here, stores elsewhere. */
export const STORAGE_CLASS = "gp3-encrypted";
/** The gateway's Helm release: the chart labels its pods `istio: <release name without "istio-">`. */
export const GATEWAY_RELEASE = "istio-ingressgateway";
/** The mesh-wide default drain, for the platform's own injected pods; model pods set theirs from `timeout` (plan/rollout.ts). */
export const PROXY_DRAIN = "20s";
export const PROMETHEUS_RETENTION = { time: "15d", size: "45GB", volume: "50Gi" } as const;
export const GRAFANA_ADMIN_SECRET = "grafana-admin";

/** Label of the ingress gateway's pods unless platform.ingress.gatewaySelector says otherwise. */
export const DEFAULT_GATEWAY_SELECTOR = { istio: "ingressgateway" } as const;

export function monitoringNamespace(platform: PlatformSpec): string {
  return platform.monitoring?.namespace ?? DEFAULT_MONITORING_NAMESPACE;
}

export function gatewayNamespace(platform: PlatformSpec): string {
  return platform.ingress.gateway.split("/")[0]!;
}

export function gatewaySelector(platform: PlatformSpec): Record<string, string> {
  return { ...(platform.ingress.gatewaySelector ?? DEFAULT_GATEWAY_SELECTOR) };
}

export const platformBasePath = (cluster: string) => `clusters/${cluster}/platform-base`;
export const LABEL_TIER = "berth.dev/platform-tier";

export type Psa = "privileged" | "baseline" | "restricted";

/**
 * A tier's share of its namespace's quota: fixed controllers plus a per-node share for its
 * DaemonSets (on every node, or on GPU nodes only). The quota is twice that, so a rolling update
 * of everything at once still fits.
 */
interface TierBudget {
  readonly cpu: number;
  readonly memoryMi: number;
  readonly pods: number;
  readonly perNode?: { readonly cpu: number; readonly memoryMi: number; readonly pods: number; readonly nodes: "all" | "gpu" };
}

export interface PlatformNamespace {
  readonly name: string;
  readonly tier: string;
  /** Pod Security `enforce`; audit and warn stay at restricted so every exception shows. */
  readonly enforce: Psa;
  readonly why: string;
  readonly budget: TierBudget;
}

/** The platform's namespaces on a cluster; the gateway's own when it is not Istio's. */
export function platformNamespaces(platform: PlatformSpec): PlatformNamespace[] {
  const list: PlatformNamespace[] = [
    {
      name: PLATFORM_NAMESPACE.mesh,
      tier: "mesh",
      enforce: "privileged",
      why: "istio-cni's node agent writes the host's CNI configuration",
      budget: { cpu: 4, memoryMi: 12 * 1024, pods: 20, perNode: { cpu: 0.1, memoryMi: 128, pods: 1, nodes: "all" } },
    },
    {
      name: PLATFORM_NAMESPACE.core,
      tier: "core",
      enforce: "privileged",
      why: "the NVIDIA device plugin and DCGM exporter use the host's kubelet socket and GPUs",
      budget: { cpu: 1, memoryMi: 2 * 1024, pods: 10, perNode: { cpu: 0.2, memoryMi: 256, pods: 2, nodes: "gpu" } },
    },
    {
      name: monitoringNamespace(platform),
      tier: "monitoring",
      enforce: "privileged",
      why: "the node exporter reads the host's network and process namespaces",
      budget: { cpu: 4, memoryMi: 16 * 1024, pods: 20, perNode: { cpu: 0.1, memoryMi: 128, pods: 1, nodes: "all" } },
    },
    {
      name: PLATFORM_NAMESPACE.batch,
      tier: "batch",
      enforce: "restricted",
      why: "batch controllers need no host access",
      budget: { cpu: 2, memoryMi: 4 * 1024, pods: 20 },
    },
  ];
  const gw = gatewayNamespace(platform);
  if (!list.some((n) => n.name === gw))
    list.push({
      name: gw,
      tier: "ingress",
      enforce: "baseline",
      why: "the gateway binds ports below 1024 through a safe sysctl",
      budget: { cpu: 2, memoryMi: 2 * 1024, pods: 24 },
    });
  return list;
}
