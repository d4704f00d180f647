// End to end: bad input the control planes would refuse gets what every other rule gets — exit 1,
// every error at once, each at the spec line to change, and nothing written.
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { main } from "../../compiler/cli.js";
import { REPO_ROOT, SCHEMAS_DIR, tempRepo } from "../helpers/fixture.js";

async function berth(root: string, ...args: string[]) {
  let stdout = "";
  let stderr = "";
  const code = await main([...args, "--root", root, "--schemas", SCHEMAS_DIR], {
    cwd: REPO_ROOT,
    env: {},
    stdout: { write: (s: string) => (stdout += s) },
    stderr: { write: (s: string) => (stderr += s) },
  });
  return { code, stdout, stderr };
}

let repo: string;
beforeEach(() => {
  repo = tempRepo({});
  execFileSync("cp", ["-r", join(REPO_ROOT, "platform"), join(REPO_ROOT, "tenants"), join(REPO_ROOT, "models"), repo]);
});
afterEach(() => rmSync(repo, { recursive: true, force: true }));

function spoil(file: string, from: string, to: string): void {
  const text = readFileSync(join(repo, file), "utf8");
  if (!text.includes(from)) throw new Error(`${file} has no ${from}`);
  writeFileSync(join(repo, file), text.replace(from, to));
}

test("an expired EKS version and an unreachable autoscaling target: both errors, at their lines, nothing written", async () => {
  spoil("platform/clusters/staging-eu-west-1.yaml", 'kubernetesVersion: "1.35"', 'kubernetesVersion: "1.28"');
  const model = readFileSync(join(repo, "models/data-science-team/fraud-detection.yaml"), "utf8");
  const target = /targetCPUUtilization: \d+/.exec(model)![0];
  spoil("models/data-science-team/fraud-detection.yaml", target, "targetCPUUtilization: 400");
  const run = await berth(repo, "render", "--as-of", "2026-11-30");
  expect(run.code).toBe(1);
  const lines = run.stderr.split("\n").filter((l) => / error BERTH/.test(l));
  expect(
    lines.some((l) =>
      /^platform\/clusters\/staging-eu-west-1\.yaml:8:22: error BERTH1001: kubernetesVersion 1\.28 reached the end of EKS extended support on 2025-11-26/.test(
        l,
      ),
    ),
  ).toBe(true);
  const targetLine = model.split("\n").findIndex((l) => l.includes(target)) + 1;
  expect(
    lines.some((l) =>
      new RegExp(
        `^models/data-science-team/fraud-detection\\.yaml:${targetLine}:\\d+: error BERTH1050: .*targetCPUUtilization 400 can never trigger a scale-up`,
      ).test(l),
    ),
  ).toBe(true);
  expect(run.stderr).toMatch(/nothing written/);
  expect(existsSync(join(repo, "clusters"))).toBe(false);
});

test("the example repository renders and checks clean, and --as-of does not change its output", async () => {
  expect((await berth(repo, "render", "--as-of", "2026-11-30")).code).toBe(0);
  const check = await berth(repo, "check", "--as-of", "2027-06-01");
  expect(check.code).toBe(0);
  expect(check.stdout).toMatch(/clusters\/ is up to date/);
  expect(check.stderr).toMatch(/warning BERTH1002/);
});
