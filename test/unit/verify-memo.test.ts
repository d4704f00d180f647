// `diff` shares per-object validation findings between its two compiles (verify/memo.ts): the
// report must be the one the two compiles give without sharing, and a finding taken from the
// memo must point at the object that has it, not at the one first validated.
import { fileURLToPath } from "node:url";
import { compile, CompileMemo, type CompileResult } from "../../compiler/compile.js";
import { Diagnostics } from "../../compiler/diagnostics.js";
import { diffRenders } from "../../compiler/diff/match.js";
import type { KubeObject, Rendered } from "../../compiler/emit/types.js";
import { diskTree, type SpecTree } from "../../compiler/load/load.js";
import { VerifyMemo, sameContent } from "../../compiler/verify/memo.js";
import { verifyWithModels } from "../../compiler/verify/models.js";
import { StrictValidator } from "../../compiler/verify/strict.js";
import { renderedBefore } from "../../compiler/write/previous.js";
import { verifyAdmission } from "../../compiler/verify/admission/index.js";
import { breakObject } from "../helpers/admission.js";
import { compileFiles } from "../helpers/fixture.js";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const strict = new StrictValidator(fileURLToPath(new URL("../../../shared/schemas", import.meta.url)));
const FRAUD = "models/data-science-team/fraud-detection.yaml";

/** The example repository with one model's file changed in memory. */
function edited(change: (text: string) => string): SpecTree {
  const disk = diskTree(ROOT);
  return {
    list: (dir) => disk.list(dir),
    read: (path) => {
      const b = disk.read(path);
      return path === FRAUD && Buffer.isBuffer(b) ? Buffer.from(change(b.toString("utf8"))) : b;
    },
    get problems() {
      return disk.problems;
    },
  };
}

function both(after: SpecTree, memo?: CompileMemo): { before: CompileResult; after: CompileResult } {
  const before = compile({ tree: diskTree(ROOT), strict, serialize: false, asOf: "2026-01-01", memo });
  return { before, after: compile({ tree: after, strict, serialize: false, asOf: "2026-01-01", memo, previous: renderedBefore(before.objects) }) };
}

test("a one-model change: the same changes and diagnostics with the memo as without it", () => {
  const tree = edited((t) => t.replace(/cpu: "?(\d+)m?"?/, (m) => `${m.split(":")[0]}: 1234m`));
  const plain = both(tree);
  const memo = new CompileMemo();
  const shared = both(tree, memo);
  const changes = diffRenders(plain.before.objects, plain.after.objects);
  expect(changes.length).toBeGreaterThan(0);
  expect(diffRenders(shared.before.objects, shared.after.objects)).toEqual(changes);
  // The pairs the memo found equal settle the diff without a second walk, and change nothing in it.
  let settled = 0;
  const knownEqual = (a: KubeObject, b: KubeObject) => memo.verify.knownEqual(a, b) && ++settled > 0;
  expect(diffRenders(shared.before.objects, shared.after.objects, knownEqual)).toEqual(changes);
  expect(settled).toBeGreaterThan(shared.after.objects.length / 2);
  expect(
    shared.after.objects.filter(
      (r, i) => memo.verify.knownEqual(shared.before.objects[i]!.object, r.object) && !sameContent(shared.before.objects[i]!.object, r.object),
    ),
  ).toEqual([]);
  expect(shared.before.diagnostics).toEqual(plain.before.diagnostics);
  expect(shared.after.diagnostics).toEqual(plain.after.diagnostics);
});

const deployment = (extra: Record<string, unknown>): KubeObject => ({
  apiVersion: "apps/v1",
  kind: "Deployment",
  metadata: { name: "m", namespace: "t" },
  spec: {
    selector: { matchLabels: { app: "m" } },
    template: { metadata: { labels: { app: "m" } }, spec: { containers: [{ name: "c", image: "i:1" }] } },
    ...extra,
  },
});
const at = (file: string, path: string, object: KubeObject): Rendered => ({
  path,
  object,
  sources: [file],
  origin: { file, path: ["spec"] },
  owner: { cluster: "prod" },
});

test("a memoized invalid object reports at its own origin and path, in either validator", () => {
  const memo = new VerifyMemo();
  const first = at("models/a/one.yaml", "clusters/prod/x.yaml", deployment({ replicas: "three", bogus: 1 }));
  // The other revision's object at the same path, equal in content: its finding comes from the memo.
  const second = at("REF:models/a/one.yaml", "clusters/prod/x.yaml", deployment({ replicas: "three", bogus: 1 }));
  const found = (r: Rendered) => {
    const diags = new Diagnostics();
    verifyWithModels([r], diags, memo);
    strict.verify([r], diags, memo);
    return diags.items.map((d) => `${d.code} ${d.at.file} ${d.message}`);
  };
  const one = found(first);
  expect(one).toEqual(
    expect.arrayContaining([
      expect.stringMatching(/^BERTH0402 models\/a\/one\.yaml Deployment m \(clusters\/prod\/x\.yaml\): .*replicas/),
      expect.stringMatching(/^BERTH0403 models\/a\/one\.yaml .*unknown field bogus/),
    ]),
  );
  expect(found(second)).toEqual(one.map((line) => line.replace("models/a/one.yaml", "REF:models/a/one.yaml")));
  // A change in content is validated anew: the memo is not keyed by path.
  expect(found(at("models/a/one.yaml", "clusters/prod/x.yaml", deployment({ replicas: 3 })))).toEqual([]);
});

test("content is compared exactly: key order, undefined values and types count", () => {
  expect(sameContent({ a: 1, b: [1, { c: "x" }] }, { a: 1, b: [1, { c: "x" }] })).toBe(true);
  expect(sameContent({ a: 1, b: 2 }, { b: 2, a: 1 })).toBe(false);
  expect(sameContent({ a: 1, b: undefined }, { a: 1 })).toBe(false);
  expect(sameContent({ a: "1" }, { a: 1 })).toBe(false);
  expect(sameContent([1, 2], { 0: 1, 1: 2 })).toBe(false);
  expect(sameContent({ a: null }, { a: {} })).toBe(false);
});

test("admission: an object equal to one the memo saw refused is checked again, and reported at its own origin", () => {
  const base = compileFiles();
  const path = "clusters/prod/tenants/team-a/fraud/service-fraud.yaml";
  const broken = (file: string) =>
    breakObject(base.objects, path, (o) => (o.metadata.name = "9lives")).map((r) => (r.path === path ? { ...r, origin: { ...r.origin, file } } : r));
  const memo = new VerifyMemo();
  const run = (objects: Rendered[]) => {
    const diags = new Diagnostics();
    verifyAdmission(base.plan!, objects, diags, { asOf: false, memo });
    return diags.items.filter((d) => d.code === "BERTH1010").map((d) => d.at.file);
  };
  expect(run(broken("REF:models/team-a/fraud.yaml"))).toEqual(["REF:models/team-a/fraud.yaml"]);
  expect(run(broken("models/team-a/fraud.yaml"))).toEqual(["models/team-a/fraud.yaml"]);
  // And without the memo, the same.
  const plain = new Diagnostics();
  verifyAdmission(base.plan!, broken("x.yaml"), plain, { asOf: false });
  expect(plain.items.filter((d) => d.code === "BERTH1010").map((d) => d.at.file)).toEqual(["x.yaml"]);
});
