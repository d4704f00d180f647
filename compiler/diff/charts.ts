// What a pull request does to traffic and capacity: each model's split before and after, and each
// pool's requests against its size where its headroom changes. Both come from the two plans the
// diff already compiled, counted by capacityRows as `check` counts them; report/charts.ts draws them.
import { cmp } from "../base/order.js";
import type { Plan } from "../plan/types.js";
import { amount, type ResourceName } from "../plan/pod-requests.js";
import { capacityRows, type CapacityRow } from "../verify/capacity.js";

export interface TrafficShift {
  readonly cluster: string;
  readonly tenant: string;
  readonly model: string;
  /** Every version on either side; undefined where the version is absent on that side. */
  readonly versions: readonly { name: string; before?: number; after?: number }[];
}

export interface HeadroomChange {
  readonly cluster: string;
  readonly pool: string;
  readonly dimension: ResourceName;
  readonly before?: Level;
  readonly after?: Level;
}

export interface Level {
  readonly atMin: number;
  readonly atMax: number;
  /** The pool at maxSize; null when the instance type is unknown. */
  readonly limit: number | null;
}

export interface DiffCharts {
  readonly traffic: readonly TrafficShift[];
  readonly capacity: readonly HeadroomChange[];
}

const DIMENSIONS: readonly ResourceName[] = ["cpu", "memory", "gpu", "pods"];

export function diffCharts(before?: Plan, after?: Plan): DiffCharts {
  if (!before || !after) return { traffic: [], capacity: [] };
  return { traffic: trafficShifts(before, after), capacity: headroomChanges(before, after) };
}

function trafficShifts(before: Plan, after: Plan): TrafficShift[] {
  const index = (plan: Plan) => new Map(plan.clusters.flatMap((c) => c.models.map((m) => [`${c.name}\u0000${m.name}`, m] as const)));
  const was = index(before);
  const out: TrafficShift[] = [];
  for (const [key, m] of index(after)) {
    const old = was.get(key);
    if (!old) continue;
    const w0 = new Map(old.versions.map((v) => [v.version.name, v.version.traffic]));
    const w1 = new Map(m.versions.map((v) => [v.version.name, v.version.traffic]));
    const names = [...new Set([...w0.keys(), ...w1.keys()])];
    if (names.every((n) => w0.get(n) === w1.get(n))) continue;
    out.push({
      cluster: m.cluster,
      tenant: m.tenant.name,
      model: m.name,
      versions: names.map((name) => ({ name, before: w0.get(name), after: w1.get(name) })),
    });
  }
  return out.sort((a, b) => cmp(a.cluster, b.cluster) || cmp(a.model, b.model));
}

function headroomChanges(before: Plan, after: Plan): HeadroomChange[] {
  const rows = (plan: Plan) => new Map(capacityRows(plan).map((r) => [`${r.cluster}\u0000${r.pool}`, r] as const));
  const was = rows(before);
  const now = rows(after);
  const out: HeadroomChange[] = [];
  for (const key of [...new Set([...was.keys(), ...now.keys()])].sort()) {
    const [b, a] = [was.get(key), now.get(key)];
    const [cluster, pool] = key.split("\u0000") as [string, string];
    for (const d of DIMENSIONS) {
      const [lb, la] = [b && level(b, d), a && level(a, d)];
      const same = lb && la && lb.atMin === la.atMin && lb.atMax === la.atMax && lb.limit === la.limit;
      const idle = (l?: Level) => !l || (l.atMax === 0 && !l.limit);
      if (same || (idle(lb) && idle(la))) continue;
      out.push({ cluster, pool, dimension: d, ...(lb ? { before: lb } : {}), ...(la ? { after: la } : {}) });
    }
  }
  return out;
}

function level(r: CapacityRow, d: ResourceName): Level {
  return { atMin: amount(r.atMin.requests, d), atMax: amount(r.atMax.requests, d), limit: r.allocatable ? amount(r.allocatable, d) : null };
}
