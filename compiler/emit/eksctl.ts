// Per cluster: the eksctl ClusterConfig that creates its node pools, its pinned add-ons, the
// Pod Identity association of every model ServiceAccount and the API endpoint's exposure. It
// lives in clusters/<cluster>/eksctl/, outside every folder an Argo CD Application syncs: it is
// for `eksctl create cluster -f` / `eksctl upgrade`, run by the platform team, not for the API server.
import { cmp, sortRecord } from "../base/order.js";
import { partitionOf } from "../base/s3.js";
import { refAt } from "../diagnostics.js";
import { grantOf, isEmptyGrant, permissionPolicy, type IamPolicy } from "../plan/identity.js";
import { poolLabels, poolTaints, type Taint } from "../plan/pool-labels.js";
import type { ClusterPlan, ModelPlan, Plan, PoolPlan } from "../plan/types.js";
import { eksAddons, type EksAddon } from "./eks-addons.js";
import { paths } from "./meta.js";
import type { KubeObject, Rendered } from "./types.js";

/** The cluster-autoscaler's service account, which gets its IAM permissions by EKS Pod Identity. */
export const AUTOSCALER_SERVICE_ACCOUNT = { namespace: "kube-system", name: "cluster-autoscaler" } as const;
/** The AWS Load Balancer Controller's, which makes the ingress gateway's NLB (emit/addon-values.ts). */
export const LOAD_BALANCER_CONTROLLER_SERVICE_ACCOUNT = { namespace: "kube-system", name: "aws-load-balancer-controller" } as const;

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
  availabilityZones?: string[];
  privateNetworking: true;
  disableIMDSv1: true;
  disablePodIMDS: true;
  labels: Record<string, string>;
  tags: Record<string, string>;
  propagateASGTags: boolean;
  taints?: NodeGroupTaint[];
}

interface PodIdentityAssociation {
  namespace: string;
  serviceAccountName: string;
  wellKnownPolicies?: { autoScaler?: boolean; awsLoadBalancerController?: boolean };
  permissionPolicy?: IamPolicy;
}

interface ClusterConfig extends KubeObject {
  apiVersion: "eksctl.io/v1alpha5";
  kind: "ClusterConfig";
  metadata: { name: string; region: string; version: string };
  vpc: { clusterEndpoints: { privateAccess: true; publicAccess: boolean }; publicAccessCIDRs?: string[] };
  iam: { podIdentityAssociations: PodIdentityAssociation[] };
  addons: EksAddon[];
  managedNodeGroups: ManagedNodeGroup[];
  cloudWatch: { clusterLogging: { enableTypes: string[] } };
}

/** Control-plane logs that answer "who did what": API requests, the audit trail, IAM authentication. */
export const CONTROL_PLANE_LOGS = ["api", "audit", "authenticator"] as const;

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
    vpc: endpointAccess(c),
    iam: {
      podIdentityAssociations: [
        { namespace: AUTOSCALER_SERVICE_ACCOUNT.namespace, serviceAccountName: AUTOSCALER_SERVICE_ACCOUNT.name, wellKnownPolicies: { autoScaler: true } },
        {
          namespace: LOAD_BALANCER_CONTROLLER_SERVICE_ACCOUNT.namespace,
          serviceAccountName: LOAD_BALANCER_CONTROLLER_SERVICE_ACCOUNT.name,
          wellKnownPolicies: { awsLoadBalancerController: true },
        },
        ...workloadIdentities(c),
      ],
    },
    addons: eksAddons(),
    managedNodeGroups: c.pools.map((p) => nodeGroup(c.name, p)),
    cloudWatch: { clusterLogging: { enableTypes: [...CONTROL_PLANE_LOGS] } },
  };
}

/**
 * The API endpoint is private (reachable from the VPC) unless the cluster lists CIDRs that may
 * reach it publicly. Private access stays on either way, so nodes never leave the VPC to join.
 */
function endpointAccess(c: ClusterPlan): ClusterConfig["vpc"] {
  const cidrs = c.spec.endpoint?.publicAccessCIDRs;
  if (!cidrs) return { clusterEndpoints: { privateAccess: true, publicAccess: false } };
  return { clusterEndpoints: { privateAccess: true, publicAccess: true }, publicAccessCIDRs: [...new Set(cidrs.map((x) => x.trim()))] };
}

/**
 * One association per model ServiceAccount: read on exactly its versions' artifact prefixes; and
 * one per model's batch ServiceAccount: read on its batches' artifacts and inputs, write on their outputs.
 */
function workloadIdentities(c: ClusterPlan): PodIdentityAssociation[] {
  const partition = partitionOf(c.spec.region);
  const out: PodIdentityAssociation[] = [];
  for (const m of c.models) {
    const grant = grantOf(modelArtifacts(m));
    if (!isEmptyGrant(grant)) out.push({ namespace: m.tenant.namespace, serviceAccountName: m.name, permissionPolicy: permissionPolicy(grant, partition) });
    if (m.batch.length === 0) continue;
    const batch = grantOf(
      m.batch.flatMap((b) => [b.version.version.artifact, b.input]),
      m.batch.map((b) => b.output),
    );
    out.push({ namespace: m.tenant.namespace, serviceAccountName: m.batch[0]!.serviceAccount, permissionPolicy: permissionPolicy(batch, partition) });
  }
  return out.sort((a, b) => cmp(a.namespace, b.namespace) || cmp(a.serviceAccountName, b.serviceAccountName));
}

function modelArtifacts(m: ModelPlan): string[] {
  return m.versions.map((v) => v.version.artifact);
}

function nodeGroup(cluster: string, pool: PoolPlan): ManagedNodeGroup {
  const { spec } = pool;
  const labels = nodeLabels(pool);
  const taints = poolTaints(pool);
  return {
    name: spec.name,
    amiFamily: "AmazonLinux2023",
    instanceType: spec.instanceType,
    // eksctl only uses it at creation; afterwards the cluster-autoscaler owns the node count.
    desiredCapacity: spec.desiredCapacity ?? spec.minSize,
    minSize: spec.minSize,
    maxSize: spec.maxSize,
    ...(spec.volumeSize !== undefined ? { volumeSize: spec.volumeSize } : {}),
    ...(spec.zones ? { availabilityZones: [...new Set(spec.zones)] } : {}),
    // Nodes in private subnets; IMDSv2 only with a hop limit of 1, so pods (not on the host
    // network) cannot reach the instance metadata service and take the node's IAM role.
    privateNetworking: true,
    disableIMDSv1: true,
    disablePodIMDS: true,
    labels,
    tags: autoscalerTags(cluster, pool, labels, taints),
    // Managed node groups do not copy tags to their Auto Scaling group; this makes eksctl do it.
    propagateASGTags: true,
    ...(taints.length > 0 ? { taints: taints.map((t) => ({ ...t })) } : {}),
  };
}

/**
 * cluster-autoscaler's AWS README, "Special note on GPU instances": the device plugin advertises
 * nvidia.com/gpu some time after a node joins, and until it does the autoscaler sees a node
 * without the GPUs it scaled up for and scales up again. A node labelled
 * k8s.amazonaws.com/accelerator=<gpu-type> from the start (and the same label as a node-template
 * tag, for scale from zero) is counted as the GPU node it will become.
 */
export const ACCELERATOR_LABEL = "k8s.amazonaws.com/accelerator";
const ACCELERATOR: Readonly<Record<string, string>> = {
  g4dn: "nvidia-tesla-t4",
  g5: "nvidia-a10g",
  g6: "nvidia-l4",
  p3: "nvidia-tesla-v100",
  p4d: "nvidia-tesla-a100",
};

export function acceleratorType(pool: PoolPlan): string | undefined {
  if (!pool.instance || pool.instance.gpus === 0) return undefined;
  return ACCELERATOR[pool.instance.name.split(".")[0]!];
}

/** The pool's labels, plus the accelerator label on GPU nodes (not selected on: the pool's labels place pods). */
function nodeLabels(pool: PoolPlan): Record<string, string> {
  const accelerator = acceleratorType(pool);
  return sortRecord({ ...poolLabels(pool.spec), ...(accelerator ? { [ACCELERATOR_LABEL]: accelerator } : {}) });
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
