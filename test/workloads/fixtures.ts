// Fixtures for batch and store tests: the base repository plus a platform `stores` catalogue, a
// second tenant and cluster, a store, and a model entry of batch.
import { CLUSTER, MODEL, PLATFORM, TENANT, edit, type Files, baseFiles } from "../helpers/fixture.js";

export const PLATFORM_STORES = edit(
  PLATFORM,
  "  ingress:\n",
  "  stores:\n    qdrant: {image: 123456789012.dkr.ecr.us-east-1.amazonaws.com/stores/qdrant:1.12.4, port: 6333, dataPath: /qdrant/storage, minStorage: 10Gi}\n  ingress:\n",
);

export const STAGING = edit(edit(CLUSTER, "name: prod", "name: staging"), "environment: production", "environment: staging");

export const TENANT_B = edit(
  edit(edit(TENANT, "name: team-a", "name: team-b"), "namespace: team-a", "namespace: team-b"),
  "{group: team-a, role: edit}",
  "{group: team-b, role: edit}",
);

/** team-a's store, admitting team-b. */
export const STORE = `apiVersion: berth.dev/v1alpha1
kind: Store
metadata:
  name: vectors
spec:
  engine: qdrant
  replicas: 2
  resources: {requests: {cpu: 500m, memory: 1Gi}, limits: {cpu: "1", memory: 2Gi}}
  storage: {size: 20Gi}
  clients: [team-b]
`;

/** team-b's model using team-a's store. */
export const RANKER = `apiVersion: berth.dev/v1alpha1
kind: Model
metadata:
  name: ranker
spec:
  framework: sklearn
  versions:
    - {name: v1, artifact: "s3://models/ranker/1/"}
  autoscaling: {minReplicas: 1, maxReplicas: 2}
  access: [team-b]
  uses: [vectors]
`;

/** One nightly batch of fraud v1.1.0 (MODEL ends at line 14; this starts at line 15). */
export const BATCH = `  batch:
    - name: nightly
      version: v1.1.0
      schedule: "0 2 * * *"
      input: s3://data/fraud/in/
      output: s3://results/fraud/out/
      shards: 4
      parallelism: 2
      deadline: 2h
      retries: 2
      resources: {requests: {cpu: "1", memory: 1Gi}}
`;

export const MODEL_FILE = "models/team-a/fraud.yaml";
export const STORE_FILE = "models/team-a/vectors.yaml";
export const RANKER_FILE = "models/team-b/ranker.yaml";

export function withBatch(batch = BATCH): string {
  return MODEL + batch;
}

/** The base repository with the stores catalogue, team-b, the store and the ranker. */
export function storeFiles(): Files {
  return {
    ...baseFiles(),
    "platform/platform.yaml": PLATFORM_STORES,
    "tenants/team-b.yaml": TENANT_B,
    [STORE_FILE]: STORE,
    [RANKER_FILE]: RANKER,
  };
}
