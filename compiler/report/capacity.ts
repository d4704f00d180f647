// The capacity and rollout tables `berth check` prints under its diagnostics, from the rows
// verify/capacity.ts computes (the JSON envelope carries the same rows as data).
import { appendAll } from "../base/arrays.js";
import { formatQuantity } from "../base/quantity.js";
import type { Resources } from "../plan/pod-requests.js";
import type { GatewayTiming } from "../plan/rollout.js";
import type { CapacityRow } from "../verify/capacity.js";

/** The capacity table `berth check` prints, one block per cluster; "" when there are no pools. */
export function capacityText(rows: readonly CapacityRow[], gateways: ReadonlyMap<string, GatewayTiming> = new Map()): string {
  if (rows.length === 0) return "";
  const lines = [
    "capacity: pod requests at min / max replicas against each pool at maxSize (allocatable after the EKS reservation and daemon allowance; docs/pools.md)",
  ];
  for (const cluster of [...new Set(rows.map((r) => r.cluster))]) {
    lines.push(`${cluster}:`);
    const table = [["pool", "instance", "nodes", "cpu cores", "memory GiB", "gpus", "pods", "nodes needed", "status"]];
    for (const r of rows.filter((x) => x.cluster === cluster)) {
      const triple = (pick: (x: Resources) => number, fmt: (n: number) => string) =>
        `${fmt(pick(r.atMin.requests))} / ${fmt(pick(r.atMax.requests))} of ${r.allocatable ? fmt(pick(r.allocatable)) : "?"}`;
      table.push([
        r.pool,
        r.instanceType,
        `${r.minSize}..${r.maxSize}`,
        triple(
          (x) => x.cpuMilli,
          (n) => formatQuantity("cpu", n, { decimals: 2 }),
        ),
        triple(
          (x) => x.memoryBytes,
          (n) => formatQuantity("memory", n, { decimals: 1, unit: false }),
        ),
        triple((x) => x.gpus, String),
        triple((x) => x.pods, String),
        r.node ? `${r.atMin.nodesNeeded} / ${r.atMax.nodesNeeded}` : "?",
        status(r),
      ]);
    }
    appendAll(
      lines,
      alignColumns(table).map((l) => `  ${l}`),
    );
  }
  appendAll(lines, rolloutText(rows, gateways));
  return lines.join("\n") + "\n";
}

function rolloutText(rows: readonly CapacityRow[], gateways: ReadonlyMap<string, GatewayTiming>): string[] {
  const lines = ["rollouts: per model, seconds (progress deadline = node + image + startup + ready + slack, rounded up to a minute; docs/rollouts.md)"];
  for (const cluster of [...new Set(rows.map((r) => r.cluster))]) {
    const table = [["model", "pool", "timeout", "preStop", "drain", "grace", "deadline", "= node + image + startup + ready", "zone spread", "scales on"]];
    for (const r of rows.filter((x) => x.cluster === cluster)) {
      for (const m of r.models) {
        const o = m.rollout;
        if (!o) continue;
        const d = o.deadline;
        const zones = o.zones > 0 ? `${o.zoneSpread} (${o.zones} zones)` : `${o.zoneSpread} (zones unknown)`;
        table.push([
          `${m.tenant}/${m.model}`,
          r.pool,
          String(o.timeoutSeconds),
          String(o.preStopSeconds),
          String(o.drainSeconds),
          String(o.terminationGracePeriodSeconds),
          String(o.progressDeadlineSeconds),
          `${d.nodeSeconds} + ${d.imageSeconds} + ${d.startupSeconds} + ${d.readySeconds}`,
          zones,
          o.signals.join(", ") || "fixed replicas",
        ]);
      }
    }
    if (table.length === 1) continue;
    lines.push(`${cluster}:`);
    appendAll(
      lines,
      alignColumns(table).map((l) => `  ${l}`),
    );
    const g = gateways.get(cluster);
    if (g) lines.push(`  gateway: drain ${g.drainSeconds}, grace ${g.terminationGracePeriodSeconds} (5 + longest timeout ${g.timeoutSeconds} + 5)`);
  }
  return lines.length > 1 ? lines : [];
}

function status(r: CapacityRow): string {
  if (!r.node) return "unknown instance type";
  const tooBig = r.models.filter((m) => !m.fitsNode).map((m) => m.model);
  const notes = [];
  if (!r.atMin.fits) notes.push("OVERFLOWS at min");
  else if (!r.atMax.fits) notes.push("overflows at max");
  if (tooBig.length > 0) notes.push(`fits no node: ${tooBig.join(", ")}`);
  return notes.length > 0 ? notes.join("; ") : "ok";
}

function alignColumns(rows: readonly string[][]): string[] {
  const widths = rows[0]!.map((_, i) => rows.reduce((w, r) => Math.max(w, r[i]!.length), 0));
  return rows.map((r) =>
    r
      .map((cell, i) => (i === r.length - 1 ? cell : cell.padEnd(widths[i]!)))
      .join("  ")
      .trimEnd(),
  );
}
