import type { CodeInfo } from "./info.js";

/** Scraping, request metrics, SLO alerts and dashboards (16xx). */
export const observabilityCodes = {
  BERTH1601: {
    severity: "error",
    title: "SLO availability is not a percentage below 100",
    example:
      "models/a/fraud.yaml:14:22: error BERTH1601: slo.availability 100 is not a percentage strictly between 0 and 100\n  hint: no service meets 100 %: its error budget is zero, so every failed request would page; write e.g. 99.9",
  },
  BERTH1602: {
    severity: "error",
    title: "SLO latency is not a histogram bucket",
    example:
      "models/a/fraud.yaml:14:48: error BERTH1602: slo.latencyP99 300ms is not a bucket boundary of istio_request_duration_milliseconds, so no series counts the requests faster than it\n  hint: use a bucket boundary: 250ms or 500ms (Istio's buckets: 0.5ms, 1ms, 5ms, ...)",
  },
  BERTH1603: {
    severity: "error",
    title: "SLO latency not below the model's timeout",
    example:
      "models/a/fraud.yaml:14:48: error BERTH1603: slo.latencyP99 60s is not below the model's timeout (60s) on cluster prod: the gateway cuts every slower request, so the objective can never be missed by latency\n  hint: lower latencyP99 below 60s, or raise timeout",
  },
  BERTH1604: {
    severity: "error",
    title: "rule or panel expression that Prometheus would reject or that names no series",
    source: "prometheus/prometheus web/ui/module/lezer-promql (the grammar of Prometheus's own UI)",
    example:
      "models/a/fraud.yaml:14:3: error BERTH1604: PrometheusRule fraud-slo (clusters/prod/tenants/a/fraud/prometheusrule-fraud-slo.yaml) rule fraud:availability:burn-page: expr names label caller_grop of istio_requests_total, which no rendered monitor or Telemetry produces\n  hint: this is a berth bug: compiler/emit/observability-*.ts must only query series the rendered scrape configuration produces",
  },
  BERTH1605: {
    severity: "error",
    title: "workload pod not scraped by exactly one monitor",
    example:
      "models/a/fraud.yaml:8:7: error BERTH1605: Deployment fraud-v1 (clusters/prod/tenants/a/fraud/deployment-fraud-v1.yaml): its pods are selected by 0 PodMonitors on cluster prod, not exactly one\n  hint: this is a berth bug: every workload pod carries berth.dev/workload and its namespace gets one PodMonitor (compiler/emit/observability.ts)",
  },
} as const satisfies Record<string, CodeInfo>;
