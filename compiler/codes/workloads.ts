import type { CodeInfo } from "./info.js";

/** Batch inference and stateful stores (14xx). */
export const workloadsCodes = {
  // 140x: batch entries of a model
  BERTH1401: {
    severity: "error",
    title: "batch names an unknown version",
    example:
      "models/a/fraud.yaml:21:16: error BERTH1401: batch nightly-scoring runs version v2.0.0, which the model does not declare\n  hint: declared versions: v1.2.0, v1.3.0",
  },
  BERTH1402: {
    severity: "error",
    title: "schedule is not a cron expression",
    example:
      'models/a/fraud.yaml:22:17: error BERTH1402: spec.batch[0].schedule: "0 25 * * *" is not a cron expression: hour 25 is outside 0-23\n  hint: write five fields, minute hour day-of-month month day-of-week (UTC), e.g. "0 2 * * *", or a macro such as @daily',
  },
  BERTH1403: {
    severity: "error",
    title: "batch output overlaps an artifact or its input",
    example:
      "models/a/fraud.yaml:24:15: error BERTH1403: batch nightly-scoring writes to s3://ml-models/fraud/1.3.0/scores/, inside the artifact prefix s3://ml-models/fraud/1.3.0/ of version v1.3.0\n  hint: write batch results under a prefix of their own, e.g. s3://ml-results/fraud/nightly-scoring/; a job that may write there could overwrite what it serves",
  },
  BERTH1404: {
    severity: "error",
    title: "deadline is not a duration",
    example:
      'models/a/fraud.yaml:27:17: error BERTH1404: spec.batch[0].deadline: "4 hours" is not a duration\n  hint: write a number and a unit: 90s, 45m, 4h or 2d',
  },
  BERTH1405: {
    severity: "error",
    title: "batch name used twice",
    example:
      "models/a/fraud.yaml:30:15: error BERTH1405: spec.batch[1].name: batch nightly-scoring is already declared at batch[0]\n  hint: every batch of a model needs its own name: it names the CronJob or Job",
  },
  BERTH1406: {
    severity: "warning",
    title: "parallelism above shards",
    example:
      "models/a/fraud.yaml:26:20: warning BERTH1406: batch nightly-scoring runs 16 pods in parallel but has only 4 shards, so at most 4 pods ever run\n  hint: set parallelism to at most shards (4)",
  },
  // 141x: batch in the scheduling proof and the quota
  BERTH1410: {
    severity: "error",
    title: "batch cannot start at its parallelism in its pool",
    example:
      "platform/clusters/prod.yaml:10:7: error BERTH1410: pool general on cluster prod holds its online workloads at minReplicas, but not with batch pods at their parallelism: 28 pods need 12 m5.large nodes by first-fit packing, maxSize is 10; batch: fraud-detection/nightly-scoring 4 pods (cpu 2, memory 4Gi each)\n  hint: raise maxSize to at least 12, lower the batch's parallelism or resources, or run its model on a larger pool",
  },
  BERTH1411: {
    severity: "warning",
    title: "batch would starve online serving at maxReplicas",
    example:
      "platform/clusters/prod.yaml:10:7: warning BERTH1411: pool general on cluster prod holds its online workloads at maxReplicas, but not while batch pods run at their parallelism: 40 pods need 14 m5.large nodes, maxSize is 10, so scale-ups wait for the batch to finish; batch: fraud-detection/nightly-scoring 4 pods (cpu 2, memory 4Gi each)\n  hint: raise maxSize to 14, or lower the batch's parallelism",
  },
  BERTH1412: {
    severity: "error",
    title: "batch cannot start at its parallelism within the quota",
    example:
      "tenants/a.yaml:10:16: error BERTH1412: on cluster prod the models of tenant a at minimum replicas leave 2 cpu of quota.cpu (40); their batch pods at parallelism need 8; largest: fraud-detection/nightly-scoring 8 (4 pods × 2)\n  hint: raise quota.cpu to at least 46, or lower the batch's parallelism or resources.requests.cpu",
  },
  BERTH1413: {
    severity: "warning",
    title: "batch would starve online serving within the quota",
    example:
      "tenants/a.yaml:10:16: warning BERTH1413: on cluster prod the models of tenant a at maximum replicas and their batch pods at parallelism request 48 cpu; quota.cpu is 40, so while a batch runs autoscaling stops short; largest batch: fraud-detection/nightly-scoring 8 (4 pods × 2)\n  hint: raise quota.cpu to 48, or lower the batch's parallelism",
  },
  // 142x: stores
  BERTH1420: {
    severity: "error",
    title: "unknown store engine",
    example:
      'models/a/product-embeddings.yaml:6:11: error BERTH1420: engine "qdrnt" is not in the platform\'s stores catalogue (qdrant)\n  hint: did you mean `qdrant`? or add the engine to platform/platform.yaml spec.stores',
  },
  BERTH1421: {
    severity: "error",
    title: "storage below the engine's minimum",
    example:
      "models/a/product-embeddings.yaml:9:18: error BERTH1421: storage.size 512Mi is below 10Gi, the minimum of engine qdrant\n  hint: ask for at least 10Gi per replica",
  },
  BERTH1422: {
    severity: "error",
    title: "storage above the volume type's maximum",
    example:
      "models/a/product-embeddings.yaml:9:18: error BERTH1422: storage.size 20Ti is above 16Ti, the largest encrypted gp3 EBS volume\n  hint: ask for at most 16Ti per replica, or spread the index over more replicas",
  },
  BERTH1423: {
    severity: "error",
    title: "store name used twice",
    example:
      "models/b/product-embeddings.yaml:4:9: error BERTH1423: store name product-embeddings is also used by models/a/product-embeddings.yaml; names are unique across models and stores\n  hint: choose a name no other model or store uses",
  },
  BERTH1424: {
    severity: "error",
    title: "store client names no tenant",
    example: "models/a/product-embeddings.yaml:12:13: error BERTH1424: clients names tenant markting, which does not exist\n  hint: did you mean `marketing`?",
  },
  BERTH1425: {
    severity: "error",
    title: "store storage shrinks",
    example:
      "models/a/product-embeddings.yaml:9:18: error BERTH1425: storage.size 100Gi is smaller than the 200Gi product-embeddings has on cluster prod (clusters/prod/tenants/a/product-embeddings/statefulset-product-embeddings.yaml): a volume can only grow\n  hint: Kubernetes expands a PersistentVolumeClaim but never shrinks one, and a StatefulSet's volumeClaimTemplates cannot change in place; keep 200Gi or more, or create a new store and move the data",
  },
  // 143x: models that use stores
  BERTH1430: {
    severity: "error",
    title: "uses names no store",
    example: "models/b/churn.yaml:12:10: error BERTH1430: uses names product-embedings, which is not a store\n  hint: did you mean `product-embeddings`?",
  },
  BERTH1431: {
    severity: "error",
    title: "uses a store on another cluster",
    example:
      "models/b/churn.yaml:12:10: error BERTH1431: store product-embeddings is not deployed to cluster staging, where churn runs\n  hint: use it only where it runs (product-embeddings runs on prod): set overrides.staging.uses, or deploy the store there",
  },
  BERTH1432: {
    severity: "error",
    title: "uses a store that does not admit the tenant",
    example:
      "models/b/churn.yaml:12:10: error BERTH1432: store product-embeddings (tenant a) does not admit tenant b\n  hint: add b to clients in models/a/product-embeddings.yaml",
  },
} as const satisfies Record<string, CodeInfo>;
