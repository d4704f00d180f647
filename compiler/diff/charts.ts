// The report's view of a pull request: traffic shifts as mermaid charts (GitHub renders `mermaid`
// code blocks; `xychart-beta` is the keyword every mermaid since 10.x accepts) and each pool's
// capacity before and after where its headroom changes. Both come from the two plans the diff
// already compiled, counted by capacityReport as `check` counts them.
import { cmp } from "../base/order.js";
import type { Plan } from "../plan/types.js";
import { amount, formatBytes, formatCores, type ResourceName } from "../plan/pod-requests.js";
import { capacityReport, type CapacityRow } from "../verify/capacity.js";

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

interface Level {
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
const LABEL: Record<ResourceName, string> = { cpu: "CPU cores", memory: "memory", gpu: "GPUs", pods: "pods", volumes: "EBS volumes" };
const MAX_CHARTS = 10;
const MAX_ROWS = 40;

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
  const rows = (plan: Plan) => new Map(capacityReport(plan).data.map((r) => [`${r.cluster}\u0000${r.pool}`, r] as const));
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

function fmt(d: ResourceName, n: number): string {
  return d === "cpu" ? formatCores(n) : d === "memory" ? formatBytes(n) : String(n);
}

/** A ten-step bar in text, so the table reads as a picture in any renderer. */
function textBar(used: number, limit: number | null): string {
  if (!limit) return used > 0 ? "no capacity" : "—";
  const share = used / limit;
  const filled = Math.min(10, Math.round(share * 10));
  return `${"▓".repeat(filled)}${"░".repeat(10 - filled)} ${Math.round(share * 100)}%`;
}

/** Mermaid takes the text between quotes literally; these names are DNS labels, but be sure. */
const quoted = (s: string) => `"${s.replace(/["\n\r`]/g, "'")}"`;

function trafficChart(s: TrafficShift): string {
  const labels = s.versions.flatMap((v) => [quoted(`${v.name} before`), quoted(`${v.name} after`)]);
  const values = s.versions.flatMap((v) => [v.before ?? 0, v.after ?? 0]);
  return [
    "```mermaid",
    "xychart-beta",
    `    title ${quoted(`${s.model} on ${s.cluster}: traffic %`)}`,
    `    x-axis [${labels.join(", ")}]`,
    '    y-axis "traffic %" 0 --> 100',
    `    bar [${values.join(", ")}]`,
    "```",
  ].join("\n");
}

const weight = (n?: number) => (n === undefined ? "—" : `${n}%`);

/** The markdown section for the pull-request comment; empty when nothing shifted. */
export function chartsMarkdown(c: DiffCharts, cell: (s: string) => string): string[] {
  const out: string[] = [];
  if (c.traffic.length > 0) {
    out.push(`### 🔀 Traffic shifts: ${c.traffic.length}`, "");
    out.push("| cluster | model | split before → after |", "|---|---|---|");
    for (const s of c.traffic.slice(0, MAX_ROWS))
      out.push(`| ${cell(s.cluster)} | ${cell(s.model)} | ${cell(s.versions.map((v) => `${v.name} ${weight(v.before)} → ${weight(v.after)}`).join(", "))} |`);
    if (c.traffic.length > MAX_ROWS) out.push("", `…and ${c.traffic.length - MAX_ROWS} more models.`);
    out.push("");
    // A few charts show at once; more are folded, so the comment stays readable.
    const charts = c.traffic.slice(0, MAX_CHARTS).flatMap((s) => [trafficChart(s), ""]);
    if (c.traffic.length <= 3) out.push(...charts);
    else
      out.push(
        `<details>`,
        `<summary>charts: traffic % per version, before and after${c.traffic.length > MAX_CHARTS ? ` (first ${MAX_CHARTS})` : ""}</summary>`,
        "",
        ...charts,
        "</details>",
        "",
      );
  }
  if (c.capacity.length > 0) {
    out.push(
      "### 📈 Capacity where headroom changes",
      "",
      "Pod requests at min and max replicas against the pool at maxSize (as `berth check` counts them).",
      "",
    );
    out.push("| cluster | pool | resource | at min | at max | pool at maxSize | at max, before → after |", "|---|---|---|---|---|---|---|");
    for (const h of c.capacity.slice(0, MAX_ROWS)) {
      const pair = (pick: (l: Level) => number | null) => {
        const [b, a] = [side(h.dimension, h.before, pick), side(h.dimension, h.after, pick)];
        return b === a ? b : `${b} → ${a}`;
      };
      const bars = `${h.before ? textBar(h.before.atMax, h.before.limit) : "new"} → ${h.after ? textBar(h.after.atMax, h.after.limit) : "gone"}`;
      out.push(
        `| ${cell(h.cluster)} | ${cell(h.pool)} | ${LABEL[h.dimension]} | ${pair((l) => l.atMin)} | ${pair((l) => l.atMax)} | ${pair((l) => l.limit)} | ${bars} |`,
      );
    }
    if (c.capacity.length > MAX_ROWS) out.push("", `…and ${c.capacity.length - MAX_ROWS} more rows.`);
    out.push("");
  }
  return out;
}

function side(d: ResourceName, l: Level | undefined, pick: (l: Level) => number | null): string {
  if (!l) return "—";
  const n = pick(l);
  return n === null ? "?" : fmt(d, n);
}
