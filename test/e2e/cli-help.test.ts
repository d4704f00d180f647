// The command line around the commands (issue 21 points 3 and 4): --version, help, per-command
// --help with examples, "did you mean" for commands, flags, formats and --root, usage errors
// without pretend positions, internal errors with their own exit code, and no silent modes.
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { reportException } from "../../compiler/commands/index.js";
import { baseFiles, edit, MODEL, REPO_ROOT, SCHEMA_ARGS, tempRepo } from "../helpers/fixture.js";
import { berth, gitRepo } from "../helpers/git.js";

const USAGE_LINE = /^usage: berth /m;

test("--version prints package.json's version and exits 0", async () => {
  const { version } = JSON.parse(readFileSync(join(REPO_ROOT, "package.json"), "utf8")) as { version: string };
  const run = await berth(REPO_ROOT, "--version");
  expect(run).toEqual({ code: 0, stdout: `berth ${version}\n`, stderr: "" });
});

test("help lists every command and help itself; help COMMAND and COMMAND --help show that command with examples", async () => {
  const all = await berth(REPO_ROOT, "help");
  expect(all.code).toBe(0);
  for (const c of ["render", "check", "diff", "schema", "model promote", "report", "help [COMMAND]"]) expect(all.stdout).toContain(`  ${c}`);
  const topic = await berth(REPO_ROOT, "help", "diff");
  const flag = await berth(REPO_ROOT, "diff", "--help");
  expect(topic).toEqual(flag);
  expect(topic.code).toBe(0);
  expect(topic.stdout).toMatch(/^usage: berth diff --base REF/);
  expect(topic.stdout).toContain("examples:\n  berth diff --base main\n");
  const model = await berth(REPO_ROOT, "model", "--help");
  expect(model.stdout).toContain("berth model promote fraud-detection v1.3.0 --step 10 --dry-run");
});

test.each([
  [["rendr"], 'unknown command "rendr" (did you mean render?)'],
  [["hlep"], 'unknown command "hlep" (did you mean help?)'],
  [["help", "chek"], 'unknown command "chek" (did you mean check?)'],
  [["check", "--bsae", "main"], "unknown flag --bsae (did you mean --base?)"],
  [["check", "--schemass", "x"], "unknown flag --schemass (did you mean --schemas?)"],
  [["check", "--format", "jsn"], "--format jsn is not available for check (use text, json, github, sarif) (did you mean json?)"],
])("usage error %j: exit 2, a suggestion and a usage line, no position and no Node advice", async (args, message) => {
  const run = await berth(REPO_ROOT, ...args);
  expect(run.code).toBe(2);
  expect(run.stdout).toBe("");
  expect(run.stderr).toContain(`berth: ${message}\n`);
  expect(run.stderr).toMatch(USAGE_LINE);
  expect(run.stderr).not.toMatch(/:1:1:|positional argument/);
});

test("--root at a near-miss folder: a usage error that names the folder meant", async () => {
  const parent = tempRepo({});
  const repo = join(parent, "specs");
  mkdirSync(repo);
  const run = await berth(parent, "check", "--root", "spec");
  expect(run.code).toBe(2);
  expect(run.stderr).toContain("berth: --root spec: no such folder (did you mean specs?)\n");
  expect(run.stderr).toMatch(/^usage: berth check /m);
});

test("a flag as the place of a diagnostic is printed without a pretend line and column, in every format", async () => {
  const repo = gitRepo(baseFiles());
  const text = await berth(repo, "diff", "--base", "nope", ...SCHEMA_ARGS);
  expect(text.code).toBe(1);
  expect(text.stderr).toMatch(/^--base: error BERTH0810: git revision nope is not a commit/m);
  const github = await berth(repo, "diff", "--base", "nope", ...SCHEMA_ARGS, "--format", "github");
  expect(github.stdout).toMatch(/^::error title=BERTH0810::--base: BERTH0810: git revision nope/m);
  expect(github.stdout).not.toContain("line=");
  const json = await berth(repo, "diff", "--base", "nope", ...SCHEMA_ARGS, "--format", "json");
  expect(JSON.parse(json.stdout).diagnostics).toEqual([expect.objectContaining({ file: "--base", line: 0, column: 0 })]);
  const sarif = await berth(repo, "check", "--schemas", join(repo, "no-such-folder"), "--format", "sarif");
  const result = JSON.parse(sarif.stdout).runs[0].results[0];
  expect(result).toMatchObject({ ruleId: "BERTH0011", locations: [] });
});

test("an internal error exits 3 with a request to report it; the stack trace only with BERTH_DEBUG", () => {
  const lines: string[] = [];
  const io = (env: Record<string, string>) => ({ cwd: REPO_ROOT, env, stdout: { write: () => true }, stderr: { write: (s: string) => lines.push(s) } });
  expect(reportException(new Error("boom"), "check", { root: REPO_ROOT, format: "text" }, io({}))).toBe(3);
  expect(lines.join("")).toMatch(/internal error .*: boom\nberth: please report it .*BERTH_DEBUG=1/);
  expect(lines.join("")).not.toMatch(/\n\s+at /);
  lines.length = 0;
  expect(reportException(new Error("boom"), "check", { root: REPO_ROOT, format: "text" }, io({ BERTH_DEBUG: "1" }))).toBe(3);
  expect(lines.join("")).toMatch(/\n\s+at /);
});

describe("no silent modes", () => {
  // The test repository has no berth.config.yaml, and berth() passes no environment.
  const noConfig = () => tempRepo(baseFiles());

  test("without strict schemas one line on stderr says so and how to turn it on; with them, none", async () => {
    const repo = noConfig();
    const off = await berth(repo, "render");
    expect(off.code).toBe(0);
    const notes = off.stderr.split("\n").filter((l) => l.includes("strict schema validation is off"));
    expect(notes).toHaveLength(1);
    expect(notes[0]).toMatch(/--schemas DIR, set BERTH_SCHEMAS, or list schemas in berth\.config\.yaml/);
    const json = await berth(repo, "check", "--format", "json");
    expect(json.stderr).toBe(""); // the envelope is the whole output
    if (SCHEMA_ARGS.length > 0) expect((await berth(repo, "check", ...SCHEMA_ARGS)).stderr).not.toContain("strict schema validation is off");
  });

  test.each([
    ["missing", (repo: string) => join(repo, "no-such-folder"), /schema folder \S+no-such-folder does not exist/],
    ["empty", (repo: string) => (mkdirSync(join(repo, "empty")), join(repo, "empty")), /holds no schema \(\*\.json\) files/],
  ])("a %s schema folder is one error, not one per kind", async (_, folder, message) => {
    const repo = noConfig();
    await berth(repo, "render", ...SCHEMA_ARGS);
    const run = await berth(repo, "check", "--schemas", folder(repo));
    expect(run.code).toBe(1);
    const errors = run.stderr.split("\n").filter((l) => / error BERTH/.test(l));
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(message);
    expect(errors[0]).toMatch(/^--schemas: error BERTH0011/);
  });
});

test("README says what ../shared/schemas is and how to point BERTH_SCHEMAS or --schemas elsewhere", () => {
  const readme = readFileSync(join(REPO_ROOT, "README.md"), "utf8");
  const section = readme.slice(readme.indexOf("## Strict schemas"));
  expect(section).toMatch(/\.\.\/shared\/schemas/);
  expect(section).toMatch(/BERTH_SCHEMAS=/);
  expect(section).toMatch(/--schemas /);
});

test("diff --format github: each risk annotation carries the spec file and line of the change", async () => {
  const repo = gitRepo(baseFiles());
  writeFileSync(
    join(repo, "models/team-a/fraud.yaml"),
    edit(MODEL, "traffic: 90", "traffic: 80").replace("traffic: 10", "traffic: 20").replace("maxReplicas: 4", "maxReplicas: 6"),
  );
  const run = await berth(repo, "diff", "--base", "main", ...SCHEMA_ARGS, "--format", "github");
  expect(run.code).toBe(0);
  const annotations = run.stdout.split("\n").filter((l) => l.startsWith("::warning"));
  expect(annotations.length).toBeGreaterThanOrEqual(2);
  for (const a of annotations) expect(a).toMatch(/^::warning file=models\/team-a\/fraud\.yaml,line=\d+,col=\d+,title=berth diff%3A /);
  expect(annotations.find((a) => a.includes("%3A traffic"))).toMatch(/line=8,col=5,/); // spec.versions
});
