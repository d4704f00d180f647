// The model release workflow: triggers, pinned actions, least permissions, event values kept out
// of scripts; and its shell steps run for real, in order, on a copy of the example repository
// with a local git remote (npx and gh replaced by shims that run this berth and record the call).
import { execFileSync, spawnSync } from "node:child_process";
import { chmodSync, cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseDocument } from "yaml";
import { COMMENT_MARKER } from "../../compiler/report/diff.js";
import { REPO_ROOT, SCHEMAS_DIR } from "../helpers/fixture.js";

interface Step {
  name: string;
  id?: string;
  uses?: string;
  run?: string;
  if?: string;
  with?: Record<string, unknown>;
  env?: Record<string, string>;
}
interface Job {
  permissions: Record<string, string>;
  env: Record<string, string>;
  steps: Step[];
}

const text = readFileSync(join(REPO_ROOT, ".github/workflows/model-release.yml"), "utf8");
const doc = parseDocument(text);
const wf = doc.toJS() as {
  on: Record<string, { types?: string[]; inputs?: Record<string, { required: boolean }> }>;
  permissions: object;
  jobs: { release: Job };
};
const job = wf.jobs.release;
const step = (name: string) => job.steps.find((s) => s.name === name)!;

describe(".github/workflows/model-release.yml", () => {
  test("parses as YAML without errors or warnings", () => {
    expect(doc.errors).toEqual([]);
    expect(doc.warnings).toEqual([]);
  });

  test("runs on a model-registered repository_dispatch, or by hand with model, version and artifact", () => {
    expect(Object.keys(wf.on).sort()).toEqual(["repository_dispatch", "workflow_dispatch"]);
    expect(wf.on.repository_dispatch!.types).toEqual(["model-registered"]);
    const inputs = wf.on.workflow_dispatch!.inputs!;
    for (const k of ["model", "version", "artifact"]) expect(inputs[k]!.required).toBe(true);
    expect(job.env).toMatchObject({
      MODEL: "${{ github.event.client_payload.model || inputs.model }}",
      VERSION: "${{ github.event.client_payload.version || inputs.version }}",
      ARTIFACT: "${{ github.event.client_payload.artifact || inputs.artifact }}",
    });
  });

  test("every action is pinned to the full commit SHA berth.yml uses, with its version in a comment", () => {
    const pins = (t: string) =>
      t
        .split("\n")
        .filter((l) => /^\s*(-\s+)?uses:/.test(l))
        .map((l) => l.trim().replace(/^-\s+/, ""));
    const ours = pins(text);
    expect(ours.length).toBeGreaterThan(0);
    const ci = new Set(pins(readFileSync(join(REPO_ROOT, ".github/workflows/berth.yml"), "utf8")));
    for (const l of ours) {
      expect(l).toMatch(/^uses: [\w.-]+\/[\w.-]+@[0-9a-f]{40} # v\d+(\.\d+)*$/);
      expect(ci.has(l)).toBe(true);
    }
  });

  test("least permissions: nothing by default; the job writes contents (the branch) and pull requests", () => {
    expect(wf.permissions).toEqual({});
    expect(job.permissions).toEqual({ contents: "write", "pull-requests": "write" });
    for (const s of job.steps.filter((x) => x.uses?.startsWith("actions/checkout@"))) expect(s.with).toMatchObject({ "persist-credentials": false });
  });

  test("no workflow expression is pasted into a shell script", () => {
    for (const s of job.steps) expect(s.run ?? "").not.toMatch(/\$\{\{/);
  });

  test("add-version, then the canary step, render, push, berth diff as the body, a PR labelled with the tenant", () => {
    const runs = job.steps.map((s) => s.run ?? "").join("\n");
    expect(runs).toMatch(
      /berth "\$\{args\[@\]\}"[\s\S]*berth model promote "\$MODEL" "\$VERSION" --step "\$CANARY"[\s\S]*berth render[\s\S]*git -c http\.extraheader=[^\n]* push[\s\S]*berth diff --base "origin\/\$BASE_BRANCH" --format markdown[\s\S]*gh pr create [^\n]*--label "\$TENANT"[\s\S]*--body-file "\$RUNNER_TEMP\/berth-diff\.md"/,
    );
    expect(step("Add the version").run).toContain('args=(model add-version "$MODEL" "$VERSION" --artifact "$ARTIFACT"');
    expect(job.env.CANARY).toBe("${{ inputs.canary || '10' }}");
    expect(step("Open the pull request, labelled with the tenant").env).toMatchObject({
      TENANT: "${{ steps.add.outputs.tenant }}",
      GH_TOKEN: "${{ secrets.BERTH_RELEASE_TOKEN || github.token }}",
    });
  });
});

describe("the workflow's steps, run", () => {
  let work: string;
  const out = () =>
    Object.fromEntries(
      readFileSync(join(work, "output"), "utf8")
        .trim()
        .split("\n")
        .map((l) => l.split("=") as [string, string]),
    );

  beforeAll(() => {
    work = mkdtempSync(join(tmpdir(), "berth-release-"));
    const repo = join(work, "berth");
    mkdirSync(repo);
    for (const d of ["platform", "tenants", "models", "clusters", ".github"]) cpSync(join(REPO_ROOT, d), join(repo, d), { recursive: true });
    rmSync(join(repo, ".github/workflows"), { recursive: true, force: true });
    symlinkSync(join(SCHEMAS_DIR, ".."), join(work, "shared"));
    const bin = join(work, "bin");
    mkdirSync(bin);
    writeFileSync(
      join(bin, "npx"),
      `#!/bin/sh\n[ "$1" = --no-install ] && [ "$2" = berth ] || exit 127\nshift 2\nexec "${process.execPath}" "${join(REPO_ROOT, "bin/berth.js")}" "$@"\n`,
    );
    writeFileSync(join(bin, "gh"), `#!/bin/sh\nprintf '%s\\n' "gh $*" >> "${join(work, "gh-calls")}"\n`);
    chmodSync(join(bin, "npx"), 0o755);
    chmodSync(join(bin, "gh"), 0o755);
    const git = (...args: string[]) => execFileSync("git", args, { cwd: repo, stdio: "pipe" });
    execFileSync("git", ["init", "-q", "--bare", join(work, "origin.git")]);
    git("init", "-q", "-b", "main");
    git("-c", "user.name=t", "-c", "user.email=t@example.com", "commit", "-q", "--allow-empty", "-m", "empty");
    git("add", ".");
    git("-c", "user.name=t", "-c", "user.email=t@example.com", "commit", "-q", "-m", "specs");
    git("remote", "add", "origin", join(work, "origin.git"));
    git("push", "-q", "origin", "main");
    git("fetch", "-q", "origin");
    writeFileSync(join(work, "output"), "");
    mkdirSync(join(work, "tmp"));
  });
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  function runStep(name: string, extra: Record<string, string> = {}) {
    const s = step(name);
    const env = {
      PATH: `${join(work, "bin")}:${process.env.PATH}`,
      HOME: work,
      MODEL: "fraud-detection",
      VERSION: "v1.4.0",
      ARTIFACT: "s3://ml-models/fraud-detection/1.4.0/",
      IMAGE: "",
      CANARY: "10",
      BASE_BRANCH: "main",
      RUNNER_TEMP: join(work, "tmp"),
      GITHUB_OUTPUT: join(work, "output"),
      ...extra,
    };
    return spawnSync("bash", ["-e", "-o", "pipefail", "-c", s.run!], { cwd: join(work, "berth"), env, encoding: "utf8" });
  }

  test("a bad event stops the release before anything is edited", () => {
    const r = runStep("Check the event", { VERSION: "v1.4.0; rm -rf /" });
    expect(r.status).toBe(1);
    expect(r.stdout).toMatch(/::error title=model release::version name/);
    expect(runStep("Check the event", { CANARY: "101" }).status).toBe(1);
    expect(runStep("Check the event").status).toBe(0);
  });

  test("the steps add the version, give it 10%, render, push a branch and open a labelled pull request", () => {
    for (const name of ["Add the version", "Give the canary its share", "Render"]) {
      const r = runStep(name);
      expect({ name, status: r.status, stderr: r.stderr }).toMatchObject({ name, status: 0 });
    }
    expect(out().tenant).toBe("data-science-team");
    const spec = readFileSync(join(work, "berth/models/data-science-team/fraud-detection.yaml"), "utf8");
    expect(spec).toContain('    - {name: v1.4.0, artifact: "s3://ml-models/fraud-detection/1.4.0/", traffic: 10}\n');
    expect(spec).toContain("traffic: 81}");
    const push = runStep("Commit to a release branch and push it", { PUSH_TOKEN: "t0ken" });
    expect(push.status).toBe(0);
    expect(out().branch).toBe("model-release/fraud-detection/v1.4.0");
    expect(execFileSync("git", ["ls-remote", "--heads", join(work, "origin.git")], { encoding: "utf8" })).toContain(
      "refs/heads/model-release/fraud-detection/v1.4.0",
    );
    expect(runStep("Commit to a release branch and push it").status).toBe(1);
    expect(runStep("berth diff").status).toBe(0);
    const body = readFileSync(join(work, "tmp/berth-diff.md"), "utf8");
    expect(body.startsWith(COMMENT_MARKER)).toBe(true);
    expect(body).toContain("fraud-detection");
    expect(runStep("Open the pull request, labelled with the tenant", { TENANT: out().tenant!, BRANCH: out().branch!, GH_TOKEN: "t" }).status).toBe(0);
    const calls = readFileSync(join(work, "gh-calls"), "utf8");
    expect(calls).toMatch(/^gh label create data-science-team /m);
    expect(calls).toMatch(
      /^gh pr create --base main --head model-release\/fraud-detection\/v1\.4\.0 --label data-science-team --title Release fraud-detection v1\.4\.0 \(10% canary\) --body-file .*berth-diff\.md$/m,
    );
  });
});
