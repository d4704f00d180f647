// The series the platform's scrape configuration can produce, as berth knows them: Istio's
// standard request metrics (istio/proxy source/extensions/filters/http/istio_stats/istio_stats.cc,
// `Context::all_metrics_` and `all_tags_`), the labels the Prometheus Operator puts on every
// target it discovers, and the few series of the charts' own exporters the platform dashboard
// reads. verify/observability.ts checks every rule and panel expression against this plus what
// the rendered monitors and Telemetry add.

/**
 * Istio's default buckets of istio_request_duration_milliseconds (istio_stats.cc, the histogram
 * buckets of the proxy's stats: 0.5 ms to one hour). A latency objective must be one of them, or
 * no series counts the requests under it.
 */
export const ISTIO_DURATION_BUCKETS_MS: readonly number[] = Object.freeze([
  0.5, 1, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000, 30000, 60000, 300000, 600000, 1800000, 3600000,
]);

/** The standard tags every Istio request metric carries (istio_stats.cc `all_tags_`). */
export const ISTIO_STANDARD_TAGS: readonly string[] = Object.freeze([
  "reporter",
  "source_workload",
  "source_workload_namespace",
  "source_principal",
  "source_app",
  "source_version",
  "source_canonical_service",
  "source_canonical_revision",
  "source_cluster",
  "destination_workload",
  "destination_workload_namespace",
  "destination_principal",
  "destination_app",
  "destination_version",
  "destination_service",
  "destination_service_name",
  "destination_service_namespace",
  "destination_canonical_service",
  "destination_canonical_revision",
  "destination_cluster",
  "request_protocol",
  "response_flags",
  "connection_security_policy",
  "response_code",
  "grpc_response_status",
]);

export const ISTIO_REQUESTS = "istio_requests_total";
export const ISTIO_DURATION = "istio_request_duration_milliseconds";

/** Istio's HTTP request series as Prometheus stores them: a counter and a classic histogram. */
export const ISTIO_REQUEST_SERIES: readonly { name: string; extra: readonly string[] }[] = Object.freeze([
  { name: ISTIO_REQUESTS, extra: [] },
  { name: `${ISTIO_DURATION}_bucket`, extra: ["le"] },
  { name: `${ISTIO_DURATION}_sum`, extra: [] },
  { name: `${ISTIO_DURATION}_count`, extra: [] },
]);

/** Istio's scrape path for Envoy's and the merged metrics (pilot-agent serves it on 15020). */
export const ISTIO_STATS_PATH = "/stats/prometheus";
/** pilot-agent's merged endpoint: the app's metrics (found through prometheus.io/*) plus Envoy's, in plain text. */
export const ISTIO_MERGED_METRICS_PORT = 15020;
/** Envoy's own stats port, declared by Istio's injection template and the gateway chart. */
export const ENVOY_PROMETHEUS_PORT = { name: "http-envoy-prom", number: 15090 } as const;

/** Target labels the Prometheus Operator adds to every series a PodMonitor or ServiceMonitor scrapes. */
export const OPERATOR_TARGET_LABELS: readonly string[] = Object.freeze(["namespace", "pod", "container", "endpoint", "job", "instance"]);

/** The node label eksctl gives every node of a node group (= a berth pool), as kube-state-metrics exports it when allowed. */
export const NODEGROUP_LABEL = "alpha.eksctl.io/nodegroup-name";
export const NODEGROUP_METRIC_LABEL = "label_alpha_eksctl_io_nodegroup_name";

/**
 * Series of the charts' exporters that the platform dashboard reads: kube-state-metrics
 * (kube_resourcequota, kube_node_labels with the label allowed in addon-values.ts) and NVIDIA's
 * DCGM exporter (DCGM_FI_DEV_GPU_UTIL, with the pod it is attached to).
 */
export const CHART_SERIES: Readonly<Record<string, readonly string[]>> = Object.freeze({
  kube_resourcequota: ["resourcequota", "resource", "type"],
  kube_node_labels: ["node", NODEGROUP_METRIC_LABEL],
  DCGM_FI_DEV_GPU_UTIL: ["gpu", "UUID", "device", "modelName", "Hostname", "exported_namespace", "exported_pod", "exported_container"],
});
