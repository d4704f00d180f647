// Finding 5 of issue 22: model `foo` version `bar-baz` and model `foo-bar` version `baz` both
// rendered Deployment `foo-bar-baz`. One object has one source: a collision names both specs.
import { Diagnostics } from "../../compiler/diagnostics.js";
import type { KubeObject, Rendered } from "../../compiler/emit/types.js";
import { verifyOneSourcePerObject } from "../../compiler/verify/collisions.js";
import { compileFiles, edit, MODEL } from "../helpers/fixture.js";

/** The fixture's model renamed, its first version renamed, its routing dropped. */
function model(name: string, version: string): string {
  return edit(
    edit(edit(MODEL, "name: fraud", `name: ${name}`), "name: v1.0.0", `name: ${version}`),
    "  routing:\n    - {group: team-a, version: v1.1.0}\n",
    "",
  );
}

test("model foo version bar-baz and model foo-bar version baz: an error at each version, naming the other spec", () => {
  const result = compileFiles({
    "models/team-a/fraud.yaml": null,
    "models/team-a/foo.yaml": model("foo", "bar-baz"),
    "models/team-a/foo-bar.yaml": model("foo-bar", "baz"),
  });
  const collisions = result.diagnostics.filter((d) => d.code === "BERTH0404");
  expect(collisions.map((d) => ({ file: d.file, line: d.line, column: d.column, severity: d.severity }))).toEqual([
    { file: "models/team-a/foo-bar.yaml", line: 8, column: 14, severity: "error" },
    { file: "models/team-a/foo.yaml", line: 8, column: 14, severity: "error" },
  ]);
  expect(collisions[0]!.message).toBe(
    "Deployment, HorizontalPodAutoscaler and PodDisruptionBudget team-a/foo-bar-baz on cluster prod are also rendered from models/team-a/foo.yaml; one object must have one source",
  );
  expect(collisions[1]!.message).toMatch(/also rendered from models\/team-a\/foo-bar\.yaml/);
  expect(collisions[0]!.hint).toMatch(/<model>-<version>/);
  expect(result.diagnostics.filter((d) => d.severity === "error")).toHaveLength(2);
  expect(result.files).toEqual([]);
});

test("names that differ do not collide", () => {
  const result = compileFiles({
    "models/team-a/fraud.yaml": null,
    "models/team-a/foo.yaml": model("foo", "bar-baz"),
    "models/team-a/foo-bar.yaml": model("foo-bar", "qux"),
  });
  expect(result.diagnostics).toEqual([]);
  expect(result.ok).toBe(true);
});

function rendered(path: string, object: Partial<KubeObject> & { metadata: KubeObject["metadata"] }, file: string, cluster = "prod"): Rendered {
  return { path, object: { apiVersion: "v1", kind: "ConfigMap", ...object }, sources: [file], origin: { file, path: ["spec", "x"] }, owner: { cluster } };
}

function collide(objects: Rendered[], diags = new Diagnostics()): string[] {
  verifyOneSourcePerObject(objects, diags);
  return diags.items.filter((d) => d.code === "BERTH0404").map((d) => `${d.at.file} ${d.at.path.join(".")}: ${d.message}`);
}

test("any kind is compared by group, kind, namespace and name, per cluster, and points at metadata.name without a version", () => {
  const a = rendered("clusters/prod/a/configmap-x.yaml", { metadata: { name: "x", namespace: "n" } }, "tenants/a.yaml");
  const b = rendered("clusters/prod/b/configmap-x.yaml", { metadata: { name: "x", namespace: "n" } }, "tenants/b.yaml");
  expect(collide([a, b])).toEqual([
    "tenants/a.yaml metadata.name: ConfigMap n/x on cluster prod is also rendered from tenants/b.yaml; one object must have one source",
    "tenants/b.yaml metadata.name: ConfigMap n/x on cluster prod is also rendered from tenants/a.yaml; one object must have one source",
  ]);
  expect(collide([a, { ...b, object: { ...b.object, metadata: { name: "x", namespace: "m" } } }])).toEqual([]);
  expect(collide([a, { ...b, object: { ...b.object, apiVersion: "example.com/v1" } }])).toEqual([]);
  expect(collide([a, { ...b, owner: { cluster: "staging" } }])).toEqual([]);
});

test("two different objects written to one file collide too", () => {
  const a = rendered("clusters/prod/x.yaml", { metadata: { name: "x" } }, "tenants/a.yaml");
  const b = rendered("clusters/prod/x.yaml", { metadata: { name: "y" } }, "tenants/b.yaml");
  expect(collide([a, b])).toEqual([
    "tenants/a.yaml metadata.name: ConfigMap y (file clusters/prod/x.yaml) on cluster prod is also rendered from tenants/b.yaml; one object must have one source",
    "tenants/b.yaml metadata.name: ConfigMap y (file clusters/prod/x.yaml) on cluster prod is also rendered from tenants/a.yaml; one object must have one source",
  ]);
});

test("a spec that already has an error is not reported again: its objects are never written", () => {
  const a = rendered("clusters/prod/a/configmap-x.yaml", { metadata: { name: "x" } }, "tenants/a.yaml");
  const b = rendered("clusters/prod/b/configmap-x.yaml", { metadata: { name: "x" } }, "tenants/b.yaml");
  const diags = new Diagnostics();
  diags.report("BERTH0306", { file: "tenants/b.yaml", path: ["spec", "namespace"] }, "namespace used twice");
  expect(collide([a, b], diags)).toEqual([]);
});
