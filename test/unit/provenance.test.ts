// A model's provenance (where each effective value was set) is the same on every cluster that
// does not override the model, so it is made once per model and shared by those clusters (it was
// ~6 KB per model and cluster, most of a plan's memory). A cluster with an override gets its own,
// and which cluster is planned first changes nothing.
import { Compilation } from "../../compiler/compile.js";
import { effectiveModel } from "../../compiler/plan/overrides.js";
import type { Plan } from "../../compiler/plan/types.js";
import { baseFiles, memoryTree } from "../helpers/fixture.js";

type World = Plan["world"];

function world(): World {
  const plan = new Compilation({ tree: memoryTree(baseFiles()), asOf: false }).plan;
  if (!plan) throw new Error("the fixture does not plan");
  return plan.world;
}

/** The fixture's model with an override of maxReplicas on cluster `a`. */
function overriddenOnA(w: World): World["models"][number] {
  const [m] = w.models;
  return { ...m!, spec: { ...m!.spec, overrides: { a: { autoscaling: { maxReplicas: 9 } } } } };
}

test("clusters without an override share one provenance, pointing into the model's spec", () => {
  const w = world();
  const [m] = w.models;
  const onA = effectiveModel(m!, "a", w.platform);
  const onB = effectiveModel(m!, "b", w.platform);
  expect(onB.prov).toBe(onA.prov);
  expect(onB.prov.of("autoscaling", "maxReplicas")).toEqual({ file: m!.file, path: ["spec", "autoscaling", "maxReplicas"] });
  expect(onB.prov.of("versions", 1, "traffic")).toEqual({ file: m!.file, path: ["spec", "versions", 1, "traffic"] });
  expect(onB.model).toEqual(onA.model);
});

test.each([
  ["the overriding cluster first", ["a", "b"]],
  ["the overriding cluster last", ["b", "a"]],
])("an overriding cluster has its own provenance (%s)", (_, order) => {
  const w = world();
  const m = overriddenOnA(w);
  const byCluster = Object.fromEntries(order.map((c) => [c, effectiveModel(m, c, w.platform)]));
  expect(byCluster.a!.prov).not.toBe(byCluster.b!.prov);
  expect(byCluster.a!.model.autoscaling.maxReplicas).toBe(9);
  expect(byCluster.a!.prov.of("autoscaling", "maxReplicas")).toEqual({ file: m.file, path: ["spec", "overrides", "a", "autoscaling", "maxReplicas"] });
  expect(byCluster.b!.model.autoscaling.maxReplicas).toBe(4);
  expect(byCluster.b!.prov.of("autoscaling", "maxReplicas")).toEqual({ file: m.file, path: ["spec", "autoscaling", "maxReplicas"] });
  // A third cluster without an override takes the shared one.
  expect(effectiveModel(m, "c", w.platform).prov).toBe(byCluster.b!.prov);
});

test("another platform's defaults make another provenance", () => {
  const w = world();
  const [m] = w.models;
  const first = effectiveModel(m!, "a", w.platform);
  const other = { ...w.platform, file: "platform/other.yaml" };
  const second = effectiveModel(m!, "a", other);
  expect(second.prov).not.toBe(first.prov);
});
