// Table tests for the batch and store diagnostics (14xx), and the older codes batch entries and
// stores reuse (derived names, pools, GPUs, requests above limits, the scheduling proof).
import { CLUSTER, MODEL, TENANT, edit } from "../helpers/fixture.js";
import { runTable } from "../helpers/table.js";
import { BATCH, MODEL_FILE, RANKER, RANKER_FILE, STAGING, STORE, STORE_FILE, storeFiles, withBatch } from "../workloads/fixtures.js";

const batch = (from: string, to: string) => ({ [MODEL_FILE]: withBatch(edit(BATCH, from, to)) });
const store = (from: string, to: string) => ({ ...storeFiles(), [STORE_FILE]: edit(STORE, from, to) });
const smallPool = (maxSize: number) => ({
  "platform/clusters/prod.yaml": edit(CLUSTER, "maxSize: 10, desiredCapacity: 3", `maxSize: ${maxSize}, desiredCapacity: 2`),
});

runTable([
  {
    name: "BERTH1401 a batch naming a version the model does not declare",
    files: batch("version: v1.1.0", "version: v9"),
    expect: [
      {
        code: "BERTH1401",
        file: MODEL_FILE,
        line: 17,
        column: 16,
        message: /batch nightly runs version v9, which the model does not declare/,
        hint: /declared versions: v1\.0\.0, v1\.1\.0/,
      },
    ],
  },
  {
    name: "BERTH1401 an override's batch list is checked on its cluster",
    files: {
      [MODEL_FILE]: `${withBatch()}  overrides:\n    prod:\n      batch:\n        - {name: nightly, version: v2, input: s3://data/a/, output: s3://results/a/}\n`,
    },
    expect: [{ code: "BERTH1401", line: 29, column: 36 }],
  },
  {
    name: "BERTH1402 an hour out of range",
    files: batch('"0 2 * * *"', '"0 25 * * *"'),
    expect: [
      {
        code: "BERTH1402",
        file: MODEL_FILE,
        line: 18,
        column: 17,
        message: /"0 25 \* \* \*" is not a cron expression: hour 25 is outside 0-23/,
        hint: /five fields/,
      },
    ],
  },
  {
    name: "BERTH1402 four fields",
    files: batch('"0 2 * * *"', '"0 2 * *"'),
    expect: [{ code: "BERTH1402", line: 18, message: /has 4 fields; a schedule has five/ }],
  },
  {
    name: "BERTH1402 a weekday 7 (robfig/cron counts 0-6)",
    files: batch('"0 2 * * *"', '"0 2 * * 7"'),
    expect: [{ code: "BERTH1402", message: /day of week 7 is outside 0-6/ }],
  },
  {
    name: "BERTH1402 a backwards range",
    files: batch('"0 2 * * *"', '"0 5-2 * * *"'),
    expect: [{ code: "BERTH1402", message: /range 5-2 in the hour field runs backwards/ }],
  },
  { name: "BERTH1402 a step of 0", files: batch('"0 2 * * *"', '"*/0 * * * *"'), expect: [{ code: "BERTH1402", message: /step 0 in the minute field/ }] },
  {
    name: "BERTH1402 an unknown month name",
    files: batch('"0 2 * * *"', '"0 2 1 JANUARY *"'),
    expect: [{ code: "BERTH1402", message: /"JANUARY" is not a month/ }],
  },
  {
    name: "BERTH1402 an unknown macro",
    files: batch('"0 2 * * *"', "'@fortnightly'"),
    expect: [{ code: "BERTH1402", message: /@fortnightly is not a descriptor/ }],
  },
  {
    name: "BERTH1402 a time zone in the schedule",
    files: batch('"0 2 * * *"', '"TZ=Europe/Paris 0 2 * * *"'),
    expect: [{ code: "BERTH1402", message: /a time zone cannot be part of the schedule/ }],
  },
  {
    name: "BERTH1403 output inside an artifact prefix",
    files: batch("s3://results/fraud/out/", "s3://models/fraud/1.1.0/scores/"),
    expect: [
      {
        code: "BERTH1403",
        file: MODEL_FILE,
        line: 20,
        column: 15,
        message: /writes to s3:\/\/models\/fraud\/1\.1\.0\/scores\/, inside the artifact prefix s3:\/\/models\/fraud\/1\.1\.0\/ of version v1\.1\.0/,
      },
    ],
  },
  {
    name: "BERTH1403 output equal to an artifact prefix",
    files: batch("s3://results/fraud/out/", "s3://models/fraud/1.0.0/"),
    expect: [{ code: "BERTH1403", message: /the same prefix as the artifact prefix s3:\/\/models\/fraud\/1\.0\.0\// }],
  },
  {
    name: "BERTH1403 output around every artifact",
    files: batch("s3://results/fraud/out/", "s3://models/"),
    expect: [{ code: "BERTH1403", message: /around the artifact prefix/ }],
  },
  {
    name: "BERTH1403 output inside the input",
    files: batch("s3://results/fraud/out/", "s3://data/fraud/in/results/"),
    expect: [{ code: "BERTH1403", message: /overlaps its input s3:\/\/data\/fraud\/in\/: a later run would read its own results/ }],
  },
  {
    name: "BERTH1404 a deadline that is not a duration",
    files: batch("deadline: 2h", 'deadline: "2 hours"'),
    expect: [{ code: "BERTH1404", file: MODEL_FILE, line: 23, column: 17, message: /"2 hours" is not a duration/, hint: /90s, 45m, 4h or 2d/ }],
  },
  {
    name: "BERTH1405 two batches with one name",
    files: { [MODEL_FILE]: withBatch(BATCH + "    - {name: nightly, version: v1.0.0, input: s3://data/b/, output: s3://results/b/}\n") },
    expect: [{ code: "BERTH1405", file: MODEL_FILE, line: 26, column: 14, message: /batch nightly is already declared at batch\[0\]/ }],
  },
  {
    name: "BERTH1406 parallelism above shards is a warning",
    files: batch("parallelism: 2", "parallelism: 8"),
    expect: [
      { code: "BERTH1406", severity: "warning", line: 22, column: 20, message: /runs 8 pods in parallel but has only 4 shards, so at most 4 pods ever run/ },
    ],
  },
  {
    name: "BERTH1410 the pool holds serving at minReplicas, but not the batch at its parallelism",
    files: { ...smallPool(2), [MODEL_FILE]: withBatch() },
    expect: [
      {
        code: "BERTH1410",
        file: "platform/clusters/prod.yaml",
        line: 10,
        column: 7,
        message:
          /pool general on cluster prod holds its online workloads at minReplicas, but not with batch pods at their parallelism: 6 pods need 3 m5\.large nodes by first-fit packing, maxSize is 2; batch: fraud\/nightly 2 pods \(cpu 1, memory 1Gi each\)/,
        hint: /raise maxSize to at least 3/,
      },
    ],
  },
  {
    name: "BERTH1411 the pool holds serving at maxReplicas, but not while the batch runs",
    files: { ...smallPool(4), [MODEL_FILE]: withBatch() },
    expect: [
      {
        code: "BERTH1411",
        severity: "warning",
        line: 10,
        column: 7,
        message:
          /at maxReplicas, but not while batch pods run at their parallelism: 10 pods need 5 m5\.large nodes .* so scale-ups wait for the batch to finish/,
      },
    ],
  },
  {
    name: "BERTH1412 the quota holds serving at minReplicas, but not the batch",
    files: { "tenants/team-a.yaml": edit(TENANT, 'cpu: "40"', 'cpu: "3"'), [MODEL_FILE]: withBatch() },
    expect: [
      {
        code: "BERTH1412",
        file: "tenants/team-a.yaml",
        line: 10,
        column: 16,
        message: /at minimum replicas leave 600m cpu of quota\.cpu \(3\); their batch pods at parallelism need 2; largest: fraud\/nightly 2 \(2 pods × 1\)/,
        hint: /raise quota\.cpu to at least 4\.4/,
      },
    ],
    others: true,
  },
  {
    name: "BERTH1413 the quota holds serving at maxReplicas, but not while the batch runs",
    files: { "tenants/team-a.yaml": edit(TENANT, 'cpu: "40"', 'cpu: "6"'), [MODEL_FILE]: withBatch() },
    expect: [
      {
        code: "BERTH1413",
        severity: "warning",
        file: "tenants/team-a.yaml",
        message: /at maximum replicas and their batch pods at parallelism request 6\.8 cpu; quota\.cpu is 6/,
      },
    ],
  },
  {
    name: "BERTH1420 an engine the platform does not offer",
    files: store("engine: qdrant", "engine: qdrnt"),
    expect: [
      {
        code: "BERTH1420",
        file: STORE_FILE,
        line: 6,
        column: 11,
        message: /engine "qdrnt" is not in the platform's stores catalogue \(qdrant\)/,
        hint: /did you mean `qdrant`\?/,
      },
    ],
  },
  {
    name: "BERTH1421 storage below the engine's minimum",
    files: store("size: 20Gi", "size: 5Gi"),
    expect: [{ code: "BERTH1421", file: STORE_FILE, line: 9, column: 19, message: /storage\.size 5Gi is below 10Gi, the minimum of engine qdrant/ }],
  },
  {
    name: "BERTH1422 storage above gp3's maximum",
    files: store("size: 20Gi", "size: 17Ti"),
    expect: [{ code: "BERTH1422", line: 9, column: 19, message: /storage\.size 17Ti is above 16Ti, the largest encrypted gp3 EBS volume/ }],
  },
  {
    name: "BERTH1423 a store named like a model",
    files: {
      ...storeFiles(),
      "models/team-a/fraud-store.yaml": null,
      [STORE_FILE]: null,
      "models/team-b/fraud.yaml": edit(STORE, "name: vectors", "name: fraud"),
      [RANKER_FILE]: null,
    },
    expect: [
      {
        code: "BERTH1423",
        file: "models/team-b/fraud.yaml",
        line: 4,
        column: 9,
        message: /store name fraud is also used by models\/team-a\/fraud\.yaml; names are unique across models and stores/,
      },
    ],
  },
  {
    name: "BERTH1424 clients naming no tenant",
    files: store("clients: [team-b]", "clients: [team-b, taem-a2]"),
    expect: [{ code: "BERTH1424", file: STORE_FILE, line: 10, column: 21, message: /clients names tenant taem-a2, which does not exist/ }],
  },
  {
    name: "BERTH1430 uses naming no store",
    files: { ...storeFiles(), [RANKER_FILE]: edit(RANKER, "uses: [vectors]", "uses: [vector]") },
    expect: [
      { code: "BERTH1430", file: RANKER_FILE, line: 11, column: 10, message: /uses names vector, which is not a store/, hint: /did you mean `vectors`\?/ },
    ],
  },
  {
    name: "BERTH1430 uses naming a model",
    files: { ...storeFiles(), [RANKER_FILE]: edit(RANKER, "uses: [vectors]", "uses: [vectors, fraud]") },
    expect: [{ code: "BERTH1430", line: 11, column: 19, message: /uses names fraud, which is a model, not a store/ }],
  },
  {
    name: "BERTH1431 uses a store on another cluster",
    files: {
      ...storeFiles(),
      "platform/clusters/staging.yaml": STAGING,
      "tenants/team-b.yaml": edit(storeFiles()["tenants/team-b.yaml"] as string, "clusters: [prod]", "clusters: [prod, staging]"),
    },
    expect: [
      {
        code: "BERTH1431",
        file: RANKER_FILE,
        line: 11,
        column: 10,
        message: /store vectors is not deployed to cluster staging, where ranker runs/,
        hint: /set overrides\.staging\.uses/,
      },
    ],
  },
  {
    name: "BERTH1432 uses a store that does not admit the tenant",
    files: store("  clients: [team-b]\n", ""),
    expect: [
      {
        code: "BERTH1432",
        file: RANKER_FILE,
        line: 11,
        column: 10,
        message: /store vectors \(tenant team-a\) does not admit tenant team-b/,
        hint: /add team-b to clients in models\/team-a\/vectors\.yaml/,
      },
    ],
  },
  {
    name: "BERTH0401 a batch whose pods' names would pass 63 characters",
    files: batch("name: nightly", "name: nightly-scoring-of-every-single-card-transaction"),
    expect: [
      {
        code: "BERTH0401",
        file: MODEL_FILE,
        line: 16,
        column: 13,
        message:
          /derived name "fraud-nightly-scoring-of-every-single-card-transaction" is too long: its Jobs' pods are named .* up to 67 characters; Kubernetes allows 63/,
      },
    ],
  },
  {
    name: "BERTH0210 a batch request above the model's limit",
    files: batch('{requests: {cpu: "1", memory: 1Gi}}', '{requests: {cpu: "1", memory: 3Gi}}'),
    expect: [
      {
        code: "BERTH0210",
        file: MODEL_FILE,
        line: 25,
        column: 48,
        message: /batch nightly: resources\.requests\.memory \(3Gi\) is above resources\.limits\.memory \(2Gi\), the model's limit/,
      },
    ],
  },
  {
    name: "BERTH0606 a batch asking for a GPU on the model's pool without GPUs",
    files: batch('{requests: {cpu: "1", memory: 1Gi}}', '{requests: {cpu: "1", memory: 1Gi}, gpu: 1}'),
    expect: [{ code: "BERTH0606", file: MODEL_FILE, line: 25, message: /batch nightly asks for 1 GPU but pool general on cluster prod has none/ }],
  },
  {
    name: "BERTH0608 a batch pod that fits no node names the batch's own request",
    files: batch('{requests: {cpu: "1", memory: 1Gi}}', '{requests: {cpu: "1", memory: 12Gi}, limits: {memory: 12Gi}}'),
    expect: [
      {
        code: "BERTH0608",
        file: MODEL_FILE,
        line: 25,
        message: /a pod of batch fraud\/nightly .*no sidecar: batch pods run outside the mesh\) fits no node of pool general/,
        hint: /lower resources\.requests\.memory to at most \d+Mi,/,
      },
    ],
    others: true,
  },
  {
    name: "BERTH0303 a store naming a pool the cluster lacks",
    files: store("  clients: [team-b]\n", "  clients: [team-b]\n  pool: memory\n"),
    expect: [{ code: "BERTH0303", file: STORE_FILE, line: 11, column: 9, message: /cluster prod has no pool named memory/ }],
  },
  {
    name: "BERTH0609 store replicas, one per node, overflow the pool",
    files: { ...store("replicas: 2", "replicas: 3"), ...smallPool(2), [MODEL_FILE]: edit(MODEL, "minReplicas: 2", "minReplicas: 1") },
    expect: [
      {
        code: "BERTH0609",
        file: "platform/clusters/prod.yaml",
        line: 10,
        message: /cannot hold its models at minReplicas: 6 pods need 4 m5\.large nodes .*volumes 3 of 48\); largest: store vectors 3 pods/,
      },
    ],
    others: true,
  },
  {
    name: "BERTH0206 a file in models/ with another kind names both kinds a folder holds",
    files: { [MODEL_FILE]: edit(MODEL, "kind: Model", "kind: Stor") },
    expect: [{ code: "BERTH0206", file: MODEL_FILE, line: 2, column: 7, message: /unknown kind "Stor"; files in models\/team-a\/ hold kind Model or Store/ }],
  },
  {
    name: "BERTH0217 BATCH_ variables are berth's",
    files: { [MODEL_FILE]: edit(MODEL, '"s3://models/fraud/1.0.0/", traffic: 90}', '"s3://models/fraud/1.0.0/", traffic: 90, env: {BATCH_SHARD: "1"}}') },
    expect: [{ code: "BERTH0217", message: /env BATCH_SHARD is set by berth/ }],
  },
]);
