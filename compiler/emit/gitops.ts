// Argo CD delivery per cluster: an app of apps. bootstrap/ holds the root Application and its
// project (applied once by hand); apps/ holds the AppProjects and the Applications the root app
// syncs: one for the platform folder and one per tenant workload folder. eksctl/ is never synced.
// On a production cluster the root app prunes a tenant Application (and with it, through the
// cascade finalizer, every workload it synced) only once someone confirms it.
import type { IApplication } from "@kubernetes-models/argo-cd/argoproj.io/v1alpha1/Application";
import type { IAppProject } from "@kubernetes-models/argo-cd/argoproj.io/v1alpha1/AppProject";
import { refAt, type Diagnostics } from "../diagnostics.js";
import type { ClusterPlan, Plan, TenantPlan } from "../plan.js";
import {
  ARGOCD_NAMESPACE, IN_CLUSTER, RESOURCES_FINALIZER, bootstrapProject, platformProject, projectNames, tenantProject,
} from "./gitops-projects.js";
import { LABEL_TENANT, MANAGED_BY, paths, waveAnnotation } from "./meta.js";
import { PRUNE_CONFIRM } from "./tenancy.js";
import { fileName, type KubeObject, type Rendered } from "./types.js";

/**
 * Waves of the root app's sync: projects before the Applications that name them, the platform
 * (namespaces, quotas, RBAC, policies) before tenant workloads. Waves between Applications only
 * wait for health when argocd-cm carries the Application health check (docs/gitops.md).
 */
export const APP_WAVE = { projects: "-2", platform: "-1", tenants: "0" } as const;

export const appNames = {
  root: "berth-root",
  platform: "berth-platform",
  tenant: (t: string) => `tenant-${t}`,
};

/** Argo CD keeps an app name in a label value when it tracks by label: 63 characters at most. */
const MAX_APP_NAME = 63;

const RETRY = { limit: 5, backoff: { duration: "10s", factor: 2, maxDuration: "3m" } };

/**
 * ServerSideApply: fields berth does not render (spec.replicas under an HPA, defaults, the mesh's
 * injections) stay with their owners, so no ignoreDifferences is needed. CreateNamespace=false:
 * namespaces are berth's own objects (with Prune=confirm), never a side effect of a sync.
 * FailOnSharedResource: an object already owned by another Application is a conflict, not a
 * takeover. PruneLast: a replaced version is deleted only after its successor is healthy.
 * ApplyOutOfSyncOnly: at fleet scale a sync applies only what changed.
 */
export const SYNC_OPTIONS = ["ServerSideApply=true", "CreateNamespace=false", "FailOnSharedResource=true", "PruneLast=true", "ApplyOutOfSyncOnly=true"] as const;

export function emitGitops(plan: Plan, rendered: readonly Rendered[], diags: Diagnostics): Rendered[] {
  const out: Rendered[] = [];
  const { platform } = plan.world;
  const repoURL = platform.spec.gitops.repoURL;
  const gitopsRef = refAt(platform.file, "spec", "gitops");
  const tooLong = new Set<string>();
  const filled = filledFolders(rendered);
  for (const cluster of plan.clusters) {
    const c = cluster.name;
    const add = (dir: string, argo: IApplication | IAppProject, sources: string[], origin = gitopsRef, tenant?: string) => {
      const object = argo as unknown as KubeObject;
      out.push({ path: `${dir}/${fileName(object.kind, object.metadata.name)}`, object, sources, origin, owner: { cluster: c, ...(tenant ? { tenant } : {}) } });
    };
    const base = { repoURL, targetRevision: clusterRevision(cluster, platform.spec.gitops.targetRevision) };

    add(paths.bootstrap(c), bootstrapProject(repoURL), [platform.file]);
    add(paths.bootstrap(c), application(appNames.root, projectNames.bootstrap, { ...base, path: paths.apps(c) }, ARGOCD_NAMESPACE, {}, false), [platform.file, cluster.file]);

    const platformObjects = rendered.filter((r) => r.owner.cluster === c && r.path.startsWith(paths.platform(c) + "/"));
    add(paths.apps(c), platformProject(platformNamespaces(cluster, platformObjects, platform.spec.ingress.gateway), repoURL, waveAnnotation(APP_WAVE.projects)), [platform.file, ...cluster.tenants.map((t) => t.file)]);
    if (platformObjects.length > 0) {
      // No finalizer: deleting this Application must never cascade to every tenant's namespace and guardrails.
      const app = application(appNames.platform, projectNames.platform, { ...base, path: paths.platform(c), directory: { recurse: true } }, gatewayNamespace(platform.spec.ingress.gateway), waveAnnotation(APP_WAVE.platform), false);
      add(paths.apps(c), app, [platform.file, cluster.file]);
    }

    for (const t of cluster.tenants) {
      const name = appNames.tenant(t.name);
      if (name.length > MAX_APP_NAME && !tooLong.has(t.name)) {
        tooLong.add(t.name);
        diags.error("BERTH0401", refAt(t.file, "metadata", "name"), `derived Argo CD name "${name}" is ${name.length} characters; Argo CD tracks apps by a label value of at most ${MAX_APP_NAME}`, `shorten the tenant name to at most ${MAX_APP_NAME - "tenant-".length} characters`);
      }
      const tenantRef = refAt(t.file, "metadata", "name");
      add(paths.apps(c), tenantProject(t, repoURL, waveAnnotation(APP_WAVE.projects)), [platform.file, t.file], tenantRef, t.name);
      // A tenant with nothing rendered on this cluster has no folder in git, so no Application.
      if (!filled.has(paths.tenantWorkloads(c, t.name))) continue;
      const annotations = { ...waveAnnotation(APP_WAVE.tenants), ...(isProduction(cluster) ? PRUNE_CONFIRM : {}) };
      const app = application(name, projectNames.tenant(t.name), { ...base, path: paths.tenantWorkloads(c, t.name), directory: { recurse: true } }, t.namespace, annotations, true, t);
      add(paths.apps(c), app, [platform.file, t.file], tenantRef, t.name);
    }
  }
  return out;
}

/** The environment whose tenant Applications Argo CD prunes only after someone confirms it. */
export const PRODUCTION = "production";

export function isProduction(cluster: ClusterPlan): boolean {
  return cluster.spec.environment === PRODUCTION;
}

/**
 * The revision a cluster syncs: its own (production can follow a promoted branch or tag while
 * staging follows main), else the platform's, else the repository's default branch.
 */
export function clusterRevision(cluster: ClusterPlan, platformRevision: string | undefined): string {
  return cluster.spec.targetRevision ?? platformRevision ?? "HEAD";
}

function application(
  name: string,
  projectName: string,
  source: NonNullable<IApplication["spec"]["source"]>,
  namespace: string,
  annotations: Record<string, string>,
  cascade: boolean,
  tenant?: TenantPlan,
): IApplication {
  return {
    apiVersion: "argoproj.io/v1alpha1",
    kind: "Application",
    metadata: {
      name,
      namespace: ARGOCD_NAMESPACE,
      labels: tenant ? { ...MANAGED_BY, [LABEL_TENANT]: tenant.name } : { ...MANAGED_BY },
      ...(Object.keys(annotations).length > 0 ? { annotations } : {}),
      ...(cascade ? { finalizers: [RESOURCES_FINALIZER] } : {}),
    },
    spec: {
      project: projectName,
      source,
      destination: { server: IN_CLUSTER, namespace },
      syncPolicy: { automated: { prune: true, selfHeal: true }, syncOptions: [...SYNC_OPTIONS], retry: RETRY },
    },
  };
}

/** The clusters/<c>/tenants/<t> folders that hold at least one rendered file. */
function filledFolders(rendered: readonly Rendered[]): Set<string> {
  const out = new Set<string>();
  for (const r of rendered) {
    const m = /^clusters\/[^/]+\/tenants\/[^/]+\//.exec(r.path);
    if (m) out.add(m[0].slice(0, -1));
  }
  return out;
}

function gatewayNamespace(gateway: string): string {
  return gateway.split("/")[0]!;
}

/** Tenant namespaces on the cluster, the gateway's, and any other namespace a platform object names. */
function platformNamespaces(cluster: ClusterPlan, platformObjects: readonly Rendered[], gateway: string): string[] {
  const ns = new Set(cluster.tenants.map((t) => t.namespace));
  ns.add(gatewayNamespace(gateway));
  for (const r of platformObjects) if (r.object.metadata.namespace) ns.add(r.object.metadata.namespace);
  return [...ns].sort();
}
