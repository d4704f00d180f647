// Grafana dashboards as ConfigMaps the kube-prometheus-stack Grafana sidecar loads (label
// grafana_dashboard: "1", from every namespace): per tenant, a row per model (traffic, errors,
// p99 latency by version, traffic by caller group, SLO burn), split into pages of a bounded
// number of models so no ConfigMap nears etcd's limit; and one platform overview per cluster
// (nodes per pool, quota use per tenant, GPU utilization from DCGM, traffic per tenant).
import { createHash } from "node:crypto";
import { refAt } from "../diagnostics.js";
import { ISTIO_DURATION, ISTIO_REQUESTS, NODEGROUP_METRIC_LABEL } from "../catalogue/metrics.js";
import type { ClusterPlan, ModelPlan, Plan, TenantPlan } from "../plan/types.js";
import { MANAGED_BY, paths, WAVE, waveAnnotation } from "./meta.js";
import { CALLER_GROUP_LABEL, hasAddon } from "./observability.js";
import { LATENCY_BUDGET, RECORDED, budgetOf } from "./observability-rules.js";
import { monitoringNamespace } from "./platform-tiers.js";
import { fileName, type KubeObject, type Rendered } from "./types.js";

/** The Grafana sidecar's label and value (addon-values.ts sets the same). */
export const DASHBOARD_LABEL = { key: "grafana_dashboard", value: "1" } as const;
/** Models per tenant dashboard: about 5 KiB of JSON each, so a page stays near 150 KiB. */
export const MODELS_PER_DASHBOARD = 30;
const RATE = "5m";

export interface Panel {
  title: string;
  expr: string;
  legend: string;
  unit: string;
}

const q = (s: string) => JSON.stringify(s);

export function modelPanels(m: ModelPlan): Panel[] {
  const sel = `reporter="destination", cluster=${q(m.cluster)}, model=${q(m.name)}`;
  const panels: Panel[] = [
    { title: `${m.name}: requests per second`, expr: `sum by (version) (rate(${ISTIO_REQUESTS}{${sel}}[${RATE}]))`, legend: "{{version}}", unit: "reqps" },
    {
      title: `${m.name}: error ratio (5xx)`,
      expr: `sum by (version) (rate(${ISTIO_REQUESTS}{${sel}, response_code=~"5.."}[${RATE}])) / sum by (version) (rate(${ISTIO_REQUESTS}{${sel}}[${RATE}]))`,
      legend: "{{version}}",
      unit: "percentunit",
    },
    {
      title: `${m.name}: p99 latency`,
      expr: `histogram_quantile(0.99, sum by (version, le) (rate(${ISTIO_DURATION}_bucket{${sel}}[${RATE}])))`,
      legend: "{{version}}",
      unit: "ms",
    },
    {
      title: `${m.name}: requests per second by caller group (gateway)`,
      expr: `sum by (${CALLER_GROUP_LABEL}) (rate(${ISTIO_REQUESTS}{cluster=${q(m.cluster)}, destination_canonical_service=${q(m.name)}, destination_service_namespace=${q(m.tenant.namespace)}, ${CALLER_GROUP_LABEL}!=""}[${RATE}]))`,
      legend: `{{${CALLER_GROUP_LABEL}}}`,
      unit: "reqps",
    },
  ];
  const slo = m.model.slo;
  if (slo) {
    const burn = (kind: string, series: string, budget: number) =>
      panels.push({
        title: `${m.name}: ${kind} budget burn rate over 1h (1 = on budget; pages above 14.4)`,
        expr: `${series}{model=${q(m.name)}} / ${budget}`,
        legend: kind,
        unit: "none",
      });
    burn("availability", RECORDED.errors("1h"), budgetOf(slo.availability));
    if (slo.latencyP99 !== undefined) burn(`latency (${slo.latencyP99})`, RECORDED.slow("1h"), LATENCY_BUDGET);
  }
  return panels;
}

interface GrafanaPanel {
  id: number;
  type: string;
  title: string;
  gridPos: { x: number; y: number; w: number; h: number };
  datasource?: { type: string; uid: string };
  fieldConfig?: { defaults: { unit: string } };
  targets?: { refId: string; expr: string; legendFormat: string; datasource: { type: string; uid: string } }[];
  collapsed?: boolean;
  panels?: GrafanaPanel[];
}

const DATASOURCE = { type: "prometheus", uid: "${datasource}" };

/** Grafana's uid is at most 40 characters: a digest of what the dashboard is, stable across renders. */
function uid(...parts: string[]): string {
  return `berth-${createHash("sha256").update(parts.join("/")).digest("hex").slice(0, 24)}`;
}

function dashboard(title: string, id: string, rows: { title: string; panels: Panel[] }[], tags: string[]): string {
  const panels: GrafanaPanel[] = [];
  let next = 1;
  let y = 0;
  for (const row of rows) {
    panels.push({ id: next++, type: "row", title: row.title, gridPos: { x: 0, y: y++, w: 24, h: 1 }, collapsed: false, panels: [] });
    row.panels.forEach((p, i) => {
      panels.push({
        id: next++,
        type: "timeseries",
        title: p.title,
        gridPos: { x: (i % 3) * 8, y: y + Math.floor(i / 3) * 8, w: 8, h: 8 },
        datasource: DATASOURCE,
        fieldConfig: { defaults: { unit: p.unit } },
        targets: [{ refId: "A", expr: p.expr, legendFormat: p.legend, datasource: DATASOURCE }],
      });
    });
    y += Math.ceil(row.panels.length / 3) * 8;
  }
  return JSON.stringify({
    uid: id,
    title,
    tags: ["berth", ...tags],
    editable: false,
    schemaVersion: 39,
    time: { from: "now-6h", to: "now" },
    refresh: "1m",
    templating: { list: [{ name: "datasource", type: "datasource", query: "prometheus", label: "Prometheus" }] },
    panels,
  });
}

function configMap(name: string, namespace: string, key: string, json: string, labels: Record<string, string>): KubeObject {
  return {
    apiVersion: "v1",
    kind: "ConfigMap",
    metadata: {
      name,
      namespace,
      labels: { ...MANAGED_BY, ...labels, [DASHBOARD_LABEL.key]: DASHBOARD_LABEL.value },
      annotations: waveAnnotation(WAVE.traffic),
    },
    data: { [key]: json },
  };
}

export function tenantDashboards(cluster: ClusterPlan, t: TenantPlan, namespace: string): KubeObject[] {
  const models = cluster.models.filter((m) => m.tenant === t);
  const pages = Math.max(1, Math.ceil(models.length / MODELS_PER_DASHBOARD));
  const out: KubeObject[] = [];
  for (let p = 0; p < pages; p++) {
    const slice = models.slice(p * MODELS_PER_DASHBOARD, (p + 1) * MODELS_PER_DASHBOARD);
    const suffix = pages > 1 ? `-${p + 1}` : "";
    const title = `${t.name} models on ${cluster.name}${pages > 1 ? ` (${p + 1} of ${pages})` : ""}`;
    const json = dashboard(
      title,
      uid(cluster.name, "tenant", t.name, String(p)),
      slice.map((m) => ({ title: `${m.name} (${m.versions.map((v) => v.version.name).join(", ")})`, panels: modelPanels(m) })),
      [t.name],
    );
    out.push(configMap(`dashboard-tenant-${t.name}${suffix}`, namespace, `tenant-${t.name}${suffix}.json`, json, { "berth.dev/tenant": t.name }));
  }
  return out;
}

export function overviewPanels(cluster: ClusterPlan): Panel[] {
  const pools = cluster.pools.map((p) => p.spec.name);
  const namespaces = cluster.tenants.map((t) => t.namespace);
  const re = (xs: readonly string[]) => q(xs.map((x) => x.replace(/[.\\^$|?*+()[\]{}-]/g, "\\$&")).join("|"));
  const panels: Panel[] = [
    {
      title: "Nodes per pool",
      expr: `count by (${NODEGROUP_METRIC_LABEL}) (kube_node_labels{${NODEGROUP_METRIC_LABEL}=~${re(pools)}})`,
      legend: `{{${NODEGROUP_METRIC_LABEL}}}`,
      unit: "none",
    },
    {
      title: "Quota used per tenant namespace",
      expr: `sum by (namespace, resource) (kube_resourcequota{type="used", namespace=~${re(namespaces)}}) / sum by (namespace, resource) (kube_resourcequota{type="hard", namespace=~${re(namespaces)}})`,
      legend: "{{namespace}} {{resource}}",
      unit: "percentunit",
    },
  ];
  // Tenants' pods are scraped by their namespace's PodMonitor, which adds the tenant label.
  if (cluster.tenants.length > 0)
    panels.push({
      title: "Requests per second per tenant",
      expr: `sum by (tenant) (rate(${ISTIO_REQUESTS}{reporter="destination", cluster=${q(cluster.name)}}[${RATE}]))`,
      legend: "{{tenant}}",
      unit: "reqps",
    });
  if (hasAddon(cluster, "dcgm-exporter"))
    panels.push({
      title: "GPU utilization per node (DCGM)",
      expr: "avg by (Hostname, modelName) (DCGM_FI_DEV_GPU_UTIL)",
      legend: "{{Hostname}} {{modelName}}",
      unit: "percent",
    });
  return panels;
}

export function emitDashboards(plan: Plan): Rendered[] {
  const platform = plan.world.platform;
  const namespace = monitoringNamespace(platform.spec);
  const out: Rendered[] = [];
  for (const cluster of plan.clusters) {
    if (!hasAddon(cluster, "kube-prometheus-stack")) continue;
    const dir = `${paths.platform(cluster.name)}/dashboards`;
    const overview = configMap(
      "dashboard-platform-overview",
      namespace,
      "platform-overview.json",
      dashboard(
        `Platform overview: ${cluster.name}`,
        uid(cluster.name, "overview"),
        [{ title: "Capacity and traffic", panels: overviewPanels(cluster) }],
        ["platform"],
      ),
      {},
    );
    out.push({
      path: `${dir}/${fileName(overview.kind, overview.metadata.name)}`,
      object: overview,
      sources: [platform.file, cluster.file],
      origin: refAt(cluster.file, "spec", "pools"),
      owner: { cluster: cluster.name },
    });
    for (const t of cluster.tenants) {
      if (!cluster.models.some((m) => m.tenant === t)) continue;
      for (const object of tenantDashboards(cluster, t, namespace))
        out.push({
          path: `${dir}/${fileName(object.kind, object.metadata.name)}`,
          object,
          sources: [t.file, ...cluster.models.filter((m) => m.tenant === t).map((m) => m.file)],
          origin: refAt(t.file, "metadata", "name"),
          owner: { cluster: cluster.name, tenant: t.name },
        });
    }
  }
  return out;
}
