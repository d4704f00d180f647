// The series a cluster's rendered configuration produces, as a registry of metric → labels: what
// the PodMonitors scrape from Istio's endpoints (the standard request metrics with Istio's tags,
// the Operator's target labels and each relabelling's target), the tags the Telemetry adds, the
// exporters of the charts the platform layer installs, and the recording rules' own series.
import { CHART_SERIES, ISTIO_REQUEST_SERIES, ISTIO_STANDARD_TAGS, ISTIO_STATS_PATH, OPERATOR_TARGET_LABELS } from "../catalogue/metrics.js";
import type { Rendered } from "../emit/types.js";
import type { ClusterPlan } from "../plan/types.js";
import { namesOf, type SeriesRegistry } from "./promql.js";

type Obj = Record<string, unknown>;
const obj = (v: unknown): Obj => (v && typeof v === "object" && !Array.isArray(v) ? (v as Obj) : {});
const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);

/** Which chart's exporter produces which series (catalogue/metrics.ts CHART_SERIES). */
const SERIES_CHART: Readonly<Record<string, string>> = {
  kube_resourcequota: "kube-prometheus-stack",
  kube_node_labels: "kube-prometheus-stack",
  DCGM_FI_DEV_GPU_UTIL: "dcgm-exporter",
};

export function seriesRegistry(cluster: ClusterPlan, mine: readonly Rendered[]): SeriesRegistry {
  const registry = new Map<string, Set<string>>();
  const add = (metric: string, labels: Iterable<string>) => {
    const set = registry.get(metric) ?? new Set<string>();
    for (const l of labels) set.add(l);
    registry.set(metric, set);
  };
  const istio = (labels: Iterable<string>) => {
    const all = [...labels];
    for (const s of ISTIO_REQUEST_SERIES) add(s.name, [...all, ...s.extra]);
  };
  for (const r of mine) {
    const { kind, apiVersion } = r.object;
    if ((kind === "PodMonitor" || kind === "ServiceMonitor") && apiVersion.startsWith("monitoring.coreos.com/")) {
      const endpoints = list(obj(r.object.spec)[kind === "PodMonitor" ? "podMetricsEndpoints" : "endpoints"]).map(obj);
      for (const e of endpoints) {
        if (e.path !== ISTIO_STATS_PATH) continue;
        const targets = list(e.relabelings)
          .map((x) => obj(x).targetLabel)
          .filter((t): t is string => typeof t === "string");
        istio([...ISTIO_STANDARD_TAGS, ...OPERATOR_TARGET_LABELS, ...targets]);
      }
    }
    if (kind === "Telemetry" && apiVersion.startsWith("telemetry.istio.io/")) {
      for (const m of list(obj(r.object.spec).metrics))
        for (const o of list(obj(m).overrides))
          for (const [tag, v] of Object.entries(obj(obj(o).tagOverrides))) if (obj(v).operation !== "REMOVE") istio([tag]);
    }
  }
  const charts = new Set<string>(cluster.addons.map((a) => a.name));
  for (const [metric, labels] of Object.entries(CHART_SERIES)) if (charts.has(SERIES_CHART[metric]!)) add(metric, [...labels, ...OPERATOR_TARGET_LABELS]);
  for (const r of mine) {
    if (r.object.kind !== "PrometheusRule") continue;
    for (const g of list(obj(r.object.spec).groups))
      for (const rule of list(obj(g).rules).map(obj))
        if (typeof rule.record === "string" && typeof rule.expr === "string")
          add(rule.record, [...namesOf(rule.expr).grouping, ...Object.keys(obj(rule.labels))]);
  }
  return registry;
}
