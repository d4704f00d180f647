// Per model with batch entries on a cluster: a ServiceAccount for its batch pods, and per entry a
// CronJob (with a schedule) or a Job, each an Indexed Job of `shards` completions running the
// version's image and artifact; per cluster with batch a PriorityClass below every online tier.
// Batch pods are left out of the mesh: a Job whose pod keeps an Istio sidecar never completes
// (the proxy does not exit when the batch container does), and batch pods take no traffic; they
// read and write S3 over HTTPS, which the tenant's egress policy already allows (docs/batch.md).
import type { ICronJob } from "kubernetes-models/batch/v1/CronJob";
import type { IJob } from "kubernetes-models/batch/v1/Job";
import type { IPriorityClass } from "kubernetes-models/scheduling.k8s.io/v1/PriorityClass";
import type { IContainer } from "kubernetes-models/v1/Container";
import type { IServiceAccount } from "kubernetes-models/v1/ServiceAccount";
import { refAt } from "../diagnostics.js";
import type { BatchPlan, ClusterPlan, ModelPlan, Plan } from "../plan/types.js";
import { LABEL_MODEL, LABEL_TENANT, LABEL_VERSION, LABEL_WORKLOAD, MANAGED_BY, modelLabels, paths, versionLabels, WAVE, waveAnnotation } from "./meta.js";
import { containerResources, restrictedContainerSecurity, restrictedPodSpec, TMP_MOUNT } from "./pod-template.js";
import { PRIORITY_BASE } from "./tenancy.js";
import { fileName, type KubeObject, type Rendered } from "./types.js";
import { modelEnv } from "./workload.js";

export const LABEL_BATCH = "berth.dev/batch";
/** The batch container's port, where the model server's own metrics are scraped. */
export const BATCH_METRICS_PORT = "http-metrics";
export const BATCH_PRIORITY_CLASS = "berth-batch";
/** Below every tenant tier (the lowest is PRIORITY_BASE), above pods with no class, and far above the cluster-autoscaler's expendable cutoff (-10). */
export const BATCH_PRIORITY = PRIORITY_BASE / 2;
/** The annotation the Job controller sets on each pod of an Indexed Job: its completion index. */
export const COMPLETION_INDEX = "metadata.annotations['batch.kubernetes.io/job-completion-index']";
/** A run the controller could not start on time (controller down, previous run still going) is skipped after this. */
const STARTING_DEADLINE_SECONDS = 600;
const HISTORY_LIMIT = 3;

export function emitBatch(plan: Plan): Rendered[] {
  const platformFile = plan.world.platform.file;
  const out: Rendered[] = [];
  for (const cluster of plan.clusters) {
    const withBatch = cluster.models.filter((m) => m.batch.length > 0);
    for (const m of withBatch) {
      const dir = paths.model(cluster.name, m.tenant.name, m.name);
      const owner = { cluster: cluster.name, tenant: m.tenant.name, model: m.name };
      const add = (object: KubeObject, origin = refAt(m.file, "spec", "batch")) =>
        out.push({ path: `${dir}/${fileName(object.kind, object.metadata.name)}`, object, sources: [m.file], origin, owner });
      add(serviceAccount(m) as KubeObject);
      for (const b of m.batch) add((b.schedule !== undefined ? cronJob(m, b, cluster) : job(m, b, cluster)) as unknown as KubeObject, b.at());
    }
    if (withBatch.length > 0) out.push(priorityClass(cluster, withBatch, platformFile));
  }
  return out;
}

function serviceAccount(m: ModelPlan): IServiceAccount {
  return {
    apiVersion: "v1",
    kind: "ServiceAccount",
    metadata: { name: m.batch[0]!.serviceAccount, namespace: m.tenant.namespace, labels: modelLabels(m), annotations: waveAnnotation(WAVE.identity) },
    automountServiceAccountToken: false,
  };
}

function objectLabels(m: ModelPlan, b: BatchPlan): Record<string, string> {
  return { ...versionLabels(m, b.version.version.name), [LABEL_BATCH]: b.jobName };
}

/**
 * The pods' labels leave out app.kubernetes.io/name on purpose: the model's Service, PDBs,
 * autoscalers and policies select its serving pods by it, and a batch pod must join none of them.
 */
function podLabels(m: ModelPlan, b: BatchPlan): Record<string, string> {
  return {
    ...MANAGED_BY,
    [LABEL_VERSION]: b.version.version.name,
    [LABEL_TENANT]: m.tenant.name,
    [LABEL_BATCH]: b.jobName,
    // The batch PodMonitor scrapes these pods (emit/observability.ts) and names the model from here.
    [LABEL_MODEL]: m.name,
    [LABEL_WORKLOAD]: "batch",
    "sidecar.istio.io/inject": "false",
  };
}

/** backoffLimitPerIndex is beta (on by default) from Kubernetes 1.29 and GA in 1.33. */
function perIndexRetries(cluster: ClusterPlan): boolean {
  return Number(cluster.spec.kubernetesVersion.split(".")[1]) >= 29;
}

function jobSpec(m: ModelPlan, b: BatchPlan, cluster: ClusterPlan): IJob["spec"] {
  return {
    completionMode: "Indexed",
    completions: b.shards,
    parallelism: b.parallelism,
    // Each shard may fail `retries` times; the whole Job never more than all shards together.
    ...(perIndexRetries(cluster) ? { backoffLimitPerIndex: b.retries } : {}),
    backoffLimit: b.retries * b.shards,
    ...(b.deadlineSeconds !== undefined ? { activeDeadlineSeconds: b.deadlineSeconds } : {}),
    // A pod evicted or preempted (node drain, scale-down) is rerun without spending a retry.
    podFailurePolicy: { rules: [{ action: "Ignore", onPodConditions: [{ type: "DisruptionTarget", status: "True" }] }] },
    template: {
      metadata: { labels: podLabels(m, b) },
      spec: restrictedPodSpec({
        serviceAccount: b.serviceAccount,
        priorityClassName: BATCH_PRIORITY_CLASS,
        pool: m.pool,
        restartPolicy: "Never",
        containers: [container(m, b, cluster)],
      }),
    },
  };
}

function container(m: ModelPlan, b: BatchPlan, cluster: ClusterPlan): IContainer {
  return {
    name: "batch",
    image: b.version.image,
    imagePullPolicy: "IfNotPresent",
    // Declared so the batch PodMonitor may scrape the server's own /metrics (no sidecar here).
    ports: [{ name: BATCH_METRICS_PORT, containerPort: m.port, protocol: "TCP" }],
    env: [
      ...modelEnv(m, b.version, cluster.spec.region),
      { name: "BATCH_INPUT", value: b.input },
      { name: "BATCH_OUTPUT", value: b.output },
      { name: "BATCH_SHARD", valueFrom: { fieldRef: { fieldPath: COMPLETION_INDEX } } },
      { name: "BATCH_SHARDS", value: String(b.shards) },
    ],
    resources: containerResources(b.resources),
    securityContext: restrictedContainerSecurity(),
    volumeMounts: [TMP_MOUNT],
  };
}

function cronJob(m: ModelPlan, b: BatchPlan, cluster: ClusterPlan): ICronJob {
  return {
    apiVersion: "batch/v1",
    kind: "CronJob",
    metadata: { name: b.jobName, namespace: m.tenant.namespace, labels: objectLabels(m, b), annotations: waveAnnotation(WAVE.workload) },
    spec: {
      schedule: b.schedule!,
      timeZone: "Etc/UTC",
      concurrencyPolicy: "Forbid",
      startingDeadlineSeconds: STARTING_DEADLINE_SECONDS,
      successfulJobsHistoryLimit: HISTORY_LIMIT,
      failedJobsHistoryLimit: HISTORY_LIMIT,
      jobTemplate: { metadata: { labels: objectLabels(m, b) }, spec: jobSpec(m, b, cluster) },
    },
  };
}

/**
 * A one-off Job. Its pod template is immutable, so a changed Job is deleted and created again
 * (Argo CD's Force and Replace), which runs it again; it is never deleted after it finishes
 * (no ttlSecondsAfterFinished), or self-heal would recreate it and run it once more.
 */
function job(m: ModelPlan, b: BatchPlan, cluster: ClusterPlan): IJob {
  return {
    apiVersion: "batch/v1",
    kind: "Job",
    metadata: {
      name: b.jobName,
      namespace: m.tenant.namespace,
      labels: objectLabels(m, b),
      annotations: { ...waveAnnotation(WAVE.workload), "argocd.argoproj.io/sync-options": "Force=true,Replace=true" },
    },
    spec: jobSpec(m, b, cluster),
  };
}

/** One class for every batch pod on the cluster: scheduled after online serving, evicted first under node pressure; it never preempts. */
function priorityClass(cluster: ClusterPlan, models: readonly ModelPlan[], platformFile: string): Rendered {
  const object: IPriorityClass = {
    apiVersion: "scheduling.k8s.io/v1",
    kind: "PriorityClass",
    metadata: { name: BATCH_PRIORITY_CLASS, labels: { ...MANAGED_BY }, annotations: waveAnnotation(WAVE.namespace) },
    value: BATCH_PRIORITY,
    globalDefault: false,
    preemptionPolicy: "Never",
    description: "berth batch inference: below every online tier; never preempts running pods",
  };
  const first = models[0]!;
  return {
    path: `${paths.platform(cluster.name)}/cluster/${fileName("PriorityClass", BATCH_PRIORITY_CLASS)}`,
    object: object as unknown as KubeObject,
    // Its value is the platform's; every model with batch needs it: the header names their folder, as the root route's does.
    sources: [platformFile, "models/"],
    origin: refAt(first.file, "spec", "batch"),
    owner: { cluster: cluster.name },
  };
}
