// The pull-request comment's view of what changed: traffic shifts as mermaid charts, capacity
// before and after for pools whose headroom changes, both from the two plans of the diff.
import { diffCharts, chartsMarkdown } from "../../compiler/diff/charts.js";
import { diffRenders } from "../../compiler/diff/match.js";
import { formatMarkdown } from "../../compiler/report/diff.js";
import { assessRisks } from "../../compiler/diff/risks.js";
import { capacityReport } from "../../compiler/verify/capacity.js";
import { compileFiles, edit, MODEL } from "../helpers/fixture.js";

const cell = (s: string) => s;
const before = compileFiles();

test("a traffic shift is a mermaid xychart of each version's weight before and after", () => {
  const after = compileFiles({ "models/team-a/fraud.yaml": edit(edit(MODEL, "traffic: 90", "traffic: 40"), "traffic: 10", "traffic: 60") });
  const charts = diffCharts(before.plan, after.plan);
  expect(charts.traffic).toEqual([
    {
      cluster: "prod",
      tenant: "team-a",
      model: "fraud",
      versions: [
        { name: "v1.0.0", before: 90, after: 40 },
        { name: "v1.1.0", before: 10, after: 60 },
      ],
    },
  ]);
  // Weights alone move no pod: no pool's headroom changes.
  expect(charts.capacity).toEqual([]);
  const md = chartsMarkdown(charts, cell).join("\n");
  expect(md).toContain("| prod | fraud | v1.0.0 90% → 40%, v1.1.0 10% → 60% |");
  expect(md).toContain(
    [
      "```mermaid",
      "xychart-beta",
      '    title "fraud on prod: traffic %"',
      '    x-axis ["v1.0.0 before", "v1.0.0 after", "v1.1.0 before", "v1.1.0 after"]',
      '    y-axis "traffic %" 0 --> 100',
      "    bar [90, 40, 10, 60]",
      "```",
    ].join("\n"),
  );
});

test("a new version counts as 0% before; a removed one as 0% after", () => {
  const three = edit(
    MODEL,
    '    - {name: v1.1.0, artifact: "s3://models/fraud/1.1.0/", traffic: 10}',
    '    - {name: v1.1.0, artifact: "s3://models/fraud/1.1.0/", traffic: 5}\n    - {name: v1.2.0, artifact: "s3://models/fraud/1.2.0/", traffic: 5}',
  );
  const after = compileFiles({ "models/team-a/fraud.yaml": three });
  const shift = diffCharts(before.plan, after.plan).traffic[0]!;
  expect(shift.versions).toEqual([
    { name: "v1.0.0", before: 90, after: 90 },
    { name: "v1.1.0", before: 10, after: 5 },
    { name: "v1.2.0", before: undefined, after: 5 },
  ]);
  const md = chartsMarkdown({ traffic: [shift], capacity: [] }, cell).join("\n");
  expect(md).toContain("v1.2.0 — → 5%");
  expect(md).toContain("bar [90, 90, 10, 5, 0, 5]");
});

test("capacity before and after, only for the pools and resources whose headroom changes", () => {
  const after = compileFiles({
    "models/team-a/fraud.yaml": edit(MODEL, "autoscaling: {minReplicas: 2, maxReplicas: 4}", "autoscaling: {minReplicas: 3, maxReplicas: 8}"),
  });
  const charts = diffCharts(before.plan, after.plan);
  expect(charts.traffic).toEqual([]);
  const general = (plan: typeof before.plan) => capacityReport(plan!).data.find((r) => r.pool === "general")!;
  const [b, a] = [general(before.plan), general(after.plan)];
  const pods = charts.capacity.find((h) => h.dimension === "pods")!;
  expect(pods).toEqual({
    cluster: "prod",
    pool: "general",
    dimension: "pods",
    before: { atMin: b.atMin.requests.pods, atMax: b.atMax.requests.pods, limit: b.allocatable!.pods },
    after: { atMin: a.atMin.requests.pods, atMax: a.atMax.requests.pods, limit: a.allocatable!.pods },
  });
  expect([pods.before!.atMin, pods.before!.atMax, pods.after!.atMin, pods.after!.atMax]).toEqual([4, 8, 6, 16]);
  // The GPU pool runs nothing on either side: it is left out.
  expect(charts.capacity.map((h) => `${h.pool}/${h.dimension}`)).toEqual(["general/cpu", "general/memory", "general/pods"]);
  const md = chartsMarkdown(charts, cell).join("\n");
  expect(md).toMatch(/\| prod \| general \| pods \| 4 → 6 \| 8 → 16 \| 230 \| ░{10} 3% → ▓░{9} 7% \|/);
});

test("the markdown comment carries both, and nothing when neither changed", () => {
  const after = compileFiles({
    "models/team-a/fraud.yaml": edit(edit(MODEL, "traffic: 90", "traffic: 50"), "traffic: 10", "traffic: 50").replace("maxReplicas: 4", "maxReplicas: 6"),
  });
  const changes = diffRenders(before.objects, after.objects);
  const md = formatMarkdown({
    base: { ref: "main", commit: "abc" },
    changes,
    risks: assessRisks(changes, before.plan, after.plan),
    charts: diffCharts(before.plan, after.plan),
  });
  expect(md.indexOf("### 🔀 Traffic shifts: 1")).toBeGreaterThan(md.indexOf("### ⚠️ Risks"));
  expect(md.indexOf("### 📈 Capacity where headroom changes")).toBeLessThan(md.indexOf("### Changes"));
  expect(md).toContain("```mermaid\nxychart-beta");
  const same = diffCharts(before.plan, compileFiles().plan);
  expect(same).toEqual({ traffic: [], capacity: [] });
  expect(chartsMarkdown(same, cell)).toEqual([]);
});

test("a name can never end the quoted mermaid string", () => {
  const md = chartsMarkdown(
    { traffic: [{ cluster: 'c"x', tenant: "t", model: "m`\ny", versions: [{ name: "v", before: 1, after: 2 }] }], capacity: [] },
    cell,
  ).join("\n");
  const title = md.split("\n").find((l) => l.includes("title"))!;
  expect(title).toBe(`    title "m''y on c'x: traffic %"`);
});

test("more than three shifts: the table stays, the charts fold, at most ten are drawn", () => {
  const shift = (i: number) => ({
    cluster: "prod",
    tenant: "t",
    model: `m${i}`,
    versions: [
      { name: "a", before: 100, after: 50 },
      { name: "b", before: 0, after: 50 },
    ],
  });
  const md = chartsMarkdown({ traffic: Array.from({ length: 12 }, (_, i) => shift(i)), capacity: [] }, cell).join("\n");
  expect(md.match(/^\| prod \| m\d+ \|/gm)).toHaveLength(12);
  expect(md).toContain("<details>\n<summary>charts: traffic % per version, before and after (first 10)</summary>");
  expect(md.match(/```mermaid/g)).toHaveLength(10);
  expect(md.match(/<details>/g)!.length).toBe(md.match(/<\/details>/g)!.length);
});
