// Argo CD delivery per cluster: an app of apps. bootstrap/ holds the root Application and its
// project (applied once by hand); apps/ holds the AppProjects and the Applications the root app
// syncs: one for the platform folder and one per model folder, so one model's failing rollout or
// blocked prune holds up no other model (docs/gitops.md weighs this against an ApplicationSet).
// eksctl/ is never synced. On a production cluster the root app prunes a model's Application (and
// with it, through the cascade finalizer, every workload it synced) only once someone confirms it.
import type { IApplication } from "@kubernetes-models/argo-cd/argoproj.io/v1alpha1/Application";
import type { IAppProject } from "@kubernetes-models/argo-cd/argoproj.io/v1alpha1/AppProject";
import { refAt } from "../diagnostics.js";
import { modelAppName, storeAppName, tenantAppName } from "../plan/names.js";
import type { ClusterPlan, Plan, TenantPlan } from "../plan/types.js";
import { ARGOCD_NAMESPACE, IN_CLUSTER, RESOURCES_FINALIZER, bootstrapProject, platformProject, projectNames, tenantProject } from "./gitops-projects.js";
import { LABEL_NAME, LABEL_TENANT, MANAGED_BY, paths, waveAnnotation } from "./meta.js";
import { PRUNE_CONFIRM } from "./tenancy.js";
import { placed, type Rendered } from "./types.js";

/**
 * Waves of the root app's sync: projects before the Applications that name them, the platform
 * layer's charts in between (platform-layer-apps.ts, -9 to -6), the platform
 * (namespaces, quotas, RBAC, policies) before tenant workloads. Waves between Applications only
 * wait for health when argocd-cm carries the Application health check (docs/gitops.md).
 */
export const APP_WAVE = { projects: "-10", platform: "-1", tenants: "0" } as const;

export const appNames = {
  root: "berth-root",
  platform: "berth-platform",
  tenant: tenantAppName,
  model: modelAppName,
  store: storeAppName,
  /** A workload folder of the tenant that is neither a model's nor a store's. */
  folder: (t: string, folder: string) => `tenant-${t}-${folder}`,
};

/**
 * Argo CD refreshes an Application only when a commit touches its own folder (docs: high
 * availability, "Manifest Paths Annotation"): with one Application per model in one repository,
 * a commit to one model does not make every other Application regenerate its manifests.
 */
export const MANIFEST_PATHS = { "argocd.argoproj.io/manifest-generate-paths": "." } as const;

export const RETRY = { limit: 5, backoff: { duration: "10s", factor: 2, maxDuration: "3m" } };

/**
 * ServerSideApply: fields berth does not render (spec.replicas under an HPA, defaults, the mesh's
 * injections) stay with their owners, so no ignoreDifferences is needed. CreateNamespace=false:
 * namespaces are berth's own objects (with Prune=confirm), never a side effect of a sync.
 * FailOnSharedResource: an object already owned by another Application is a conflict, not a
 * takeover. PruneLast: a replaced version is deleted only after its successor is healthy.
 * ApplyOutOfSyncOnly: at fleet scale a sync applies only what changed.
 */
export const SYNC_OPTIONS = [
  "ServerSideApply=true",
  "CreateNamespace=false",
  "FailOnSharedResource=true",
  "PruneLast=true",
  "ApplyOutOfSyncOnly=true",
] as const;

export function emitGitops(plan: Plan, rendered: readonly Rendered[]): Rendered[] {
  const out: Rendered[] = [];
  const { platform } = plan.world;
  const repoURL = platform.spec.gitops.repoURL;
  const gitopsRef = refAt(platform.file, "spec", "gitops");
  const filled = filledFolders(rendered);
  for (const cluster of plan.clusters) {
    const c = cluster.name;
    const add = (dir: string, argo: IApplication | IAppProject, sources: string[], origin = gitopsRef, tenant?: string, model?: string) =>
      out.push(placed(dir, argo, { sources, origin, owner: { cluster: c, ...(tenant ? { tenant } : {}), ...(model ? { model } : {}) } }));
    const base = { repoURL, targetRevision: clusterRevision(cluster, platform.spec.gitops.targetRevision) };

    add(paths.bootstrap(c), bootstrapProject(repoURL), [platform.file]);
    add(paths.bootstrap(c), application(appNames.root, projectNames.bootstrap, { ...base, path: paths.apps(c) }, ARGOCD_NAMESPACE, {}, false), [
      platform.file,
      cluster.file,
    ]);

    const platformObjects = rendered.filter((r) => r.owner.cluster === c && r.path.startsWith(paths.platform(c) + "/"));
    add(
      paths.apps(c),
      platformProject(platformNamespaces(cluster, platformObjects, platform.spec.ingress.gateway), repoURL, waveAnnotation(APP_WAVE.projects)),
      [platform.file, ...cluster.tenants.map((t) => t.file)],
    );
    if (platformObjects.length > 0) {
      // No finalizer: deleting this Application must never cascade to every tenant's namespace and guardrails.
      const app = application(
        appNames.platform,
        projectNames.platform,
        { ...base, path: paths.platform(c), directory: { recurse: true } },
        gatewayNamespace(platform.spec.ingress.gateway),
        waveAnnotation(APP_WAVE.platform),
        false,
      );
      add(paths.apps(c), app, [platform.file, cluster.file]);
    }

    const models = new Map(cluster.models.map((m) => [m.name, m]));
    const stores = new Map(cluster.stores.map((s) => [s.name, s]));
    for (const t of cluster.tenants) {
      const tenantRef = refAt(t.file, "metadata", "name");
      add(paths.apps(c), tenantProject(t, repoURL, waveAnnotation(APP_WAVE.projects)), [platform.file, t.file], tenantRef, t.name);
      // A tenant with nothing rendered on this cluster has no folder in git, so no Application.
      const folder = filled.get(paths.tenantWorkloads(c, t.name));
      if (!folder) continue;
      const annotations = { ...waveAnnotation(APP_WAVE.tenants), ...MANIFEST_PATHS, ...(isProduction(cluster) ? PRUNE_CONFIRM : {}) };
      const workloads = (name: string, path: string, recurse: boolean, file: string, model?: string) => {
        const app = application(name, projectNames.tenant(t.name), { ...base, path, directory: { recurse } }, t.namespace, annotations, true, t, model);
        add(paths.apps(c), app, [platform.file, file], refAt(file, "metadata", "name"), t.name, model);
      };
      // Files straight in the tenant's folder, if an emitter ever puts any there, stay with the tenant.
      if (folder.direct) workloads(appNames.tenant(t.name), paths.tenantWorkloads(c, t.name), false, t.file);
      for (const sub of [...folder.subfolders].sort()) {
        const m = models.get(sub);
        const path = `${paths.tenantWorkloads(c, t.name)}/${sub}`;
        const s = stores.get(sub);
        if (m && m.tenant === t) workloads(appNames.model(sub), path, true, m.file, sub);
        else if (s && s.tenant === t) workloads(appNames.store(sub), path, true, s.file, sub);
        else workloads(appNames.folder(t.name, sub), path, true, t.file);
      }
    }
  }
  return out;
}

/**
 * The Argo CD Application that syncs a rendered file, by the layout emitGitops writes: what `diff`
 * names for each change. Undefined for bootstrap/ and eksctl/, which are applied by hand.
 */
export function applicationOf(path: string, owner: { model?: string; store?: boolean }): string | undefined {
  const m = /^clusters\/[^/]+\/(apps|platform|tenants)\/(?:([^/]+)\/(?:([^/]+)\/)?)?/.exec(path);
  if (!m) return undefined;
  if (m[1] === "apps") return appNames.root;
  if (m[1] === "platform") return appNames.platform;
  const [tenant, sub] = [m[2], m[3]];
  if (tenant === undefined) return undefined;
  if (sub === undefined) return appNames.tenant(tenant);
  if (owner.model !== sub) return appNames.folder(tenant, sub);
  return owner.store ? appNames.store(sub) : appNames.model(sub);
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
  model?: string,
): IApplication {
  return {
    apiVersion: "argoproj.io/v1alpha1",
    kind: "Application",
    metadata: {
      name,
      namespace: ARGOCD_NAMESPACE,
      labels: tenant ? { ...MANAGED_BY, ...(model ? { [LABEL_NAME]: model } : {}), [LABEL_TENANT]: tenant.name } : { ...MANAGED_BY },
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

interface TenantFolder {
  /** A file lies straight in clusters/<c>/tenants/<t>/. */
  direct: boolean;
  /** The subfolders that hold at least one file: one per model (or other workload). */
  subfolders: Set<string>;
}

/** The clusters/<c>/tenants/<t> folders that hold at least one rendered file, with their filled subfolders. */
function filledFolders(rendered: readonly Rendered[]): Map<string, TenantFolder> {
  const out = new Map<string, TenantFolder>();
  for (const r of rendered) {
    const m = /^(clusters\/[^/]+\/tenants\/[^/]+)\/(?:([^/]+)\/)?/.exec(r.path);
    if (!m) continue;
    let folder = out.get(m[1]!);
    if (!folder) out.set(m[1]!, (folder = { direct: false, subfolders: new Set() }));
    if (m[2] === undefined) folder.direct = true;
    else folder.subfolders.add(m[2]);
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
