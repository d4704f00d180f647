// Builds the report's view model from one compile: the plan, the rendered objects and the
// diagnostics. Capacity comes from capacityRows and quota use from quotaUsage, the figures
// `check` proves from, so the page and the check can never disagree.
import { CATALOGUE } from "../../codes/index.js";
import type { CompileResult } from "../../compile.js";
import { cmp } from "../../base/order.js";
import { type LocatedDiagnostic } from "../../diagnostics.js";
import type { Plan } from "../../plan/types.js";
import { amount } from "../../plan/pod-requests.js";
import { capacityRows, type CapacityRow } from "../../verify/capacity.js";
import { quotaUsage, type QuotaUse } from "../../verify/quota.js";
import { relativeHref } from "./escape.js";
import { modelViews, notDeployed } from "./models.js";
import {
  DIMENSION_LABEL,
  formatValue,
  share,
  type ClusterView,
  type Contributor,
  type DiagnosticView,
  type Dimension,
  type Measure,
  type PoolView,
  type ReportView,
  type TenantView,
} from "./view.js";

export interface ViewOptions {
  /** The path from the report's folder back to the repository root ("..", "../.."). */
  readonly upToRoot: string;
  /** The text of a spec file's line, for the diagnostics list (undefined when unreadable). */
  readonly sourceLine?: (file: string, line: number) => string | undefined;
}

const DIMENSIONS: readonly Dimension[] = ["cpu", "memory", "gpu", "pods"];
const LARGEST = 5;

export function buildView(result: CompileResult, opts: ViewOptions): ReportView {
  const plan = result.plan;
  return {
    platform: plan?.world.platform.name ?? "berth",
    ok: result.ok,
    clusters: plan ? clusterViews(plan) : [],
    tenants: plan ? tenantViews(plan) : [],
    models: plan ? modelViews(plan, result.objects) : [],
    notDeployed: plan ? notDeployed(plan) : [],
    diagnostics: result.diagnostics.map((d) => diagnosticView(d, opts)),
  };
}

function clusterViews(plan: Plan): ClusterView[] {
  const rows = capacityRows(plan);
  return plan.clusters.map((c) => ({
    name: c.name,
    file: c.file,
    environment: c.spec.environment,
    region: c.spec.region,
    kubernetesVersion: c.spec.kubernetesVersion,
    pools: rows.filter((r) => r.cluster === c.name).map(poolView),
  }));
}

function poolView(r: CapacityRow): PoolView {
  const measures = DIMENSIONS.map((d): Measure => ({
    dimension: d,
    atMin: amount(r.atMin.requests, d),
    atMax: amount(r.atMax.requests, d),
    limit: r.allocatable ? amount(r.allocatable, d) : null,
  })).filter((m) => m.dimension !== "gpu" || m.atMax > 0 || (m.limit ?? 0) > 0);
  const nodesNeeded = r.atMin.nodesNeeded !== null && r.atMax.nodesNeeded !== null ? { min: r.atMin.nodesNeeded, max: r.atMax.nodesNeeded } : null;
  return {
    cluster: r.cluster,
    name: r.pool,
    instanceType: r.instanceType,
    minSize: r.minSize,
    maxSize: r.maxSize,
    nodesNeeded,
    ...poolStatus(r),
    measures,
    largest: largestInPool(r),
    models: r.models.length,
  };
}

function poolStatus(r: CapacityRow): { status: string; healthy: boolean } {
  if (!r.node) return { status: "instance type unknown to berth: capacity cannot be proven", healthy: false };
  const tooBig = r.models.filter((m) => !m.fitsNode).map((m) => m.model);
  const notes: string[] = [];
  if (!r.atMin.fits) notes.push("overflows the pool at minimum replicas");
  else if (!r.atMax.fits) notes.push("overflows the pool at maximum replicas");
  if (tooBig.length > 0) notes.push(`fits no node: ${tooBig.join(", ")}`);
  return notes.length > 0 ? { status: notes.join("; "), healthy: false } : { status: "fits at maximum replicas", healthy: true };
}

/** The models taking the largest share of the pool at maximum replicas, by their dominant resource. */
function largestInPool(r: CapacityRow): Contributor[] {
  const limit = (d: Dimension) => (r.allocatable ? amount(r.allocatable, d) : null);
  const scored = r.models.map((m) => {
    const atMax = DIMENSIONS.filter((d) => d !== "pods").map((d) => {
      const used = amount(m.pod, d) * m.maxPods;
      return { dimension: d, amount: used, share: share(used, limit(d)) };
    });
    // With an unknown instance type there are no shares: CPU decides.
    const key = atMax.reduce((w, a) => Math.max(w, a.share ?? 0), 0);
    return { m, atMax, key, cpu: atMax[0]!.amount };
  });
  scored.sort((a, b) => b.key - a.key || b.cpu - a.cpu || cmp(a.m.model, b.m.model));
  return scored.slice(0, LARGEST).map(({ m, atMax }) => ({
    model: m.model,
    tenant: m.tenant,
    pods: `${m.minPods}–${m.maxPods}`,
    atMax: atMax.filter((a) => a.dimension !== "gpu" || a.amount > 0),
  }));
}

function tenantViews(plan: Plan): TenantView[] {
  const use = new Map<string, QuotaUse[]>();
  for (const q of quotaUsage(plan)) {
    const key = `${q.tenant}\u0000${q.cluster}`;
    const list = use.get(key);
    if (list) list.push(q);
    else use.set(key, [q]);
  }
  const modelsOn = new Map<string, number>();
  for (const c of plan.clusters)
    for (const m of c.models) modelsOn.set(`${m.tenant.name}\u0000${c.name}`, (modelsOn.get(`${m.tenant.name}\u0000${c.name}`) ?? 0) + 1);
  return [...plan.world.tenants.values()]
    .sort((a, b) => cmp(a.name, b.name))
    .map((t): TenantView => {
      const clusters = plan.clusters
        .filter((c) => c.tenants.some((x) => x.name === t.name))
        .map((c) => {
          const uses = use.get(`${t.name}\u0000${c.name}`) ?? [];
          const measures = uses
            .map((q): Measure => ({ dimension: q.dimension, atMin: q.atMin, atMax: q.atMax, limit: q.quota }))
            .filter((m) => m.dimension !== "gpu" || m.atMax > 0 || (m.limit ?? 0) > 0);
          return { cluster: c.name, models: modelsOn.get(`${t.name}\u0000${c.name}`) ?? 0, measures, largest: largestInQuota(uses) };
        });
      return {
        name: t.name,
        file: t.file,
        namespace: t.namespace,
        owners: t.spec.owners,
        priority: t.spec.priority ?? 0,
        access: t.spec.access ?? [],
        clusters,
        fullest: fullest(clusters),
      };
    });
}

/** The dimension the tenant fills most at maximum replicas, and the models that fill it. */
function largestInQuota(uses: readonly QuotaUse[]): string {
  let top: QuotaUse | undefined;
  for (const q of uses) if (q.atMax > 0 && (!top || (share(q.atMax, q.quota) ?? 0) > (share(top.atMax, top.quota) ?? 0))) top = q;
  if (!top) return "";
  const d = top.dimension;
  const names = top.largestAtMax.slice(0, 3).map((s) => `${s.model} ${formatValue(d, s.total)}`);
  const rest = top.largestAtMax.length - names.length;
  return `${DIMENSION_LABEL[d]} at max: ${names.join(", ")}${rest > 0 ? `, and ${rest} more` : ""}`;
}

function fullest(clusters: TenantView["clusters"]): TenantView["fullest"] {
  let best: TenantView["fullest"] = null;
  for (const c of clusters)
    for (const m of c.measures) {
      const s = share(m.atMax, m.limit);
      if (s !== null && (!best || s > best.share)) best = { share: s, cluster: c.cluster, dimension: m.dimension };
    }
  return best;
}

/** Positions that name no file (`--base`, `--cluster`, `REF:path`) get no link. */
function isSpecPath(file: string): boolean {
  return /^[^-:][^:]*$/.test(file) && !file.split("/").includes("..");
}

function diagnosticView(d: LocatedDiagnostic, opts: ViewOptions): DiagnosticView {
  const linkable = isSpecPath(d.file);
  const source = linkable ? opts.sourceLine?.(d.file, d.line) : undefined;
  return {
    severity: d.severity,
    code: d.code,
    title: CATALOGUE[d.code]?.title ?? "",
    file: d.file,
    line: d.line,
    column: d.column,
    message: d.message,
    ...(d.hint ? { hint: d.hint } : {}),
    ...(linkable ? { href: relativeHref(opts.upToRoot, d.file, `L${d.line}`) } : {}),
    ...(source !== undefined ? { source } : {}),
  };
}
