// Per tenant on each of its clusters: Namespace, ResourceQuota, LimitRange, NetworkPolicies and
// RoleBindings (the tenant's guardrails, synced by the platform, never by the tenant); per
// cluster a PriorityClass for every priority tier in use.
import type { IPriorityClass } from "kubernetes-models/scheduling.k8s.io/v1/PriorityClass";
import type { IRoleBinding } from "kubernetes-models/rbac.authorization.k8s.io/v1/RoleBinding";
import type { ILimitRange } from "kubernetes-models/v1/LimitRange";
import type { INamespace } from "kubernetes-models/v1/Namespace";
import type { IResourceQuota } from "kubernetes-models/v1/ResourceQuota";
import { refAt, type SpecRef } from "../diagnostics.js";
import { roleBindingName } from "../plan/names.js";
import type { ClusterPlan, Plan, TenantPlan } from "../plan/types.js";
import { containerDefaults } from "../plan/pod-requests.js";
import { manifestQuantity } from "../base/quantity.js";
import type { PlatformSpec } from "../schema/platform.js";
import { MANAGED_BY, paths, tenantLabels, WAVE, waveAnnotation } from "./meta.js";
import { networkPolicies } from "./network-policy.js";
import { placed, type KubeModel, type Rendered } from "./types.js";

/** Argo CD asks before pruning: removing a tenant's spec never silently deletes its namespace and data. */
export const PRUNE_CONFIRM = { "argocd.argoproj.io/sync-options": "Prune=confirm" } as const;
export const PSA_LEVEL = "restricted";
export const QUOTA_NAME = "tenant-quota";
export const LIMIT_RANGE_NAME = "container-defaults";

/** PriorityClass values: above pods with no class (0), far below system classes (2e9) and the user ceiling (1e9). */
export const PRIORITY_BASE = 100_000;
export const PRIORITY_STEP = 1_000;

export function emitTenancy(plan: Plan): Rendered[] {
  const platform = plan.world.platform;
  const out: Rendered[] = [];
  for (const cluster of plan.clusters) {
    for (const t of cluster.tenants) {
      const dir = paths.tenantPlatform(cluster.name, t.name);
      const add = (object: KubeModel, origin: SpecRef, sources: string[] = [t.file]) =>
        out.push(placed(dir, object, { sources, origin, owner: { cluster: cluster.name, tenant: t.name } }));
      add(namespace(t, cluster), namespaceRef(t), [t.file, cluster.file]);
      add(resourceQuota(t), refAt(t.file, "spec", "quota"));
      add(limitRange(t, platform.spec), refAt(t.file, "metadata", "name"), [t.file, platform.file]);
      for (const np of networkPolicies(t, platform)) add(np, namespaceRef(t), [t.file, platform.file]);
      (t.spec.access ?? []).forEach((a, i) => add(roleBinding(t, a.group, a.role), refAt(t.file, "spec", "access", i)));
    }
    out.push(...priorityClasses(cluster));
  }
  return out;
}

/** The node that names the namespace: `spec.namespace`, or `metadata.name` when it defaults. */
export function namespaceRef(t: TenantPlan): SpecRef {
  return t.spec.namespace !== undefined ? refAt(t.file, "spec", "namespace") : refAt(t.file, "metadata", "name");
}

/** Pod Security Admission: enforce pinned to the cluster's version, audit and warn at latest to preview the next one. */
export function podSecurityLabels(kubernetesVersion: string): Record<string, string> {
  return {
    "pod-security.kubernetes.io/audit": PSA_LEVEL,
    "pod-security.kubernetes.io/audit-version": "latest",
    "pod-security.kubernetes.io/enforce": PSA_LEVEL,
    "pod-security.kubernetes.io/enforce-version": `v${kubernetesVersion}`,
    "pod-security.kubernetes.io/warn": PSA_LEVEL,
    "pod-security.kubernetes.io/warn-version": "latest",
  };
}

function namespace(t: TenantPlan, cluster: ClusterPlan): INamespace {
  return {
    apiVersion: "v1",
    kind: "Namespace",
    metadata: {
      name: t.namespace,
      labels: { ...tenantLabels(t), "istio-injection": "enabled", ...podSecurityLabels(cluster.spec.kubernetesVersion) },
      annotations: { ...waveAnnotation(WAVE.namespace), ...PRUNE_CONFIRM },
    },
  };
}

/**
 * The quota bounds requests, the currency of scheduling and of berth's quota proof. Pooled
 * limits are left out on purpose: with limits above requests (every model here) a limits quota
 * would cap a tenant well below the budget it was given. No LoadBalancer or NodePort Service:
 * models are reached through the mesh gateway, which checks the caller's JWT.
 */
function resourceQuota(t: TenantPlan): IResourceQuota {
  const q = t.spec.quota;
  return {
    apiVersion: "v1",
    kind: "ResourceQuota",
    metadata: { name: QUOTA_NAME, namespace: t.namespace, labels: tenantLabels(t), annotations: waveAnnotation(WAVE.guardrails) },
    spec: {
      hard: {
        pods: String(q.pods),
        "requests.cpu": manifestQuantity(q.cpu, "cpu"),
        "requests.memory": manifestQuantity(q.memory, "memory"),
        "requests.nvidia.com/gpu": String(q.gpu ?? 0),
        "services.loadbalancers": "0",
        "services.nodeports": "0",
      },
    },
  };
}

/** Container defaults from the platform defaults: a container that says nothing still counts against the quota. */
function limitRange(t: TenantPlan, platform: PlatformSpec): ILimitRange {
  const d = containerDefaults(platform);
  const res = (r: { cpu?: string | number; memory?: string | number }) => ({
    ...(r.cpu !== undefined ? { cpu: manifestQuantity(r.cpu, "cpu") } : {}),
    ...(r.memory !== undefined ? { memory: manifestQuantity(r.memory, "memory") } : {}),
  });
  const limits = res(d.limits);
  return {
    apiVersion: "v1",
    kind: "LimitRange",
    metadata: { name: LIMIT_RANGE_NAME, namespace: t.namespace, labels: tenantLabels(t), annotations: waveAnnotation(WAVE.guardrails) },
    spec: { limits: [{ type: "Container", ...(Object.keys(limits).length > 0 ? { default: limits } : {}), defaultRequest: res(d.requests) }] },
  };
}

function roleBinding(t: TenantPlan, group: string, role: string): IRoleBinding {
  return {
    apiVersion: "rbac.authorization.k8s.io/v1",
    kind: "RoleBinding",
    metadata: {
      name: roleBindingName(role, group),
      namespace: t.namespace,
      labels: tenantLabels(t),
      annotations: { ...waveAnnotation(WAVE.guardrails), "berth.dev/group": group },
    },
    roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: role },
    subjects: [{ apiGroup: "rbac.authorization.k8s.io", kind: "Group", name: group }],
  };
}

export function priorityValue(priority: number): number {
  return PRIORITY_BASE + PRIORITY_STEP * priority;
}

/**
 * One PriorityClass per tier used on the cluster. preemptionPolicy Never: a higher tier goes to
 * the front of the scheduling queue (and of node-pressure eviction's survivors), but one team's
 * scale-up never evicts another team's serving pods.
 */
function priorityClasses(cluster: ClusterPlan): Rendered[] {
  const tiers = new Map<number, TenantPlan[]>();
  for (const t of cluster.tenants) tiers.set(t.priority, [...(tiers.get(t.priority) ?? []), t]);
  return [...tiers.keys()]
    .sort((a, b) => a - b)
    .map((priority) => {
      const tenants = tiers.get(priority)!;
      const first = tenants[0]!;
      const object: IPriorityClass = {
        apiVersion: "scheduling.k8s.io/v1",
        kind: "PriorityClass",
        metadata: { name: first.priorityClassName, labels: { ...MANAGED_BY }, annotations: waveAnnotation(WAVE.namespace) },
        value: priorityValue(priority),
        globalDefault: false,
        preemptionPolicy: "Never",
        description: `berth tenant tier ${priority}: higher tiers schedule first; never preempts running pods`,
      };
      const origin = first.spec.priority !== undefined ? refAt(first.file, "spec", "priority") : refAt(first.file, "metadata", "name");
      return placed(`${paths.platform(cluster.name)}/cluster`, object, {
        sources: tenants.map((t) => t.file).sort(),
        origin,
        owner: { cluster: cluster.name },
      });
    });
}
