// A store's storage only grows (BERTH1425 against what was rendered before: the files under
// clusters/, or the base revision in `diff`), and `diff` names what stores and batches risk.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { compile } from "../../compiler/compile.js";
import { storageBaseline } from "../../compiler/verify/storage-growth.js";
import { renderedBefore } from "../../compiler/write/previous.js";
import { assessRisks } from "../../compiler/diff/risks.js";
import { diffRenders } from "../../compiler/diff/match.js";
import type { KubeObject } from "../../compiler/emit/types.js";
import { berth, gitRepo, writeFiles } from "../helpers/git.js";
import { edit, memoryTree, tempRepo } from "../helpers/fixture.js";
import { BATCH, MODEL_FILE, RANKER, RANKER_FILE, STORE, STORE_FILE, storeFiles, withBatch } from "./fixtures.js";

const STS = "clusters/prod/tenants/team-a/vectors/statefulset-vectors.yaml";
const sized = (size: string) => ({ ...storeFiles(), [STORE_FILE]: edit(STORE, "size: 20Gi", `size: ${size}`) });

describe("BERTH1425 storage may only grow", () => {
  const before = compile({ tree: memoryTree(storeFiles()) });

  test("against a previous render: smaller is an error at storage.size naming Kubernetes' rule; equal or larger is not", () => {
    const shrunk = compile({ tree: memoryTree(sized("15Gi")), previous: renderedBefore(before.objects) });
    const d = shrunk.diagnostics.find((x) => x.code === "BERTH1425")!;
    expect(d).toMatchObject({ file: STORE_FILE, line: 9, column: 19, severity: "error" });
    expect(d.message).toBe(`storage.size 15Gi is smaller than the 20Gi vectors has on cluster prod (${STS}): a volume can only grow`);
    expect(d.hint).toMatch(/Kubernetes expands a PersistentVolumeClaim but never shrinks one/);
    expect(shrunk.files).toEqual([]);
    for (const size of ["20Gi", "21474836480", "40Gi"]) {
      const grown = compile({ tree: memoryTree(sized(size)), previous: renderedBefore(before.objects) });
      expect(grown.diagnostics.filter((x) => x.code === "BERTH1425")).toEqual([]);
    }
  });

  test("render compares with the StatefulSet under clusters/ and writes nothing; check says the same", async () => {
    const dir = tempRepo(storeFiles());
    expect((await berth(dir, "render")).code).toBe(0);
    const was = readFileSync(join(dir, STS), "utf8");
    writeFiles(dir, { [STORE_FILE]: edit(STORE, "size: 20Gi", "size: 10Gi") });
    const render = await berth(dir, "render");
    expect(render.code).toBe(1);
    expect(render.stderr).toMatch(/models\/team-a\/vectors\.yaml:9:19: error BERTH1425: storage\.size 10Gi is smaller than the 20Gi/);
    expect(render.stderr).toMatch(/nothing written/);
    expect(readFileSync(join(dir, STS), "utf8")).toBe(was);
    const check = await berth(dir, "check");
    expect(check.code).toBe(1);
    expect(check.stderr).toMatch(/BERTH1425/);
  });
});

test("storageBaseline: a plan's StatefulSets emitted on their own are those of the whole render, at the same paths", () => {
  const render = compile({ tree: memoryTree(storeFiles()) });
  const statefulSets = render.objects.filter((r) => r.object.kind === "StatefulSet");
  expect(statefulSets.length).toBeGreaterThan(0);
  expect(storageBaseline(render.plan!)).toEqual(new Map(statefulSets.map((r) => [r.path, r.object])));
});

describe("diff", () => {
  interface Risk {
    kind: string;
    subject: string;
    message: string;
  }
  async function risks(dir: string): Promise<Risk[]> {
    const r = await berth(dir, "diff", "--base", "HEAD", "--format", "json");
    expect({ code: r.code, stderr: r.stderr }).toEqual({ code: 0, stderr: "" });
    return (JSON.parse(r.stdout) as { risks: Risk[] }).risks;
  }
  const repo = () => gitRepo({ ...storeFiles(), [MODEL_FILE]: withBatch() });

  test("a shrink against the base revision is an error", async () => {
    const dir = repo();
    writeFiles(dir, { [STORE_FILE]: edit(STORE, "size: 20Gi", "size: 12Gi") });
    const r = await berth(dir, "diff", "--base", "HEAD");
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/models\/team-a\/vectors\.yaml:9:19: error BERTH1425/);
  });

  test("growth: the claim template cannot change in place, so the risk says what to run", async () => {
    const dir = repo();
    writeFiles(dir, { [STORE_FILE]: edit(STORE, "size: 20Gi", "size: 50Gi") });
    const out = await risks(dir);
    const immutable = out.find((r) => r.kind === "immutable")!;
    expect(immutable.subject).toBe("StatefulSet team-a/vectors");
    expect(immutable.message).toMatch(
      /volumeClaimTemplates cannot change in place.*kubectl -n team-a patch pvc data-vectors-<ordinal> .*"storage":"50Gi".*--cascade=orphan/,
    );
    expect(out.find((r) => r.kind === "capacity")!.message).toMatch(/storage: 20Gi → 50Gi/);
  });

  test("replicas and placement may change in place: capacity, not immutable", async () => {
    const dir = repo();
    writeFiles(dir, { [STORE_FILE]: edit(edit(STORE, "replicas: 2", "replicas: 3"), "  clients: [team-b]\n", "  clients: [team-b]\n  pool: gpu-inference\n") });
    const out = await risks(dir);
    expect(out.filter((r) => r.kind === "immutable")).toEqual([]);
    expect(out.find((r) => r.kind === "capacity" && r.subject === "StatefulSet team-a/vectors")!.message).toMatch(/spec\.replicas: 2 → 3/);
  });

  test("removing a store is a deletion that says where the data stays", async () => {
    const dir = repo();
    writeFiles(dir, { [STORE_FILE]: null, [RANKER_FILE]: edit(RANKER, "  uses: [vectors]\n", "") });
    const out = await risks(dir);
    expect(out).toContainEqual(
      expect.objectContaining({
        kind: "deletion",
        subject: "store vectors",
        message: expect.stringMatching(/store removed from prod: \d+ objects deleted \(StatefulSet vectors\); its claims stay/),
      }),
    );
  });

  test("a schedule change is shown as such; a new batch as new capacity", async () => {
    const dir = repo();
    writeFiles(dir, { [MODEL_FILE]: withBatch(edit(BATCH, '"0 2 * * *"', '"30 3 * * 1-5"')) });
    expect(await risks(dir)).toContainEqual({
      kind: "schedule",
      cluster: "prod",
      tenant: "team-a",
      model: "fraud",
      subject: "CronJob team-a/fraud-nightly",
      message: 'spec.schedule: "0 2 * * *" → "30 3 * * 1-5"',
    });
    writeFiles(dir, {
      [MODEL_FILE]: withBatch(BATCH + "    - {name: backfill, version: v1.0.0, input: s3://data/old/, output: s3://results/old/, shards: 8, parallelism: 2}\n"),
    });
    expect((await risks(dir)).find((r) => r.subject === "Job team-a/fraud-backfill")!.message).toBe(
      "new batch, runs once: 8 shards, 2 at a time × (cpu 500m, memory 1Gi)",
    );
  });

  test("changing a one-off Job re-creates it, which runs it again", async () => {
    const oneOff = edit(BATCH, '      schedule: "0 2 * * *"\n', "");
    const dir = gitRepo({ ...storeFiles(), [MODEL_FILE]: withBatch(oneOff) });
    writeFiles(dir, { [MODEL_FILE]: withBatch(edit(oneOff, "s3://data/fraud/in/", "s3://data/fraud/in-2/")) });
    const immutable = (await risks(dir)).find((r) => r.kind === "immutable")!;
    expect(immutable.message).toMatch(
      /a Job's pod template and completions are immutable: Argo CD deletes and re-creates it \(Force, Replace\), which runs the batch again/,
    );
  });
});

test("a StatefulSet field Kubernetes will not update in place is an immutable risk; a storage change alone gets the runbook", () => {
  const sts = (policy: string): KubeObject => ({
    apiVersion: "apps/v1",
    kind: "StatefulSet",
    metadata: { name: "s", namespace: "n" },
    spec: { podManagementPolicy: policy, replicas: 1 },
  });
  const owner = { cluster: "prod", tenant: "t", model: "s" };
  const at = (object: KubeObject) => ({ path: "f", object, sources: [], origin: { file: "x.yaml", path: [] }, owner });
  const risks = assessRisks(diffRenders([at(sts("OrderedReady"))], [at(sts("Parallel"))]));
  expect(risks).toEqual([
    expect.objectContaining({
      kind: "immutable",
      message: expect.stringMatching(/^spec\.podManagementPolicy is immutable on a StatefulSet: .*OrderedReady → Parallel/),
    }),
  ]);
  const claim = (size: string, mode: string): KubeObject => ({
    ...sts("Parallel"),
    spec: { volumeClaimTemplates: [{ metadata: { name: "data" }, spec: { accessModes: [mode], resources: { requests: { storage: size } } } }] },
  });
  const grown = assessRisks(diffRenders([at(claim("1Gi", "ReadWriteOnce"))], [at(claim("2Gi", "ReadWriteOnce"))])).filter((r) => r.kind === "immutable");
  expect(grown.map((r) => r.message)).toEqual([expect.stringMatching(/^volumeClaimTemplates cannot change in place, .*patch pvc data-s-<ordinal>/)]);
  const other = assessRisks(diffRenders([at(claim("1Gi", "ReadWriteOnce"))], [at(claim("2Gi", "ReadWriteOncePod"))])).filter((r) => r.kind === "immutable");
  expect(other.map((r) => r.message)).toEqual([expect.stringMatching(/^spec\.volumeClaimTemplates is immutable on a StatefulSet/)]);
});
