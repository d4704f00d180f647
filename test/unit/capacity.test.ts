// Capacity math: one pod's requests, first-fit-decreasing packing, and the per-pool report that
// `berth check` prints (text) and returns (json).
import { MESH_SIDECAR } from "../../compiler/catalogue/allocatable.js";
import { lookupInstanceType } from "../../compiler/catalogue/instances.js";
import { runCheck, runRender, type Io } from "../../compiler/commands/run.js";
import type { EffectiveModel } from "../../compiler/plan/overrides.js";
import { nodeResources, podRequests, type Resources } from "../../compiler/plan/pod-requests.js";
import { capacityReport, nodesNeeded } from "../../compiler/verify/capacity.js";
import { packPods } from "../../compiler/verify/packing.js";
import fc from "fast-check";
import { dominantShare, howManyFit } from "../../compiler/plan/pod-requests.js";
import { MODEL, SCHEMAS, baseFiles, compileFiles, edit, tempRepo } from "../helpers/fixture.js";

const MI = 2 ** 20;
const res = (cpuMilli: number, memoryMiB: number, gpus = 0, pods = 1, volumes = 0): Resources => ({
  cpuMilli,
  memoryBytes: memoryMiB * MI,
  gpus,
  pods,
  volumes,
});

function model(requests: { cpu?: string | number; memory?: string | number }, gpu = 0): EffectiveModel {
  return {
    framework: "x",
    versions: [],
    resources: { requests, limits: {}, gpu },
    autoscaling: { minReplicas: 1, maxReplicas: 1 },
    routing: [],
    access: [],
    timeoutSeconds: 60,
  };
}

describe("podRequests", () => {
  test("adds the mesh sidecar and rounds CPU up to whole millicores", () => {
    expect(podRequests(model({ cpu: "500m", memory: "1Gi" }))).toEqual(res(500 + MESH_SIDECAR.cpuMilli, 1024 + MESH_SIDECAR.memoryMiB));
    expect(podRequests(model({ cpu: 0.1, memory: "512Mi" })).cpuMilli).toBe(200);
    expect(podRequests(model({ cpu: "1.5m", memory: "1G" })).cpuMilli).toBe(102);
    expect(podRequests(model({ cpu: "1.5m", memory: "1G" })).memoryBytes).toBe(1e9 + 128 * MI);
  });

  test("GPUs count as requested whole devices", () => {
    expect(podRequests(model({ cpu: "2", memory: "8Gi" }, 2))).toMatchObject({ gpus: 2, pods: 1 });
  });
});

describe("packPods (first-fit decreasing)", () => {
  const node = res(1000, 1000, 0, 10);

  test("two 600m pods cannot share a 1000m node", () => {
    expect(packPods([{ key: "a", pod: res(600, 100), count: 2 }], node)).toEqual({ nodes: 2, unplaced: 0 });
  });

  test("large pods first, small ones fill the gaps, whatever the input order", () => {
    const groups = [
      { key: "small", pod: res(300, 100), count: 2 },
      { key: "big", pod: res(700, 100), count: 2 },
    ];
    expect(packPods(groups, node)).toEqual({ nodes: 2, unplaced: 0 });
    expect(packPods([...groups].reverse(), node)).toEqual({ nodes: 2, unplaced: 0 });
  });

  test("the tightest resource decides: memory and pod slots too", () => {
    expect(packPods([{ key: "m", pod: res(10, 400), count: 5 }], node).nodes).toBe(3);
    expect(packPods([{ key: "p", pod: res(1, 1), count: 25 }], node).nodes).toBe(3);
  });

  test("GPUs: one 1-GPU pod per 1-GPU node; a pod that fits no empty node is left over", () => {
    const gpuNode = res(4000, 16000, 1, 20);
    expect(packPods([{ key: "g", pod: res(1000, 1000, 1), count: 3 }], gpuNode)).toEqual({ nodes: 3, unplaced: 0 });
    expect(packPods([{ key: "g2", pod: res(1000, 1000, 2), count: 3 }], gpuNode)).toEqual({ nodes: 0, unplaced: 3 });
  });

  test("stops opening nodes at the limit; nodesNeeded then says one more", () => {
    const p = packPods([{ key: "a", pod: res(600, 100), count: 5 }], node, 3);
    expect(p).toEqual({ nodes: 3, unplaced: 2 });
    expect(nodesNeeded(p)).toBe(4);
  });
});

/** The plain first-fit-decreasing loop, one pod at a time: the reference packPods must agree with. */
function naivePack(groups: { key: string; pod: Resources; count: number }[], node: Resources): number {
  const order = [...groups].sort((a, b) => dominantShare(b.pod, node) - dominantShare(a.pod, node) || (a.key < b.key ? -1 : 1));
  const free: Resources[] = [];
  for (const g of order)
    for (let i = 0; i < g.count; i++) {
      if (howManyFit(g.pod, node) === 0) continue;
      let slot = free.find((f) => howManyFit(g.pod, f) >= 1);
      if (!slot) free.push((slot = { ...node }));
      slot.cpuMilli -= g.pod.cpuMilli;
      slot.memoryBytes -= g.pod.memoryBytes;
      slot.gpus -= g.pod.gpus;
      slot.pods -= g.pod.pods;
      slot.volumes -= g.pod.volumes;
    }
  return free.length;
}

describe("packPods properties", () => {
  const group = fc.record({
    key: fc.string({ minLength: 1, maxLength: 3 }),
    pod: fc.record({
      cpuMilli: fc.integer({ min: 100, max: 3000 }),
      memoryBytes: fc.integer({ min: 128, max: 9000 }).map((m) => m * MI),
      gpus: fc.integer({ min: 0, max: 2 }),
      pods: fc.constant(1),
      volumes: fc.integer({ min: 0, max: 1 }),
    }),
    count: fc.integer({ min: 0, max: 12 }),
  });
  const node = res(3500, 15000, 2, 20, 3);

  test("agrees with one-pod-at-a-time first fit, and never beats the per-resource lower bound", () => {
    fc.assert(
      fc.property(fc.uniqueArray(group, { selector: (g) => g.key, maxLength: 8 }), (groups) => {
        const packed = packPods(groups, node);
        expect(packed.nodes).toBe(naivePack(groups, node));
        const placeable = groups.filter((g) => howManyFit(g.pod, node) >= 1);
        for (const pick of [(r: Resources) => r.cpuMilli, (r: Resources) => r.memoryBytes, (r: Resources) => r.pods]) {
          const total = placeable.reduce((n, g) => n + pick(g.pod) * g.count, 0);
          expect(packed.nodes).toBeGreaterThanOrEqual(Math.ceil(total / pick(node)));
        }
      }),
      { numRuns: 300 },
    );
  });
});

describe("capacityReport", () => {
  const m5 = nodeResources(lookupInstanceType("m5.large")!);

  test("per pool: requests at min and max replicas against allocatable at maxSize, with nodes needed", () => {
    const { plan } = compileFiles();
    const { data } = capacityReport(plan!);
    expect(data.map((r) => `${r.cluster}/${r.pool}`)).toEqual(["prod/general", "prod/gpu-inference"]);
    const general = data[0]!;
    // fraud: two versions, minReplicas 2 and maxReplicas 4 each; 500m/1Gi plus the sidecar per pod.
    expect(general.atMin.requests).toEqual(res(4 * 600, 4 * 1152, 0, 4));
    expect(general.atMax.requests).toEqual(res(8 * 600, 8 * 1152, 0, 8));
    expect(general.node).toEqual(m5);
    expect(general.allocatable).toEqual({
      cpuMilli: m5.cpuMilli * 10,
      memoryBytes: m5.memoryBytes * 10,
      gpus: 0,
      pods: m5.pods * 10,
      volumes: m5.volumes * 10,
    });
    expect(general.atMin).toMatchObject({ nodesNeeded: 2, fits: true });
    expect(general.atMax).toMatchObject({ nodesNeeded: 4, fits: true });
    expect(general.models).toMatchObject([
      { kind: "serving", tenant: "team-a", model: "fraud", versions: 2, pod: res(600, 1152), minPods: 4, maxPods: 8, fitsNode: true },
    ]);
    // The derived rollout values (docs/rollouts.md): 60s timeout; general grows from 2 to 10 nodes.
    expect(general.models[0]!.rollout).toEqual({
      timeoutSeconds: 60,
      preStopSeconds: 65,
      drainSeconds: 70,
      terminationGracePeriodSeconds: 75,
      progressDeadlineSeconds: 1020,
      deadline: { nodeSeconds: 190, imageSeconds: 120, startupSeconds: 600, readySeconds: 5 },
      zoneSpread: "preferred",
      zones: 0,
      signals: ["cpu 70%"],
    });
    expect(data[1]!.atMax).toEqual({ requests: res(0, 0, 0, 0), nodesNeeded: 0, fits: true });
  });

  test("the text table names each cluster and pool with min / max of capacity and a status", () => {
    const files = { "models/team-a/fraud.yaml": edit(MODEL, "maxReplicas: 4", "maxReplicas: 20") };
    const { text } = capacityReport(compileFiles(files).plan!);
    const lines = text.split("\n");
    expect(lines[0]).toMatch(/^capacity: pod requests at min \/ max replicas against each pool at maxSize/);
    expect(lines[1]).toBe("prod:");
    expect(lines[2]).toMatch(/^ {2}pool +instance +nodes +cpu cores +memory GiB +gpus +pods +nodes needed +status$/);
    expect(lines[3]).toMatch(
      /^ {2}general +m5\.large +2\.\.10 +2\.4 \/ 24 of 16\.05 +4\.5 \/ 45 of 69\.2 +0 \/ 0 of 0 +4 \/ 40 of 230 +2 \/ 20 +overflows at max$/,
    );
    expect(lines[4]).toMatch(/^ {2}gpu-inference +g4dn\.xlarge +0\.\.5 +0 \/ 0 of 17\.48 .* ok$/);
  });

  test("an unknown instance type shows as such, without numbers it cannot know", () => {
    const { text, data } = capacityReport(
      compileFiles({ "platform/clusters/prod.yaml": edit(baseFiles()["platform/clusters/prod.yaml"] as string, "m5.large", "m5.giant") }).plan!,
    );
    expect(data[0]).toMatchObject({ node: null, allocatable: null, atMin: { nodesNeeded: null } });
    expect(text).toMatch(/general +m5\.giant .* of \? .* unknown instance type/);
  });

  test("`check --format json` returns the rows as data; text format prints the table", () => {
    const dir = tempRepo(baseFiles());
    const out: string[] = [];
    const io: Io = { cwd: dir, env: {}, stdout: { write: (s: string) => out.push(s) }, stderr: { write: () => true } };
    expect(runRender({ root: dir, format: "text", schemas: SCHEMAS }, io)).toBe(0);
    out.length = 0;
    expect(runCheck({ root: dir, format: "json", schemas: SCHEMAS }, io)).toBe(0);
    const json = JSON.parse(out.join(""));
    expect(json.capacity.map((r: { pool: string }) => r.pool)).toEqual(["general", "gpu-inference"]);
    expect(json.capacity[0].atMin.nodesNeeded).toBe(2);
    out.length = 0;
    expect(runCheck({ root: dir, format: "text", schemas: SCHEMAS }, io)).toBe(0);
    expect(out.join("")).toMatch(/capacity: .*\nprod:\n {2}pool/);
  });
});
