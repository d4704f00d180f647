// The platform layer per cluster. platform-base/ holds what the charts land in: the platform's
// namespaces (one per tier) with their quotas and container defaults, the platform PriorityClass
// and the encrypted gp3 StorageClass. platform/ gets the mesh objects that need istiod: the
// ingress Gateway and the mesh-wide strict mTLS default. apps/ gets one Argo CD Application per
// pinned chart (platform-layer-apps.ts).
import type { IGateway } from "@kubernetes-models/istio/networking.istio.io/v1beta1/Gateway";
import type { IPeerAuthentication } from "@kubernetes-models/istio/security.istio.io/v1beta1/PeerAuthentication";
import type { IPriorityClass } from "kubernetes-models/scheduling.k8s.io/v1/PriorityClass";
import type { IStorageClass } from "kubernetes-models/storage.k8s.io/v1/StorageClass";
import type { ILimitRange } from "kubernetes-models/v1/LimitRange";
import type { INamespace } from "kubernetes-models/v1/Namespace";
import type { IResourceQuota } from "kubernetes-models/v1/ResourceQuota";
import { refAt, type SpecRef } from "../diagnostics.js";
import type { ClusterPlan, Plan } from "../plan/types.js";
import { formatCpu } from "../base/quantity.js";
import type { PlatformSpec } from "../schema/platform.js";
import { MANAGED_BY, paths, WAVE, waveAnnotation } from "./meta.js";
import { platformLayerApps } from "./platform-layer-apps.js";
import {
  LABEL_TIER,
  PLATFORM_NAMESPACE,
  PLATFORM_PRIORITY,
  STORAGE_CLASS,
  gatewaySelector,
  platformBasePath,
  platformNamespaces,
  type PlatformNamespace,
  type Psa,
} from "./platform-tiers.js";
import { PRUNE_CONFIRM } from "./tenancy.js";
import { placed, type KubeModel, type Rendered } from "./types.js";

export function emitPlatformLayer(plan: Plan): Rendered[] {
  const platform = plan.world.platform;
  const out: Rendered[] = [];
  for (const cluster of plan.clusters) {
    const c = cluster.name;
    const add = (dir: string, object: KubeModel, sources: string[], origin: SpecRef) =>
      out.push(placed(dir, object, { sources, origin, owner: { cluster: c } }));
    const base = platformBasePath(c);
    const versionAt = refAt(cluster.file, "spec", "kubernetesVersion");
    for (const ns of platformNamespaces(platform.spec)) {
      const at =
        ns.tier === "monitoring" && platform.spec.monitoring?.namespace
          ? refAt(platform.file, "spec", "monitoring", "namespace")
          : ns.tier === "ingress"
            ? refAt(platform.file, "spec", "ingress", "gateway")
            : versionAt;
      add(`${base}/${ns.name}`, namespace(ns, cluster), [platform.file, cluster.file], at);
      add(`${base}/${ns.name}`, quota(ns, cluster), [platform.file, cluster.file], refAt(cluster.file, "spec", "pools"));
      add(`${base}/${ns.name}`, limitRange(ns), [platform.file], at);
    }
    add(`${base}/cluster`, priorityClass(), [platform.file], refAt(platform.file, "metadata", "name"));
    add(`${base}/cluster`, storageClass(), [cluster.file], refAt(cluster.file, "metadata", "name"));
    const ingressAt = refAt(platform.file, "spec", "ingress");
    add(paths.platform(c), gateway(platform.spec), [platform.file], ingressAt);
    add(paths.platform(c), meshMtls(), [platform.file], refAt(platform.file, "metadata", "name"));
    out.push(...platformLayerApps(plan, cluster));
  }
  return out;
}

function podSecurity(enforce: Psa, kubernetesVersion: string): Record<string, string> {
  return {
    "pod-security.kubernetes.io/audit": "restricted",
    "pod-security.kubernetes.io/enforce": enforce,
    "pod-security.kubernetes.io/enforce-version": `v${kubernetesVersion}`,
    "pod-security.kubernetes.io/warn": "restricted",
  };
}

function namespace(ns: PlatformNamespace, cluster: ClusterPlan): INamespace {
  return {
    apiVersion: "v1",
    kind: "Namespace",
    metadata: {
      name: ns.name,
      labels: { ...MANAGED_BY, [LABEL_TIER]: ns.tier, ...podSecurity(ns.enforce, cluster.spec.kubernetesVersion) },
      annotations: { ...waveAnnotation(WAVE.namespace), ...PRUNE_CONFIRM, "berth.dev/pod-security": `${ns.enforce}: ${ns.why}` },
    },
  };
}

function nodesOf(cluster: ClusterPlan, which: "all" | "gpu"): number {
  return cluster.pools.filter((p) => which === "all" || p.hasGpus).reduce((n, p) => n + p.spec.maxSize, 0);
}

/** Requests and pods only, as for tenants: limits are the charts' business. No LoadBalancer but the gateway's. */
function quota(ns: PlatformNamespace, cluster: ClusterPlan): IResourceQuota {
  const b = ns.budget;
  const nodes = b.perNode ? nodesOf(cluster, b.perNode.nodes) : 0;
  const cpu = 2 * (b.cpu + (b.perNode?.cpu ?? 0) * nodes);
  const memoryMi = 2 * (b.memoryMi + (b.perNode?.memoryMi ?? 0) * nodes);
  const pods = 2 * (b.pods + (b.perNode?.pods ?? 0) * nodes);
  return {
    apiVersion: "v1",
    kind: "ResourceQuota",
    metadata: { name: "platform-quota", namespace: ns.name, labels: { ...MANAGED_BY, [LABEL_TIER]: ns.tier }, annotations: waveAnnotation(WAVE.guardrails) },
    spec: {
      hard: {
        pods: String(pods),
        "requests.cpu": formatCpu(Math.round(cpu * 1000) / 1000),
        "requests.memory": `${Math.ceil(memoryMi)}Mi`,
        "services.loadbalancers": ns.tier === "ingress" || ns.name === PLATFORM_NAMESPACE.mesh ? "1" : "0",
        "services.nodeports": ns.tier === "ingress" || ns.name === PLATFORM_NAMESPACE.mesh ? "3" : "0",
      },
    },
  };
}

/**
 * A quota on requests rejects a container that states none; charts leave some out. Requests
 * only, no default limit: a default limit would cap Prometheus' memory without anyone choosing it.
 */
function limitRange(ns: PlatformNamespace): ILimitRange {
  return {
    apiVersion: "v1",
    kind: "LimitRange",
    metadata: {
      name: "container-defaults",
      namespace: ns.name,
      labels: { ...MANAGED_BY, [LABEL_TIER]: ns.tier },
      annotations: waveAnnotation(WAVE.guardrails),
    },
    spec: { limits: [{ type: "Container", defaultRequest: { cpu: "100m", memory: "128Mi" } }] },
  };
}

/** The platform's pods schedule before any tenant's and may preempt them: a model is no use without its gateway. */
function priorityClass(): IPriorityClass {
  return {
    apiVersion: "scheduling.k8s.io/v1",
    kind: "PriorityClass",
    metadata: { name: PLATFORM_PRIORITY.name, labels: { ...MANAGED_BY }, annotations: waveAnnotation(WAVE.namespace) },
    value: PLATFORM_PRIORITY.value,
    globalDefault: false,
    preemptionPolicy: "PreemptLowerPriority",
    description: "berth platform layer (mesh, ingress, monitoring, GPU daemons): above every tenant tier, below system-cluster-critical",
  };
}

/** Retain: deleting a claim by mistake (or pruning a store) never deletes its data. */
function storageClass(): IStorageClass {
  return {
    apiVersion: "storage.k8s.io/v1",
    kind: "StorageClass",
    metadata: { name: STORAGE_CLASS, labels: { ...MANAGED_BY }, annotations: waveAnnotation(WAVE.namespace) },
    provisioner: "ebs.csi.aws.com",
    parameters: { type: "gp3", encrypted: "true" },
    reclaimPolicy: "Retain",
    volumeBindingMode: "WaitForFirstConsumer",
    allowVolumeExpansion: true,
  };
}

/**
 * The Gateway the shared host's routes bind to. Plain HTTP inside the VPC: the NLB is internal,
 * and TLS is terminated in front of it (or added here with a credential) by the platform team.
 */
function gateway(platform: PlatformSpec): IGateway {
  const [namespace, name] = platform.ingress.gateway.split("/") as [string, string];
  return {
    apiVersion: "networking.istio.io/v1beta1",
    kind: "Gateway",
    metadata: { name, namespace, labels: { ...MANAGED_BY }, annotations: waveAnnotation(WAVE.guardrails) },
    spec: {
      selector: gatewaySelector(platform),
      servers: [{ port: { number: 80, name: "http", protocol: "HTTP" }, hosts: [platform.ingress.host] }],
    },
  };
}

/** Mesh-wide default in Istio's root namespace: every sidecar accepts mutual TLS only. */
function meshMtls(): IPeerAuthentication {
  return {
    apiVersion: "security.istio.io/v1beta1",
    kind: "PeerAuthentication",
    metadata: { name: "default", namespace: PLATFORM_NAMESPACE.mesh, labels: { ...MANAGED_BY }, annotations: waveAnnotation(WAVE.guardrails) },
    spec: { mtls: { mode: "STRICT" } },
  };
}
