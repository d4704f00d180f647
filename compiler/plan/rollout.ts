// What a model's rollout, shutdown and scaling look like over time, derived from its plan: how
// long a rollout may take before Kubernetes calls it failed, how long a pod keeps serving after
// it is told to stop, how it spreads over zones and nodes, and which signal its HPA scales on.
// docs/rollouts.md gives every formula with its source; `berth check` prints the results.
import type { ClusterPlan, ModelPlan, PoolPlan } from "./types.js";
import type { PlatformSpec } from "../schema/platform.js";

/** The kubelet's startup probe: period × failureThreshold is how long a model may take to load. */
export const STARTUP_PROBE = { periodSeconds: 10, failureThreshold: 60 } as const;
export const READINESS_PROBE = { periodSeconds: 5, failureThreshold: 3 } as const;
export const STARTUP_BUDGET_SECONDS = STARTUP_PROBE.periodSeconds * STARTUP_PROBE.failureThreshold;

/** cluster-autoscaler's --scan-interval default: how long a pending pod waits to be noticed. */
export const AUTOSCALER_SCAN_SECONDS = 10;
/** EC2 launch, AMI boot, kubelet join and the VPC CNI reporting the node Ready. */
export const NODE_READY_SECONDS = 180;
/** GPU nodes: the NVIDIA driver loads and the device plugin advertises nvidia.com/gpu. */
export const GPU_PLUGIN_SECONDS = 120;
/** Image pull budgets: serving images of a few hundred MB; CUDA images of several GB. */
export const IMAGE_PULL_SECONDS = { cpu: 120, gpu: 300 } as const;
/** Slack on the progress deadline, so a rollout at the edge of every budget is not failed for seconds. */
export const DEADLINE_SLACK_SECONDS = 60;

/** Time for a terminating pod's removal from EndpointSlices to reach every gateway and proxy. */
export const ENDPOINT_PROPAGATION_SECONDS = 5;
/** The proxy outlives the app by this much; SIGKILL comes this much after the proxy has exited. */
export const SHUTDOWN_MARGIN_SECONDS = 5;
/**
 * cluster-autoscaler's --max-graceful-termination-sec default: when it removes a node it waits at
 * most this long for each pod, then kills it. A longer grace period is a promise nobody keeps.
 */
export const MAX_GRACE_SECONDS = 600;
export const MAX_TIMEOUT_SECONDS = MAX_GRACE_SECONDS - ENDPOINT_PROPAGATION_SECONDS - 2 * SHUTDOWN_MARGIN_SECONDS;

/** Kubernetes minor from which a preStop hook may sleep without a binary in the image (PodLifecycleSleepAction, beta on by default). */
export const SLEEP_ACTION_MINOR = 30;

export interface Timing {
  /** Gateway route timeout: the longest one request may take. */
  readonly timeoutSeconds: number;
  /** preStop sleep of the model container: endpoints are withdrawn and accepted requests finish. */
  readonly preStopSeconds: number;
  /** Istio's terminationDrainDuration: the proxy outlives the app. */
  readonly drainSeconds: number;
  readonly terminationGracePeriodSeconds: number;
  /** Parts of the progress deadline, in the order a new pod meets them. */
  readonly deadline: { readonly nodeSeconds: number; readonly imageSeconds: number; readonly startupSeconds: number; readonly readySeconds: number };
  readonly progressDeadlineSeconds: number;
}

/** The pool can add a node for the rollout's surge pods; a fixed-size pool never waits for one. */
export function poolCanGrow(pool: PoolPlan | undefined): boolean {
  return pool === undefined || pool.spec.maxSize > pool.spec.minSize;
}

export function timing(m: ModelPlan): Timing {
  const timeoutSeconds = m.model.timeoutSeconds;
  const preStopSeconds = ENDPOINT_PROPAGATION_SECONDS + timeoutSeconds;
  const drainSeconds = preStopSeconds + SHUTDOWN_MARGIN_SECONDS;
  const terminationGracePeriodSeconds = drainSeconds + SHUTDOWN_MARGIN_SECONDS;
  const gpu = m.model.resources.gpu > 0;
  const nodeSeconds = poolCanGrow(m.pool) ? AUTOSCALER_SCAN_SECONDS + NODE_READY_SECONDS + (gpu ? GPU_PLUGIN_SECONDS : 0) : 0;
  const imageSeconds = gpu ? IMAGE_PULL_SECONDS.gpu : IMAGE_PULL_SECONDS.cpu;
  const readySeconds = READINESS_PROBE.periodSeconds;
  const total = nodeSeconds + imageSeconds + STARTUP_BUDGET_SECONDS + readySeconds + DEADLINE_SLACK_SECONDS;
  return {
    timeoutSeconds,
    preStopSeconds,
    drainSeconds,
    terminationGracePeriodSeconds,
    deadline: { nodeSeconds, imageSeconds, startupSeconds: STARTUP_BUDGET_SECONDS, readySeconds },
    progressDeadlineSeconds: Math.ceil(total / 60) * 60,
  };
}

/** A cluster without models still routes: the gateway drains for SPEC's default timeout. */
export const DEFAULT_TIMEOUT_SECONDS = 60;

export interface GatewayTiming {
  /** The longest route timeout of any model on the cluster. */
  readonly timeoutSeconds: number;
  /** The gateway proxy's terminationDrainDuration: a request it accepted just before its endpoint went away still finishes. */
  readonly drainSeconds: number;
  readonly terminationGracePeriodSeconds: number;
}

/**
 * Every request passes a gateway pod too, and a gateway pod ends on scale-in, upgrade or node
 * removal like a model pod: its proxy drains for propagation + the cluster's longest timeout +
 * the margin, and SIGKILL comes the margin after that (docs/rollouts.md).
 */
export function gatewayTiming(cluster: Pick<ClusterPlan, "models">): GatewayTiming {
  const timeoutSeconds = Math.max(DEFAULT_TIMEOUT_SECONDS, ...cluster.models.map((m) => m.model.timeoutSeconds));
  const drainSeconds = ENDPOINT_PROPAGATION_SECONDS + timeoutSeconds + SHUTDOWN_MARGIN_SECONDS;
  return { timeoutSeconds, drainSeconds, terminationGracePeriodSeconds: drainSeconds + SHUTDOWN_MARGIN_SECONDS };
}

/** `proxy.istio.io/config`: this pod's proxy starts before the app and drains after it. */
export function proxyConfig(t: Timing): string {
  return JSON.stringify({ holdApplicationUntilProxyStarts: true, terminationDrainDuration: `${t.drainSeconds}s` });
}

export function kubernetesMinor(cluster: Pick<ClusterPlan, "spec">): number {
  return Number(cluster.spec.kubernetesVersion.split(".")[1]);
}

/** The model container's preStop hook: the sleep action where the cluster has it, else the image's sleep. */
export function preStop(t: Timing, cluster: Pick<ClusterPlan, "spec">) {
  return kubernetesMinor(cluster) >= SLEEP_ACTION_MINOR ? { sleep: { seconds: t.preStopSeconds } } : { exec: { command: ["sleep", String(t.preStopSeconds)] } };
}

export interface Spread {
  /** Zones the pool declares (0: unknown, eksctl picks them). */
  readonly zones: number;
  /** Replicas must spread over zones (DoNotSchedule) rather than merely prefer to. */
  readonly hardZones: boolean;
}

/**
 * Hard zone spread where it means something and can be proven: at least two replicas and two
 * known zones. With one replica or unknown zones, a preference, so nothing waits for a zone.
 */
export function spread(m: ModelPlan): Spread {
  const zones = m.pool?.spec.zones?.length ?? 0;
  return { zones, hardZones: zones >= 2 && m.model.autoscaling.minReplicas >= 2 };
}

export const ZONE_KEY = "topology.kubernetes.io/zone";
export const NODE_KEY = "kubernetes.io/hostname";

export function topologySpread(m: ModelPlan, selector: Record<string, string>) {
  const s = spread(m);
  const constraint = (topologyKey: string, hard: boolean) => ({
    maxSkew: 1,
    topologyKey,
    whenUnsatisfiable: hard ? ("DoNotSchedule" as const) : ("ScheduleAnyway" as const),
    labelSelector: { matchLabels: selector },
    // Each ReplicaSet spreads on its own: during a rollout the new pods do not pile where the old ones left room.
    matchLabelKeys: ["pod-template-hash"],
  });
  return [constraint(ZONE_KEY, s.hardZones), constraint(NODE_KEY, false)];
}

/** The GPU utilization DCGM reports per pod, as prometheus-adapter serves it to the HPA (docs/rollouts.md). */
export const GPU_METRIC = "DCGM_FI_DEV_GPU_UTIL";
/** A GPU model scales on its GPUs at this average utilization unless it names a target. */
export const DEFAULT_GPU_TARGET = 80;

/**
 * The prometheus-adapter rule the platform layer installs with the adapter: DCGM's per-GPU series,
 * labelled with the pod using the GPU, become a Pods metric averaged per pod.
 */
export const GPU_ADAPTER_RULE = {
  seriesQuery: `${GPU_METRIC}{namespace!="",pod!=""}`,
  resources: { overrides: { namespace: { resource: "namespace" }, pod: { resource: "pod" } } },
  name: { matches: `^${GPU_METRIC}$`, as: GPU_METRIC },
  metricsQuery: "avg(<<.Series>>{<<.LabelMatchers>>}) by (<<.GroupBy>>)",
} as const;

/**
 * The platform asks for the adapter; the platform layer then installs it on every cluster with a
 * GPU pool (catalogue GPU_ADDONS), which is every cluster a GPU model can run on.
 */
export function hasMetricsAdapter(platform: PlatformSpec): boolean {
  return platform.metricsAdapter === "prometheus-adapter";
}

/**
 * The GPU target the HPA uses, only for a GPU model where the adapter serves the signal: the
 * model's own, else the default. Otherwise none, and the HPA falls back to CPU on the model
 * container; it never names a metric nobody serves (a target named anyway is BERTH1503/1504).
 */
export function gpuTarget(m: ModelPlan, platform: PlatformSpec): number | undefined {
  if (m.model.resources.gpu === 0 || !hasMetricsAdapter(platform)) return undefined;
  return m.model.autoscaling.targetGPUUtilization ?? DEFAULT_GPU_TARGET;
}
