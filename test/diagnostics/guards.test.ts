// Codes that guard against berth's own bugs or the environment: triggered directly.
import { compile } from "../../compiler/compile.js";
import { Diagnostics } from "../../compiler/diagnostics.js";
import type { Rendered } from "../../compiler/emit/types.js";
import { verifyWithModels } from "../../compiler/verify/models.js";
import { baseFiles, memoryTree, sharedStrict, strictTest } from "../helpers/fixture.js";

function deployment(spec: Record<string, unknown>): Rendered {
  return {
    path: "clusters/prod/tenants/team-a/fraud/deployment-fraud-v1.yaml",
    object: { apiVersion: "apps/v1", kind: "Deployment", metadata: { name: "fraud-v1", namespace: "team-a" }, spec },
    sources: ["models/team-a/fraud.yaml"],
    origin: { file: "models/team-a/fraud.yaml", path: ["spec", "versions", 0] },
    owner: { cluster: "prod", tenant: "team-a", model: "fraud" },
  };
}

const podSpec = { containers: [{ name: "model", image: "x:1" }] };

test("BERTH0001: a file that cannot be read", () => {
  const tree = memoryTree(baseFiles());
  const result = compile({
    tree: { list: tree.list, read: (p) => (p.startsWith("tenants/") ? { code: "BERTH0001", detail: "cannot read file: EACCES" } : tree.read(p)) },
  });
  expect(result.diagnostics).toEqual([
    expect.objectContaining({ code: "BERTH0001", file: "tenants/team-a.yaml", line: 1, column: 1, message: "cannot read file: EACCES" }),
  ]);
});

test("BERTH0402: an object the kubernetes-models validator rejects points at its spec", () => {
  const diags = new Diagnostics();
  verifyWithModels(
    [deployment({ selector: {}, template: { spec: { containers: [{ name: "model", image: "x:1", resources: { requests: { cpu: "2 cores" } } }] } } })],
    diags,
  );
  expect(diags.items).toEqual([
    expect.objectContaining({
      code: "BERTH0402",
      at: { file: "models/team-a/fraud.yaml", path: ["spec", "versions", 0] },
      message: expect.stringMatching(/Deployment fraud-v1 .*cpu must match format "quantity"/),
    }),
  ]);
});

strictTest("BERTH0403: an unknown field fails the strict schema", () => {
  const diags = new Diagnostics();
  sharedStrict()!.verify([deployment({ replica: 2, selector: {}, template: { spec: podSpec } })], diags);
  expect(diags.items).toEqual([expect.objectContaining({ code: "BERTH0403", message: expect.stringMatching(/\/spec: unknown field replica/) })]);
});

strictTest("the strict schema accepts a minimal valid object", () => {
  const diags = new Diagnostics();
  sharedStrict()!.verify([deployment({ selector: {}, template: { spec: podSpec } })], diags);
  expect(diags.items).toEqual([]);
});
