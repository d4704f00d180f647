// What berth's other objects take for granted about the charts' values, checked on the rendered
// Applications (so a values override in platform.addons cannot quietly break it): the AWS
// controllers run as the ServiceAccounts eksctl gave IAM permissions to, and the gateway's pods
// carry the labels the Gateway and the gateway's RequestAuthentication select.
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
  const index = new Map<string, { apps: Rendered[]; config?: Rendered; selectors: Rendered[] }>();
  for (const r of objects) {
    if (!clusters.has(r.owner.cluster)) continue;
    const { kind, apiVersion, metadata } = r.object;
    const isApp = kind === "Application" && metadata.labels?.[LABEL_ADDON] !== undefined;
    const isConfig = kind === "ClusterConfig";
    const isSelector = (kind === "Gateway" && apiVersion.startsWith("networking.istio.io/")) || (kind === "RequestAuthentication" && metadata.namespace !== undefined && r.path.startsWith(`clusters/${r.owner.cluster}/platform/`));
    if (!isApp && !isConfig && !isSelector) continue;
    const entry = index.get(r.owner.cluster) ?? { apps: [], selectors: [] };
    index.set(r.owner.cluster, entry);
    if (isApp) entry.apps.push(r);
    else if (isConfig) entry.config = r;
    else entry.selectors.push(r);
  }
  for (const { apps, config, selectors } of index.values()) {
    const associations = ((config?.object.iam as { podIdentityAssociations?: Association[] } | undefined)?.podIdentityAssociations ?? []);
    for (const app of apps) {
      const addon = app.object.metadata.labels![LABEL_ADDON]!;
      const spec = app.object.spec as IApplication["spec"];
      const values = (spec.source?.helm?.valuesObject ?? {}) as Record<string, unknown>;
      const identity = IDENTITIES[addon];
      if (identity && config) checkIdentity(app, addon, values, spec.destination.namespace ?? "", identity, associations, diags);
      if (addon === "istio-gateway") checkGatewayLabels(app, values, spec, selectors, diags);
    }
  }
}

function at(values: Record<string, unknown>, path: readonly string[]): unknown {
  let v: unknown = values;
  for (const k of path) v = typeof v === "object" && v !== null ? (v as Record<string, unknown>)[k] : undefined;
  return v;
}

function checkIdentity(app: Rendered, addon: string, values: Record<string, unknown>, namespace: string, identity: { path: readonly string[]; policy: string }, associations: readonly Association[], diags: Diagnostics): void {
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

function checkGatewayLabels(app: Rendered, values: Record<string, unknown>, spec: IApplication["spec"], selectors: readonly Rendered[], diags: Diagnostics): void {
  const pods = gatewayPodLabels(values, spec.source?.helm?.releaseName ?? app.object.metadata.name);
  for (const s of selectors) {
    const sel = s.object.spec as { selector?: Record<string, string> | { matchLabels?: Record<string, string> } };
    const wanted = (s.object.kind === "Gateway" ? sel.selector : (sel.selector as { matchLabels?: Record<string, string> } | undefined)?.matchLabels) as Record<string, string> | undefined;
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
  return `{${Object.entries(labels).map(([k, v]) => `${k}: ${v}`).join(", ")}}`;
}
