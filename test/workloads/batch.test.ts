// Batch inference as rendered: an Indexed Job (or CronJob) per entry on the model's image,
// artifact, pool and restricted pod, outside the mesh, below every online tier, and counted.
import { cronProblem, parseDeadline } from "../../compiler/base/cron.js";
import { applicationOf } from "../../compiler/emit/gitops.js";
import type { KubeObject } from "../../compiler/emit/types.js";
import { Diagnostics } from "../../compiler/diagnostics.js";
import { poolDemands } from "../../compiler/verify/capacity.js";
import { verifyIdentity } from "../../compiler/verify/identity.js";
import { compile } from "../../compiler/compile.js";
import { baseFiles, compileFiles, edit, memoryTree, MODEL, CLUSTER } from "../helpers/fixture.js";
import { BATCH, MODEL_FILE, withBatch } from "./fixtures.js";

type Any = any; // eslint-disable-line @typescript-eslint/no-explicit-any

function objects(files: Record<string, string | null>) {
  const r = compileFiles(files);
  expect(r.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
  return r;
}

const find = (r: ReturnType<typeof objects>, kind: string, name: string): Any =>
  r.objects.find((o) => o.object.kind === kind && o.object.metadata.name === name)?.object as KubeObject | undefined;

describe("a scheduled batch", () => {
  const r = objects({ [MODEL_FILE]: withBatch() });
  const cron = find(r, "CronJob", "fraud-nightly");

  test("is a CronJob in the model's folder: UTC schedule, no overlapping runs, history kept", () => {
    expect(r.objects.find((o) => o.object.kind === "CronJob")!.path).toBe("clusters/prod/tenants/team-a/fraud/cronjob-fraud-nightly.yaml");
    expect(cron.spec).toMatchObject({
      schedule: "0 2 * * *",
      timeZone: "Etc/UTC",
      concurrencyPolicy: "Forbid",
      successfulJobsHistoryLimit: 3,
      failedJobsHistoryLimit: 3,
    });
  });

  test("is synced by the model's own Application, which diff names for it", () => {
    const app = find(r, "Application", "model-fraud");
    const cronJob = r.objects.find((o) => o.object.kind === "CronJob")!;
    expect(cronJob.path.startsWith(`${app.spec.source.path}/`)).toBe(true);
    expect(applicationOf(cronJob.path, cronJob.owner)).toBe("model-fraud");
  });

  test("is scraped by the namespace's batch PodMonitor on the server's own port, named by berth.dev/model", () => {
    const monitor = find(r, "PodMonitor", "berth-batch");
    const pod = cron.spec.jobTemplate.spec.template;
    expect(monitor.spec.selector.matchLabels).toEqual({ "app.kubernetes.io/managed-by": "berth", "berth.dev/workload": "batch" });
    expect(pod.metadata.labels).toMatchObject({ "berth.dev/workload": "batch", "berth.dev/model": "fraud" });
    expect(pod.spec.containers[0].ports.map((p: Any) => p.name)).toEqual([monitor.spec.podMetricsEndpoints[0].port]);
    expect(monitor.spec.podMetricsEndpoints[0].relabelings).toContainEqual({
      sourceLabels: ["__meta_kubernetes_pod_label_berth_dev_model"],
      targetLabel: "model",
    });
    // The meshed monitor leaves batch pods alone: exactly one monitor selects them.
    expect(find(r, "PodMonitor", "berth-workloads").spec.selector.matchExpressions).toEqual([
      { key: "berth.dev/workload", operator: "In", values: ["serving", "store"] },
    ]);
  });

  test("a namespace without batch entries gets no batch monitor", () => {
    expect(objects({}).objects.some((o) => o.object.kind === "PodMonitor" && o.object.metadata.name === "berth-batch")).toBe(false);
  });

  test("runs an Indexed Job of `shards` completions at `parallelism`, with deadline and retries", () => {
    const job = cron.spec.jobTemplate.spec;
    // Each shard may fail twice; the Job as a whole never more than all shards together.
    expect(job).toMatchObject({
      completionMode: "Indexed",
      completions: 4,
      parallelism: 2,
      activeDeadlineSeconds: 7200,
      backoffLimitPerIndex: 2,
      backoffLimit: 8,
    });
    expect(job.podFailurePolicy.rules).toEqual([{ action: "Ignore", onPodConditions: [{ type: "DisruptionTarget", status: "True" }] }]);
  });

  test("the pod runs the version's image and artifact, with BATCH_* and the shard from the completion index", () => {
    const pod = cron.spec.jobTemplate.spec.template.spec;
    const c = pod.containers[0];
    expect(c.image).toBe("123456789012.dkr.ecr.us-east-1.amazonaws.com/serving/sklearn:1.4.2");
    expect(c.env).toEqual([
      { name: "MODEL_S3_URI", value: "s3://models/fraud/1.1.0/" },
      { name: "MODEL_ID", value: "fraud" },
      { name: "MODEL_VERSION", value: "v1.1.0" },
      { name: "FRAMEWORK", value: "sklearn" },
      { name: "AWS_REGION", value: "us-east-1" },
      { name: "AWS_DEFAULT_REGION", value: "us-east-1" },
      { name: "BATCH_INPUT", value: "s3://data/fraud/in/" },
      { name: "BATCH_OUTPUT", value: "s3://results/fraud/out/" },
      { name: "BATCH_SHARD", valueFrom: { fieldRef: { fieldPath: "metadata.annotations['batch.kubernetes.io/job-completion-index']" } } },
      { name: "BATCH_SHARDS", value: "4" },
    ]);
    // The batch's own requests over the model's limits.
    expect(c.resources).toEqual({ requests: { cpu: "1", memory: "1Gi" }, limits: { cpu: "1", memory: "2Gi" } });
  });

  test("restricted, on the model's pool, as its own ServiceAccount, below every tier, outside the mesh", () => {
    const tpl = cron.spec.jobTemplate.spec.template;
    expect(tpl.spec).toMatchObject({
      serviceAccountName: "fraud-batch",
      automountServiceAccountToken: false,
      priorityClassName: "berth-batch",
      restartPolicy: "Never",
      nodeSelector: { "workload-type": "general" },
      securityContext: { runAsNonRoot: true, seccompProfile: { type: "RuntimeDefault" } },
    });
    expect(tpl.spec.containers[0].securityContext).toMatchObject({
      allowPrivilegeEscalation: false,
      readOnlyRootFilesystem: true,
      capabilities: { drop: ["ALL"] },
    });
    expect(tpl.metadata.labels["sidecar.istio.io/inject"]).toBe("false");
    expect(find(r, "ServiceAccount", "fraud-batch").automountServiceAccountToken).toBe(false);
    const tiers = r.objects.filter((o) => o.object.kind === "PriorityClass").map((o) => o.object as Any);
    const batch = tiers.find((p) => p.metadata.name === "berth-batch");
    expect(batch.preemptionPolicy).toBe("Never");
    for (const tier of tiers.filter((p) => p !== batch)) expect(batch.value).toBeLessThan(tier.value);
  });

  test("batch pods join none of the model's selectors (Service, PDBs, HPAs)", () => {
    const labels = cron.spec.jobTemplate.spec.template.metadata.labels;
    const selectors = r.objects
      .filter((o) => ["Service", "PodDisruptionBudget", "Deployment"].includes(o.object.kind))
      .map((o) => (o.object as Any).spec.selector.matchLabels ?? (o.object as Any).spec.selector);
    expect(selectors.length).toBeGreaterThan(0);
    for (const sel of selectors) expect(Object.entries(sel).every(([k, v]) => labels[k] === v)).toBe(false);
  });

  test("the tenant's AppProject admits CronJobs and Jobs", () => {
    const project = find(r, "AppProject", "tenant-team-a");
    expect(project.spec.namespaceResourceWhitelist).toEqual(
      expect.arrayContaining([
        { group: "batch", kind: "CronJob" },
        { group: "batch", kind: "Job" },
      ]),
    );
  });
});

describe("a one-off batch", () => {
  const oneOff = edit(BATCH, '      schedule: "0 2 * * *"\n', "");

  test("is a Job that Argo CD replaces when it changes, and never deletes when it finishes", () => {
    const job = find(objects({ [MODEL_FILE]: withBatch(oneOff) }), "Job", "fraud-nightly");
    expect(job.metadata.annotations["argocd.argoproj.io/sync-options"]).toBe("Force=true,Replace=true");
    expect(job.spec.ttlSecondsAfterFinished).toBeUndefined();
    expect(job.spec.completionMode).toBe("Indexed");
  });

  test("before Kubernetes 1.29 (no per-index retries by default) the job-wide budget covers every shard", () => {
    const files = { ...baseFiles(), [MODEL_FILE]: withBatch(oneOff), "platform/clusters/prod.yaml": edit(CLUSTER, '"1.35"', '"1.28"') };
    // asOf false: the EKS calendar (1.28 is long past its support) is not what this test is about.
    const r = compile({ tree: memoryTree(files), asOf: false });
    const spec = (r.objects.find((o) => o.object.kind === "Job")!.object as Any).spec;
    expect(spec.backoffLimitPerIndex).toBeUndefined();
    expect(spec.backoffLimit).toBe(8);
  });

  test("a GPU batch on a GPU model's pool tolerates the GPU taint", () => {
    const gpu = edit(MODEL, 'limits: {cpu: "1", memory: 2Gi}}', 'limits: {cpu: "1", memory: 2Gi}, gpu: 1}');
    const gpuModel = edit(gpu, "{minReplicas: 2, maxReplicas: 4}", "{minReplicas: 1, maxReplicas: 1}");
    const r = objects({ [MODEL_FILE]: gpuModel + oneOff });
    const pod = find(r, "Job", "fraud-nightly").spec.template.spec;
    expect(pod.nodeSelector).toEqual({ "workload-type": "gpu-inference" });
    expect(pod.tolerations).toEqual([{ key: "nvidia.com/gpu", operator: "Equal", value: "true", effect: "NoSchedule" }]);
    expect(pod.containers[0].resources.limits["nvidia.com/gpu"]).toBe("1");
  });
});

describe("overrides and counting", () => {
  test("an override's empty batch list renders no batch on that cluster", () => {
    const r = objects({ [MODEL_FILE]: `${withBatch()}  overrides:\n    prod:\n      batch: []\n` });
    expect(r.objects.filter((o) => ["CronJob", "Job", "PriorityClass"].includes(o.object.kind) && o.object.metadata.name.includes("batch"))).toEqual([]);
    expect(find(r, "CronJob", "fraud-nightly")).toBeUndefined();
  });

  test("batch pods count in the pool's capacity at their parallelism, without a sidecar", () => {
    const r = objects({ [MODEL_FILE]: withBatch() });
    const before = objects({}).plan!;
    const general = (p: typeof before) => poolDemands(p).find((d) => d.pool.spec.name === "general")!;
    expect(general(r.plan!).min.requests.cpuMilli - general(before).min.requests.cpuMilli).toBe(2 * 1000);
    expect(general(r.plan!).onlineMin.requests).toEqual(general(before).min.requests);
  });
});

describe("cron expressions and deadlines", () => {
  test.each(["0 2 * * *", "*/15 * * * *", "0 9-17/2 * * MON-FRI", "0 0 1,15 * ?", "30 4 * jan,jul sun", "@daily", "@hourly", "@every 1h30m"])(
    "%s is a schedule",
    (s) => {
      expect(cronProblem(s)).toBeUndefined();
    },
  );

  test.each([
    ["60 * * * *", /minute 60 is outside 0-59/],
    ["* * 0 * *", /day of month 0 is outside 1-31/],
    ["* * * 13 *", /month 13 is outside 1-12/],
    ["1,,2 * * * *", /empty list item/],
    ["1/2/3 * * * *", /two steps/],
    ["? * * * *", /"\?" is not a minute/],
    ["@every forever", /@every takes a duration/],
    [" 0 2 * * *", /leading or trailing spaces/],
  ])("%s is not", (s, why) => {
    expect(cronProblem(s)).toMatch(why);
  });

  test("deadlines in days, hours, minutes and seconds", () => {
    expect(parseDeadline("4h")).toBe(14_400);
    expect(parseDeadline("1h30m")).toBe(5_400);
    expect(parseDeadline("2d")).toBe(172_800);
    expect(parseDeadline("0s")).toBeUndefined();
    expect(parseDeadline("4 h")).toBeUndefined();
  });
});

describe("the batch identity", () => {
  const r = objects({ [MODEL_FILE]: withBatch() });
  const config = r.objects.find((o) => o.object.kind === "ClusterConfig")!.object as Any;
  const association = config.iam.podIdentityAssociations.find((a: Any) => a.serviceAccountName === "fraud-batch");

  test("reads the batch's artifact and input, writes its output, and nothing else", () => {
    expect(association.namespace).toBe("team-a");
    const statements = association.permissionPolicy.Statement;
    expect(statements.find((s: Any) => s.Sid === "ReadArtifacts").Resource).toEqual(["arn:aws:s3:::data/fraud/in/*", "arn:aws:s3:::models/fraud/1.1.0/*"]);
    expect(statements.find((s: Any) => s.Sid === "WriteOutputs")).toMatchObject({
      Action: ["s3:AbortMultipartUpload", "s3:PutObject"],
      Resource: ["arn:aws:s3:::results/fraud/out/*"],
    });
    // The serving ServiceAccount keeps read only.
    const serving = config.iam.podIdentityAssociations.find((a: Any) => a.serviceAccountName === "fraud");
    expect(serving.permissionPolicy.Statement.some((s: Any) => s.Sid === "WriteOutputs")).toBe(false);
  });

  test("the identity proof notices a write grant that is missing or too wide", () => {
    const tamper = (edit: (statements: Any[]) => void) => {
      const objectsCopy = structuredClone(r.objects);
      const cfg = objectsCopy.find((o) => o.object.kind === "ClusterConfig")!.object as Any;
      edit(cfg.iam.podIdentityAssociations.find((a: Any) => a.serviceAccountName === "fraud-batch").permissionPolicy.Statement);
      const diags = new Diagnostics();
      verifyIdentity(r.plan!, objectsCopy, diags);
      return diags.items.map((d) => `${d.code} ${d.message}`);
    };
    expect(
      tamper((st) =>
        st.splice(
          st.findIndex((s: Any) => s.Sid === "WriteOutputs"),
          1,
        ),
      ),
    ).toEqual([
      "BERTH1110 ServiceAccount team-a/fraud-batch on cluster prod: its Pod Identity association does not grant s3:PutObject on arn:aws:s3:::results/fraud/out/*, where its batch pods write",
    ]);
    expect(tamper((st) => st.find((s: Any) => s.Sid === "WriteOutputs").Resource.push("arn:aws:s3:::models/*"))).toEqual([
      "BERTH1110 ServiceAccount team-a/fraud-batch on cluster prod: its Pod Identity association grants s3:PutObject on arn:aws:s3:::models/*, where none of its pods writes",
    ]);
  });
});
