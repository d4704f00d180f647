/**
 * EC2 instance catalogue: the instance types the platform schedules onto.
 *
 * Sources:
 * - vCPU, memory, GPU count, GPU model and GPU memory: AWS EC2 instance type documentation
 *   (https://docs.aws.amazon.com/ec2/latest/instancetypes/ — general purpose, compute
 *   optimised, memory optimised and accelerated computing pages). Memory is the nominal
 *   EC2 figure in GiB (× 1024 = MiB); the kernel keeps a little of it, so the kubelet reports
 *   slightly less capacity than this.
 * - maxPods: `templates/shared/runtime/eni-max-pods.txt` in awslabs/amazon-eks-ami
 *   (VPC CNI without prefix delegation: ENIs × (IPv4 per ENI − 1) + 2), commit
 *   0254c5b490f819627461d1b24f87e440cbdb251f. test/unit/catalogue.test.ts checks every value
 *   against that file.
 *
 * c5 has 9xlarge/18xlarge instead of 8xlarge/16xlarge; m7i has 48xlarge and two metal sizes.
 */

export interface InstanceType {
  name: string;
  vcpu: number;
  memoryMiB: number;
  gpus: number;
  gpuModel?: string;
  /** Memory of one GPU, in MiB. */
  gpuMemoryMiB?: number;
  maxPods: number;
}

/** GPU model and per-GPU memory (GiB) of each accelerated family. */
const GPU_FAMILIES: Readonly<Record<string, { model: string; memoryGiB: number }>> = {
  g4dn: { model: "NVIDIA T4", memoryGiB: 16 },
  g5: { model: "NVIDIA A10G", memoryGiB: 24 },
  g6: { model: "NVIDIA L4", memoryGiB: 24 },
  p3: { model: "NVIDIA V100", memoryGiB: 16 },
  p4d: { model: "NVIDIA A100", memoryGiB: 40 },
};

/** name, vCPU, memory GiB, maxPods, GPUs (omitted = 0). */
type Row = readonly [name: string, vcpu: number, memoryGiB: number, maxPods: number, gpus?: number];

// prettier-ignore
const ROWS: readonly Row[] = [
  // m5 — general purpose, Intel Xeon Platinum 8000 series
  ["m5.large", 2, 8, 29], ["m5.xlarge", 4, 16, 58], ["m5.2xlarge", 8, 32, 58],
  ["m5.4xlarge", 16, 64, 234], ["m5.8xlarge", 32, 128, 234], ["m5.12xlarge", 48, 192, 234],
  ["m5.16xlarge", 64, 256, 737], ["m5.24xlarge", 96, 384, 737], ["m5.metal", 96, 384, 737],
  // m6i — general purpose, 3rd gen Xeon (Ice Lake)
  ["m6i.large", 2, 8, 29], ["m6i.xlarge", 4, 16, 58], ["m6i.2xlarge", 8, 32, 58],
  ["m6i.4xlarge", 16, 64, 234], ["m6i.8xlarge", 32, 128, 234], ["m6i.12xlarge", 48, 192, 234],
  ["m6i.16xlarge", 64, 256, 737], ["m6i.24xlarge", 96, 384, 737], ["m6i.32xlarge", 128, 512, 737],
  ["m6i.metal", 128, 512, 737],
  // m7i — general purpose, 4th gen Xeon (Sapphire Rapids)
  ["m7i.large", 2, 8, 29], ["m7i.xlarge", 4, 16, 58], ["m7i.2xlarge", 8, 32, 58],
  ["m7i.4xlarge", 16, 64, 234], ["m7i.8xlarge", 32, 128, 234], ["m7i.12xlarge", 48, 192, 234],
  ["m7i.16xlarge", 64, 256, 737], ["m7i.24xlarge", 96, 384, 737], ["m7i.48xlarge", 192, 768, 737],
  ["m7i.metal-24xl", 96, 384, 737], ["m7i.metal-48xl", 192, 768, 737],
  // c5 — compute optimised
  ["c5.large", 2, 4, 29], ["c5.xlarge", 4, 8, 58], ["c5.2xlarge", 8, 16, 58],
  ["c5.4xlarge", 16, 32, 234], ["c5.9xlarge", 36, 72, 234], ["c5.12xlarge", 48, 96, 234],
  ["c5.18xlarge", 72, 144, 737], ["c5.24xlarge", 96, 192, 737], ["c5.metal", 96, 192, 737],
  // c6i — compute optimised, Ice Lake
  ["c6i.large", 2, 4, 29], ["c6i.xlarge", 4, 8, 58], ["c6i.2xlarge", 8, 16, 58],
  ["c6i.4xlarge", 16, 32, 234], ["c6i.8xlarge", 32, 64, 234], ["c6i.12xlarge", 48, 96, 234],
  ["c6i.16xlarge", 64, 128, 737], ["c6i.24xlarge", 96, 192, 737], ["c6i.32xlarge", 128, 256, 737],
  ["c6i.metal", 128, 256, 737],
  // r5 — memory optimised
  ["r5.large", 2, 16, 29], ["r5.xlarge", 4, 32, 58], ["r5.2xlarge", 8, 64, 58],
  ["r5.4xlarge", 16, 128, 234], ["r5.8xlarge", 32, 256, 234], ["r5.12xlarge", 48, 384, 234],
  ["r5.16xlarge", 64, 512, 737], ["r5.24xlarge", 96, 768, 737], ["r5.metal", 96, 768, 737],
  // r6i — memory optimised, Ice Lake
  ["r6i.large", 2, 16, 29], ["r6i.xlarge", 4, 32, 58], ["r6i.2xlarge", 8, 64, 58],
  ["r6i.4xlarge", 16, 128, 234], ["r6i.8xlarge", 32, 256, 234], ["r6i.12xlarge", 48, 384, 234],
  ["r6i.16xlarge", 64, 512, 737], ["r6i.24xlarge", 96, 768, 737], ["r6i.32xlarge", 128, 1024, 737],
  ["r6i.metal", 128, 1024, 737],
  // g4dn — NVIDIA T4 16 GiB
  ["g4dn.xlarge", 4, 16, 29, 1], ["g4dn.2xlarge", 8, 32, 29, 1], ["g4dn.4xlarge", 16, 64, 29, 1],
  ["g4dn.8xlarge", 32, 128, 58, 1], ["g4dn.16xlarge", 64, 256, 58, 1], ["g4dn.12xlarge", 48, 192, 234, 4],
  ["g4dn.metal", 96, 384, 737, 8],
  // g5 — NVIDIA A10G 24 GiB
  ["g5.xlarge", 4, 16, 58, 1], ["g5.2xlarge", 8, 32, 58, 1], ["g5.4xlarge", 16, 64, 234, 1],
  ["g5.8xlarge", 32, 128, 234, 1], ["g5.16xlarge", 64, 256, 234, 1], ["g5.12xlarge", 48, 192, 737, 4],
  ["g5.24xlarge", 96, 384, 737, 4], ["g5.48xlarge", 192, 768, 345, 8],
  // g6 — NVIDIA L4 24 GiB
  ["g6.xlarge", 4, 16, 58, 1], ["g6.2xlarge", 8, 32, 58, 1], ["g6.4xlarge", 16, 64, 234, 1],
  ["g6.8xlarge", 32, 128, 234, 1], ["g6.16xlarge", 64, 256, 737, 1], ["g6.12xlarge", 48, 192, 234, 4],
  ["g6.24xlarge", 96, 384, 737, 4], ["g6.48xlarge", 192, 768, 737, 8],
  // p3 — NVIDIA V100 16 GiB
  ["p3.2xlarge", 8, 61, 58, 1], ["p3.8xlarge", 32, 244, 234, 4], ["p3.16xlarge", 64, 488, 234, 8],
  // p4d — NVIDIA A100 40 GiB
  ["p4d.24xlarge", 96, 1152, 737, 8],
];

function toInstanceType([name, vcpu, memoryGiB, maxPods, gpus = 0]: Row): InstanceType {
  const t: InstanceType = { name, vcpu, memoryMiB: memoryGiB * 1024, gpus, maxPods };
  if (gpus > 0) {
    const gpu = GPU_FAMILIES[name.split(".")[0]!];
    if (!gpu) throw new Error(`instance catalogue: no GPU model recorded for ${name}`);
    t.gpuModel = gpu.model;
    t.gpuMemoryMiB = gpu.memoryGiB * 1024;
  }
  return Object.freeze(t);
}

export const INSTANCE_TYPES: ReadonlyMap<string, InstanceType> = new Map(ROWS.map((row) => [row[0], toInstanceType(row)] as const));

export function lookupInstanceType(name: string): InstanceType | undefined {
  return INSTANCE_TYPES.get(name);
}

/** All catalogued instance type names, sorted. */
export function knownInstanceTypeNames(): string[] {
  return [...INSTANCE_TYPES.keys()].sort();
}
