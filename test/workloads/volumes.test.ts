// EBS attachments per node (AWS's Nitro limits, shared with network interfaces or dedicated) and
// the packing of store replicas: one per node, each with a volume.
import { knownInstanceTypeNames, lookupInstanceType } from "../../compiler/catalogue/instances.js";
import { attachableVolumes, networkInterfaces } from "../../compiler/catalogue/volumes.js";
import type { Resources } from "../../compiler/plan/pod-requests.js";
import { packPods } from "../../compiler/verify/packing.js";

const volumes = (name: string) => attachableVolumes(lookupInstanceType(name)!);

test("every catalogued type has a volume figure of at least one", () => {
  for (const name of knownInstanceTypeNames()) expect(volumes(name)).toBeGreaterThanOrEqual(1);
});

test.each([
  // shared Nitro limit: 28 − root − network interfaces − instance store
  ["m5.large", 28 - 1 - 3],
  ["m5.4xlarge", 28 - 1 - 8],
  ["r5.2xlarge", 28 - 1 - 4],
  ["c6i.metal", 28 - 1 - 15],
  ["g4dn.xlarge", 28 - 1 - 3 - 1],
  ["g5.48xlarge", 28 - 1 - 7 - 2],
  ["p4d.24xlarge", 28 - 1 - 15 - 8],
  // dedicated EBS limit by size, less the root volume
  ["m7i.large", 31],
  ["m7i.16xlarge", 47],
  ["m7i.48xlarge", 127],
  ["m7i.metal-24xl", 38],
  ["g6.xlarge", 31],
  ["g6.48xlarge", 127],
  // Xen
  ["p3.2xlarge", 39],
])("%s attaches %i volumes for claims", (name, n) => {
  expect(volumes(name)).toBe(n);
});

test("network interfaces agree with the EKS AMI's max pods formula", () => {
  const ipsPerEni: Record<number, number> = { 3: 10, 4: 15, 7: 50, 8: 30, 15: 50 };
  for (const name of knownInstanceTypeNames()) {
    const t = lookupInstanceType(name)!;
    const enis = networkInterfaces(t);
    expect(enis * (ipsPerEni[enis]! - 1) + 2).toBe(t.maxPods);
  }
});

describe("packing with volumes and one pod per node", () => {
  const node: Resources = { cpuMilli: 8000, memoryBytes: 32 * 2 ** 30, gpus: 0, pods: 50, volumes: 2 };
  const pod = (volumes: number): Resources => ({ cpuMilli: 100, memoryBytes: 2 ** 28, gpus: 0, pods: 1, volumes });

  test("spread: small replicas still take a node each", () => {
    expect(packPods([{ key: "s", pod: pod(1), count: 3, spread: true }], node)).toEqual({ nodes: 3, unplaced: 0 });
  });

  test("stores share nodes up to the node's volume limit, first fit", () => {
    const groups = [
      { key: "a", pod: pod(1), count: 2, spread: true },
      { key: "b", pod: pod(1), count: 2, spread: true },
      { key: "c", pod: pod(1), count: 2, spread: true },
    ];
    // a takes nodes 1 and 2, b fills their second volume, c finds no free attachment and opens two more.
    expect(packPods(groups, node)).toEqual({ nodes: 4, unplaced: 0 });
    expect(packPods(groups, { ...node, volumes: 3 })).toEqual({ nodes: 2, unplaced: 0 });
  });

  test("pods without volumes fill the rest of the nodes", () => {
    expect(
      packPods(
        [
          { key: "s", pod: pod(1), count: 2, spread: true },
          { key: "m", pod: pod(0), count: 40 },
        ],
        node,
      ),
    ).toEqual({ nodes: 2, unplaced: 0 });
  });
});
