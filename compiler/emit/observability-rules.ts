// Per model with an `slo`: a PrometheusRule of multiwindow, multi-burn-rate alerts on its error
// budget, for availability and for latency, as the Google SRE workbook recommends ("Alerting on
// SLOs", chapter 5, table 5-8: page at 14.4× over 1h confirmed by 5m and at 6× over 6h confirmed
// by 30m; a ticket at 1× over 3d confirmed by 6h). Each window's ratio is a recording rule, so
// the alerts compare stored series and the 3-day window is computed once per evaluation.
import { ISTIO_DURATION, ISTIO_REQUESTS } from "../catalogue/metrics.js";
import type { ModelPlan, Plan } from "../plan/types.js";
import { latencyMs } from "../schema/slo.js";
import { modelLabels, paths, PROMETHEUS_SELECTOR, WAVE, waveAnnotation } from "./meta.js";
import { hasAddon } from "./observability.js";
import { fileName, type KubeObject, type Rendered } from "./types.js";

/** One alert condition: the budget burns `factor` times too fast over both windows. */
export interface BurnWindow {
  readonly factor: number;
  readonly long: string;
  readonly short: string;
  readonly severity: "page" | "ticket";
}

export const BURN_WINDOWS: readonly BurnWindow[] = [
  { factor: 14.4, long: "1h", short: "5m", severity: "page" },
  { factor: 6, long: "6h", short: "30m", severity: "page" },
  { factor: 1, long: "3d", short: "6h", severity: "ticket" },
];

/** A p99 objective: 1 % of requests may be slower. */
export const LATENCY_BUDGET = 0.01;

export const RATIO_WINDOWS: readonly string[] = [...new Set(BURN_WINDOWS.flatMap((w) => [w.short, w.long]))].sort((a, b) => seconds(a) - seconds(b));

/** The recorded series: per model and window, the share of requests that failed or were slow. */
export const RECORDED = {
  errors: (w: string) => `model:istio_request_errors:ratio_rate${w}`,
  slow: (w: string) => `model:istio_request_slow:ratio_rate${w}`,
};
/** The labels the recorded series keep: enough to route an alert to its tenant and to find the model. */
export const RECORDED_BY = ["cluster", "tenant", "model"] as const;

function seconds(w: string): number {
  const n = Number(w.slice(0, -1));
  return n * ({ m: 60, h: 3600, d: 86400 } as Record<string, number>)[w.slice(-1)]!;
}

/** `"M"` quoted for PromQL (model names are DNS labels; JSON's escaping is PromQL's). */
const q = (s: string) => JSON.stringify(s);

/**
 * `le` matched as either form of the bound: Prometheus 3 stores a classic histogram's `le` as a
 * float ("250.0"), Prometheus 2 as the exporter wrote it ("250").
 */
export function bucketMatcher(ms: number): string {
  const text = String(ms).replace(".", "\\\\.");
  return Number.isInteger(ms) ? `le=~"${text}(\\\\.0)?"` : `le=~"${text}"`;
}

/** A fraction with the float noise removed: 1 - 0.999 is 0.001, not 0.0010000000000000009. */
export function budgetOf(availability: number): number {
  return Number(((100 - availability) / 100).toPrecision(10));
}

export function errorRatio(m: ModelPlan, w: string): string {
  const by = `sum by (${RECORDED_BY.join(", ")})`;
  const sel = `reporter="destination", model=${q(m.name)}`;
  return `${by} (rate(${ISTIO_REQUESTS}{${sel}, response_code=~"5.."}[${w}])) / ${by} (rate(${ISTIO_REQUESTS}{${sel}}[${w}]))`;
}

export function slowRatio(m: ModelPlan, w: string, ms: number): string {
  const by = `sum by (${RECORDED_BY.join(", ")})`;
  const sel = `reporter="destination", model=${q(m.name)}`;
  return `1 - (${by} (rate(${ISTIO_DURATION}_bucket{${sel}, ${bucketMatcher(ms)}}[${w}])) / ${by} (rate(${ISTIO_DURATION}_count{${sel}}[${w}])))`;
}

function burnExpr(series: (w: string) => string, m: ModelPlan, budget: number, windows: readonly BurnWindow[]): string {
  const sel = `{model=${q(m.name)}}`;
  return windows.map((w) => `(${series(w.long)}${sel} > (${w.factor} * ${budget}) and ${series(w.short)}${sel} > (${w.factor} * ${budget}))`).join(" or ");
}

interface Rule {
  record?: string;
  alert?: string;
  expr: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}

function alerts(m: ModelPlan, kind: "availability" | "latency", series: (w: string) => string, budget: number, objective: string): Rule[] {
  const name = kind === "availability" ? "ModelErrorBudgetBurn" : "ModelLatencyBudgetBurn";
  const what = kind === "availability" ? "requests failing (5xx)" : `requests slower than ${objective}`;
  return (["page", "ticket"] as const).map((severity) => ({
    alert: name,
    expr: burnExpr(
      series,
      m,
      budget,
      BURN_WINDOWS.filter((w) => w.severity === severity),
    ),
    labels: { severity, tenant: m.tenant.name, model: m.name, slo: kind },
    annotations: {
      summary: `${m.name} (${m.tenant.name}) is burning its ${kind} error budget ${severity === "page" ? "fast" : "steadily"} on ${m.cluster}`,
      description: `${what} use up the budget of ${objective} faster than the SLO allows; see the ${m.tenant.name} dashboard in Grafana.`,
    },
  }));
}

export function sloRule(m: ModelPlan): KubeObject | undefined {
  const slo = m.model.slo;
  if (!slo) return undefined;
  const rules: Rule[] = RATIO_WINDOWS.map((w) => ({ record: RECORDED.errors(w), expr: errorRatio(m, w) }));
  rules.push(...alerts(m, "availability", RECORDED.errors, budgetOf(slo.availability), `${slo.availability}% availability`));
  const ms = slo.latencyP99 === undefined ? undefined : latencyMs(slo.latencyP99);
  if (ms !== undefined) {
    rules.push(...RATIO_WINDOWS.map((w) => ({ record: RECORDED.slow(w), expr: slowRatio(m, w, ms) })));
    rules.push(...alerts(m, "latency", RECORDED.slow, LATENCY_BUDGET, `99% under ${slo.latencyP99}`));
  }
  return {
    apiVersion: "monitoring.coreos.com/v1",
    kind: "PrometheusRule",
    metadata: {
      name: `${m.name}-slo`,
      namespace: m.tenant.namespace,
      labels: { ...modelLabels(m), ...PROMETHEUS_SELECTOR },
      annotations: waveAnnotation(WAVE.workload),
    },
    spec: { groups: [{ name: `${m.name}-slo`, rules }] },
  };
}

export function emitSloRules(plan: Plan): Rendered[] {
  const out: Rendered[] = [];
  for (const cluster of plan.clusters) {
    if (!hasAddon(cluster, "prometheus-operator-crds")) continue;
    for (const m of cluster.models) {
      const object = sloRule(m);
      if (!object) continue;
      out.push({
        path: `${paths.model(cluster.name, m.tenant.name, m.name)}/${fileName(object.kind, object.metadata.name)}`,
        object,
        sources: [m.file],
        origin: m.prov.of("slo"),
        owner: { cluster: cluster.name, tenant: m.tenant.name, model: m.name },
      });
    }
  }
  return out;
}
