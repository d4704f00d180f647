// Per cluster: the eksctl ClusterConfig that creates its node pools. It lives in
// clusters/<cluster>/eksctl/, outside every folder an Argo CD Application syncs: it is for
// `eksctl create cluster -f` / `eksctl upgrade`, run by the platform team, not for the API server.
import { refAt } from "../diagnostics.js";
import type { ClusterPlan, Plan, PoolPlan } from "../plan/types.js";
import { sortRecord } from "../base/order.js";
import { poolLabels, poolTaints, type Taint } from "../plan/pool-labels.js";
import { paths } from "./meta.js";
import type { KubeObject, Rendered } from "./types.js";

/** The cluster-autoscaler's service account, which gets its IAM permissions by EKS Pod Identity. */
export const AUTOSCALER_SERVICE_ACCOUNT = { namespace: "kube-system", name: "cluster-autoscaler" } as const;

const CA = "k8s.io/cluster-autoscaler";

// eksctl has no typed model: these interfaces hold the part of eksctl.io/v1alpha5 berth writes,
// in eksctl's own field order, and the strict schema checks the result.
interface NodeGroupTaint {
  key: string;
  value?: string;
  effect: Taint["effect"];
}

interface ManagedNodeGroup {
  name: string;
  amiFamily: "AmazonLinux2023";
  instanceType: string;
  desiredCapacity: number;
  minSize: number;
  maxSize: number;
  volumeSize?: number;
  labels: Record<string, string>;
  tags: Record<string, string>;
  propagateASGTags: boolean;
  taints?: NodeGroupTaint[];
}

interface PodIdentityAssociation {
  namespace: string;
  serviceAccountName: string;
  wellKnownPolicies: { autoScaler: boolean };
}

interface ClusterConfig extends KubeObject {
  apiVersion: "eksctl.io/v1alpha5";
  kind: "ClusterConfig";
  metadata: { name: string; region: string; version: string };
  iam: { podIdentityAssociations: PodIdentityAssociation[] };
  addons: { name: string }[];
  managedNodeGroups: ManagedNodeGroup[];
}

/**
 * The EKS add-ons: the three every cluster needs (pod networking, DNS, service proxy), and the
 * Pod Identity agent the cluster-autoscaler's association needs. GPU node groups need no add-on:
 * eksctl picks the NVIDIA AMI for GPU instance types and installs the NVIDIA device plugin itself.
 */
export const ADDONS = ["vpc-cni", "coredns", "kube-proxy", "eks-pod-identity-agent"] as const;

export function emitEksctl(plan: Plan): Rendered[] {
  return plan.clusters.map((c) => ({
    path: `${paths.eksctl(c.name)}/cluster.yaml`,
    object: clusterConfig(c),
    sources: [c.file],
    origin: refAt(c.file, "metadata", "name"),
    owner: { cluster: c.name },
  }));
}

function clusterConfig(c: ClusterPlan): ClusterConfig {
  return {
    apiVersion: "eksctl.io/v1alpha5",
    kind: "ClusterConfig",
    metadata: { name: c.name, region: c.spec.region, version: c.spec.kubernetesVersion },
    iam: {
      podIdentityAssociations: [
        { namespace: AUTOSCALER_SERVICE_ACCOUNT.namespace, serviceAccountName: AUTOSCALER_SERVICE_ACCOUNT.name, wellKnownPolicies: { autoScaler: true } },
      ],
    },
    addons: ADDONS.map((name) => ({ name })),
    managedNodeGroups: c.pools.map((p) => nodeGroup(c.name, p)),
  };
}

function nodeGroup(cluster: string, pool: PoolPlan): ManagedNodeGroup {
  const { spec } = pool;
  const labels = poolLabels(spec);
  const taints = poolTaints(spec);
  return {
    name: spec.name,
    amiFamily: "AmazonLinux2023",
    instanceType: spec.instanceType,
    // eksctl only uses it at creation; afterwards the cluster-autoscaler owns the node count.
    desiredCapacity: spec.desiredCapacity ?? spec.minSize,
    minSize: spec.minSize,
    maxSize: spec.maxSize,
    ...(spec.volumeSize !== undefined ? { volumeSize: spec.volumeSize } : {}),
    labels,
    tags: autoscalerTags(cluster, pool, labels, taints),
    // Managed node groups do not copy tags to their Auto Scaling group; this makes eksctl do it.
    propagateASGTags: true,
    ...(taints.length > 0 ? { taints: taints.map((t) => ({ ...t })) } : {}),
  };
}

/**
 * Auto-discovery tags, and the node-template tags that let the cluster-autoscaler scale a pool
 * up from zero: with no node to look at, it learns the labels, taints and GPUs of the node it
 * would get from these.
 */
function autoscalerTags(cluster: string, pool: PoolPlan, labels: Record<string, string>, taints: readonly Taint[]): Record<string, string> {
  const tags: Record<string, string> = {
    [`${CA}/enabled`]: "true",
    [`${CA}/${cluster}`]: "owned",
  };
  for (const [k, v] of Object.entries(labels)) tags[`${CA}/node-template/label/${k}`] = v;
  for (const t of taints) tags[`${CA}/node-template/taint/${t.key}`] = `${t.value ?? ""}:${t.effect}`;
  if (pool.instance && pool.instance.gpus > 0) tags[`${CA}/node-template/resources/nvidia.com/gpu`] = String(pool.instance.gpus);
  return sortRecord(tags);
}
