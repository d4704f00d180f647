// The Helm values berth gives each platform chart, derived from the specs and typed here (the
// part of each chart's values.yaml berth sets; the charts themselves stay in their repositories).
import type { AddonPlan } from "../plan/addon-rules.js";
import type { AddonName } from "../catalogue/addons.js";
import type { ClusterPlan } from "../plan/types.js";
import { poolLabels, tolerationsFor } from "../plan/pool-labels.js";
import { GPU_ADAPTER_RULE, gatewayTiming } from "../plan/rollout.js";
import type { PlatformSpec } from "../schema/platform.js";
import { NODEGROUP_LABEL } from "../catalogue/metrics.js";
import { AUTOSCALER_SERVICE_ACCOUNT, LOAD_BALANCER_CONTROLLER_SERVICE_ACCOUNT } from "./eksctl.js";
import { PROMETHEUS_SELECTOR } from "./meta.js";
import { DASHBOARD_LABEL } from "./observability-dashboards.js";
import {
  GATEWAY_RELEASE,
  GRAFANA_ADMIN_SECRET,
  PLATFORM_NAMESPACE,
  PLATFORM_PRIORITY,
  PROMETHEUS_RETENTION,
  PROXY_DRAIN,
  STORAGE_CLASS,
  gatewayNamespace,
  gatewaySelector,
  monitoringNamespace,
} from "./platform-tiers.js";

type Resources = { requests?: Record<string, string>; limits?: Record<string, string> };
type Toleration = ReturnType<typeof tolerationsFor>[number];
interface NodeAffinity {
  nodeAffinity: {
    requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: { matchExpressions: { key: string; operator: "In"; values: string[] }[] }[] };
  };
}

export interface IstioBaseValues {
  global: { istioNamespace: string };
}
export interface IstioCniValues {
  excludeNamespaces: string[];
  resources: Resources;
}
export interface IstiodValues {
  cni: { enabled: boolean };
  autoscaleMin: number;
  global: { istioNamespace: string; priorityClassName: string };
  meshConfig: { enablePrometheusMerge: boolean; defaultConfig: { holdApplicationUntilProxyStarts: boolean; terminationDrainDuration: string } };
}
export interface IstioGatewayValues {
  labels: Record<string, string>;
  podAnnotations: Record<string, string>;
  terminationGracePeriodSeconds: number;
  service: { type: "LoadBalancer"; annotations: Record<string, string> };
  priorityClassName: string;
  autoscaling: { enabled: boolean; minReplicas: number; maxReplicas: number };
  podDisruptionBudget: { minAvailable: number };
}
type Selector = { matchLabels: Record<string, string> };
export interface KubePrometheusStackValues {
  crds: { enabled: boolean };
  /** On every object of the chart, its own ServiceMonitors and rules too: what the Prometheus selects. */
  commonLabels: Record<string, string>;
  /** Subcharts render their own ServiceMonitors: commonLabels does not reach them. */
  "kube-state-metrics": { metricLabelsAllowlist: string[]; prometheus: { monitor: { additionalLabels: Record<string, string> } } };
  "prometheus-node-exporter": { prometheus: { monitor: { additionalLabels: Record<string, string> } } };
  prometheusOperator: { priorityClassName: string };
  prometheus: {
    prometheusSpec: {
      retention: string;
      retentionSize: string;
      priorityClassName: string;
      resources: Resources;
      serviceMonitorSelectorNilUsesHelmValues: boolean;
      podMonitorSelectorNilUsesHelmValues: boolean;
      ruleSelectorNilUsesHelmValues: boolean;
      serviceMonitorSelector: Selector;
      podMonitorSelector: Selector;
      ruleSelector: Selector;
      serviceMonitorNamespaceSelector: Record<string, never>;
      podMonitorNamespaceSelector: Record<string, never>;
      ruleNamespaceSelector: Record<string, never>;
      storageSpec: { volumeClaimTemplate: { spec: { storageClassName: string; accessModes: string[]; resources: { requests: { storage: string } } } } };
    };
  };
  alertmanager: { alertmanagerSpec: { priorityClassName: string } };
  grafana: {
    admin: { existingSecret: string; userKey: string; passwordKey: string };
    persistence: { enabled: boolean; storageClassName: string; size: string };
    serviceMonitor: { labels: Record<string, string> };
    sidecar: { dashboards: { enabled: boolean; label: string; labelValue: string; searchNamespace: string } };
  };
}
export interface ClusterAutoscalerValues {
  cloudProvider: "aws";
  awsRegion: string;
  autoDiscovery: { clusterName: string };
  fullnameOverride: string;
  rbac: { serviceAccount: { create: boolean; name: string } };
  extraArgs: Record<string, string | boolean>;
  resources: Resources;
}
export interface LoadBalancerControllerValues {
  clusterName: string;
  region: string;
  vpcTags: Record<string, string>;
  serviceAccount: { create: boolean; name: string };
  createIngressClassResource: boolean;
  enableServiceMutatorWebhook: boolean;
}
export interface DevicePluginValues {
  affinity: NodeAffinity;
  tolerations: Toleration[];
}
export interface DcgmExporterValues {
  affinity: NodeAffinity;
  tolerations: Toleration[];
  serviceMonitor: { enabled: boolean; honorLabels: boolean; additionalLabels: Record<string, string> };
}
type AdapterRule = typeof GPU_ADAPTER_RULE;
export interface PrometheusAdapterValues {
  prometheus: { url: string; port: number; path: string };
  rules: { default: boolean; custom: AdapterRule[] };
  replicas: number;
  priorityClassName: string;
  resources: Resources;
  podDisruptionBudget: { enabled: boolean; maxUnavailable: number };
  topologySpreadConstraints: {
    maxSkew: number;
    topologyKey: string;
    whenUnsatisfiable: "ScheduleAnyway";
    labelSelector: { matchLabels: Record<string, string> };
  }[];
}

/** Where each chart is installed. The two AWS controllers go where eksctl gave their ServiceAccounts IAM. */
export function releaseNamespace(name: AddonName, platform: PlatformSpec): string {
  switch (name) {
    case "istio-gateway":
      return gatewayNamespace(platform);
    case "prometheus-operator-crds":
    case "kube-prometheus-stack":
    case "prometheus-adapter":
      return monitoringNamespace(platform);
    case "cluster-autoscaler":
      return AUTOSCALER_SERVICE_ACCOUNT.namespace;
    case "aws-load-balancer-controller":
      return LOAD_BALANCER_CONTROLLER_SERVICE_ACCOUNT.namespace;
    case "nvidia-device-plugin":
    case "dcgm-exporter":
      return PLATFORM_NAMESPACE.core;
    default:
      return PLATFORM_NAMESPACE.mesh;
  }
}

export function releaseName(name: AddonName): string {
  return name === "istio-gateway" ? GATEWAY_RELEASE : name;
}

/** berth's values for a chart, with platform.addons' values merged over them. */
export function addonValues(addon: AddonPlan, cluster: ClusterPlan, platform: PlatformSpec): Record<string, unknown> {
  const own = derivedValues(addon.name, cluster, platform) as unknown as Record<string, unknown>;
  return addon.values ? mergeValues(own, addon.values) : own;
}

function derivedValues(name: AddonName, cluster: ClusterPlan, platform: PlatformSpec): object {
  switch (name) {
    case "istio-base":
      return { global: { istioNamespace: PLATFORM_NAMESPACE.mesh } } satisfies IstioBaseValues;
    case "istio-cni":
      return {
        excludeNamespaces: ["kube-system", PLATFORM_NAMESPACE.mesh],
        resources: { requests: { cpu: "100m", memory: "100Mi" } },
      } satisfies IstioCniValues;
    case "istiod":
      return istiod();
    case "istio-gateway":
      return gateway(platform, cluster);
    case "prometheus-operator-crds":
      return {};
    case "kube-prometheus-stack":
      return prometheusStack();
    case "cluster-autoscaler":
      return autoscaler(cluster);
    case "aws-load-balancer-controller":
      return loadBalancerController(cluster);
    case "nvidia-device-plugin":
      return { affinity: gpuAffinity(cluster), tolerations: gpuTolerations(cluster) } satisfies DevicePluginValues;
    // honorLabels: the pod and namespace DCGM maps each GPU to must win over the exporter pod's own, or the adapter would attribute every GPU to the exporter.
    case "dcgm-exporter":
      return {
        affinity: gpuAffinity(cluster),
        tolerations: gpuTolerations(cluster),
        serviceMonitor: { enabled: true, honorLabels: true, additionalLabels: { ...PROMETHEUS_SELECTOR } },
      } satisfies DcgmExporterValues;
    case "prometheus-adapter":
      return prometheusAdapter(cluster, platform);
  }
}

/** CNI instead of istio-init (whose NET_ADMIN Pod Security `restricted` rejects); apps start after their proxy. */
function istiod(): IstiodValues {
  return {
    cni: { enabled: true },
    autoscaleMin: 2,
    global: { istioNamespace: PLATFORM_NAMESPACE.mesh, priorityClassName: PLATFORM_PRIORITY.name },
    meshConfig: { enablePrometheusMerge: true, defaultConfig: { holdApplicationUntilProxyStarts: true, terminationDrainDuration: PROXY_DRAIN } },
  };
}

/** An internal NLB in IP mode, made by the AWS Load Balancer Controller ("external"), never by the in-tree controller. */
function gateway(platform: PlatformSpec, cluster: ClusterPlan): IstioGatewayValues {
  const t = gatewayTiming(cluster);
  return {
    labels: gatewaySelector(platform),
    // Merged over the chart's own pod annotations (its zzz_profile.yaml deep-merges values); the drain outlasts the longest route timeout.
    podAnnotations: { "proxy.istio.io/config": JSON.stringify({ terminationDrainDuration: `${t.drainSeconds}s` }) },
    terminationGracePeriodSeconds: t.terminationGracePeriodSeconds,
    service: {
      type: "LoadBalancer",
      annotations: {
        "service.beta.kubernetes.io/aws-load-balancer-nlb-target-type": "ip",
        "service.beta.kubernetes.io/aws-load-balancer-scheme": "internal",
        "service.beta.kubernetes.io/aws-load-balancer-type": "external",
      },
    },
    priorityClassName: PLATFORM_PRIORITY.name,
    autoscaling: { enabled: true, minReplicas: 2, maxReplicas: 10 },
    podDisruptionBudget: { minAvailable: 1 },
  };
}

/**
 * CRDs come from their own chart a wave earlier. The Prometheus selects, in every namespace,
 * exactly the monitors and rules that carry berth's selector label: berth's own (observability.ts)
 * and the chart's and DCGM exporter's, which get it through commonLabels (the chart's own
 * objects) and each subchart's monitor labels (kube-state-metrics, node exporter, Grafana).
 * kube-state-metrics exports each node's node group, so the overview counts nodes per pool.
 */
function prometheusStack(): KubePrometheusStackValues {
  const priorityClassName = PLATFORM_PRIORITY.name;
  const selector = { matchLabels: { ...PROMETHEUS_SELECTOR } };
  return {
    crds: { enabled: false },
    commonLabels: { ...PROMETHEUS_SELECTOR },
    "kube-state-metrics": { metricLabelsAllowlist: [`nodes=[${NODEGROUP_LABEL}]`], prometheus: { monitor: { additionalLabels: { ...PROMETHEUS_SELECTOR } } } },
    "prometheus-node-exporter": { prometheus: { monitor: { additionalLabels: { ...PROMETHEUS_SELECTOR } } } },
    prometheusOperator: { priorityClassName },
    prometheus: {
      prometheusSpec: {
        retention: PROMETHEUS_RETENTION.time,
        retentionSize: PROMETHEUS_RETENTION.size,
        priorityClassName,
        resources: { requests: { cpu: "500m", memory: "2Gi" } },
        serviceMonitorSelectorNilUsesHelmValues: false,
        podMonitorSelectorNilUsesHelmValues: false,
        ruleSelectorNilUsesHelmValues: false,
        serviceMonitorSelector: selector,
        podMonitorSelector: selector,
        ruleSelector: selector,
        serviceMonitorNamespaceSelector: {},
        podMonitorNamespaceSelector: {},
        ruleNamespaceSelector: {},
        storageSpec: {
          volumeClaimTemplate: {
            spec: { storageClassName: STORAGE_CLASS, accessModes: ["ReadWriteOnce"], resources: { requests: { storage: PROMETHEUS_RETENTION.volume } } },
          },
        },
      },
    },
    alertmanager: { alertmanagerSpec: { priorityClassName } },
    grafana: {
      // Never the chart's default password: the admin secret is created out of band (docs/bootstrap.md).
      admin: { existingSecret: GRAFANA_ADMIN_SECRET, userKey: "admin-user", passwordKey: "admin-password" },
      persistence: { enabled: true, storageClassName: STORAGE_CLASS, size: "10Gi" },
      serviceMonitor: { labels: { ...PROMETHEUS_SELECTOR } },
      sidecar: { dashboards: { enabled: true, label: DASHBOARD_LABEL.key, labelValue: DASHBOARD_LABEL.value, searchNamespace: "ALL" } },
    },
  };
}

/**
 * The Prometheus Service kube-prometheus-stack creates: `<fullname>-prometheus` in its release
 * namespace, port prometheus.service.port (charts/kube-prometheus-stack templates/_helpers.tpl
 * "kube-prometheus-stack.fullname": fullnameOverride, else the release name when it contains the
 * chart name, else release-chart; cut to 26 characters). Read through platform.addons' values,
 * so an override that renames the stack moves the adapter with it.
 */
export function prometheusEndpoint(cluster: ClusterPlan, platform: PlatformSpec): { url: string; port: number } {
  const stack = cluster.addons.find((a) => a.name === "kube-prometheus-stack");
  const v = (stack?.values ?? {}) as { fullnameOverride?: string; nameOverride?: string; prometheus?: { service?: { port?: number } } };
  const release = releaseName("kube-prometheus-stack");
  const chart = v.nameOverride || "kube-prometheus-stack";
  const full = v.fullnameOverride || (release.includes(chart) ? release : `${release}-${chart}`);
  const fullname = full.slice(0, 26).replace(/-$/, "");
  return { url: `http://${fullname}-prometheus.${monitoringNamespace(platform)}.svc`, port: v.prometheus?.service?.port ?? 9090 };
}

/** The labels the adapter chart selects its pods by (templates/_helpers.tpl selectorLabels). */
export const ADAPTER_POD_LABELS = { "app.kubernetes.io/name": "prometheus-adapter", "app.kubernetes.io/instance": "prometheus-adapter" } as const;

/**
 * Only berth's rule (docs/rollouts.md): the chart's defaults would serve every container_* and
 * namespaced series, relisted every minute, at fleet scale for no HPA. Two replicas on two nodes,
 * at the platform's priority: while its APIService is unavailable, API discovery fails for every
 * client and every HPA on the GPU signal stops scaling.
 */
function prometheusAdapter(cluster: ClusterPlan, platform: PlatformSpec): PrometheusAdapterValues {
  return {
    prometheus: { ...prometheusEndpoint(cluster, platform), path: "" },
    rules: { default: false, custom: [structuredClone(GPU_ADAPTER_RULE)] },
    replicas: 2,
    priorityClassName: PLATFORM_PRIORITY.name,
    resources: { requests: { cpu: "100m", memory: "128Mi" }, limits: { memory: "512Mi" } },
    podDisruptionBudget: { enabled: true, maxUnavailable: 1 },
    topologySpreadConstraints: [
      { maxSkew: 1, topologyKey: "kubernetes.io/hostname", whenUnsatisfiable: "ScheduleAnyway", labelSelector: { matchLabels: { ...ADAPTER_POD_LABELS } } },
    ],
  };
}

/** Auto-discovery finds the node groups eksctl tagged k8s.io/cluster-autoscaler/<cluster> (eksctl.ts). */
function autoscaler(cluster: ClusterPlan): ClusterAutoscalerValues {
  return {
    cloudProvider: "aws",
    awsRegion: cluster.spec.region,
    autoDiscovery: { clusterName: cluster.name },
    fullnameOverride: "cluster-autoscaler",
    rbac: { serviceAccount: { create: true, name: AUTOSCALER_SERVICE_ACCOUNT.name } },
    extraArgs: { "balance-similar-node-groups": true, expander: "least-waste" },
    resources: { requests: { cpu: "100m", memory: "600Mi" }, limits: { memory: "600Mi" } },
  };
}

/** Pods cannot reach the instance metadata service, so the VPC is found by the tag eksctl puts on it. */
function loadBalancerController(cluster: ClusterPlan): LoadBalancerControllerValues {
  return {
    clusterName: cluster.name,
    region: cluster.spec.region,
    vpcTags: { "alpha.eksctl.io/cluster-name": cluster.name },
    serviceAccount: { create: true, name: LOAD_BALANCER_CONTROLLER_SERVICE_ACCOUNT.name },
    createIngressClassResource: false,
    // Only Services annotated "external" are the controller's: an outage of it never blocks other Services.
    enableServiceMutatorWebhook: false,
  };
}

/** One node-selector term per GPU pool (terms are ORed): the daemons run on GPU nodes only. */
function gpuAffinity(cluster: ClusterPlan): NodeAffinity {
  const nodeSelectorTerms = cluster.pools
    .filter((p) => p.hasGpus)
    .map((p) => ({ matchExpressions: Object.entries(poolLabels(p.spec)).map(([key, value]) => ({ key, operator: "In" as const, values: [value] })) }));
  return { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms } } };
}

function gpuTolerations(cluster: ClusterPlan): Toleration[] {
  const seen = new Map<string, Toleration>();
  for (const p of cluster.pools.filter((pool) => pool.hasGpus)) for (const t of tolerationsFor(p)) seen.set(JSON.stringify(t), t);
  return [...seen.keys()].sort().map((k) => seen.get(k)!);
}

/** Helm's merge: maps key by key, anything else (lists, scalars, null) replaces. */
export function mergeValues(base: Record<string, unknown>, over: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...base };
  for (const [k, v] of Object.entries(over)) {
    const b = out[k];
    out[k] = isMap(b) && isMap(v) ? mergeValues(b, v) : v;
  }
  return out;
}

function isMap(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}
