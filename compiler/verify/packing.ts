// How many nodes a set of pods needs: first-fit decreasing bin packing over cpu, memory, GPUs,
// pod slots and EBS volume attachments. It is what the cluster-autoscaler's estimator does with pending pods (first fit onto
// template nodes), so it answers "would the autoscaler find room within maxSize", which a plain
// sum of requests cannot: two 5Gi pods do not share a node that leaves 7Gi.
import { cmp } from "../base/order.js";
import { dominantShare, howManyFit, type Resources } from "../plan/pod-requests.js";

export interface PodGroup {
  /** Sorts equal-sized groups, so the packing never depends on input order. */
  readonly key: string;
  readonly pod: Resources;
  readonly count: number;
  /** At most one pod of the group per node (required pod anti-affinity on the hostname). */
  readonly spread?: boolean;
}

export interface Packing {
  /** Nodes opened. */
  readonly nodes: number;
  /** Pods left over: they fit no empty node, or the node limit was reached. */
  readonly unplaced: number;
}

/** Packing stops opening nodes here: an answer above any real pool's maxSize is already "too many". */
export const NODE_LIMIT = 100_000;

export function packPods(groups: readonly PodGroup[], node: Resources, limit = NODE_LIMIT): Packing {
  const order = groups
    .filter((g) => g.count > 0)
    .map((g) => ({ g, share: dominantShare(g.pod, node) }))
    .sort((a, b) => b.share - a.share || cmp(a.g.key, b.g.key));
  // Free resources per open node, one array per resource: the scan is the hot loop.
  const cpu: number[] = [];
  const mem: number[] = [];
  const gpu: number[] = [];
  const pods: number[] = [];
  const vols: number[] = [];
  // The smallest request of each resource among the groups still to place. A node with less free
  // than that can take no further pod; first fit fills nodes front to back, so such nodes gather
  // at the front and the scan can start after them.
  const least = suffixMinima(order.map((o) => o.g.pod));
  let start = 0;
  let unplaced = 0;
  order.forEach(({ g }, n) => {
    const perEmptyNode = Math.min(howManyFit(g.pod, node), g.spread ? 1 : Infinity);
    let left = g.count;
    if (perEmptyNode === 0) {
      unplaced += left;
      return;
    }
    const min = least[n]!;
    while (
      start < cpu.length &&
      (cpu[start]! < min.cpuMilli || mem[start]! < min.memoryBytes || gpu[start]! < min.gpus || pods[start]! < min.pods || vols[start]! < min.volumes)
    )
      start++;
    // One pass over the open nodes places a spread group's pods on distinct nodes.
    for (let i = start; i < cpu.length && left > 0; i++) {
      const k = Math.min(left, fitsIn(g.pod, cpu[i]!, mem[i]!, gpu[i]!, pods[i]!, vols[i]!), perEmptyNode);
      if (k === 0) continue;
      cpu[i]! -= k * g.pod.cpuMilli;
      mem[i]! -= k * g.pod.memoryBytes;
      gpu[i]! -= k * g.pod.gpus;
      pods[i]! -= k * g.pod.pods;
      vols[i]! -= k * g.pod.volumes;
      left -= k;
    }
    while (left > 0 && cpu.length < limit) {
      const k = Math.min(left, perEmptyNode);
      cpu.push(node.cpuMilli - k * g.pod.cpuMilli);
      mem.push(node.memoryBytes - k * g.pod.memoryBytes);
      gpu.push(node.gpus - k * g.pod.gpus);
      pods.push(node.pods - k * g.pod.pods);
      vols.push(node.volumes - k * g.pod.volumes);
      left -= k;
    }
    unplaced += left;
  });
  return { nodes: cpu.length, unplaced };
}

/** howManyFit without building an object per node. */
function fitsIn(pod: Resources, cpu: number, mem: number, gpu: number, pods: number, vols: number): number {
  let n = pod.pods > 0 ? Math.floor(pods / pod.pods) : Infinity;
  if (pod.cpuMilli > 0) n = Math.min(n, Math.floor(cpu / pod.cpuMilli));
  if (pod.memoryBytes > 0) n = Math.min(n, Math.floor(mem / pod.memoryBytes));
  if (pod.gpus > 0) n = Math.min(n, Math.floor(gpu / pod.gpus));
  if (pod.volumes > 0) n = Math.min(n, Math.floor(vols / pod.volumes));
  return n;
}

/** For each position, the least request of each resource from there to the end. */
function suffixMinima(pods: readonly Resources[]): Resources[] {
  const out: Resources[] = new Array(pods.length);
  let acc: Resources = { cpuMilli: Infinity, memoryBytes: Infinity, gpus: Infinity, pods: Infinity, volumes: Infinity };
  for (let i = pods.length - 1; i >= 0; i--) {
    const p = pods[i]!;
    acc = {
      cpuMilli: Math.min(acc.cpuMilli, p.cpuMilli),
      memoryBytes: Math.min(acc.memoryBytes, p.memoryBytes),
      gpus: Math.min(acc.gpus, p.gpus),
      pods: Math.min(acc.pods, p.pods),
      volumes: Math.min(acc.volumes, p.volumes),
    };
    out[i] = acc;
  }
  return out;
}
