import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { INSTANCE_TYPES, knownInstanceTypeNames, lookupInstanceType, type InstanceType } from "../../compiler/catalogue/instances.js";
import { DAEMONSET_ALLOWANCE, allocatableFor, budgetedDaemonSets, reservationFor } from "../../compiler/catalogue/allocatable.js";

/** The reference max-pods table (amazon-eks-ami eni-max-pods.txt), kept outside the repo. */
const REFERENCE = path.resolve(process.cwd(), "../shared/data/eni-max-pods.txt");
function referenceMaxPods(): Map<string, number> {
  if (!existsSync(REFERENCE)) return new Map();
  const text = readFileSync(REFERENCE, "utf8");
  const table = new Map<string, number>();
  for (const raw of text.split("\n")) {
    const line = raw.replace(/#.*/, "").trim();
    if (!line) continue;
    const [name, count] = line.split(/\s+/);
    table.set(name!, Number(count));
  }
  return table;
}

const all = [...INSTANCE_TYPES.values()];
const fake = (vcpu: number, maxPods = 29): InstanceType => ({ name: "x", vcpu, memoryMiB: 8192, gpus: 0, maxPods });

describe("instance catalogue", () => {
  const reference = referenceMaxPods();

  // On a machine without ../shared (a fresh clone) there is no reference to compare with.
  (existsSync(REFERENCE) ? test : test.skip).each(all.map((t) => [t.name, t] as const))("%s maxPods matches eni-max-pods.txt", (name, t) => {
    expect(reference.has(name)).toBe(true);
    expect(t.maxPods).toBe(reference.get(name));
  });

  test("all requested families are present", () => {
    const families = new Set(all.map((t) => t.name.split(".")[0]));
    for (const f of ["m5", "m6i", "m7i", "c5", "c6i", "r5", "r6i", "g4dn", "g5", "g6", "p3", "p4d"]) {
      expect(families).toContain(f);
    }
    for (const n of [
      "m5.large",
      "m6i.32xlarge",
      "m7i.48xlarge",
      "c5.9xlarge",
      "c6i.metal",
      "r5.24xlarge",
      "r6i.metal",
      "g4dn.12xlarge",
      "g4dn.metal",
      "g5.48xlarge",
      "g6.48xlarge",
      "p3.16xlarge",
      "p4d.24xlarge",
    ]) {
      expect(lookupInstanceType(n)).toBeDefined();
    }
  });

  test("GPU types have GPUs with model and memory; others have none", () => {
    for (const t of all) {
      if (/^(g4dn|g5|g6|p3|p4d)\./.test(t.name)) {
        expect(t.gpus).toBeGreaterThan(0);
        expect(t.gpuModel).toBeTruthy();
        expect(t.gpuMemoryMiB).toBeGreaterThan(0);
      } else {
        expect(t.gpus).toBe(0);
        expect(t.gpuModel).toBeUndefined();
        expect(t.gpuMemoryMiB).toBeUndefined();
      }
    }
  });

  test("spot-check public EC2 facts", () => {
    expect(lookupInstanceType("m5.large")).toMatchObject({ vcpu: 2, memoryMiB: 8192, gpus: 0 });
    expect(lookupInstanceType("r5.2xlarge")).toMatchObject({ vcpu: 8, memoryMiB: 65536 });
    expect(lookupInstanceType("g4dn.xlarge")).toMatchObject({ vcpu: 4, memoryMiB: 16384, gpus: 1, gpuMemoryMiB: 16384 });
    expect(lookupInstanceType("g5.xlarge")).toMatchObject({ vcpu: 4, memoryMiB: 16384, gpus: 1, gpuMemoryMiB: 24576 });
    expect(lookupInstanceType("g6.xlarge")).toMatchObject({ vcpu: 4, memoryMiB: 16384, gpus: 1, gpuMemoryMiB: 24576 });
    expect(lookupInstanceType("p3.2xlarge")).toMatchObject({ vcpu: 8, memoryMiB: 61 * 1024, gpus: 1, gpuMemoryMiB: 16384 });
    expect(lookupInstanceType("p4d.24xlarge")).toMatchObject({ vcpu: 96, memoryMiB: 1152 * 1024, gpus: 8, gpuMemoryMiB: 40960 });
  });

  test("names are sorted and lookup misses return undefined", () => {
    const names = knownInstanceTypeNames();
    expect(names).toEqual([...names].sort());
    expect(names).toHaveLength(INSTANCE_TYPES.size);
    expect(lookupInstanceType("t3.nano")).toBeUndefined();
  });
});

describe("node allocatable", () => {
  test("kubeReserved CPU follows the EKS AMI formula", () => {
    expect(reservationFor(lookupInstanceType("m5.large")!).kubeReservedCpuMilli).toBe(70);
    expect(reservationFor(fake(4)).kubeReservedCpuMilli).toBe(80);
    expect(reservationFor(fake(8)).kubeReservedCpuMilli).toBe(90);
    expect(reservationFor(lookupInstanceType("m5.xlarge")!).kubeReservedCpuMilli).toBe(80);
    expect(reservationFor(lookupInstanceType("m5.2xlarge")!).kubeReservedCpuMilli).toBe(90);
    expect(reservationFor(fake(1)).kubeReservedCpuMilli).toBe(60);
  });

  test("m5.large reserves 574 MiB for kube and 100 MiB for eviction", () => {
    const r = reservationFor(lookupInstanceType("m5.large")!);
    expect(r.kubeReservedMemoryMiB).toBe(574);
    expect(r.evictionMemoryMiB).toBe(100);
  });

  test("m5.large allocatable is positive and below capacity", () => {
    const t = lookupInstanceType("m5.large")!;
    const a = allocatableFor(t);
    expect(a.cpuMilli).toBeGreaterThan(0);
    expect(a.cpuMilli).toBeLessThan(t.vcpu * 1000);
    expect(a.memoryMiB).toBeGreaterThan(0);
    expect(a.memoryMiB).toBeLessThan(t.memoryMiB);
    expect(a.pods).toBe(t.maxPods - DAEMONSET_ALLOWANCE.pods);
    expect(a.gpus).toBe(0);
    expect(a.cpuMilli).toBe(2000 - 70 - DAEMONSET_ALLOWANCE.cpuMilli);
    expect(a.memoryMiB).toBe(8192 - 574 - 100 - DAEMONSET_ALLOWANCE.memoryMiB);
  });

  test("the daemon allowance is the sum of the budgeted DaemonSets, as docs/pools.md states", () => {
    expect(DAEMONSET_ALLOWANCE).toEqual({ cpuMilli: 325, memoryMiB: 436, pods: 6, gpuExtraCpuMilli: 100, gpuExtraMemoryMiB: 320, gpuExtraPods: 2 });
    expect(budgetedDaemonSets().map((d) => d.name)).toContain("eks-pod-identity-agent");
  });

  test("worked examples: m5.large and g4dn.xlarge", () => {
    expect(allocatableFor(lookupInstanceType("m5.large")!)).toEqual({ cpuMilli: 1605, memoryMiB: 7082, gpus: 0, pods: 23 });
    expect(allocatableFor(lookupInstanceType("g4dn.xlarge")!)).toEqual({ cpuMilli: 3495, memoryMiB: 14954, gpus: 1, pods: 21 });
  });

  test("GPU nodes also pay for the GPU DaemonSets", () => {
    const t = lookupInstanceType("g5.xlarge")!;
    const a = allocatableFor(t);
    expect(a.gpus).toBe(1);
    expect(a.pods).toBe(t.maxPods - DAEMONSET_ALLOWANCE.pods - DAEMONSET_ALLOWANCE.gpuExtraPods);
    expect(reservationFor(t).daemonCpuMilli).toBe(DAEMONSET_ALLOWANCE.cpuMilli + DAEMONSET_ALLOWANCE.gpuExtraCpuMilli);
  });

  test("every catalogue type has positive whole-number allocatable below capacity", () => {
    for (const t of all) {
      const a = allocatableFor(t);
      for (const v of [a.cpuMilli, a.memoryMiB, a.pods]) {
        expect(Number.isInteger(v)).toBe(true);
        expect(v).toBeGreaterThan(0);
      }
      expect(a.cpuMilli).toBeLessThan(t.vcpu * 1000);
      expect(a.memoryMiB).toBeLessThan(t.memoryMiB);
      expect(a.pods).toBeLessThan(t.maxPods);
    }
  });
});
