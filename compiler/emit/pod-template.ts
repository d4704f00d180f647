// The pod every berth workload runs: restricted pod security, a fixed non-root identity, no
// service account token, its pool's node selector and tolerations, its tenant's priority, and /tmp
// on an emptyDir under a read-only root. Serving Deployments, batch Jobs and store StatefulSets
// differ only in what they add to it.
import type { IContainer } from "kubernetes-models/v1/Container";
import type { IPodSpec } from "kubernetes-models/v1/PodSpec";
import type { IResourceRequirements } from "kubernetes-models/v1/ResourceRequirements";
import type { IVolume } from "kubernetes-models/v1/Volume";
import type { IVolumeMount } from "kubernetes-models/v1/VolumeMount";
import type { EffectiveModel } from "../plan/overrides.js";
import { poolLabels, tolerationsFor, type PoolTarget } from "../plan/pool-labels.js";
import { manifestQuantity } from "../base/quantity.js";

/** Restricted pod security: a fixed non-root identity that any image honouring it runs as. */
export const RUN_AS_USER = 65532;

export const TMP_VOLUME: IVolume = { name: "tmp", emptyDir: { sizeLimit: "1Gi" } };
export const TMP_MOUNT: IVolumeMount = { name: "tmp", mountPath: "/tmp" };

/** What every container gets: no escalation, no capabilities, a read-only root, the runtime's seccomp profile. */
export function restrictedContainerSecurity(): NonNullable<IContainer["securityContext"]> {
  return {
    allowPrivilegeEscalation: false,
    privileged: false,
    readOnlyRootFilesystem: true,
    runAsNonRoot: true,
    capabilities: { drop: ["ALL"] },
    seccompProfile: { type: "RuntimeDefault" },
  };
}

export interface PodOptions {
  readonly serviceAccount: string;
  readonly priorityClassName: string;
  readonly pool?: PoolTarget;
  readonly containers: IContainer[];
  readonly restartPolicy?: "Never";
  readonly terminationGracePeriodSeconds?: number;
  /** A volume of the pod's own (a claim) is chowned to the pod's group only when its root does not match yet. */
  readonly ownVolumes?: boolean;
  readonly affinity?: IPodSpec["affinity"];
  readonly topologySpreadConstraints?: IPodSpec["topologySpreadConstraints"];
}

export function restrictedPodSpec(p: PodOptions): IPodSpec {
  const tolerations = p.pool ? tolerationsFor(p.pool) : [];
  return {
    serviceAccountName: p.serviceAccount,
    automountServiceAccountToken: false,
    priorityClassName: p.priorityClassName,
    enableServiceLinks: false,
    ...(p.restartPolicy ? { restartPolicy: p.restartPolicy } : {}),
    terminationGracePeriodSeconds: p.terminationGracePeriodSeconds ?? 30,
    securityContext: {
      runAsNonRoot: true,
      runAsUser: RUN_AS_USER,
      runAsGroup: RUN_AS_USER,
      fsGroup: RUN_AS_USER,
      ...(p.ownVolumes ? { fsGroupChangePolicy: "OnRootMismatch" } : {}),
      seccompProfile: { type: "RuntimeDefault" },
    },
    ...(p.pool ? { nodeSelector: poolLabels(p.pool.spec) } : {}),
    ...(tolerations.length > 0 ? { tolerations } : {}),
    ...(p.affinity ? { affinity: p.affinity } : {}),
    ...(p.topologySpreadConstraints ? { topologySpreadConstraints: p.topologySpreadConstraints } : {}),
    containers: p.containers,
    volumes: [TMP_VOLUME],
  };
}

/** Requests and limits as Kubernetes writes them; GPUs as a limit (an extended resource's request equals it). */
export function containerResources(r: EffectiveModel["resources"]): IResourceRequirements {
  const quantity = (q: string | number | undefined, kind: "cpu" | "memory") => (q === undefined ? undefined : manifestQuantity(q, kind));
  const res = (x: { cpu?: string | number; memory?: string | number }) => {
    const o: Record<string, string> = {};
    const cpu = quantity(x.cpu, "cpu");
    const memory = quantity(x.memory, "memory");
    if (cpu !== undefined) o.cpu = cpu;
    if (memory !== undefined) o.memory = memory;
    return o;
  };
  const limits = res(r.limits);
  if (r.gpu > 0) limits["nvidia.com/gpu"] = String(r.gpu);
  return { requests: res(r.requests), ...(Object.keys(limits).length > 0 ? { limits } : {}) };
}
