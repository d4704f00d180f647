// Argo CD for the platform layer: one Application per pinned chart, one for platform-base/, and
// the AppProject they share. Their sync waves run inside the root app, after the projects and
// before berth-platform (tenant guardrails and Istio objects) and every tenant.
import type { IApplication } from "@kubernetes-models/argo-cd/argoproj.io/v1alpha1/Application";
import type { IAppProject } from "@kubernetes-models/argo-cd/argoproj.io/v1alpha1/AppProject";
import type { AddonPlan } from "../plan/addon-rules.js";
import { ADDON_NAMES, GPU_ADDONS, type AddonName } from "../catalogue/addons.js";
import { cmp } from "../base/order.js";
import { refAt } from "../diagnostics.js";
import type { ClusterPlan, Plan } from "../plan/types.js";
import { addonValues, releaseName, releaseNamespace } from "./addon-values.js";
import { APP_WAVE, clusterRevision, RETRY, SYNC_OPTIONS } from "./gitops.js";
import { ARGOCD_NAMESPACE, IN_CLUSTER, RESOURCES_FINALIZER } from "./gitops-projects.js";
import { MANAGED_BY, paths, waveAnnotation } from "./meta.js";
import { PLATFORM_NAMESPACE, platformBasePath, platformNamespaces } from "./platform-tiers.js";
import { placed, type Rendered } from "./types.js";

export const LABEL_ADDON = "berth.dev/addon";
export const PLATFORM_LAYER_PROJECT = "berth-platform-layer";
export const PLATFORM_BASE_APP = "berth-platform-base";
export const addonAppName = (name: AddonName) => `platform-${name}`;

/**
 * Sync waves of the root app (between APP_WAVE.projects and APP_WAVE.platform): namespaces and
 * classes, then CRDs, then the controllers that serve or use them, then what needs those running.
 */
export const LAYER_WAVE = { base: "-9", crds: "-8", controllers: "-7", edge: "-6" } as const;

export const ADDON_WAVE: Readonly<Record<AddonName, keyof typeof LAYER_WAVE>> = {
  "istio-base": "crds",
  "prometheus-operator-crds": "crds",
  "istio-cni": "controllers",
  istiod: "controllers",
  "kube-prometheus-stack": "controllers",
  "cluster-autoscaler": "controllers",
  "aws-load-balancer-controller": "controllers",
  "nvidia-device-plugin": "controllers",
  // Injected by istiod, its NLB made by the load balancer controller.
  "istio-gateway": "edge",
  // Its ServiceMonitor needs the operator's CRDs; scraped by Prometheus once that runs.
  "dcgm-exporter": "edge",
  // Queries Prometheus; its APIService must answer before any tenant's HPA asks for the GPU signal.
  "prometheus-adapter": "edge",
};

/** CRD charts: never pruned automatically (deleting a CRD deletes every object of its kind). */
const CRD_CHARTS: ReadonlySet<AddonName> = new Set(["istio-base", "prometheus-operator-crds"]);

type IgnoreDifference = NonNullable<IApplication["spec"]["ignoreDifferences"]>[number];
const CA_BUNDLES = [".webhooks[]?.clientConfig.caBundle"];

/**
 * Fields the controllers write after install: webhook CA bundles patched by istiod, by the
 * operator's cert job and by the load balancer controller's own certificates, and the failure
 * policy istiod flips once it is ready. Left alone, self-heal would revert them forever.
 */
const IGNORE_DIFFERENCES: Partial<Record<AddonName, IgnoreDifference[]>> = {
  "istio-base": [
    { group: "admissionregistration.k8s.io", kind: "ValidatingWebhookConfiguration", jqPathExpressions: [...CA_BUNDLES, ".webhooks[]?.failurePolicy"] },
  ],
  istiod: [
    { group: "admissionregistration.k8s.io", kind: "ValidatingWebhookConfiguration", jqPathExpressions: [...CA_BUNDLES, ".webhooks[]?.failurePolicy"] },
    { group: "admissionregistration.k8s.io", kind: "MutatingWebhookConfiguration", jqPathExpressions: CA_BUNDLES },
  ],
  "kube-prometheus-stack": [
    { group: "admissionregistration.k8s.io", kind: "ValidatingWebhookConfiguration", jqPathExpressions: CA_BUNDLES },
    { group: "admissionregistration.k8s.io", kind: "MutatingWebhookConfiguration", jqPathExpressions: CA_BUNDLES },
  ],
  "aws-load-balancer-controller": [
    { group: "admissionregistration.k8s.io", kind: "ValidatingWebhookConfiguration", jqPathExpressions: CA_BUNDLES },
    { group: "admissionregistration.k8s.io", kind: "MutatingWebhookConfiguration", jqPathExpressions: CA_BUNDLES },
    { group: "", kind: "Secret", name: "aws-load-balancer-tls", jsonPointers: ["/data"] },
  ],
};

const gk = (group: string, kind: string) => ({ group, kind });

/** Cluster-scoped kinds the charts and platform-base/ create (read from the charts' templates and CRDs). */
export const LAYER_CLUSTER_KINDS = [
  gk("", "Namespace"),
  gk("admissionregistration.k8s.io", "MutatingWebhookConfiguration"),
  gk("admissionregistration.k8s.io", "ValidatingAdmissionPolicy"),
  gk("admissionregistration.k8s.io", "ValidatingAdmissionPolicyBinding"),
  gk("admissionregistration.k8s.io", "ValidatingWebhookConfiguration"),
  gk("apiextensions.k8s.io", "CustomResourceDefinition"),
  gk("rbac.authorization.k8s.io", "ClusterRole"),
  gk("rbac.authorization.k8s.io", "ClusterRoleBinding"),
  gk("scheduling.k8s.io", "PriorityClass"),
  gk("storage.k8s.io", "StorageClass"),
];

/** Kinds only some charts create, admitted only where that chart is installed: an APIService answers for a whole API group. */
const ADDON_CLUSTER_KINDS: Partial<Record<AddonName, { group: string; kind: string }[]>> = {
  "prometheus-adapter": [gk("apiregistration.k8s.io", "APIService")],
};

/** Namespaced kinds the charts and platform-base/ create. */
export const LAYER_NAMESPACED_KINDS = [
  gk("", "ConfigMap"),
  gk("", "Endpoints"),
  gk("", "LimitRange"),
  gk("", "PersistentVolumeClaim"),
  gk("", "ResourceQuota"),
  gk("", "Secret"),
  gk("", "Service"),
  gk("", "ServiceAccount"),
  gk("apps", "DaemonSet"),
  gk("apps", "Deployment"),
  gk("apps", "StatefulSet"),
  gk("autoscaling", "HorizontalPodAutoscaler"),
  gk("batch", "Job"),
  gk("discovery.k8s.io", "EndpointSlice"),
  gk("monitoring.coreos.com", "Alertmanager"),
  gk("monitoring.coreos.com", "PodMonitor"),
  gk("monitoring.coreos.com", "Prometheus"),
  gk("monitoring.coreos.com", "PrometheusRule"),
  gk("monitoring.coreos.com", "ServiceMonitor"),
  gk("networking.k8s.io", "NetworkPolicy"),
  gk("policy", "PodDisruptionBudget"),
  gk("rbac.authorization.k8s.io", "Role"),
  gk("rbac.authorization.k8s.io", "RoleBinding"),
];

export function platformLayerApps(plan: Plan, cluster: ClusterPlan): Rendered[] {
  const platform = plan.world.platform;
  const c = cluster.name;
  const repoURL = platform.spec.gitops.repoURL;
  // The platform folder follows the cluster's own revision, as every other folder of the cluster does.
  const revision = clusterRevision(cluster, platform.spec.gitops.targetRevision);
  const out: Rendered[] = [];
  const add = (object: IApplication | IAppProject, sources: string[], origin = refAt(platform.file, "spec", "gitops")) =>
    out.push(placed(paths.apps(c), object, { sources, origin, owner: { cluster: c } }));

  const namespaces = [
    ...new Set([...platformNamespaces(platform.spec).map((n) => n.name), ...cluster.addons.map((a) => releaseNamespace(a.name, platform.spec))]),
  ];
  const chartRepos = [...new Set(cluster.addons.map((a) => a.repoURL))];
  const clusterKinds = [...LAYER_CLUSTER_KINDS, ...cluster.addons.flatMap((a) => ADDON_CLUSTER_KINDS[a.name] ?? [])].sort(
    (a, b) => cmp(a.group, b.group) || cmp(a.kind, b.kind),
  );
  add(project(namespaces, [repoURL, ...chartRepos], clusterKinds), [platform.file]);
  add(
    application(
      PLATFORM_BASE_APP,
      { repoURL, targetRevision: revision, path: platformBasePath(c), directory: { recurse: true } },
      PLATFORM_NAMESPACE.core,
      LAYER_WAVE.base,
      { prune: true, cascade: false },
    ),
    [platform.file, cluster.file],
  );
  for (const addon of [...cluster.addons].sort((a, b) => ADDON_NAMES.indexOf(a.name) - ADDON_NAMES.indexOf(b.name)))
    add(chartApplication(addon, cluster, plan), [platform.file, cluster.file], addon.origin);
  return out;
}

function chartApplication(addon: AddonPlan, cluster: ClusterPlan, plan: Plan): IApplication {
  const values = addonValues(addon, cluster, plan.world.platform.spec);
  const source = {
    repoURL: addon.repoURL,
    chart: addon.chart,
    targetRevision: addon.version,
    helm: { releaseName: releaseName(addon.name), ...(Object.keys(values).length > 0 ? { valuesObject: values } : {}) },
  };
  const app = application(
    addonAppName(addon.name),
    source,
    releaseNamespace(addon.name, plan.world.platform.spec),
    LAYER_WAVE[ADDON_WAVE[addon.name]],
    {
      prune: !CRD_CHARTS.has(addon.name),
      // Only the GPU components come and go with the specs (a cluster's last GPU pool removed, the
      // adapter turned off: its APIService must not outlive it); the rest stay if their Application is deleted.
      cascade: GPU_ADDONS.has(addon.name),
    },
    addon.name,
  );
  const ignore = IGNORE_DIFFERENCES[addon.name];
  if (ignore) {
    app.spec.ignoreDifferences = ignore.map((d) => ({ ...d }));
    app.spec.syncPolicy!.syncOptions = [...app.spec.syncPolicy!.syncOptions!, "RespectIgnoreDifferences=true"];
  }
  return app;
}

function application(
  name: string,
  source: NonNullable<IApplication["spec"]["source"]>,
  namespace: string,
  wave: string,
  opts: { prune: boolean; cascade: boolean },
  addon?: AddonName,
): IApplication {
  return {
    apiVersion: "argoproj.io/v1alpha1",
    kind: "Application",
    metadata: {
      name,
      namespace: ARGOCD_NAMESPACE,
      labels: addon ? { ...MANAGED_BY, [LABEL_ADDON]: addon } : { ...MANAGED_BY },
      annotations: waveAnnotation(wave),
      ...(opts.cascade ? { finalizers: [RESOURCES_FINALIZER] } : {}),
    },
    spec: {
      project: PLATFORM_LAYER_PROJECT,
      source,
      destination: { server: IN_CLUSTER, namespace },
      syncPolicy: { automated: { prune: opts.prune, selfHeal: true }, syncOptions: [...SYNC_OPTIONS], retry: RETRY },
    },
  };
}

/** The platform layer's project: its namespaces, the chart repositories, the kinds the charts create. */
function project(namespaces: readonly string[], sourceRepos: readonly string[], clusterKinds: readonly { group: string; kind: string }[]): IAppProject {
  return {
    apiVersion: "argoproj.io/v1alpha1",
    kind: "AppProject",
    metadata: {
      name: PLATFORM_LAYER_PROJECT,
      namespace: ARGOCD_NAMESPACE,
      labels: { ...MANAGED_BY },
      annotations: waveAnnotation(APP_WAVE.projects),
      finalizers: [RESOURCES_FINALIZER],
    },
    spec: {
      description: "The platform layer: pinned charts (mesh, ingress, autoscaling, load balancing, GPUs, monitoring) and the namespaces they run in",
      sourceRepos: [...new Set(sourceRepos)].sort(),
      destinations: [...new Set(namespaces)].sort().map((namespace) => ({ server: IN_CLUSTER, namespace })),
      clusterResourceWhitelist: clusterKinds.map((k) => ({ ...k })),
      namespaceResourceWhitelist: LAYER_NAMESPACED_KINDS.map((k) => ({ ...k })),
    },
  };
}
