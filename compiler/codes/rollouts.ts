import type { CodeInfo } from "./info.js";

/** Rollout timing, scaling signals, spread and blast radius (15xx). */
export const rolloutCodes = {
  BERTH1501: {
    severity: "error",
    title: "timeout longer than any drain the platform allows",
    example:
      "models/a/fraud.yaml:12:12: error BERTH1501: timeout 600s needs a termination grace period of 615s so an in-flight request can finish, but the cluster-autoscaler waits at most 600s for a pod to end when it removes a node (--max-graceful-termination-sec)\n  hint: lower timeout to at most 585s, or serve requests this long as batch jobs",
  },
  BERTH1502: {
    severity: "error",
    title: "timeout is not a duration",
    example:
      'models/a/fraud.yaml:12:12: error BERTH1502: spec.timeout: timeout "1 minute" is not a duration of at least one second\n  hint: write whole seconds, minutes or hours, e.g. 60s, 2m or 1m30s',
  },
  BERTH1503: {
    severity: "error",
    title: "GPU scaling signal without a metrics adapter",
    example:
      "models/a/llm.yaml:14:40: error BERTH1503: autoscaling.targetGPUUtilization needs a custom-metrics adapter, but the platform installs none on cluster prod, so the HPA could never read the signal\n  hint: set spec.metricsAdapter: prometheus-adapter in the platform spec, or remove targetGPUUtilization to scale on CPU",
  },
  BERTH1504: {
    severity: "error",
    title: "GPU scaling signal on a model without GPUs",
    example:
      "models/a/fraud.yaml:14:40: error BERTH1504: autoscaling.targetGPUUtilization is set but the model asks for no GPUs on cluster prod, so no GPU utilization is ever reported\n  hint: remove targetGPUUtilization, or set resources.gpu",
  },
  BERTH1505: {
    severity: "error",
    title: "zone spread the pool cannot satisfy at minReplicas",
    example:
      "models/a/fraud.yaml:13:18: error BERTH1505: at minReplicas 6 the zone spread puts 2 pods of each of fraud's 2 versions (4 in all) in each of pool general's 3 zones, but at maxSize 2 some zone has no node\n  hint: lower minReplicas to at most 1, raise the pool's maxSize to at least 6, or list fewer zones",
  },
  BERTH1506: {
    severity: "error",
    title: "pool zone outside the cluster's region",
    example:
      "platform/clusters/prod.yaml:11:80: error BERTH1506: pool general lists zone eu-west-1a, which is not in the cluster's region us-east-1\n  hint: list zones of us-east-1, e.g. us-east-1a",
  },
  BERTH1507: {
    severity: "error",
    title: "memory or GPU target in the platform defaults",
    example:
      "platform/platform.yaml:40:32: error BERTH1507: defaults.autoscaling.targetMemoryUtilization would scale every model on memory; a loaded model's memory does not fall with more replicas, so the HPA would sit at maxReplicas\n  hint: remove it from the defaults and set it on the models whose load it measures",
  },
} as const satisfies Record<string, CodeInfo>;
