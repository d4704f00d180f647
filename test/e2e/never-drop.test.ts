// Issue 22 as a user met it, on a rendered copy of the example repository: `memory: 4096m` gave a
// warning and render removed the model's, the tenant's or all 147 files with exit 0; two models
// rendered one Deployment. Now each is an error, and the tree is left exactly as it was.
import { execFileSync } from "node:child_process";
import { readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { main } from "../../compiler/cli.js";
import { REPO_ROOT, SCHEMAS_DIR, tempRepo } from "../helpers/fixture.js";
import { snapshotTree } from "../helpers/tree.js";

async function render(root: string): Promise<{ code: number; stderr: string }> {
  let stderr = "";
  const code = await main(["render", "--root", root, "--schemas", SCHEMAS_DIR], {
    cwd: root,
    env: {},
    stdout: { write: () => true },
    stderr: { write: (s: string) => (stderr += s) },
  });
  return { code, stderr };
}

function replaceIn(root: string, file: string, from: string, to: string): void {
  const text = readFileSync(join(root, file), "utf8");
  if (!text.includes(from)) throw new Error(`${file} has no ${from}`);
  writeFileSync(join(root, file), text.replace(from, to));
}

let repo: string;
beforeEach(async () => {
  repo = tempRepo({});
  execFileSync("cp", ["-r", join(REPO_ROOT, "platform"), join(REPO_ROOT, "tenants"), join(REPO_ROOT, "models"), repo]);
  expect((await render(repo)).code).toBe(0);
});
afterEach(() => rmSync(repo, { recursive: true, force: true }));

test.each([
  ["a model's limits", "models/data-science-team/recommendation-engine.yaml", 'limits: {cpu: "2", memory: 4Gi}', 'limits: {cpu: "2", memory: 4096m}'],
  ["a tenant's quota", "tenants/marketing.yaml", "memory: 96Gi", "memory: 98304m"],
  ["the platform's defaults", "platform/platform.yaml", 'limits: {cpu: "2", memory: 4Gi}', 'limits: {cpu: "2", memory: 4096m}'],
])("memory: 4096m in %s fails the render and leaves every file in place", async (_where, file, from, to) => {
  replaceIn(repo, file, from, to);
  const before = snapshotTree(repo);
  const { code, stderr } = await render(repo);
  expect(stderr).toContain(`${file}:`);
  expect(stderr).toMatch(/warning BERTH0209/);
  expect(stderr).toMatch(/ error BERTH0/);
  expect(code).toBe(1);
  expect(snapshotTree(repo)).toEqual(before);
});

test("two models that render one Deployment fail the render, naming both spec files", async () => {
  const spec = (name: string, version: string) =>
    `apiVersion: berth.dev/v1alpha1\nkind: Model\nmetadata:\n  name: ${name}\nspec:\n  framework: sklearn\n  versions:\n    - {name: ${version}, artifact: "s3://ml-models/${name}/1/"}\n  access: [marketing-analysts]\n`;
  writeFileSync(join(repo, "models/marketing/foo.yaml"), spec("foo", "bar-baz"));
  writeFileSync(join(repo, "models/marketing/foo-bar.yaml"), spec("foo-bar", "baz"));
  const before = snapshotTree(repo);
  const { code, stderr } = await render(repo);
  expect(stderr).toMatch(
    /models\/marketing\/foo\.yaml:8:\d+: error BERTH0404: .*Deployment.* marketing\/foo-bar-baz .*also rendered from models\/marketing\/foo-bar\.yaml/,
  );
  expect(stderr).toMatch(/models\/marketing\/foo-bar\.yaml:8:\d+: error BERTH0404: .*also rendered from models\/marketing\/foo\.yaml/);
  expect(code).toBe(1);
  expect(snapshotTree(repo)).toEqual(before);
});
