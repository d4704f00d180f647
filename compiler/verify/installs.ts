// Proves the sync order on each cluster: every object berth renders is of a kind Kubernetes (or
// Argo CD, bootstrapped by hand) serves, or one a platform component installs in an earlier
// wave; it lands in a namespace created earlier; every HPA's metrics API is served (the custom
// metrics API by prometheus-adapter, in an earlier wave); and every chart syncs after the charts
// it needs. Argo CD applies a kind whose CRD is missing as a failed sync, and an Istio object
// before istiod answers its validating webhook as a rejected one.
import type { IApplication } from "@kubernetes-models/argo-cd/argoproj.io/v1alpha1/Application";
import { ADDON_NEEDS, type AddonName } from "../catalogue/addons.js";
import type { Diagnostics } from "../diagnostics.js";
import { groupOf } from "../emit/gitops-projects.js";
import { paths, SYNC_WAVE } from "../emit/meta.js";
import { LABEL_ADDON, PLATFORM_BASE_APP, addonAppName } from "../emit/platform-layer-apps.js";
import type { Rendered } from "../emit/types.js";
import { addonWanted } from "../plan/addon-rules.js";
import type { Plan } from "../plan/types.js";

/** API groups the API server serves itself. */
const KUBERNETES_GROUPS: ReadonlySet<string> = new Set([
  "",
  "admissionregistration.k8s.io",
  "apiextensions.k8s.io",
  "apps",
  "autoscaling",
  "batch",
  "coordination.k8s.io",
  "discovery.k8s.io",
  "networking.k8s.io",
  "node.k8s.io",
  "policy",
  "rbac.authorization.k8s.io",
  "scheduling.k8s.io",
  "storage.k8s.io",
]);

/** Groups whose kinds come with a platform component: its CRDs, and the webhook that admits them. */
export const KIND_INSTALLERS: Readonly<Record<string, readonly AddonName[]>> = {
  "networking.istio.io": ["istio-base", "istiod"],
  "security.istio.io": ["istio-base", "istiod"],
  "telemetry.istio.io": ["istio-base", "istiod"],
  "monitoring.coreos.com": ["prometheus-operator-crds"],
};

/**
 * The metrics APIs an HPA reads, by metric type (autoscaling/v2), and what serves them. Resource
 * metrics come from metrics-server, an EKS add-on the eksctl config installs with the cluster;
 * custom metrics (Pods, Object) from prometheus-adapter's APIService; external metrics from nothing
 * berth installs. An HPA with a metric it cannot fetch reports ScalingActive false and skips every
 * scale-down (docs/rollouts.md).
 */
export const METRIC_APIS: Readonly<Record<string, { api: string; installer?: AddonName | "eks" }>> = {
  Resource: { api: "metrics.k8s.io", installer: "eks" },
  ContainerResource: { api: "metrics.k8s.io", installer: "eks" },
  Pods: { api: "custom.metrics.k8s.io", installer: "prometheus-adapter" },
  Object: { api: "custom.metrics.k8s.io", installer: "prometheus-adapter" },
  External: { api: "external.metrics.k8s.io" },
};

/** Argo CD itself is installed before bootstrap/ is applied (docs/bootstrap.md). */
const BOOTSTRAPPED_GROUPS: ReadonlySet<string> = new Set(["argoproj.io"]);

/** Namespaces a cluster has before anything is synced. */
const SYSTEM_NAMESPACES: ReadonlySet<string> = new Set(["default", "kube-system", "kube-public", "kube-node-lease", "argocd"]);

interface App {
  readonly rendered: Rendered;
  readonly spec: IApplication["spec"];
  readonly wave: number;
}

export function verifyInstalls(plan: Plan, objects: readonly Rendered[], diags: Diagnostics): void {
  const byCluster = new Map<string, Rendered[]>();
  for (const r of objects) {
    const list = byCluster.get(r.owner.cluster);
    if (list) list.push(r);
    else byCluster.set(r.owner.cluster, [r]);
  }
  for (const cluster of plan.clusters) {
    const mine = byCluster.get(cluster.name) ?? [];
    const apps = mine.filter((r) => r.object.apiVersion === "argoproj.io/v1alpha1" && r.object.kind === "Application").map(toApp);
    const byPath = new Map<string, App[]>();
    for (const a of apps) if (a.spec.source?.path) byPath.set(a.spec.source.path, [...(byPath.get(a.spec.source.path) ?? []), a]);
    const byAddon = new Map<string, App>();
    for (const a of apps) {
      const addon = a.rendered.object.metadata.labels?.[LABEL_ADDON];
      if (addon) byAddon.set(addon, a);
    }
    const base = apps.find((a) => a.rendered.object.metadata.name === PLATFORM_BASE_APP);
    const manual = [paths.bootstrap(cluster.name) + "/", paths.eksctl(cluster.name) + "/", paths.apps(cluster.name) + "/"];
    const namespaceApp = new Map<string, App>();
    const synced: { r: Rendered; app: App }[] = [];
    for (const r of mine) {
      if (manual.some((p) => r.path.startsWith(p))) continue;
      const app = syncingApp(r.path, byPath);
      if (!app) continue; // verify/gitops.ts reports it
      synced.push({ r, app });
      const known = namespaceApp.get(r.object.metadata.name);
      if (r.object.kind === "Namespace" && r.object.apiVersion === "v1" && (!known || app.wave < known.wave)) namespaceApp.set(r.object.metadata.name, app);
    }
    // A component the plan left out was reported there (BERTH1203): its users are not reported again.
    const planned = new Set<string>(cluster.addons.map((a) => a.name));
    const gpus = cluster.pools.some((p) => p.hasGpus);
    const before = (r: Rendered, app: App, what: string, installer: App | undefined, installerName: string, addon?: AddonName) => {
      if (!installer && addon && !planned.has(addon)) return;
      if (!installer) fail(diags, r, `${what} needs ${installerName}, which berth does not render on cluster ${cluster.name}`);
      else if (installer !== app && installer.wave >= app.wave)
        fail(
          diags,
          r,
          `${what} needs ${installerName}, which Application ${name(installer)} syncs in wave ${installer.wave}, not before ${name(app)} (wave ${app.wave})`,
        );
    };
    for (const { r, app } of synced) {
      const group = groupOf(r.object.apiVersion);
      const what = describe(r);
      if (!KUBERNETES_GROUPS.has(group) && !BOOTSTRAPPED_GROUPS.has(group)) {
        const installers = KIND_INSTALLERS[group];
        if (!installers)
          fail(diags, r, `${what} is of kind ${group}/${r.object.kind}, which neither Kubernetes nor any component of the platform layer installs`);
        else for (const need of installers) before(r, app, what, byAddon.get(need), need, need);
      }
      const ns = r.object.metadata.namespace;
      if (ns && !SYSTEM_NAMESPACES.has(ns)) before(r, app, what, namespaceApp.get(ns), `namespace ${ns}`);
      if (r.object.kind === "HorizontalPodAutoscaler" && group === "autoscaling") {
        for (const m of (r.object.spec as { metrics?: { type: string }[] } | undefined)?.metrics ?? []) {
          const served = METRIC_APIS[m.type];
          const api = served?.api ?? "an unknown metrics API";
          if (served?.installer === "eks") continue;
          if (!served?.installer) fail(diags, r, `${what} scales on a metric of type ${m.type} (${api}), which no component of the platform layer serves`);
          // A wanted adapter without a known release was reported by the plan (BERTH1203).
          else
            before(
              r,
              app,
              `${what}, scaling on a metric of type ${m.type} (${api}),`,
              byAddon.get(served.installer),
              served.installer,
              addonWanted(served.installer, gpus, plan.world.platform.spec) ? served.installer : undefined,
            );
        }
      }
    }
    for (const app of byAddon.values()) {
      const addon = app.rendered.object.metadata.labels![LABEL_ADDON] as AddonName;
      const what = `Application ${name(app)} (chart ${app.spec.source?.chart} ${app.spec.source?.targetRevision})`;
      before(app.rendered, app, what, base, `${PLATFORM_BASE_APP} (platform namespaces and classes)`);
      for (const need of ADDON_NEEDS[addon] ?? []) before(app.rendered, app, what, byAddon.get(need), `${need} (${addonAppName(need)})`, need);
      const ns = app.spec.destination.namespace;
      if (ns && !SYSTEM_NAMESPACES.has(ns)) before(app.rendered, app, what, namespaceApp.get(ns), `namespace ${ns}`);
    }
  }
}

function toApp(r: Rendered): App {
  return { rendered: r, spec: r.object.spec as IApplication["spec"], wave: Number(r.object.metadata.annotations?.[SYNC_WAVE] ?? "0") };
}

/** The Application whose folder (or, recursing, an ancestor folder) holds the file. */
function syncingApp(path: string, byPath: ReadonlyMap<string, readonly App[]>): App | undefined {
  let dir = path.slice(0, path.lastIndexOf("/"));
  for (let direct = true; dir.length > 0; direct = false) {
    const found = (byPath.get(dir) ?? []).find((a) => direct || a.spec.source?.directory?.recurse === true);
    if (found) return found;
    const cut = dir.lastIndexOf("/");
    dir = cut < 0 ? "" : dir.slice(0, cut);
  }
  return undefined;
}

function fail(diags: Diagnostics, r: Rendered, why: string): void {
  diags.report(
    "BERTH1206",
    r.origin,
    why,
    "this is a berth bug: the platform layer's sync waves (compiler/emit/platform-layer-apps.ts) must put every installer before what uses it",
  );
}

function name(a: App): string {
  return a.rendered.object.metadata.name;
}

function describe(r: Rendered): string {
  const { kind, metadata } = r.object;
  return `${kind} ${metadata.namespace ? `${metadata.namespace}/` : ""}${metadata.name} (${r.path})`;
}
