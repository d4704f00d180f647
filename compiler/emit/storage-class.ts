// The platform's one StorageClass per cluster: encrypted gp3 EBS volumes from the EBS CSI driver.
// Every claim berth renders (store replicas, and any platform add-on that keeps data) names it, so
// the name lives here, once.
import type { IStorageClass } from "kubernetes-models/storage.k8s.io/v1/StorageClass";
import { refAt } from "../diagnostics.js";
import type { Plan } from "../plan.js";
import { MANAGED_BY, paths, WAVE, waveAnnotation } from "./meta.js";
import { fileName, type KubeObject, type Rendered } from "./types.js";

export const STORAGE_CLASS = "gp3-encrypted";
export const EBS_CSI_PROVISIONER = "ebs.csi.aws.com";

/**
 * WaitForFirstConsumer: a volume is created in the zone of the node its first pod is scheduled
 * to, never in a zone the pod cannot reach. Expansion on, since a store's storage may only grow.
 * Retain: deleting a claim (by hand, or a store's removal) never destroys the index on it; the
 * platform team releases the EBS volume. Parameters are immutable, which is why they are fixed here.
 */
export function gp3StorageClass(): IStorageClass {
  return {
    apiVersion: "storage.k8s.io/v1",
    kind: "StorageClass",
    metadata: { name: STORAGE_CLASS, labels: { ...MANAGED_BY }, annotations: waveAnnotation(WAVE.namespace) },
    provisioner: EBS_CSI_PROVISIONER,
    parameters: { type: "gp3", encrypted: "true", fsType: "ext4" },
    reclaimPolicy: "Retain",
    allowVolumeExpansion: true,
    volumeBindingMode: "WaitForFirstConsumer",
  };
}

export function emitStorageClasses(plan: Plan): Rendered[] {
  return plan.clusters.map((c) => ({
    path: `${paths.platform(c.name)}/cluster/${fileName("StorageClass", STORAGE_CLASS)}`,
    object: gp3StorageClass() as unknown as KubeObject,
    sources: [c.file],
    origin: refAt(c.file, "metadata", "name"),
    owner: { cluster: c.name },
  }));
}
