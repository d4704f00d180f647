// Per model on each cluster: ServiceAccount, Service, and per version a Deployment, an HPA and a PDB.
import type { IDeployment } from "kubernetes-models/apps/v1/Deployment";
import type { IHorizontalPodAutoscaler } from "kubernetes-models/autoscaling/v2/HorizontalPodAutoscaler";
import type { IPodDisruptionBudget } from "kubernetes-models/policy/v1/PodDisruptionBudget";
import type { IService } from "kubernetes-models/v1/Service";
import type { IServiceAccount } from "kubernetes-models/v1/ServiceAccount";
import type { IContainer } from "kubernetes-models/v1/Container";
import type { IPodSpec } from "kubernetes-models/v1/PodSpec";
import { refAt } from "../diagnostics.js";
import type { ClusterPlan, ModelPlan, Plan, VersionPlan } from "../plan/types.js";
import { sidecarAnnotations } from "../plan/pod-requests.js";
import { GPU_METRIC, gpuTarget, preStop, proxyConfig, READINESS_PROBE, STARTUP_PROBE, timing, topologySpread } from "../plan/rollout.js";
import type { PlatformSpec } from "../schema/platform.js";
import { sortRecord } from "../base/order.js";
import { ISTIO_MERGED_METRICS_PORT } from "../catalogue/metrics.js";
import { LABEL_WORKLOAD, modelLabels, paths, versionLabels, versionSelector, WAVE, waveAnnotation } from "./meta.js";
import { containerResources, restrictedContainerSecurity, restrictedPodSpec, TMP_MOUNT } from "./pod-template.js";
import { POD_IDENTITY_AGENT } from "./network-policy.js";
import { placed, type KubeModel, type Rendered } from "./types.js";

export const SERVICE_PORT = 80;
const METRICS_PATH = "/metrics";
/**
 * Istio's merged metrics endpoint (pilot-agent, port 15020), declared on the pod because the
 * Prometheus Operator scrapes declared ports only; the sidecar does not declare it itself.
 */
export const MERGED_METRICS_PORT = { name: "istio-metrics", containerPort: ISTIO_MERGED_METRICS_PORT, protocol: "TCP" } as const;

export function emitWorkloads(plan: Plan): Rendered[] {
  const out: Rendered[] = [];
  for (const cluster of plan.clusters) {
    for (const m of cluster.models) {
      const dir = paths.model(cluster.name, m.tenant.name, m.name);
      const owner = { cluster: cluster.name, tenant: m.tenant.name, model: m.name };
      const add = (object: KubeModel, origin = refAt(m.file, "metadata", "name")) => out.push(placed(dir, object, { sources: [m.file], origin, owner }));
      add(serviceAccount(m));
      add(service(m));
      for (const v of m.versions) {
        add(deployment(m, v, cluster), refAt(m.file, "spec", "versions", v.version.index));
        if (scaledByHpa(m)) add(hpa(m, v, plan.world.platform.spec), m.prov.of("autoscaling", "maxReplicas"));
        if (m.model.autoscaling.minReplicas > 1) add(pdb(m, v), m.prov.of("autoscaling", "minReplicas"));
      }
    }
  }
  return out;
}

/** An HPA owns the replica count whenever it has a range to work in. */
export function scaledByHpa(m: ModelPlan): boolean {
  return m.model.autoscaling.maxReplicas > m.model.autoscaling.minReplicas;
}

function serviceAccount(m: ModelPlan): IServiceAccount {
  return {
    apiVersion: "v1",
    kind: "ServiceAccount",
    metadata: { name: m.name, namespace: m.tenant.namespace, labels: modelLabels(m), annotations: waveAnnotation(WAVE.identity) },
    automountServiceAccountToken: false,
  };
}

function service(m: ModelPlan): IService {
  return {
    apiVersion: "v1",
    kind: "Service",
    metadata: { name: m.name, namespace: m.tenant.namespace, labels: modelLabels(m), annotations: waveAnnotation(WAVE.workload) },
    spec: {
      type: "ClusterIP",
      selector: { "app.kubernetes.io/name": m.name },
      ports: [{ name: "http", port: SERVICE_PORT, targetPort: m.port, protocol: "TCP", appProtocol: "http" }],
    },
  };
}

/** The model container's name: the HPA's ContainerResource metrics measure it alone, not the sidecar. */
export const MODEL_CONTAINER = "model";

function deployment(m: ModelPlan, v: VersionPlan, cluster: ClusterPlan): IDeployment {
  const labels = versionLabels(m, v.version.name);
  const t = timing(m);
  return {
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: { name: v.workloadName, namespace: m.tenant.namespace, labels, annotations: waveAnnotation(WAVE.workload) },
    spec: {
      ...(scaledByHpa(m) ? {} : { replicas: m.model.autoscaling.minReplicas }),
      revisionHistoryLimit: 5,
      // Past it the Deployment reports ProgressDeadlineExceeded and Argo CD fails the sync: it covers a
      // node from zero, the image pull and the whole startup budget (rollout.ts, docs/rollouts.md).
      progressDeadlineSeconds: t.progressDeadlineSeconds,
      selector: { matchLabels: versionSelector(m, v.version.name) },
      strategy: { type: "RollingUpdate", rollingUpdate: { maxSurge: "25%", maxUnavailable: 0 } },
      template: {
        metadata: {
          labels: { ...labels, [LABEL_WORKLOAD]: "serving" },
          annotations: {
            "prometheus.io/scrape": "true",
            "prometheus.io/port": String(m.port),
            "prometheus.io/path": METRICS_PATH,
            ...sidecarAnnotations(),
            // The proxy is ready before the app starts (its artifact download goes through it) and
            // drains after the app has finished its last request.
            "proxy.istio.io/config": proxyConfig(t),
            // Credentials come from the node's Pod Identity agent straight, not through the proxy:
            // the model can load its artifact before the sidecar is ready.
            "traffic.sidecar.istio.io/excludeOutboundIPRanges": POD_IDENTITY_AGENT.cidr,
          },
        },
        spec: podSpec(m, v, cluster),
      },
    },
  };
}

function podSpec(m: ModelPlan, v: VersionPlan, cluster: ClusterPlan): IPodSpec {
  return restrictedPodSpec({
    serviceAccount: m.name,
    priorityClassName: m.tenant.priorityClassName,
    pool: m.pool,
    terminationGracePeriodSeconds: timing(m).terminationGracePeriodSeconds,
    topologySpreadConstraints: topologySpread(m, versionSelector(m, v.version.name)),
    containers: [container(m, v, cluster)],
  });
}

function container(m: ModelPlan, v: VersionPlan, cluster: ClusterPlan): IContainer {
  const region = cluster.spec.region;
  const probe = (path: string, extra: object) => ({ httpGet: { path, port: m.port }, timeoutSeconds: 5, ...extra });
  return {
    name: MODEL_CONTAINER,
    image: v.image,
    imagePullPolicy: "IfNotPresent",
    ports: [{ name: "http", containerPort: m.port, protocol: "TCP" }, { ...MERGED_METRICS_PORT }],
    env: modelEnv(m, v, region),
    resources: containerResources(m.model.resources),
    // Loading a model can take minutes: the startup probe holds liveness off until /health answers.
    startupProbe: probe("/health", { ...STARTUP_PROBE }),
    livenessProbe: probe("/health", { periodSeconds: 10, failureThreshold: 3 }),
    readinessProbe: probe("/ready", { ...READINESS_PROBE }),
    // Serve on while the endpoint is withdrawn and every accepted request finishes; SIGTERM comes after.
    lifecycle: { preStop: preStop(timing(m), cluster) },
    securityContext: restrictedContainerSecurity(),
    volumeMounts: [TMP_MOUNT],
  };
}

/** What the runtime reads to load a version: its artifact, identity and region, then the version's own env. */
export function modelEnv(m: ModelPlan, v: VersionPlan, region: string): NonNullable<IContainer["env"]> {
  return [
    { name: "MODEL_S3_URI", value: v.version.artifact },
    { name: "MODEL_ID", value: m.name },
    { name: "MODEL_VERSION", value: v.version.name },
    { name: "FRAMEWORK", value: m.model.framework },
    ...regionEnv(v, region),
    ...Object.entries(sortRecord(v.version.env)).map(([name, value]) => ({ name, value })),
  ];
}

/**
 * AWS SDKs find their region in the instance metadata service, which pods cannot reach: the
 * cluster's region, unless the version's env names one (a bucket elsewhere).
 */
export const REGION_ENV = ["AWS_REGION", "AWS_DEFAULT_REGION"] as const;

function regionEnv(v: VersionPlan, region: string): { name: string; value: string }[] {
  return REGION_ENV.filter((name) => v.version.env[name] === undefined).map((name) => ({ name, value: region }));
}

/**
 * Utilization of the model container alone (ContainerResource): a pod-level Resource metric would
 * average in the sidecar. Memory only where the model asks. A GPU model scales on its GPUs through
 * the platform's metrics adapter where there is one, else on CPU alone (rollout.ts gpuTarget).
 */
function hpa(m: ModelPlan, v: VersionPlan, platform: PlatformSpec): IHorizontalPodAutoscaler {
  const { minReplicas, maxReplicas, targetCPUUtilization, targetMemoryUtilization } = m.model.autoscaling;
  const metric = (name: "cpu" | "memory", target: number) => ({
    type: "ContainerResource" as const,
    containerResource: { name, container: MODEL_CONTAINER, target: { type: "Utilization" as const, averageUtilization: target } },
  });
  const gpu = gpuTarget(m, platform);
  return {
    apiVersion: "autoscaling/v2",
    kind: "HorizontalPodAutoscaler",
    metadata: { name: v.workloadName, namespace: m.tenant.namespace, labels: versionLabels(m, v.version.name), annotations: waveAnnotation(WAVE.workload) },
    spec: {
      scaleTargetRef: { apiVersion: "apps/v1", kind: "Deployment", name: v.workloadName },
      minReplicas,
      maxReplicas,
      metrics: [
        ...(targetCPUUtilization !== undefined ? [metric("cpu", targetCPUUtilization)] : []),
        ...(targetMemoryUtilization !== undefined ? [metric("memory", targetMemoryUtilization)] : []),
        ...(gpu !== undefined
          ? [{ type: "Pods" as const, pods: { metric: { name: GPU_METRIC }, target: { type: "AverageValue" as const, averageValue: String(gpu) } } }]
          : []),
      ],
      // Scale up fast for traffic spikes; scale down slowly, since a model pod is slow to start.
      behavior: {
        scaleUp: { stabilizationWindowSeconds: 0, policies: [{ type: "Percent", value: 100, periodSeconds: 60 }] },
        scaleDown: { stabilizationWindowSeconds: 300, policies: [{ type: "Percent", value: 50, periodSeconds: 60 }] },
      },
    },
  };
}

/** maxUnavailable 1: voluntary evictions proceed one pod at a time and can never be blocked outright. */
function pdb(m: ModelPlan, v: VersionPlan): IPodDisruptionBudget {
  return {
    apiVersion: "policy/v1",
    kind: "PodDisruptionBudget",
    metadata: { name: v.workloadName, namespace: m.tenant.namespace, labels: versionLabels(m, v.version.name), annotations: waveAnnotation(WAVE.workload) },
    spec: { maxUnavailable: 1, selector: { matchLabels: versionSelector(m, v.version.name) }, unhealthyPodEvictionPolicy: "AlwaysAllow" },
  };
}
