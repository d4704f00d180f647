// One root cause, one diagnostic: a rule that would fire only because another already failed
// stays quiet. Each case names every diagnostic the fixture prints (warnings included).
import { compileFiles, edit, MODEL, TENANT, type Files } from "../helpers/fixture.js";

const M = "models/team-a/fraud.yaml";
/** Two pods at most per version, so the tenant's quota (gpu 4) holds and only the pool is in question. */
const SMALL = edit(MODEL, "autoscaling: {minReplicas: 2, maxReplicas: 4}", "autoscaling: {minReplicas: 1, maxReplicas: 2}");

function printed(files: Files): string[] {
  return compileFiles(files).diagnostics.map((d) => `${d.file}:${d.line}:${d.column}: ${d.severity} ${d.code}: ${d.message}`);
}

test("a GPU asked of a CPU pool is reported at the pool, not again as a pod that fits no node", () => {
  const model = edit(
    SMALL,
    'resources: {requests: {cpu: 500m, memory: 1Gi}, limits: {cpu: "1", memory: 2Gi}}',
    'resources: {requests: {cpu: 500m, memory: 16Gi}, limits: {cpu: "1", memory: 16Gi}, gpu: 1}\n  pool: general',
  );
  expect(printed({ [M]: model })).toEqual([
    "models/team-a/fraud.yaml:11:9: error BERTH0606: the model asks for 1 GPU but pool general on cluster prod has none (m5.large)",
  ]);
});

test("the same pod on its GPU pool is measured against that pool's nodes (the rule still works)", () => {
  const model = edit(
    SMALL,
    'resources: {requests: {cpu: 500m, memory: 1Gi}, limits: {cpu: "1", memory: 2Gi}}',
    'resources: {requests: {cpu: 500m, memory: 16Gi}, limits: {cpu: "1", memory: 16Gi}, gpu: 1}\n  pool: gpu-inference',
  );
  expect(printed({ [M]: model }).map((l) => l.split(": ")[1])).toEqual(["error BERTH0608"]);
});

test("a Model file under tenants/ is one error: the kind, not every field a Tenant lacks", () => {
  expect(printed({ "tenants/fraud.yaml": MODEL })).toEqual([
    "tenants/fraud.yaml:2:7: error BERTH0206: kind Model does not belong in tenants/; files here hold kind Tenant",
  ]);
});

test("an unknown kind is still checked against the folder's kind (a typo in kind: is not the only problem)", () => {
  const lines = printed({ "tenants/team-a.yaml": edit(edit(TENANT, "kind: Tenant", "kind: Tennant"), "priority: 5", "priority: high") });
  expect(lines.map((l) => l.split(": ")[1])).toEqual(["error BERTH0206", "error BERTH0202"]);
});

test("a misspelt required field is one error with a did-you-mean, not also `required`", () => {
  const result = compileFiles({ "tenants/team-a.yaml": edit(TENANT, "  quota:", "  quotas:") });
  expect(result.diagnostics.map((d) => [d.code, d.message, d.hint])).toEqual([["BERTH0201", "unknown field spec.quotas", "did you mean `quota`?"]]);
  // Without a near miss, the missing field is still named.
  expect(printed({ "tenants/team-a.yaml": edit(TENANT, "  quota:", "  limits:") }).map((l) => l.split(": ")[1])).toEqual([
    "error BERTH0200",
    "error BERTH0201",
  ]);
});

test("a framework without a runtime is one error naming every version without an image", () => {
  expect(printed({ [M]: edit(MODEL, "framework: sklearn", "framework: onnx") })).toEqual([
    'models/team-a/fraud.yaml:6:14: error BERTH0218: framework "onnx" has no runtime in the platform and versions v1.0.0, v1.1.0 give no image',
  ]);
});
