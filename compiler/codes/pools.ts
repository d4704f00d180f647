import type { CodeInfo } from "./info.js";

/** Node pools, instance types and the scheduling proof (06xx). */
export const poolsCodes = {
  BERTH0601: {
    severity: "error",
    title: "unknown instance type",
    example:
      "platform/clusters/prod.yaml:10:37: error BERTH0601: pool general: instance type m5.larg is not in berth's catalogue, so berth cannot prove what fits on its nodes\n  hint: did you mean `m5.large`?",
  },
  BERTH0602: {
    severity: "error",
    title: "pool sizes inconsistent",
    example: "platform/clusters/prod.yaml:10:56: error BERTH0602: pool general: minSize (4) is greater than maxSize (2)",
  },
  BERTH0603: {
    severity: "error",
    title: "duplicate pool name",
    example: "platform/clusters/prod.yaml:12:14: error BERTH0603: pool name general is declared twice (first at pools[0])",
  },
  BERTH0604: {
    severity: "error",
    title: "gpu pool without GPUs",
    example: "platform/clusters/prod.yaml:11:83: error BERTH0604: pool gpu-inference declares gpu: true but m5.xlarge has no GPUs",
  },
  BERTH0605: {
    severity: "warning",
    title: "GPU instance type in a pool not marked gpu",
    example:
      "platform/clusters/prod.yaml:11:7: warning BERTH0605: pool inference uses g5.xlarge (1 NVIDIA A10G) but does not declare gpu: true, so its nodes get no GPU taint and models without GPUs may fill them",
  },
  BERTH0606: {
    severity: "error",
    title: "GPU request without a GPU pool",
    example:
      "models/team-a/fraud.yaml:12:9: error BERTH0606: the model asks for 1 GPU but pool general on cluster prod has none (m5.large)\n  hint: choose a pool with GPUs (gpu-inference), or set resources.gpu: 0",
  },
  BERTH0607: {
    severity: "warning",
    title: "GPU pool chosen by a model without GPUs",
    example:
      "models/a/b.yaml:10:9: warning BERTH0607: pool gpu-inference on cluster prod has GPUs (g4dn.xlarge) but the model asks for none: its pods would hold GPU nodes without using them",
  },
  BERTH0608: {
    severity: "error",
    title: "pod fits no node of its pool",
    example:
      "models/team-a/fraud.yaml:10:45: error BERTH0608: a pod of fraud (cpu 600m, memory 24.1Gi, 0 GPUs, mesh sidecar included) fits no node of pool general on cluster prod: one m5.large node leaves cpu 1605m, memory 6.9Gi, 0 GPUs after the EKS reservation and daemon allowance; memory 24.1Gi > 6.9Gi\n  hint: lower resources.requests.memory to at most 6954Mi (the sidecar takes 128Mi), or use a larger instance type for the pool",
  },
  BERTH0609: {
    severity: "error",
    title: "pool overflows at minReplicas",
    example:
      "platform/clusters/prod.yaml:10:7: error BERTH0609: pool general on cluster prod cannot hold its models at minReplicas: 24 pods need 12 m5.large nodes by first-fit packing, maxSize is 10 (requests cpu 14.4 of 16.05 cores, memory 27Gi of 69.2Gi, pods 24 of 230); largest: fraud 24 pods (14.4 cores)",
  },
  BERTH0610: {
    severity: "warning",
    title: "pool overflows at maxReplicas",
    example:
      "platform/clusters/prod.yaml:10:7: warning BERTH0610: pool general on cluster prod cannot hold its models at maxReplicas: 31 pods need 20 m5.large nodes by first-fit packing, maxSize is 10 (requests cpu 22.6 of 16.05 cores, memory 42.9Gi of 69.2Gi, pods 31 of 230); largest: fraud 20 pods (12 cores), ranker 8 pods (8.8 cores), churn 3 pods (1.8 cores)",
  },
} as const satisfies Record<string, CodeInfo>;
