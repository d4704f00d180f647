/**
 * How many EBS volumes a node can attach for claims: the scheduler's volume-limit check counts
 * them per node (the EBS CSI driver reports the figure), so the scheduling proof does too.
 *
 * Source: AWS, "Amazon EBS volume limits for Amazon EC2 instances"
 * (https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/volume_limits.html):
 * - Nitro instances with a shared limit (every catalogued family but those below): 28
 *   attachments, shared between EBS volumes, network interfaces and NVMe instance store volumes.
 * - Nitro instances with a dedicated EBS limit (M7i, G6): by size, not shared with network
 *   interfaces: up to 12xlarge 32, 16xlarge 48, 24xlarge 64, 32xlarge 88, 48xlarge 128,
 *   metal-16xl and metal-24xl 39, metal-32xl and metal-48xl 79.
 * - Instances not built on Nitro (P3 below 24xlarge run on Xen): AWS supports up to 40 volumes on
 *   Linux on a best-effort basis; berth counts 40.
 *
 * Each node's root volume takes one attachment. Under a shared limit the VPC CNI's network
 * interfaces take one each: berth counts all of them (a node at full pod density has them all
 * attached), derived from the catalogued maxPods, which the EKS AMI computes as
 * ENIs × (IPv4 addresses per ENI − 1) + 2; and the instance store volumes take one each.
 */
import type { InstanceType } from "./instances.js";

export const SHARED_NITRO_ATTACHMENTS = 28;
export const XEN_ATTACHMENTS = 40;

const DEDICATED_FAMILIES = new Set(["m7i", "g6"]);
const XEN_FAMILIES = new Set(["p3"]);

const DEDICATED_BY_SIZE: Readonly<Record<string, number>> = {
  large: 32,
  xlarge: 32,
  "2xlarge": 32,
  "4xlarge": 32,
  "8xlarge": 32,
  "12xlarge": 32,
  "16xlarge": 48,
  "24xlarge": 64,
  "32xlarge": 88,
  "48xlarge": 128,
  "metal-16xl": 39,
  "metal-24xl": 39,
  "metal-32xl": 79,
  "metal-48xl": 79,
};

/** maxPods of the EKS AMI's table -> the network interfaces that give it (ENIs × (IPs − 1) + 2). */
const ENIS_BY_MAX_PODS: Readonly<Record<number, number>> = { 29: 3, 58: 4, 234: 8, 345: 7, 737: 15 };

/** NVMe instance store volumes of the catalogued types that have them (the EC2 instance type pages). */
const INSTANCE_STORE: Readonly<Record<string, number>> = {
  "g4dn.xlarge": 1,
  "g4dn.2xlarge": 1,
  "g4dn.4xlarge": 1,
  "g4dn.8xlarge": 1,
  "g4dn.16xlarge": 1,
  "g4dn.12xlarge": 1,
  "g4dn.metal": 2,
  "g5.xlarge": 1,
  "g5.2xlarge": 1,
  "g5.4xlarge": 1,
  "g5.8xlarge": 1,
  "g5.16xlarge": 1,
  "g5.12xlarge": 1,
  "g5.24xlarge": 1,
  "g5.48xlarge": 2,
  "p4d.24xlarge": 8,
};

export function networkInterfaces(t: InstanceType): number {
  const enis = ENIS_BY_MAX_PODS[t.maxPods];
  if (enis === undefined) throw new Error(`volume catalogue: no network interface count for maxPods ${t.maxPods} (${t.name})`);
  return enis;
}

/** EBS volumes left for claims on one node of the type. */
export function attachableVolumes(t: InstanceType): number {
  const [family, size] = t.name.split(".") as [string, string];
  const root = 1;
  if (DEDICATED_FAMILIES.has(family)) {
    const limit = DEDICATED_BY_SIZE[size];
    if (limit === undefined) throw new Error(`volume catalogue: no dedicated EBS limit for ${t.name}`);
    return limit - root;
  }
  if (XEN_FAMILIES.has(family)) return XEN_ATTACHMENTS - root;
  return SHARED_NITRO_ATTACHMENTS - root - networkInterfaces(t) - (INSTANCE_STORE[t.name] ?? 0);
}
