// What berth's other objects take for granted about the charts' values, checked on the rendered
// Applications (so a values override in platform.addons cannot quietly break it): the AWS
// controllers run as the ServiceAccounts eksctl gave IAM permissions to, the gateway's pods
// carry the labels the Gateway and the gateway's RequestAuthentication select, and the metrics
// adapter serves every custom metric an HPA names, from DCGM series that keep their pod labels.
import type { IApplication } from "@kubernetes-models/argo-cd/argoproj.io/v1alpha1/Application";
import type { Diagnostics } from "../diagnostics.js";
import { LABEL_ADDON } from "../emit/platform-layer-apps.js";
import type { Rendered } from "../emit/types.js";
import type { Plan } from "../plan/types.js";

interface Association {
  namespace: string;
  serviceAccountName: string;
  wellKnownPolicies?: Record<string, boolean>;
}

/** Where each AWS controller's chart keeps its ServiceAccount name, and the eksctl policy it needs. */
const IDENTITIES: Record<string, { path: readonly string[]; policy: string }> = {
  "cluster-autoscaler": { path: ["rbac", "serviceAccount", "name"], policy: "autoScaler" },
  "aws-load-balancer-controller": { path: ["serviceAccount", "name"], policy: "awsLoadBalancerController" },
};

export function verifyAddonContracts(plan: Plan, objects: readonly Rendered[], diags: Diagnostics): void {
  const clusters = new Set(plan.clusters.map((c) => c.name));
  const index = new Map<string, { apps: Rendered[]; config?: Rendered; selectors: Rendered[]; customMetrics: Map<string, string[]> }>();
  for (const r of objects) {
    if (!clusters.has(r.owner.cluster)) continue;
    const { kind, apiVersion, metadata } = r.object;
    const isApp = kind === "Application" && metadata.labels?.[LABEL_ADDON] !== undefined;
    const isConfig = kind === "ClusterConfig";
    const isSelector =
      (kind === "Gateway" && apiVersion.startsWith("networking.istio.io/")) ||
      (kind === "RequestAuthentication" && metadata.namespace !== undefined && r.path.startsWith(`clusters/${r.owner.cluster}/platform/`));
    const isHpa = kind === "HorizontalPodAutoscaler";
    if (!isApp && !isConfig && !isSelector && !isHpa) continue;
    const entry = index.get(r.owner.cluster) ?? { apps: [], selectors: [], customMetrics: new Map<string, string[]>() };
    index.set(r.owner.cluster, entry);
    if (isHpa)
      for (const name of podsMetrics(r)) entry.customMetrics.set(name, [...(entry.customMetrics.get(name) ?? []), `${metadata.namespace}/${metadata.name}`]);
    else if (isApp) entry.apps.push(r);
    else if (isConfig) entry.config = r;
    else entry.selectors.push(r);
  }
  for (const { apps, config, selectors, customMetrics } of index.values()) {
    const associations = (config?.object.iam as { podIdentityAssociations?: Association[] } | undefined)?.podIdentityAssociations ?? [];
    for (const app of apps) {
      const addon = app.object.metadata.labels![LABEL_ADDON]!;
      const spec = app.object.spec as IApplication["spec"];
      const values = (spec.source?.helm?.valuesObject ?? {}) as Record<string, unknown>;
      const identity = IDENTITIES[addon];
      if (identity && config) checkIdentity(app, addon, values, spec.destination.namespace ?? "", identity, associations, diags);
      if (addon === "istio-gateway") checkGatewayLabels(app, values, spec, selectors, diags);
      if (addon === "prometheus-adapter") checkAdapterRules(app, values, customMetrics, diags);
      if (addon === "dcgm-exporter" && customMetrics.size > 0 && at(values, ["serviceMonitor", "honorLabels"]) !== true)
        diags.report(
          "BERTH1207",
          app.origin,
          "addons.dcgm-exporter: serviceMonitor.honorLabels is not true, so Prometheus renames the pod and namespace DCGM maps each GPU to (exported_pod) and the adapter attributes every GPU to the exporter: no model's HPA would see its GPU utilization",
          "remove serviceMonitor.honorLabels from addons.dcgm-exporter.values",
        );
    }
  }
}

/** The metric names of an HPA's Pods metrics (the custom metrics API). */
function podsMetrics(r: Rendered): string[] {
  const metrics = (r.object.spec as { metrics?: { type: string; pods?: { metric?: { name?: string } } }[] } | undefined)?.metrics ?? [];
  return metrics.filter((m) => m.type === "Pods" && m.pods?.metric?.name).map((m) => m.pods!.metric!.name!);
}

/** The adapter serves a rule's `name.as`, else the series name itself (prometheus-adapter docs/config.md, "Naming"). */
function checkAdapterRules(app: Rendered, values: Record<string, unknown>, wanted: ReadonlyMap<string, string[]>, diags: Diagnostics): void {
  if (wanted.size === 0) return;
  const existing = at(values, ["rules", "existing"]);
  const custom = (at(values, ["rules", "custom"]) ?? []) as { name?: { matches?: string; as?: string } }[];
  const served = new Set(custom.map((r) => r.name?.as).filter((n): n is string => typeof n === "string" && n !== ""));
  for (const [metric, hpas] of [...wanted].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    if (!existing && served.has(metric)) continue;
    const why = existing
      ? `rules.existing replaces berth's rules with ConfigMap ${String(existing)}, which berth cannot see`
      : `no rule of rules.custom serves it (served: ${[...served].sort().join(", ") || "none"})`;
    diags.report(
      "BERTH1207",
      app.origin,
      `addons.prometheus-adapter: ${hpas.length} HPA${hpas.length === 1 ? "" : "s"} (${hpas.slice(0, 3).join(", ")}${hpas.length > 3 ? ", ..." : ""}) scale on ${metric}, but ${why}`,
      "remove rules from addons.prometheus-adapter.values: berth installs the rule its HPAs ask for (docs/rollouts.md)",
    );
  }
}

function at(values: Record<string, unknown>, path: readonly string[]): unknown {
  let v: unknown = values;
  for (const k of path) v = typeof v === "object" && v !== null ? (v as Record<string, unknown>)[k] : undefined;
  return v;
}

function checkIdentity(
  app: Rendered,
  addon: string,
  values: Record<string, unknown>,
  namespace: string,
  identity: { path: readonly string[]; policy: string },
  associations: readonly Association[],
  diags: Diagnostics,
): void {
  const name = at(values, identity.path);
  const granted = associations.filter((a) => a.wellKnownPolicies?.[identity.policy] === true);
  if (granted.some((a) => a.namespace === namespace && a.serviceAccountName === name)) return;
  const expected = granted.map((a) => `${a.namespace}/${a.serviceAccountName}`).join(", ") || "no ServiceAccount";
  diags.report(
    "BERTH1207",
    app.origin,
    `addons.${addon}: the chart would run as ServiceAccount ${namespace}/${String(name ?? "(chart default)")}, but the eksctl config gives ${identity.policy} permissions to ${expected} only`,
    `remove ${identity.path.join(".")} from addons.${addon}.values: berth names the ServiceAccount its Pod Identity association expects`,
  );
}

/** The gateway chart labels its pods app and istio from the release name unless `labels` sets them, plus every other label given. */
function gatewayPodLabels(values: Record<string, unknown>, releaseName: string): Record<string, string> {
  const labels = (at(values, ["labels"]) ?? {}) as Record<string, string>;
  const name = (at(values, ["name"]) as string | undefined) || releaseName;
  return { app: name, istio: name.replace(/^istio-/, ""), ...labels };
}

function checkGatewayLabels(
  app: Rendered,
  values: Record<string, unknown>,
  spec: IApplication["spec"],
  selectors: readonly Rendered[],
  diags: Diagnostics,
): void {
  const pods = gatewayPodLabels(values, spec.source?.helm?.releaseName ?? app.object.metadata.name);
  for (const s of selectors) {
    const sel = s.object.spec as { selector?: Record<string, string> | { matchLabels?: Record<string, string> } };
    const wanted = (s.object.kind === "Gateway" ? sel.selector : (sel.selector as { matchLabels?: Record<string, string> } | undefined)?.matchLabels) as
      Record<string, string> | undefined;
    if (!wanted) continue;
    const missing = Object.entries(wanted).filter(([k, v]) => pods[k] !== v);
    if (missing.length === 0) continue;
    diags.report(
      "BERTH1207",
      app.origin,
      `addons.istio-gateway: the gateway's pods would carry ${fmt(pods)}, but ${s.object.kind} ${s.object.metadata.namespace}/${s.object.metadata.name} selects ${fmt(wanted)} (${missing.map(([k]) => k).join(", ")} differ): it would apply to no gateway pod`,
      "set the labels with platform.ingress.gatewaySelector, not with addons.istio-gateway.values",
    );
  }
}

function fmt(labels: Record<string, string>): string {
  return `{${Object.entries(labels)
    .map(([k, v]) => `${k}: ${v}`)
    .join(", ")}}`;
}
