// Proves the Argo CD objects against everything else berth rendered: each object is synced by
// exactly one Application (eksctl/ and bootstrap/ by none), that Application's project admits its
// kind and namespace, and every tenant project is confined to its tenant's namespace.
import type { IApplication } from "@kubernetes-models/argo-cd/argoproj.io/v1alpha1/Application";
import type { IAppProject } from "@kubernetes-models/argo-cd/argoproj.io/v1alpha1/AppProject";
import type { Diagnostics } from "../diagnostics.js";
import { CLUSTER_SCOPED_KINDS, IN_CLUSTER, TENANT_KINDS, groupOf } from "../emit/gitops-projects.js";
import { LABEL_TENANT, paths } from "../emit/meta.js";
import type { Rendered } from "../emit/types.js";
import type { Plan } from "../plan/types.js";

type Spec<T extends { spec: unknown }> = T["spec"];

interface App {
  readonly rendered: Rendered;
  readonly spec: Spec<IApplication>;
}

/** Characters Argo CD reads as a pattern in a destination or source: a tenant may use none. */
const GLOB = /[*?[\]!{}]/;

export function verifyGitops(plan: Plan, objects: readonly Rendered[], diags: Diagnostics): void {
  for (const cluster of plan.clusters) {
    const mine = objects.filter((r) => r.owner.cluster === cluster.name);
    const apps: App[] = [];
    const projects = new Map<string, { rendered: Rendered; spec: Spec<IAppProject> }>();
    for (const r of mine) {
      if (r.object.apiVersion !== "argoproj.io/v1alpha1") continue;
      if (r.object.kind === "Application") apps.push({ rendered: r, spec: r.object.spec as Spec<IApplication> });
      if (r.object.kind === "AppProject") projects.set(r.object.metadata.name, { rendered: r, spec: r.object.spec as Spec<IAppProject> });
    }
    for (const app of apps) {
      const project = projects.get(app.spec.project);
      const dest = app.spec.destination;
      if (!project) fail(diags, app.rendered, `names AppProject ${app.spec.project}, which berth does not render on this cluster`);
      else if (!destinationAllowed(project.spec, dest.server ?? "", dest.namespace ?? ""))
        fail(diags, app.rendered, `destination ${dest.namespace} is not among AppProject ${app.spec.project}'s destinations`);
    }
    const manual = [paths.bootstrap(cluster.name) + "/", paths.eksctl(cluster.name) + "/"];
    const bySource = new Map<string, App[]>();
    for (const a of apps) {
      const dir = a.spec.source?.path;
      if (dir) bySource.set(dir, [...(bySource.get(dir) ?? []), a]);
    }
    for (const r of mine) {
      const syncing = syncedBy(r.path, bySource);
      if (manual.some((p) => r.path.startsWith(p))) {
        if (syncing.length > 0)
          diags.report(
            "BERTH0802",
            r.origin,
            `${describe(r)} is synced by Application ${names(syncing)}, but ${r.path.split("/")[2]}/ is applied by hand, never by Argo CD`,
            "this is a berth bug: no Application path may cover bootstrap/ or eksctl/",
          );
        continue;
      }
      if (syncing.length !== 1) {
        const why =
          syncing.length === 0
            ? "is synced by no Application: Argo CD would never apply it"
            : `is synced by ${syncing.length} Applications (${names(syncing)}), which would fight over it`;
        diags.report("BERTH0802", r.origin, `${describe(r)} ${why}`, "this is a berth bug: every rendered folder belongs to exactly one Application");
        continue;
      }
      const project = projects.get(syncing[0]!.spec.project);
      if (project) admit(r, syncing[0]!, project.spec, diags);
    }
    const tenantProjects = new Map([...projects.values()].map((p) => [p.rendered.object.metadata.labels?.[LABEL_TENANT], p] as const));
    for (const t of cluster.tenants) {
      const project = tenantProjects.get(t.name);
      if (project) confineTenant(project.rendered, project.spec, t.namespace, plan.world.platform.spec.gitops.repoURL, diags);
    }
  }
}

/**
 * The Applications that sync the file at `path`: those whose source path is its folder, or an
 * ancestor folder when they recurse. Looked up folder by folder, so the cost is the path's depth.
 */
function syncedBy(path: string, bySource: ReadonlyMap<string, readonly App[]>): App[] {
  const out: App[] = [];
  let dir = path.slice(0, path.lastIndexOf("/"));
  for (let direct = true; dir.length > 0; direct = false) {
    for (const a of bySource.get(dir) ?? []) if (direct || a.spec.source?.directory?.recurse === true) out.push(a);
    const cut = dir.lastIndexOf("/");
    dir = cut < 0 ? "" : dir.slice(0, cut);
  }
  return out;
}

function admit(r: Rendered, app: App, project: Spec<IAppProject>, diags: Diagnostics): void {
  const { apiVersion, kind, metadata } = r.object;
  const group = groupOf(apiVersion);
  const named = `kind ${group ? `${group}/` : ""}${kind}`;
  const listed = (l?: { group: string; kind: string }[]) => (l ?? []).some((k) => k.group === group && k.kind === kind);
  const clusterScoped = CLUSTER_SCOPED_KINDS.has(kind);
  if (clusterScoped) {
    if (!listed(project.clusterResourceWhitelist))
      fail(diags, r, `${named} is cluster-scoped and not in AppProject ${app.spec.project}'s clusterResourceWhitelist`);
    return;
  }
  // Argo CD admits any namespaced kind when the whitelist is empty; berth's never are.
  if ((project.namespaceResourceWhitelist ?? []).length > 0 && !listed(project.namespaceResourceWhitelist))
    fail(diags, r, `${named} is not in AppProject ${app.spec.project}'s namespaceResourceWhitelist`);
  const ns = metadata.namespace ?? app.spec.destination.namespace ?? "";
  if (!destinationAllowed(project, app.spec.destination.server ?? "", ns))
    fail(diags, r, `namespace ${ns} is not among AppProject ${app.spec.project}'s destinations`);
}

function destinationAllowed(project: Spec<IAppProject>, server: string, namespace: string): boolean {
  return (project.destinations ?? []).some((d) => (d.server === "*" || d.server === server) && (d.namespace === "*" || d.namespace === namespace));
}

/** Defence in depth for what gitops-projects.ts guarantees by construction. */
function confineTenant(r: Rendered, spec: Spec<IAppProject>, namespace: string, repoURL: string, diags: Diagnostics): void {
  const problems: string[] = [];
  const dests = spec.destinations ?? [];
  if (dests.length === 0) problems.push("it has no destination");
  for (const d of dests) {
    if (d.namespace !== namespace || GLOB.test(d.namespace ?? ""))
      problems.push(`destination namespace ${JSON.stringify(d.namespace ?? "")} is not the tenant's namespace ${namespace}`);
    if (d.server !== IN_CLUSTER || d.name !== undefined)
      problems.push(`destination cluster ${JSON.stringify(d.server ?? d.name ?? "")} is not this cluster (${IN_CLUSTER})`);
  }
  if ((spec.clusterResourceWhitelist ?? []).length > 0)
    problems.push(`clusterResourceWhitelist admits ${spec.clusterResourceWhitelist!.map((k) => k.kind).join(", ")}; a tenant gets no cluster-scoped kind`);
  const allowed = new Set(TENANT_KINDS.map((k) => `${k.group}/${k.kind}`));
  const whitelist = spec.namespaceResourceWhitelist ?? [];
  if (whitelist.length === 0) problems.push("namespaceResourceWhitelist is empty, which Argo CD reads as every namespaced kind");
  for (const k of whitelist)
    if (!allowed.has(`${k.group}/${k.kind}`))
      problems.push(`namespaceResourceWhitelist admits ${k.group ? `${k.group}/` : ""}${k.kind}, which berth never renders for a tenant`);
  const repos = spec.sourceRepos ?? [];
  if (repos.length !== 1 || repos[0] !== repoURL) problems.push(`sourceRepos ${JSON.stringify(repos)} is not just the platform's GitOps repository`);
  for (const p of problems)
    diags.report(
      "BERTH0803",
      r.origin,
      `AppProject ${r.object.metadata.name} (${r.path}): ${p}`,
      "this is a berth bug: a tenant project is built only from the tenant's namespace (compiler/emit/gitops-projects.ts)",
    );
}

function fail(diags: Diagnostics, r: Rendered, why: string): void {
  diags.report(
    "BERTH0801",
    r.origin,
    `${describe(r)}: ${why}`,
    "this is a berth bug: widen the project in compiler/emit/gitops-projects.ts only if the object truly belongs to it",
  );
}

function describe(r: Rendered): string {
  const { kind, metadata } = r.object;
  return `${kind} ${metadata.namespace ? `${metadata.namespace}/` : ""}${metadata.name} (${r.path})`;
}

function names(apps: readonly App[]): string {
  return apps.map((a) => a.rendered.object.metadata.name).join(", ");
}
