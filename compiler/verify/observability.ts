// Every PromQL expression berth renders, in SLO rules and in dashboards, parses with Prometheus's
// grammar and names only series the cluster's rendered configuration produces (series.ts); and
// every workload pod is scraped exactly once (scrape-coverage.ts). Also the list `check` prints
// of models that declare no SLO, and so get no alerts.
import type { Diagnostics } from "../diagnostics.js";
import { hasAddon } from "../emit/observability.js";
import type { Rendered } from "../emit/types.js";
import type { Plan } from "../plan/types.js";
import { checkExpr } from "./promql.js";
import { verifyScrapeCoverage } from "./scrape-coverage.js";
import { seriesRegistry } from "./series.js";

type Obj = Record<string, unknown>;
const obj = (v: unknown): Obj => (v && typeof v === "object" && !Array.isArray(v) ? (v as Obj) : {});
const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);

/** Each expression an object holds, with what it is: rules of a PrometheusRule, panels of a dashboard ConfigMap. */
export function expressionsOf(r: Rendered): { what: string; expr: string }[] {
  const out: { what: string; expr: string }[] = [];
  if (r.object.kind === "PrometheusRule") {
    for (const g of list(obj(r.object.spec).groups))
      list(obj(g).rules).forEach((x, i) => {
        const rule = obj(x);
        out.push({ what: `rule ${String(rule.record ?? rule.alert ?? i)}`, expr: String(rule.expr ?? "") });
      });
  }
  if (r.object.kind === "ConfigMap" && r.object.metadata.labels?.grafana_dashboard !== undefined) {
    for (const [key, text] of Object.entries(obj(r.object.data))) {
      let board: Obj;
      try {
        board = obj(JSON.parse(String(text)));
      } catch {
        out.push({ what: `dashboard ${key}`, expr: "(not JSON)" });
        continue;
      }
      for (const p of list(board.panels).map(obj))
        for (const t of list(p.targets).map(obj)) out.push({ what: `dashboard ${key} panel "${String(p.title)}"`, expr: String(t.expr ?? "") });
    }
  }
  return out;
}

export function verifyObservability(plan: Plan, objects: readonly Rendered[], diags: Diagnostics): void {
  verifyScrapeCoverage(objects, new Set(plan.clusters.filter((c) => hasAddon(c, "prometheus-operator-crds")).map((c) => c.name)), diags);
  const byCluster = new Map<string, Rendered[]>();
  for (const r of objects) {
    const list = byCluster.get(r.owner.cluster);
    if (list) list.push(r);
    else byCluster.set(r.owner.cluster, [r]);
  }
  for (const cluster of plan.clusters) {
    const mine = byCluster.get(cluster.name) ?? [];
    const registry = seriesRegistry(cluster, mine);
    for (const r of mine) {
      for (const { what, expr } of expressionsOf(r)) {
        const why = checkExpr(expr, registry);
        if (why)
          diags.report(
            "BERTH1604",
            r.origin,
            `${r.object.kind} ${r.object.metadata.name} (${r.path}) ${what}: expr ${why}`,
            "this is a berth bug: compiler/emit/observability-*.ts must only query series the rendered scrape configuration produces",
          );
      }
    }
  }
}

/** Models that declare no SLO, per cluster: they get dashboards but no alerts. */
export function modelsWithoutSlo(plan: Plan): { cluster: string; model: string; file: string }[] {
  return plan.clusters.flatMap((c) => c.models.filter((m) => !m.model.slo).map((m) => ({ cluster: c.name, model: m.name, file: m.file })));
}
