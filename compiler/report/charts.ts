// The pull-request comment's pictures of a diff: traffic shifts as mermaid charts (GitHub renders
// `mermaid` code blocks; `xychart-beta` is the keyword every mermaid since 10.x accepts) and each
// pool's capacity before and after where its headroom changes (diff/charts.ts finds both).
import { appendAll } from "../base/arrays.js";
import { formatQuantity } from "../base/quantity.js";
import type { DiffCharts, Level, TrafficShift } from "../diff/charts.js";
import type { ResourceName } from "../plan/pod-requests.js";

const LABEL: Record<ResourceName, string> = { cpu: "CPU cores", memory: "memory", gpu: "GPUs", pods: "pods", volumes: "EBS volumes" };
const MAX_CHARTS = 10;
const MAX_ROWS = 40;

function fmt(d: ResourceName, n: number): string {
  return d === "cpu" ? formatQuantity("cpu", n, { decimals: 2 }) : d === "memory" ? formatQuantity("memory", n, { decimals: 1 }) : String(n);
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
    if (c.traffic.length <= 3) appendAll(out, charts);
    else {
      out.push(
        `<details>`,
        `<summary>charts: traffic % per version, before and after${c.traffic.length > MAX_CHARTS ? ` (first ${MAX_CHARTS})` : ""}</summary>`,
        "",
      );
      appendAll(out, charts);
      out.push("</details>", "");
    }
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
