// The pull-request workflow: valid YAML with the steps docs/gitops.md promises, actions pinned to
// full commit SHAs, least permissions, and no untrusted expression inside a shell script.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parseDocument } from "yaml";
import { COMMENT_MARKER } from "../../compiler/report/markdown.js";
import { REPO_ROOT } from "../helpers/fixture.js";

interface Step {
  name?: string;
  uses?: string;
  run?: string;
  if?: string;
  with?: Record<string, unknown>;
  env?: Record<string, string>;
}
interface Job {
  if?: string;
  permissions: Record<string, string>;
  steps: Step[];
}

const text = readFileSync(join(REPO_ROOT, ".github/workflows/berth.yml"), "utf8");
const doc = parseDocument(text);
const wf = doc.toJS() as { on: Record<string, unknown>; permissions: object; jobs: Record<string, Job> };
const runs = (job: Job) => job.steps.map((s) => s.run ?? "").join("\n");
const uses = (job: Job, action: string) => job.steps.filter((s) => s.uses?.startsWith(`${action}@`));

describe(".github/workflows/berth.yml", () => {
  test("parses as YAML without errors or warnings", () => {
    expect(doc.errors).toEqual([]);
    expect(doc.warnings).toEqual([]);
  });

  test("runs on pull requests and on pushes to main", () => {
    expect(Object.keys(wf.on).sort()).toEqual(["pull_request", "push"]);
    expect(wf.on.push).toEqual({ branches: ["main"] });
  });

  test("every action is pinned to a full commit SHA with its version in a comment", () => {
    const lines = text.split("\n").filter((l) => /^\s*(-\s+)?uses:/.test(l));
    expect(lines.length).toBeGreaterThan(0);
    for (const l of lines) expect(l).toMatch(/uses: [\w.-]+\/[\w.-]+@[0-9a-f]{40} # v\d+(\.\d+)*$/);
  });

  test("least permissions: nothing by default, read for checks, PR write only for the comment", () => {
    expect(wf.permissions).toEqual({});
    expect(wf.jobs.check!.permissions).toEqual({ contents: "read" });
    expect(wf.jobs.diff!.permissions).toEqual({ contents: "read", "pull-requests": "write" });
  });

  test("check: full history, Node 20 with the npm cache, npm ci, npm test, berth check with annotations", () => {
    const job = wf.jobs.check!;
    expect(uses(job, "actions/checkout")[0]!.with).toMatchObject({ "fetch-depth": 0, "persist-credentials": false });
    expect(uses(job, "actions/setup-node")[0]!.with).toMatchObject({ "node-version": 20, cache: "npm" });
    expect(runs(job)).toMatch(/npm ci[\s\S]*npm test[\s\S]*npx --no-install berth check --format github$/m);
  });

  test("schemas: no required shared repository; the download and findings caches restored outside node_modules", () => {
    for (const job of Object.values(wf.jobs)) expect(job.steps.filter((s) => /BERTH_SHARED_REPO\s*==/.test(s.if ?? ""))).toEqual([]);
    for (const job of [wf.jobs.check!, wf.jobs.diff!]) {
      const env = (job as unknown as { env: Record<string, string> }).env;
      expect(env.XDG_CACHE_HOME).toBe("${{ github.workspace }}/.cache");
      const [cache, results] = uses(job, "actions/cache");
      expect(cache!.with).toMatchObject({ path: ".cache/berth\n!.cache/berth/results\n", key: expect.stringContaining("hashFiles('berth/berth.config.yaml'") });
      // The compile findings (result-cache.ts) apart, saved per commit, so main's reach pull requests.
      expect(results!.with).toEqual({ path: ".cache/berth/results", key: "berth-results-${{ github.sha }}", "restore-keys": "berth-results-" });
      const names = job.steps.map((s) => s.name);
      for (const step of [cache!, results!]) expect(names.indexOf(step.name)).toBeLessThan(names.findIndex((n) => /^berth /.test(n ?? "")));
      const shared = uses(job, "actions/checkout").find((s) => s.with?.repository);
      expect(shared?.if).toBe("vars.BERTH_SHARED_REPO != ''");
      expect(runs(job)).not.toMatch(/--schemas/);
    }
  });

  test("diff: only on pull requests, against origin/<base>, posted as one comment found by its marker", () => {
    const job = wf.jobs.diff!;
    expect(job.if).toBe("github.event_name == 'pull_request'");
    expect(uses(job, "actions/checkout")[0]!.with).toMatchObject({ "fetch-depth": 0 });
    const diffStep = job.steps.find((s) => s.run?.includes("berth diff"))!;
    expect(diffStep.run).toMatch(/npx --no-install berth diff --base "origin\/\$BASE_REF" --format markdown/);
    expect(diffStep.env).toMatchObject({ BASE_REF: "${{ github.base_ref }}" });
    const script = String(uses(job, "actions/github-script")[0]!.with!.script);
    expect(script).toContain(`const marker = "${COMMENT_MARKER}";`);
    expect(script).toMatch(/updateComment[\s\S]*createComment/);
  });

  test("no workflow expression that a pull request controls is pasted into a shell script", () => {
    for (const job of Object.values(wf.jobs)) for (const s of job.steps) expect(s.run ?? "").not.toMatch(/\$\{\{\s*github\.(event|head_ref|base_ref)/);
  });
});
