// A tenant namespace's network: deny everything, then allow exactly what serving needs: DNS,
// the mesh (istiod, the ingress gateway), Prometheus, HTTPS out of the cluster for artifacts, and
// the node's Pod Identity agent for the credentials to fetch them.
import type { INetworkPolicy } from "kubernetes-models/networking.k8s.io/v1/NetworkPolicy";
import type { INetworkPolicyPeer } from "kubernetes-models/networking.k8s.io/v1/NetworkPolicyPeer";
import type { INetworkPolicyPort } from "kubernetes-models/networking.k8s.io/v1/NetworkPolicyPort";
import type { Spec } from "../link.js";
import { DEFAULT_PORT } from "../plan/plan.js";
import type { TenantPlan } from "../plan/types.js";
import type { PlatformSpec } from "../schema/platform.js";
import { tenantLabels, WAVE, waveAnnotation } from "./meta.js";

export const ISTIO_NAMESPACE = "istio-system";
export const DNS_NAMESPACE = "kube-system";
export const DEFAULT_MONITORING_NAMESPACE = "monitoring";
/** Set by Kubernetes (1.22+) on every namespace: the one label a tenant cannot fake on its own namespace. */
export const NAMESPACE_NAME_LABEL = "kubernetes.io/metadata.name";
/** xDS and certificates from istiod. (15017 is the injection webhook: the API server calls it, pods never do.) */
export const ISTIOD_PORT = 15012;
/** Istio's merged metrics (15020, where injection points prometheus.io/port) and Envoy's own stats. */
export const SIDECAR_METRICS_PORTS = [15020, 15090] as const;
/** Addresses inside the VPC and the cluster (pods of other tenants, nodes, IMDS): never reached by ipBlock. */
export const PRIVATE_RANGES = ["10.0.0.0/8", "100.64.0.0/10", "169.254.0.0/16", "172.16.0.0/12", "192.168.0.0/16"] as const;
export const LINK_LOCAL = "169.254.0.0/16";
/** The EKS Pod Identity agent on every node: the one link-local address a pod may reach, on its one port. */
export const POD_IDENTITY_AGENT = { address: "169.254.170.23", cidr: "169.254.170.23/32", port: 80 } as const;
/** The instance metadata service, which hands out the node's IAM role. */
export const IMDS_ADDRESS = "169.254.169.254";

/** The platform namespaces a tenant's traffic may cross into, and why. */
export function platformPeers(platform: Spec<PlatformSpec>): { dns: string; istio: string; gateway: string; monitoring: string } {
  return {
    dns: DNS_NAMESPACE,
    istio: ISTIO_NAMESPACE,
    gateway: platform.spec.ingress.gateway.split("/")[0]!,
    monitoring: platform.spec.monitoring?.namespace ?? DEFAULT_MONITORING_NAMESPACE,
  };
}

/** The ports model servers listen on: every runtime's, and the default for custom images. */
export function servingPorts(platform: PlatformSpec): number[] {
  const ports = new Set<number>([DEFAULT_PORT]);
  for (const r of Object.values(platform.runtimes)) ports.add(r.port ?? DEFAULT_PORT);
  return [...ports].sort((a, b) => a - b);
}

function inNamespace(ns: string, podLabels?: Record<string, string>): INetworkPolicyPeer {
  return { namespaceSelector: { matchLabels: { [NAMESPACE_NAME_LABEL]: ns } }, ...(podLabels ? { podSelector: { matchLabels: podLabels } } : {}) };
}

function tcp(...ports: number[]): INetworkPolicyPort[] {
  return ports.map((port) => ({ protocol: "TCP" as const, port }));
}

export function networkPolicies(t: TenantPlan, platform: Spec<PlatformSpec>): INetworkPolicy[] {
  const peers = platformPeers(platform);
  const serving = servingPorts(platform.spec);
  const policy = (name: string, spec: INetworkPolicy["spec"]): INetworkPolicy => ({
    apiVersion: "networking.k8s.io/v1",
    kind: "NetworkPolicy",
    metadata: { name, namespace: t.namespace, labels: tenantLabels(t), annotations: waveAnnotation(WAVE.guardrails) },
    spec,
  });
  return [
    policy("default-deny", { podSelector: {}, policyTypes: ["Ingress", "Egress"] }),
    policy("allow-dns", {
      podSelector: {},
      policyTypes: ["Egress"],
      egress: [
        {
          to: [inNamespace(peers.dns, { "k8s-app": "kube-dns" })],
          ports: [
            { protocol: "UDP", port: 53 },
            { protocol: "TCP", port: 53 },
          ],
        },
      ],
    }),
    policy("allow-istiod", {
      podSelector: {},
      policyTypes: ["Egress"],
      egress: [{ to: [inNamespace(peers.istio, { app: "istiod" })], ports: tcp(ISTIOD_PORT) }],
    }),
    policy("allow-ingress-gateway", {
      podSelector: {},
      policyTypes: ["Ingress"],
      ingress: [{ from: [inNamespace(peers.gateway)], ports: tcp(...serving) }],
    }),
    policy("allow-monitoring", {
      podSelector: {},
      policyTypes: ["Ingress"],
      ingress: [{ from: [inNamespace(peers.monitoring)], ports: tcp(...[...new Set([...serving, ...SIDECAR_METRICS_PORTS])].sort((a, b) => a - b)) }],
    }),
    // Model servers fetch artifacts from S3 (and credentials from STS) over HTTPS; nothing inside the VPC.
    policy("allow-external-https", {
      podSelector: {},
      policyTypes: ["Egress"],
      egress: [{ to: [{ ipBlock: { cidr: "0.0.0.0/0", except: [...PRIVATE_RANGES] } }], ports: tcp(443) }],
    }),
    // Credentials for the pod's ServiceAccount come from the node's Pod Identity agent; the rest of
    // 169.254.0.0/16 (the instance metadata service above all) stays unreachable.
    policy("allow-pod-identity-agent", {
      podSelector: {},
      policyTypes: ["Egress"],
      egress: [{ to: [{ ipBlock: { cidr: POD_IDENTITY_AGENT.cidr } }], ports: tcp(POD_IDENTITY_AGENT.port) }],
    }),
  ];
}
