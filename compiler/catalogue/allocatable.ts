/**
 * What a node of a given instance type leaves for workload pods.
 *
 * The EKS AMI's kubelet (nodeadm, awslabs/amazon-eks-ami) reserves per node:
 * - kubeReserved.cpu: 6 % of the first core, 1 % of the second, 0.5 % of the third and fourth,
 *   0.25 % of every core above four. Computed like nodeadm: integer millicores per range,
 *   each range rounded down (2 vCPU → 70m, 4 → 80m, 8 → 90m).
 * - kubeReserved.memory: 11 MiB × maxPods + 255 MiB (m5.large, 29 pods → 574 MiB).
 * - evictionHard memory.available: 100 MiB.
 * Node allocatable = capacity − kubeReserved − eviction threshold.
 *
 * DaemonSets then take their requests from allocatable on every node, so the compiler also
 * subtracts a per-node DaemonSet allowance (see DAEMONSETS below) — from CPU, memory and the
 * node's pod slots (DaemonSet pods, host-network ones included, count against maxPods).
 *
 * Capacity is the nominal EC2 figure from the catalogue; the kernel keeps a few percent of
 * memory, so real allocatable memory is somewhat lower than computed here.
 */
import type { InstanceType } from "./instances.js";

export interface NodeAllocatable {
  cpuMilli: number;
  memoryMiB: number;
  gpus: number;
  pods: number;
}

export interface Reservation {
  kubeReservedCpuMilli: number;
  kubeReservedMemoryMiB: number;
  evictionMemoryMiB: number;
  daemonCpuMilli: number;
  daemonMemoryMiB: number;
}

/**
 * The per-node DaemonSets the allowance budgets for. Where the add-on or chart sets requests by
 * default the budget is at least those (kube-proxy 100m; aws-node 25m; istio-cni-node 100m/100Mi);
 * where it sets none (node-exporter, fluent-bit, the pod identity agent, the NVIDIA device plugin,
 * DCGM exporter) the budget is what such an agent typically uses. `gpu: true` ones run only on GPU
 * nodes. Every one of them also takes one of the node's pod slots (host-network pods count
 * against the kubelet's maxPods too).
 */
const DAEMONSETS: readonly { name: string; cpuMilli: number; memoryMiB: number; gpu: boolean }[] = [
  { name: "aws-node (VPC CNI)", cpuMilli: 25, memoryMiB: 64, gpu: false },
  { name: "kube-proxy", cpuMilli: 100, memoryMiB: 64, gpu: false },
  { name: "eks-pod-identity-agent", cpuMilli: 25, memoryMiB: 32, gpu: false },
  { name: "istio-cni-node", cpuMilli: 100, memoryMiB: 100, gpu: false },
  { name: "prometheus-node-exporter", cpuMilli: 25, memoryMiB: 64, gpu: false },
  { name: "log agent (fluent-bit)", cpuMilli: 50, memoryMiB: 112, gpu: false },
  { name: "nvidia-device-plugin", cpuMilli: 50, memoryMiB: 64, gpu: true },
  { name: "dcgm-exporter", cpuMilli: 50, memoryMiB: 256, gpu: true },
];

/** The DaemonSets budgeted on a node, by name: for docs/pools.md and the tests. */
export function budgetedDaemonSets(): readonly { name: string; cpuMilli: number; memoryMiB: number; gpu: boolean }[] {
  return DAEMONSETS;
}

function sum(gpu: boolean, key: "cpuMilli" | "memoryMiB" | "pods"): number {
  return DAEMONSETS.filter((d) => d.gpu === gpu).reduce((n, d) => n + (key === "pods" ? 1 : d[key]), 0);
}

/**
 * Per-node DaemonSet allowance: every node 325m CPU, 436 MiB, 6 pods (aws-node, kube-proxy,
 * eks-pod-identity-agent, istio-cni-node, node-exporter, fluent-bit); GPU nodes additionally
 * 100m, 320 MiB, 2 pods (NVIDIA device plugin, DCGM exporter).
 */
export const DAEMONSET_ALLOWANCE: {
  cpuMilli: number;
  memoryMiB: number;
  pods: number;
  gpuExtraCpuMilli: number;
  gpuExtraMemoryMiB: number;
  gpuExtraPods: number;
} = Object.freeze({
  cpuMilli: sum(false, "cpuMilli"),
  memoryMiB: sum(false, "memoryMiB"),
  pods: sum(false, "pods"),
  gpuExtraCpuMilli: sum(true, "cpuMilli"),
  gpuExtraMemoryMiB: sum(true, "memoryMiB"),
  gpuExtraPods: sum(true, "pods"),
});

/**
 * What the Istio sidecar adds to every model pod: the tenants' namespaces carry
 * `istio-injection: enabled`, and the injector gives istio-proxy Istio's default requests
 * (values.global.proxy.resources.requests). With istio-cni the only init container,
 * istio-validation, asks for the same, so the pod's effective request grows by exactly this.
 */
export const MESH_SIDECAR: { readonly cpuMilli: number; readonly memoryMiB: number } = Object.freeze({ cpuMilli: 100, memoryMiB: 128 });

const EVICTION_HARD_MEMORY_MIB = 100;

/** kubeReserved.cpu in millicores, as nodeadm computes it (per-range integer division). */
function kubeReservedCpuMilli(vcpu: number): number {
  const total = vcpu * 1000;
  // [range start, range end, reserved basis points (1/100 %)]
  const ranges: readonly [number, number, number][] = [
    [0, 1000, 600],
    [1000, 2000, 100],
    [2000, 4000, 50],
    [4000, Infinity, 25],
  ];
  let reserved = 0;
  for (const [start, end, bp] of ranges) {
    if (total > start) reserved += Math.floor(((Math.min(total, end) - start) * bp) / 10000);
  }
  return reserved;
}

export function reservationFor(t: InstanceType): Reservation {
  const gpu = t.gpus > 0;
  const a = DAEMONSET_ALLOWANCE;
  return {
    kubeReservedCpuMilli: kubeReservedCpuMilli(t.vcpu),
    kubeReservedMemoryMiB: 11 * t.maxPods + 255,
    evictionMemoryMiB: EVICTION_HARD_MEMORY_MIB,
    daemonCpuMilli: a.cpuMilli + (gpu ? a.gpuExtraCpuMilli : 0),
    daemonMemoryMiB: a.memoryMiB + (gpu ? a.gpuExtraMemoryMiB : 0),
  };
}

/** Resources left for workload pods on one node of type `t`, rounded down, never negative. */
export function allocatableFor(t: InstanceType): NodeAllocatable {
  const r = reservationFor(t);
  const a = DAEMONSET_ALLOWANCE;
  const daemonPods = a.pods + (t.gpus > 0 ? a.gpuExtraPods : 0);
  return {
    cpuMilli: Math.max(0, Math.floor(t.vcpu * 1000 - r.kubeReservedCpuMilli - r.daemonCpuMilli)),
    memoryMiB: Math.max(0, Math.floor(t.memoryMiB - r.kubeReservedMemoryMiB - r.evictionMemoryMiB - r.daemonMemoryMiB)),
    gpus: t.gpus,
    pods: Math.max(0, t.maxPods - daemonPods),
  };
}
