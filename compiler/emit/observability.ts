// Scraping and request metrics per cluster: one PodMonitor per tenant namespace for every pod
// berth runs there, one for the ingress gateway's Envoy, and a Telemetry that adds the caller's
// group to the gateway's standard request metrics (docs/observability.md). SLO rules and
// dashboards are emitted by observability-rules.ts and observability-dashboards.ts.
import { refAt } from "../diagnostics.js";
import { ENVOY_PROMETHEUS_PORT, ISTIO_STATS_PATH } from "../catalogue/metrics.js";
import type { ClusterPlan, Plan, TenantPlan } from "../plan/types.js";
import type { PlatformSpec } from "../schema/platform.js";
import {
  LABEL_MODEL,
  LABEL_NAME,
  LABEL_TENANT,
  LABEL_VERSION,
  LABEL_WORKLOAD,
  MANAGED_BY,
  paths,
  PROMETHEUS_SELECTOR,
  tenantLabels,
  WAVE,
  waveAnnotation,
} from "./meta.js";
import { gatewayNamespace, gatewaySelector } from "./platform-tiers.js";
import { groupsClaim } from "./traffic-routes.js";
import { fileName, type KubeObject, type Rendered } from "./types.js";
import { BATCH_METRICS_PORT } from "./batch.js";
import { MERGED_METRICS_PORT } from "./workload.js";

export const WORKLOAD_MONITOR = "berth-workloads";
export const GATEWAY_MONITOR = "berth-gateway";
export const BATCH_MONITOR = "berth-batch";
/** Workloads with a sidecar, scraped through its merged endpoint; batch pods run without one. */
const MESHED_WORKLOADS = ["serving", "store"];
const BATCH_METRICS_PATH = "/metrics";
export const CALLER_GROUP_TELEMETRY = "berth-caller-group";
/** The dimension the gateway's request metrics get: a group the platform knows, or `other`. */
export const CALLER_GROUP_LABEL = "caller_group";
export const OTHER_GROUP = "other";
export const SCRAPE_INTERVAL = "30s";
/** Envoy's JWT filter, whose dynamic metadata holds the verified payload (istio/istio pilot/pkg/networking/util, EnvoyJwtFilterName). */
const JWT_FILTER = "envoy.filters.http.jwt_authn";

/** The labels every series scraped from a workload pod gets, from the pod's own labels. */
export const POD_LABEL_TARGETS: readonly { label: string; target: string }[] = [
  { label: LABEL_NAME, target: "model" },
  { label: LABEL_VERSION, target: "version" },
  { label: LABEL_TENANT, target: "tenant" },
  { label: LABEL_WORKLOAD, target: "workload" },
];

/**
 * Monitors and rules need the Prometheus Operator's CRDs, dashboards its chart's Grafana: where
 * the plan has no such chart (its error is BERTH1203), nothing that needs it is rendered.
 */
export function hasAddon(cluster: ClusterPlan, name: "prometheus-operator-crds" | "kube-prometheus-stack" | "dcgm-exporter"): boolean {
  return cluster.addons.some((a) => a.name === name);
}

export function emitObservability(plan: Plan): Rendered[] {
  const platform = plan.world.platform;
  const out: Rendered[] = [];
  for (const cluster of plan.clusters) {
    const c = cluster.name;
    if (!hasAddon(cluster, "prometheus-operator-crds")) continue;
    // One pass over the models, not one per tenant: tenants × models grows with the fleet.
    const withBatch = new Set(cluster.models.filter((m) => m.batch.length > 0).map((m) => m.tenant.name));
    for (const t of cluster.tenants) {
      const monitors = [workloadMonitor(t, c)];
      if (withBatch.has(t.name)) monitors.push(batchMonitor(t, c));
      for (const object of monitors)
        out.push({
          path: `${paths.tenantPlatform(c, t.name)}/${fileName(object.kind, object.metadata.name)}`,
          object,
          sources: [t.file],
          origin: refAt(t.file, "metadata", "name"),
          owner: { cluster: c, tenant: t.name },
        });
    }
    const at = refAt(platform.file, "spec", "ingress");
    const monitor = gatewayMonitor(platform.spec, c);
    out.push({
      path: `${paths.platform(c)}/${fileName(monitor.kind, monitor.metadata.name)}`,
      object: monitor,
      sources: [platform.file],
      origin: at,
      owner: { cluster: c },
    });
    // The known groups come from every tenant and model on the cluster.
    const telemetry = callerGroupTelemetry(cluster, platform.spec);
    const sources = [...new Set([platform.file, ...cluster.tenants.map((t) => t.file), ...cluster.models.map((m) => m.file)])];
    out.push({
      path: `${paths.platform(c)}/${fileName(telemetry.kind, telemetry.metadata.name)}`,
      object: telemetry,
      sources,
      origin: refAt(platform.file, "spec", "auth"),
      owner: { cluster: c },
    });
  }
  return out;
}

/** `__meta_kubernetes_pod_label_<name>` as Prometheus sanitizes a label name. */
export function podLabelMeta(label: string): string {
  return `__meta_kubernetes_pod_label_${label.replace(/[^a-zA-Z0-9_]/g, "_")}`;
}

function clusterLabel(cluster: string) {
  return { targetLabel: "cluster", replacement: cluster };
}

/**
 * Every berth workload pod of the namespace, through Istio's merged endpoint: the app's own
 * metrics (pilot-agent scrapes them where prometheus.io/* points) and Envoy's request metrics,
 * in plain text on a port the sidecar never intercepts, so strict mTLS keeps Prometheus out of
 * nothing it needs. The app's own port would sit behind strict mTLS, which Prometheus does not speak.
 */
function workloadMonitor(t: TenantPlan, cluster: string): KubeObject {
  return {
    apiVersion: "monitoring.coreos.com/v1",
    kind: "PodMonitor",
    metadata: {
      name: WORKLOAD_MONITOR,
      namespace: t.namespace,
      labels: { ...tenantLabels(t), ...PROMETHEUS_SELECTOR },
      annotations: waveAnnotation(WAVE.guardrails),
    },
    spec: {
      selector: { matchLabels: { ...MANAGED_BY }, matchExpressions: [{ key: LABEL_WORKLOAD, operator: "In", values: [...MESHED_WORKLOADS] }] },
      podMetricsEndpoints: [
        {
          port: MERGED_METRICS_PORT.name,
          path: ISTIO_STATS_PATH,
          interval: SCRAPE_INTERVAL,
          relabelings: [...POD_LABEL_TARGETS.map((p) => ({ sourceLabels: [podLabelMeta(p.label)], targetLabel: p.target })), clusterLabel(cluster)],
        },
      ],
    },
  };
}

/**
 * Batch pods of the namespace, which run without a sidecar (a Job's proxy would never exit): the
 * model server's own metrics on its declared port, in plain text as nothing in the pod speaks mTLS.
 * Their model comes from berth.dev/model, since they carry no app.kubernetes.io/name.
 */
function batchMonitor(t: TenantPlan, cluster: string): KubeObject {
  const targets = POD_LABEL_TARGETS.map((p) => (p.label === LABEL_NAME ? { label: LABEL_MODEL, target: p.target } : p));
  return {
    apiVersion: "monitoring.coreos.com/v1",
    kind: "PodMonitor",
    metadata: {
      name: BATCH_MONITOR,
      namespace: t.namespace,
      labels: { ...tenantLabels(t), ...PROMETHEUS_SELECTOR },
      annotations: waveAnnotation(WAVE.guardrails),
    },
    spec: {
      selector: { matchLabels: { ...MANAGED_BY, [LABEL_WORKLOAD]: "batch" } },
      podMetricsEndpoints: [
        {
          port: BATCH_METRICS_PORT,
          path: BATCH_METRICS_PATH,
          interval: SCRAPE_INTERVAL,
          relabelings: [...targets.map((p) => ({ sourceLabels: [podLabelMeta(p.label)], targetLabel: p.target })), clusterLabel(cluster)],
        },
      ],
    },
  };
}

/** The ingress gateway's Envoy: the request metrics as callers see them, with their group. */
function gatewayMonitor(platform: PlatformSpec, cluster: string): KubeObject {
  return {
    apiVersion: "monitoring.coreos.com/v1",
    kind: "PodMonitor",
    metadata: {
      name: GATEWAY_MONITOR,
      namespace: gatewayNamespace(platform),
      labels: { ...MANAGED_BY, ...PROMETHEUS_SELECTOR },
      annotations: waveAnnotation(WAVE.guardrails),
    },
    spec: {
      selector: { matchLabels: gatewaySelector(platform) },
      podMetricsEndpoints: [{ port: ENVOY_PROMETHEUS_PORT.name, path: ISTIO_STATS_PATH, interval: SCRAPE_INTERVAL, relabelings: [clusterLabel(cluster)] }],
    },
  };
}

/** Every group the platform knows on the cluster: tenants' access, models' access and routing. Sorted. */
export function knownGroups(cluster: ClusterPlan): string[] {
  const groups = new Set<string>();
  for (const t of cluster.tenants) for (const a of t.spec.access ?? []) groups.add(a.group);
  for (const m of cluster.models) {
    for (const g of m.model.access) groups.add(g);
    for (const r of m.model.routing) groups.add(r.group);
  }
  return [...groups].sort();
}

/**
 * The CEL expression istiod hands the gateway's stats filter: the first known group in the
 * verified token's groups claim, else `other`. Istio puts the verified JWT's payload in the
 * jwt_authn filter's dynamic metadata under `payload` (istio/istio
 * pilot/pkg/security/authn/policy_applier.go, PayloadInMetadata: filters.EnvoyJwtFilterPayload);
 * an expression that fails to evaluate is recorded as `unknown` (istio/proxy istio_stats.cc), so
 * each step is guarded. One list literal, no nesting: the parser's depth stays flat at any count.
 */
export function callerGroupExpression(groups: readonly string[], claim: string): string {
  if (groups.length === 0) return JSON.stringify(OTHER_GROUP);
  const filter = JSON.stringify(JWT_FILTER);
  const payload = `metadata.filter_metadata[${filter}]["payload"]`;
  const claims = `${payload}[${JSON.stringify(claim)}]`;
  const known = `[${groups.map((g) => JSON.stringify(g)).join(", ")}]`;
  const guard = `${filter} in metadata.filter_metadata && ${JSON.stringify(claim)} in ${payload} && ${known}.exists(g, g in ${claims})`;
  return `${guard} ? ${known}.filter(g, g in ${claims})[0] : ${JSON.stringify(OTHER_GROUP)}`;
}

function callerGroupTelemetry(cluster: ClusterPlan, platform: PlatformSpec): KubeObject {
  return {
    apiVersion: "telemetry.istio.io/v1",
    kind: "Telemetry",
    metadata: { name: CALLER_GROUP_TELEMETRY, namespace: gatewayNamespace(platform), labels: { ...MANAGED_BY }, annotations: waveAnnotation(WAVE.guardrails) },
    spec: {
      selector: { matchLabels: gatewaySelector(platform) },
      metrics: [
        {
          providers: [{ name: "prometheus" }],
          // Every metric at once: the expression is written once however many groups there are.
          overrides: [
            {
              match: { metric: "ALL_METRICS", mode: "CLIENT_AND_SERVER" },
              tagOverrides: { [CALLER_GROUP_LABEL]: { operation: "UPSERT", value: callerGroupExpression(knownGroups(cluster), groupsClaim(platform)) } },
            },
          ],
        },
      ],
    },
  };
}
