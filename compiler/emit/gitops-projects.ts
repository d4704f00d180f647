// Argo CD AppProjects: what each Application may sync, and where. A tenant's project is built
// from nothing but the tenant's own namespace and two frozen kind lists, so it cannot reach
// another namespace, another cluster or a cluster-scoped kind: there is no input that could say so.
import type { IAppProject } from "@kubernetes-models/argo-cd/argoproj.io/v1alpha1/AppProject";
import type { TenantPlan } from "../plan/types.js";
import { MANAGED_BY, LABEL_TENANT } from "./meta.js";

export const ARGOCD_NAMESPACE = "argocd";
/** Each cluster runs its own Argo CD, so every destination is the cluster it runs in. */
export const IN_CLUSTER = "https://kubernetes.default.svc";
/**
 * Orphaned-resource warnings (on tenant and platform projects): an object in a tenant namespace
 * that no Application tracks, e.g. a NetworkPolicy written by hand, shows as a warning on the
 * apps. Kinds a project denies are never orphans of it, so the platform project is the one that
 * sees a stray NetworkPolicy or RoleBinding. The bootstrap project has none: the argocd namespace
 * is full of Argo CD's own objects.
 */
const ORPHANED_RESOURCES = { warn: true } as const;

/**
 * On an AppProject, Argo CD keeps the project until no Application names it (so a tenant's
 * Application can still finish deleting its workloads); on an Application, deleting it deletes
 * what it synced (cascade).
 */
export const RESOURCES_FINALIZER = "resources-finalizer.argocd.argoproj.io";

export interface GroupKind {
  readonly group: string;
  readonly kind: string;
}

const gk = (group: string, kind: string): GroupKind => Object.freeze({ group, kind });

/**
 * Exactly the kinds berth renders into a tenant's workload folder: the model workloads, the
 * per-model mesh objects (a DestinationRule, an AuthorizationPolicy) and its SLO alerts. All namespaced. No
 * VirtualService: a model's routes are bound to the shared gateway and live in its namespace,
 * synced by the platform (traffic-routes.ts); a tenant's Application cannot bind routes to the
 * shared host. The tenant's RequestAuthentication is a guardrail and lives in the platform folder.
 */
export const TENANT_KINDS: readonly GroupKind[] = Object.freeze([
  gk("", "ServiceAccount"),
  gk("", "Service"),
  gk("apps", "Deployment"),
  gk("autoscaling", "HorizontalPodAutoscaler"),
  gk("policy", "PodDisruptionBudget"),
  gk("networking.istio.io", "DestinationRule"),
  gk("security.istio.io", "AuthorizationPolicy"),
  // Batch inference and stores. Claims come from a StatefulSet's volumeClaimTemplates, not from
  // git; listed so Argo CD may act on them in the tenant's tree (delete one to reclaim a replica).
  gk("batch", "CronJob"),
  gk("batch", "Job"),
  gk("apps", "StatefulSet"),
  gk("", "PersistentVolumeClaim"),
  gk("monitoring.coreos.com", "PrometheusRule"),
]);

/** Cluster-scoped kinds the platform folder may hold: tenant namespaces, priority tiers, and the admission policy guarding the tenants' guardrails (the StorageClass is the platform layer's). */
export const PLATFORM_CLUSTER_KINDS: readonly GroupKind[] = Object.freeze([
  gk("", "Namespace"),
  gk("scheduling.k8s.io", "PriorityClass"),
  gk("admissionregistration.k8s.io", "ValidatingAdmissionPolicy"),
  gk("admissionregistration.k8s.io", "ValidatingAdmissionPolicyBinding"),
]);

/**
 * Namespaced kinds the platform folder may hold: each tenant's guardrails (quota, container
 * defaults, network policy, RBAC bindings, JWT verification, strict mTLS, the proxies' scope),
 * the models' gateway-bound routes, and what observes them (each namespace's PodMonitor, the
 * gateway's Telemetry, Grafana's dashboard ConfigMaps): a tenant cannot stop its own scraping.
 * No workloads: those belong to tenant Applications. No Role or ClusterRole(Binding): tenant
 * access binds the built-in ClusterRoles through RoleBindings inside the tenant's namespace.
 * A new platform kind is added here on purpose; until then BERTH0801 names it.
 */
export const PLATFORM_NAMESPACED_KINDS: readonly GroupKind[] = Object.freeze([
  gk("", "ConfigMap"),
  gk("", "LimitRange"),
  gk("", "ResourceQuota"),
  gk("networking.istio.io", "Gateway"),
  gk("networking.istio.io", "Sidecar"),
  gk("networking.istio.io", "VirtualService"),
  gk("networking.k8s.io", "NetworkPolicy"),
  gk("rbac.authorization.k8s.io", "RoleBinding"),
  gk("security.istio.io", "PeerAuthentication"),
  gk("security.istio.io", "RequestAuthentication"),
  gk("monitoring.coreos.com", "PodMonitor"),
  gk("telemetry.istio.io", "Telemetry"),
]);

/** The Application kinds the root app syncs into the argocd namespace. */
export const APPS_KINDS: readonly GroupKind[] = Object.freeze([gk("argoproj.io", "AppProject"), gk("argoproj.io", "Application")]);

/** Kinds that have no namespace: never allowed in a tenant project. */
export const CLUSTER_SCOPED_KINDS: ReadonlySet<string> = new Set([
  "Namespace",
  "PriorityClass",
  "ClusterRole",
  "ClusterRoleBinding",
  "CustomResourceDefinition",
  "StorageClass",
  "PersistentVolume",
  "Node",
  "MutatingWebhookConfiguration",
  "ValidatingWebhookConfiguration",
  "APIService",
  "IngressClass",
  "RuntimeClass",
  "ClusterConfig",
  "ValidatingAdmissionPolicy",
  "ValidatingAdmissionPolicyBinding",
]);

export function groupOf(apiVersion: string): string {
  return apiVersion.includes("/") ? apiVersion.slice(0, apiVersion.indexOf("/")) : "";
}

export const projectNames = {
  bootstrap: "berth-bootstrap",
  platform: "berth-platform",
  tenant: (t: string) => `tenant-${t}`,
};

function project(name: string, labels: Record<string, string>, annotations: Record<string, string>, spec: IAppProject["spec"]): IAppProject {
  return {
    apiVersion: "argoproj.io/v1alpha1",
    kind: "AppProject",
    metadata: {
      name,
      namespace: ARGOCD_NAMESPACE,
      labels,
      ...(Object.keys(annotations).length > 0 ? { annotations } : {}),
      finalizers: [RESOURCES_FINALIZER],
    },
    spec,
  };
}

const list = (kinds: readonly GroupKind[]) => kinds.map((k) => ({ group: k.group, kind: k.kind }));

/** The tenant's project: its namespace on this cluster, its workload kinds, nothing cluster-wide. */
export function tenantProject(t: TenantPlan, repoURL: string, annotations: Record<string, string>): IAppProject {
  const name = projectNames.tenant(t.name);
  return project(name, { ...MANAGED_BY, [LABEL_TENANT]: t.name }, annotations, {
    description: `Tenant ${t.name}: its model workloads in namespace ${t.namespace} only`,
    sourceRepos: [repoURL],
    destinations: [{ server: IN_CLUSTER, namespace: t.namespace }],
    clusterResourceWhitelist: [],
    namespaceResourceWhitelist: list(TENANT_KINDS),
    orphanedResources: { ...ORPHANED_RESOURCES },
    ...(tenantRoles(t, name).length > 0 ? { roles: tenantRoles(t, name) } : {}),
  });
}

/**
 * Argo CD roles for the tenant's identity-provider groups: every group may see the tenant's
 * Applications, `edit` and `admin` groups may also trigger a sync (e.g. after retries ran out).
 */
function tenantRoles(t: TenantPlan, projectName: string): NonNullable<IAppProject["spec"]["roles"]> {
  const access = t.spec.access ?? [];
  const readers = [...new Set(access.map((a) => a.group))].sort();
  const deployers = [...new Set(access.filter((a) => a.role !== "view").map((a) => a.group))].sort();
  const policy = (role: string, action: string) => `p, proj:${projectName}:${role}, applications, ${action}, ${projectName}/*, allow`;
  const roles: NonNullable<IAppProject["spec"]["roles"]> = [];
  if (readers.length > 0) roles.push({ name: "read", description: "see the tenant's Applications", groups: readers, policies: [policy("read", "get")] });
  if (deployers.length > 0)
    roles.push({ name: "deploy", description: "sync the tenant's Applications", groups: deployers, policies: [policy("deploy", "sync")] });
  return roles;
}

/** The platform's project: every namespace platform objects land in, guardrail and mesh kinds. */
export function platformProject(namespaces: readonly string[], repoURL: string, annotations: Record<string, string>): IAppProject {
  return project(projectNames.platform, { ...MANAGED_BY }, annotations, {
    description: "Platform guardrails and mesh objects: tenant namespaces, quotas, RBAC, policies, routes",
    sourceRepos: [repoURL],
    destinations: [...new Set(namespaces)].sort().map((namespace) => ({ server: IN_CLUSTER, namespace })),
    clusterResourceWhitelist: list(PLATFORM_CLUSTER_KINDS),
    namespaceResourceWhitelist: list(PLATFORM_NAMESPACED_KINDS),
    orphanedResources: { ...ORPHANED_RESOURCES },
  });
}

/** The project of the root app: Applications and AppProjects in the argocd namespace, nothing else. */
export function bootstrapProject(repoURL: string): IAppProject {
  return project(
    projectNames.bootstrap,
    { ...MANAGED_BY },
    {},
    {
      description: "The root app of apps: Argo CD Applications and AppProjects only",
      sourceRepos: [repoURL],
      destinations: [{ server: IN_CLUSTER, namespace: ARGOCD_NAMESPACE }],
      clusterResourceWhitelist: [],
      namespaceResourceWhitelist: list(APPS_KINDS),
    },
  );
}
