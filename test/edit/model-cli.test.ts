// End-to-end runs of `berth model ...` on temp copies of the example repository: what is written,
// what --dry-run and --format json print, and that a failing compile writes nothing.
import { execFileSync } from "node:child_process";
import { chmodSync, cpSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { REPO_ROOT, tempRepo } from "../helpers/fixture.js";
import { berth, readRel } from "../helpers/model-cli.js";
import { snapshotTree } from "../helpers/tree.js";

const FRAUD = "models/data-science-team/fraud-detection.yaml";
const REC = "models/data-science-team/recommendation-engine.yaml";

function exampleRepo(): string {
  const dir = tempRepo({});
  for (const d of ["platform", "tenants", "models"]) cpSync(join(REPO_ROOT, d), join(dir, d), { recursive: true });
  return dir;
}

let repo: string;
beforeEach(() => (repo = exampleRepo()));
afterEach(() => rmSync(repo, { recursive: true, force: true }));

test("promote --step moves 20 points on the spec and on the staging override, and touches nothing else", async () => {
  const before = snapshotTree(repo);
  const run = await berth(repo, "model", "promote", "fraud-detection", "v1.3.0", "--step", "20");
  expect(run.code).toBe(0);
  expect(run.stdout).toContain("  prod-us-east-1: v1.2.0 90 -> 70, v1.3.0 10 -> 30\n  staging-eu-west-1: v1.2.0 50 -> 30, v1.3.0 50 -> 70\n");
  expect(run.stdout).toMatch(/berth model promote: 0 errors, \d+ warnings?; models\/data-science-team\/fraud-detection\.yaml written\n$/);
  const after = snapshotTree(repo);
  expect(Object.keys(after).filter((p) => after[p] !== before[p])).toEqual([FRAUD]);
  expect(after[FRAUD]).toBe(
    before[FRAUD]!.replace("traffic: 90}", "traffic: 70}")
      .replace('1.3.0/", traffic: 10}', '1.3.0/", traffic: 30}')
      .replace("{name: v1.2.0, traffic: 50}", "{name: v1.2.0, traffic: 30}")
      .replace("{name: v1.3.0, traffic: 50}", "{name: v1.3.0, traffic: 70}"),
  );
});

test("--dry-run prints a unified diff that git apply accepts, and writes nothing", async () => {
  const before = snapshotTree(repo);
  const dry = await berth(
    repo,
    "model",
    "add-version",
    "fraud-detection",
    "v1.4.0",
    "--artifact",
    "s3://ml-models/fraud-detection/1.4.0/",
    "--traffic",
    "10",
    "--dry-run",
  );
  expect(dry.code).toBe(0);
  expect(snapshotTree(repo)).toEqual(before);
  expect(dry.stdout).toMatch(
    /^--- a\/models\/data-science-team\/fraud-detection\.yaml\n\+\+\+ b\/models\/data-science-team\/fraud-detection\.yaml\n@@ -5,8 \+5,9 @@\n/,
  );
  expect(dry.stderr).toMatch(/dry run, nothing written/);
  const patch = join(repo, "edit.patch");
  writeFileSync(patch, dry.stdout);
  execFileSync("git", ["apply", "--unsafe-paths", `--directory=.`, patch], { cwd: repo });
  const applied = readRel(repo, FRAUD);
  writeFileSync(join(repo, FRAUD), before[FRAUD]!);
  expect(
    (await berth(repo, "model", "add-version", "fraud-detection", "v1.4.0", "--artifact", "s3://ml-models/fraud-detection/1.4.0/", "--traffic", "10")).code,
  ).toBe(0);
  expect(readRel(repo, FRAUD)).toBe(applied);
});

test("--format json reports the edit in the common envelope", async () => {
  const run = await berth(repo, "model", "set-traffic", "fraud-detection", "v1.2.0=95", "v1.3.0=5", "--cluster", "prod-us-east-1", "--format", "json");
  expect(run.code).toBe(0);
  const out = JSON.parse(run.stdout);
  expect(Object.keys(out)).toEqual(["command", "ok", "diagnostics", "dryRun", "edit"]);
  expect(out).toMatchObject({
    command: "model set-traffic",
    ok: true,
    dryRun: false,
    edit: {
      file: FRAUD,
      changed: true,
      written: true,
      clusters: {
        "prod-us-east-1": { before: { "v1.2.0": 90, "v1.3.0": 10 }, after: { "v1.2.0": 95, "v1.3.0": 5 } },
        "staging-eu-west-1": { before: { "v1.2.0": 50, "v1.3.0": 50 }, after: { "v1.2.0": 50, "v1.3.0": 50 } },
      },
    },
  });
  expect(out.edit.diff).toContain("+    prod-us-east-1:\n+      versions:\n+        - {name: v1.2.0, traffic: 95}\n+        - {name: v1.3.0, traffic: 5}\n");
  const failed = JSON.parse((await berth(repo, "model", "retire", "fraud-detection", "v9", "--format", "json")).stdout);
  expect(failed).toMatchObject({ command: "model retire", ok: false, edit: null, diagnostics: [{ code: "BERTH0902", file: "<command line>", line: 1 }] });
});

test("--format github prints annotations", async () => {
  const run = await berth(repo, "model", "promote", "fraud-detection", "v1.3.0", "--step", "60", "--format", "github");
  expect(run.code).toBe(1);
  expect(run.stdout).toMatch(/^::error file=<command line>,line=1,col=\d+,title=BERTH0905::BERTH0905: --step 60/m);
});

test("a release from first version to retirement: add-version, promote in steps, promote, retire", async () => {
  const steps = [
    ["add-version", "recommendation-engine", "v2.5.0", "--artifact", "s3://ml-models/recommendation-engine/2.5.0/"],
    ["promote", "recommendation-engine", "v2.5.0", "--step", "10"],
    ["promote", "recommendation-engine", "v2.5.0", "--step", "40"],
    ["promote", "recommendation-engine", "v2.5.0"],
    ["retire", "recommendation-engine", "v2.4.1"],
  ];
  for (const s of steps) expect({ step: s, code: (await berth(repo, "model", ...s)).code }).toEqual({ step: s, code: 0 });
  expect(readRel(repo, REC)).toBe(`apiVersion: berth.dev/v1alpha1
kind: Model
metadata:
  name: recommendation-engine
spec:
  framework: xgboost
  versions:
    - name: v2.5.0
      artifact: "s3://ml-models/recommendation-engine/2.5.0/"
      traffic: 100
  resources: {requests: {cpu: "1", memory: 2Gi}, limits: {cpu: "2", memory: 4Gi}}
  autoscaling: {minReplicas: 2, maxReplicas: 8, targetCPUUtilization: 65}
  access: [data-science-team, marketing-analysts]
`);
  expect((await berth(repo, "model", "promote", "recommendation-engine", "v2.5.0")).stdout).toMatch(/nothing to change/);
});

test("an edit the repository does not compile with writes nothing, and points at the edited line", async () => {
  const before = snapshotTree(repo);
  const run = await berth(
    repo,
    "model",
    "add-version",
    "fraud-detection",
    "v1.4.0",
    "--artifact",
    "s3://ml-models/fraud-detection/1.4.0/",
    "--image",
    "docker.io/someone/fraud:1.4.0",
  );
  expect(run.code).toBe(1);
  expect(run.stderr).toMatch(
    /^models\/data-science-team\/fraud-detection\.yaml:10:\d+: error BERTH0215: image "docker\.io\/someone\/fraud:1\.4\.0" is not from an allowed registry \(line 10 of the file as this command would write it; see --dry-run\)$/m,
  );
  expect(run.stderr).toMatch(/nothing written/);
  expect(snapshotTree(repo)).toEqual(before);
});

test("an error elsewhere in the repository blocks the edit; lines the edit kept keep their numbers", async () => {
  writeFileSync(join(repo, "tenants/marketing.yaml"), readRel(repo, "tenants/marketing.yaml").replace("role: view", "role: viewer"));
  writeFileSync(join(repo, FRAUD), readRel(repo, FRAUD).replace("maxReplicas: 10", "maxReplicas: 1"));
  const before = snapshotTree(repo);
  const run = await berth(repo, "model", "add-version", "fraud-detection", "v1.4.0", "--artifact", "s3://ml-models/fraud-detection/1.4.0/");
  expect(run.code).toBe(1);
  expect(run.stderr).toMatch(/^tenants\/marketing\.yaml:\d+:\d+: error /m);
  // minReplicas is on line 12 on disk, line 13 once the version is added.
  expect(run.stderr).toMatch(/^models\/data-science-team\/fraud-detection\.yaml:12:\d+: error BERTH0203: /m);
  expect(snapshotTree(repo)).toEqual(before);
});

test("the file is replaced atomically: same mode, no temp file left, CRLF and a byte order mark kept", async () => {
  const crlf = "\uFEFF" + readRel(repo, FRAUD).replace(/\n/g, "\r\n");
  writeFileSync(join(repo, FRAUD), crlf);
  chmodSync(join(repo, FRAUD), 0o640);
  expect((await berth(repo, "model", "promote", "fraud-detection", "v1.3.0", "--step", "10")).code).toBe(0);
  const after = readRel(repo, FRAUD);
  expect(after.startsWith("\uFEFF")).toBe(true);
  expect(after.replace(/\r\n/g, "")).not.toContain("\n");
  expect(after).toBe(
    crlf
      .replace("traffic: 90}", "traffic: 80}")
      .replace('1.3.0/", traffic: 10}', '1.3.0/", traffic: 20}')
      .replace("v1.2.0, traffic: 50", "v1.2.0, traffic: 40")
      .replace("v1.3.0, traffic: 50", "v1.3.0, traffic: 60"),
  );
  expect(statSync(join(repo, FRAUD)).mode & 0o777).toBe(0o640);
  expect(readdirSync(join(repo, "models/data-science-team"))).toEqual(["fraud-detection.yaml", "recommendation-engine.yaml"]);
});

test("comments, blank lines and quoting around the edit survive", async () => {
  const commented = readRel(repo, FRAUD)
    .replace("  versions:\n", "  # newest last\n  versions:\n\n")
    .replace("traffic: 90}", "traffic: 90}  # stable")
    .replace("    staging-eu-west-1:\n", "    # staging tries canaries first\n    staging-eu-west-1:\n");
  writeFileSync(join(repo, FRAUD), commented);
  expect(
    (await berth(repo, "model", "add-version", "fraud-detection", "v1.4.0", "--artifact", "s3://ml-models/fraud-detection/1.4.0/", "--traffic", "20")).code,
  ).toBe(0);
  expect(readRel(repo, FRAUD)).toBe(
    commented
      .replace("traffic: 90}  # stable", "traffic: 72}  # stable")
      .replace('1.3.0/", traffic: 10}\n', '1.3.0/", traffic: 8}\n    - {name: v1.4.0, artifact: "s3://ml-models/fraud-detection/1.4.0/", traffic: 20}\n')
      .replace("{name: v1.2.0, traffic: 50}", "{name: v1.2.0, traffic: 40}")
      .replace("{name: v1.3.0, traffic: 50}", "{name: v1.3.0, traffic: 40}"),
  );
});

test.each([
  [["model"], /model needs a subcommand/],
  [["model", "frob", "fraud-detection"], /unknown model subcommand "frob"/],
  [["model", "promote", "fraud-detection"], /model promote needs MODEL and VERSION/],
  [["model", "add-version", "fraud-detection", "v2"], /model add-version needs --artifact/],
  [["model", "retire", "fraud-detection", "v1.2.0", "--step", "3"], /--step does not go with model retire/],
  [["model", "set-traffic", "fraud-detection", "v1.2.0=100", "--cluster", "a", "--cluster", "b"], /takes one --cluster/],
  [["model", "promote", "fraud-detection", "v1.3.0", "extra"], /unexpected argument "extra"/],
  [["model", "promote", "fraud-detection", "v1.3.0", "--base", "main"], /--base does not go with model promote/],
  [["render", "--step", "3"], /--step goes with model/],
  [["check", "--dry-run"], /--dry-run goes with model/],
])("usage error %j exits 2 and changes nothing", async (args, message) => {
  const before = snapshotTree(repo);
  const run = await berth(repo, ...(args as string[]));
  expect(run.code).toBe(2);
  expect(run.stderr).toMatch(message);
  expect(run.stderr).toMatch(/^(usage: berth|usage: berth model)/m);
  expect(snapshotTree(repo)).toEqual(before);
});
