// Per model: where it runs and, per cluster, its traffic split, group routes, callers, pool and
// the Argo CD Application that syncs it. Clusters on which all of that is the same share a row,
// which keeps a fleet's page small (most models are alike on every cluster).
import { cmp } from "../../base/order.js";
import type { Rendered } from "../../emit/types.js";
import type { ModelPlan, Plan } from "../../plan/types.js";
import type { ApplicationView, ModelPlacement, ModelView } from "./view.js";

interface AppSource {
  readonly app: ApplicationView;
  /** The folder the Application syncs, with a trailing slash. */
  readonly folder: string;
}

/**
 * Applications by cluster, read from the rendered objects rather than re-derived: whichever
 * Application's source folder holds a model's objects is the one that syncs it.
 */
function applicationsByCluster(objects: readonly Rendered[]): Map<string, AppSource[]> {
  const out = new Map<string, AppSource[]>();
  for (const r of objects) {
    if (r.object.kind !== "Application") continue;
    const spec = r.object.spec as { project?: string; source?: { path?: string } } | undefined;
    const path = spec?.source?.path;
    if (!path) continue;
    const list = out.get(r.owner.cluster) ?? [];
    list.push({ app: { name: r.object.metadata.name, project: spec.project ?? "", file: r.path }, folder: path.replace(/\/?$/, "/") });
    out.set(r.owner.cluster, list);
  }
  // The deepest folder wins, should Applications ever nest.
  for (const list of out.values()) list.sort((a, b) => b.folder.length - a.folder.length);
  return out;
}

/**
 * One rendered file per model and cluster: enough to find the folder it lives in. Its workload
 * (a Deployment) decides: the model's gateway-bound routes live in the platform's folder.
 */
function modelFiles(objects: readonly Rendered[]): Map<string, string> {
  const out = new Map<string, string>();
  for (const r of objects) {
    if (!r.owner.model || r.object.kind !== "Deployment") continue;
    const key = `${r.owner.cluster}\u0000${r.owner.model}`;
    if (!out.has(key)) out.set(key, r.path);
  }
  return out;
}

function sloPairs(spec: unknown): [string, string][] | null {
  const slo = (spec as { slo?: unknown } | undefined)?.slo;
  if (slo === undefined || slo === null) return null;
  if (typeof slo !== "object" || Array.isArray(slo)) return [["slo", String(slo)]];
  return Object.entries(slo as Record<string, unknown>).map(([k, v]) => [k, typeof v === "object" ? JSON.stringify(v) : String(v)]);
}

function placement(m: ModelPlan, application: ApplicationView | null): ModelPlacement {
  return {
    clusters: [m.cluster],
    versions: m.versions.map((v) => ({ name: v.version.name, traffic: v.version.traffic })),
    routes: m.model.routing.map((r) => ({ group: r.group, version: r.version })),
    access: [...m.model.access],
    application,
    pool: m.pool?.spec.name ?? null,
    replicas: `${m.model.autoscaling.minReplicas}–${m.model.autoscaling.maxReplicas}`,
  };
}

/** Everything shown but the cluster names; the Application by name only (its file names the cluster). */
function sameRow(a: ModelPlacement, b: ModelPlacement): boolean {
  const key = (p: ModelPlacement) => JSON.stringify([p.versions, p.routes, p.access, p.application?.name, p.application?.project, p.pool, p.replicas]);
  return key(a) === key(b);
}

export function modelViews(plan: Plan, objects: readonly Rendered[]): ModelView[] {
  const apps = applicationsByCluster(objects);
  const files = modelFiles(objects);
  const specs = new Map(plan.world.models.map((m) => [m.name, m]));
  const byName = new Map<string, { tenant: string; file: string; placements: ModelPlacement[] }>();
  for (const cluster of plan.clusters) {
    for (const m of cluster.models) {
      const file = files.get(`${cluster.name}\u0000${m.name}`);
      const app = file ? ((apps.get(cluster.name) ?? []).find((a) => file.startsWith(a.folder))?.app ?? null) : null;
      const row = placement(m, app);
      const entry = byName.get(m.name) ?? { tenant: m.tenant.name, file: m.file, placements: [] };
      byName.set(m.name, entry);
      const same = entry.placements.find((p) => sameRow(p, row));
      if (same) (same.clusters as string[]).push(cluster.name);
      else entry.placements.push(row);
    }
  }
  return [...byName.entries()]
    .sort(([a], [b]) => cmp(a, b))
    .map(([name, e]) => ({ name, tenant: e.tenant, file: e.file, slo: sloPairs(specs.get(name)?.spec), placements: e.placements }));
}

/** Models whose spec was read but that landed on no planned cluster. */
export function notDeployed(plan: Plan): { name: string; tenant: string; file: string }[] {
  const planned = new Set(plan.clusters.flatMap((c) => c.models.map((m) => m.name)));
  return plan.world.models
    .filter((m) => !planned.has(m.name))
    .map((m) => ({ name: m.name, tenant: m.tenant, file: m.file }))
    .sort((a, b) => cmp(a.name, b.name));
}
