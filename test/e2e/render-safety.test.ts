// Findings 3, 4 and 8 of issue 22 through the CLI, on temp copies of the example repository: a
// symlinked clusters/ is refused, a full disk or an unreadable tree is the user's error (exit 1,
// path and reason) in every format, a broken schema file is named, and two renders at once
// neither fail nor mix their output.
import { execFileSync, spawn } from "node:child_process";
import { cpSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { main } from "../../compiler/cli.js";
import { runCheck } from "../../compiler/commands/check.js";
import type { Io, RunOptions } from "../../compiler/commands/context.js";
import { reportException } from "../../compiler/commands/index.js";
import { runRender } from "../../compiler/commands/render.js";
import { StrictValidator } from "../../compiler/verify/strict.js";
import { failingFs } from "../helpers/failing-fs.js";
import { REPO_ROOT, SCHEMAS_DIR, tempRepo } from "../helpers/fixture.js";
import { snapshotTree } from "../helpers/tree.js";

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

function capture(): { io: Io; out: () => Omit<Run, "code"> } {
  let stdout = "";
  let stderr = "";
  const io: Io = { cwd: REPO_ROOT, env: {}, stdout: { write: (s: string) => (stdout += s) }, stderr: { write: (s: string) => (stderr += s) } };
  return { io, out: () => ({ stdout, stderr }) };
}

async function berth(root: string, ...args: string[]): Promise<Run> {
  const { io, out } = capture();
  const code = await main([...args, "--root", root], io);
  return { code, ...out() };
}

function exampleRepo(): string {
  const dir = tempRepo({});
  execFileSync("cp", ["-r", join(REPO_ROOT, "platform"), join(REPO_ROOT, "tenants"), join(REPO_ROOT, "models"), dir]);
  return dir;
}

let repo: string;
beforeEach(() => (repo = exampleRepo()));
afterEach(() => rmSync(repo, { recursive: true, force: true }));

test("clusters/ as a symbolic link: render and check refuse it, and nothing outside the root changes", async () => {
  const outside = tempRepo({ "prod-us-east-1/eksctl/cluster.yaml": "# hand-written, outside the repository\n" });
  symlinkSync(outside, join(repo, "clusters"));
  const before = snapshotTree(outside);
  const run = await berth(repo, "render", "--format", "json");
  expect(run.code).toBe(1);
  expect(JSON.parse(run.stdout)).toEqual({
    command: "render",
    ok: false,
    diagnostics: [expect.objectContaining({ file: "clusters", code: "BERTH0020", severity: "error" })],
  });
  expect(snapshotTree(outside)).toEqual(before);
  expect((await berth(repo, "check")).stderr).toMatch(/^clusters:1:1: error BERTH0020: clusters is a symbolic link/m);
});

describe("a full disk while writing is exit 1 naming the path and the reason, in every format, and changes nothing", () => {
  test.each(["text", "json", "github"] as const)("%s", (format) => {
    const { io, out } = capture();
    const opts: RunOptions = { root: repo, format, fsOps: failingFs({ op: "writeNew", nth: 40, code: "ENOSPC" }) };
    const before = snapshotTree(repo);
    expect(runRender(opts, io)).toBe(1);
    const { stdout, stderr } = out();
    const message = /cannot write clusters\/[^:]*\.berth-tmp-[0-9]+-[0-9a-f]+: ENOSPC: injected failure; the render was rolled back: nothing changed/;
    if (format === "json")
      expect(JSON.parse(stdout).diagnostics).toEqual([
        expect.objectContaining({ code: "BERTH0022", file: expect.stringMatching(/^clusters\//), message: expect.stringMatching(message) }),
      ]);
    if (format === "github") expect(stdout).toMatch(/^::error file=clusters\/[^,]+,line=1,col=1,title=BERTH0022::BERTH0022: cannot write .*ENOSPC/m);
    if (format === "text") {
      expect(stderr).toMatch(message);
      expect(stderr).toMatch(/berth render: 1 error, 0 warnings; nothing written\n$/);
    }
    expect(stderr).not.toMatch(/internal error|\n\s+at /);
    expect(snapshotTree(repo)).toEqual(before);
  });
});

test("an unreadable folder of the generated tree is an error at that folder, not an empty folder (check, json)", async () => {
  expect((await berth(repo, "render")).code).toBe(0);
  const { io, out } = capture();
  // check reads each cluster's folder as that cluster is compiled: the first read is a cluster folder.
  const opts: RunOptions = { root: repo, format: "json", fsOps: failingFs({ op: "readdir", nth: 1, code: "EACCES" }) };
  expect(runCheck(opts, io)).toBe(1);
  const doc = JSON.parse(out().stdout);
  expect(doc.ok).toBe(false);
  expect(doc.diagnostics).toEqual([
    expect.objectContaining({
      code: "BERTH0025",
      file: expect.stringMatching(/^clusters\/[a-z0-9-]+$/),
      message: expect.stringMatching(/^cannot readdir clusters\/[a-z0-9-]+: EACCES: injected failure$/),
    }),
  ]);
});

test("a schema file that is not JSON is an error naming the file and the place, not a crash", async () => {
  const schemas = tempRepo({});
  cpSync(SCHEMAS_DIR, schemas, { recursive: true });
  const file = join(schemas, "service-v1.json");
  writeFileSync(file, '{\n  "type": "object",\n  "properties": { oops }\n}\n');
  const run = await berth(repo, "render", "--format", "json", "--schemas", schemas);
  expect(run.code).toBe(1);
  expect(JSON.parse(run.stdout).diagnostics).toEqual(
    expect.arrayContaining([expect.objectContaining({ code: "BERTH0042", message: expect.stringContaining(`schema file ${file} is not valid JSON`) })]),
  );
  // Another folder: a process compiles each schema folder once.
  const other = tempRepo({});
  cpSync(SCHEMAS_DIR, other, { recursive: true });
  writeFileSync(join(other, "service-v1.json"), "[]");
  const text = await berth(repo, "check", "--schemas", other);
  expect(text.code).toBe(1);
  expect(text.stderr).toMatch(/error BERTH0042: schema file .*service-v1\.json /);
  expect(text.stderr).not.toMatch(/internal error/);
});

test("a schema ajv cannot compile (a bad keyword value, a dangling $ref) is an error at that file too", () => {
  const schemas = tempRepo({
    "service-v1.json": JSON.stringify({ type: "object", properties: { a: { type: 5 } } }),
    "configmap-v1.json": JSON.stringify({ $ref: "#/definitions/nope" }),
  });
  const found: string[] = [];
  const diags = { report: (code: string, _at: unknown, message: string) => found.push(`${code} ${message.replace(schemas + "/", "")}`) };
  const objects = ["Service", "ConfigMap"].map((kind) => ({
    object: { apiVersion: "v1", kind, metadata: { name: "x" } },
    origin: { file: "m.yaml", path: [] },
    path: "p",
  }));
  new StrictValidator(schemas).verify(objects as never, diags as never);
  expect(found).toEqual([
    "BERTH0042 schema service-v1.json is not a usable JSON Schema: type must be JSONType or JSONType[]: 5",
    "BERTH0042 schema configmap-v1.json is not a usable JSON Schema: can't resolve reference #/definitions/nope from id #",
  ]);
});

test("an operating system error anywhere else is exit 1 with a diagnostic (json too); a bug is exit 3", async () => {
  writeFileSync(join(repo, "a-file"), "x");
  const run = await berth(repo, "schema", "--format", "json", "--out", join(repo, "a-file/schemas"));
  expect(run.code).toBe(1);
  expect(JSON.parse(run.stdout)).toEqual({
    command: "schema",
    ok: false,
    diagnostics: [
      expect.objectContaining({
        code: "BERTH0025",
        file: "a-file/schemas",
        message: expect.stringMatching(/^cannot mkdir a-file\/schemas: ENOTDIR: not a directory$/),
      }),
    ],
  });
  const { io, out } = capture();
  expect(reportException(new TypeError("x is undefined"), "render", { root: repo, format: "json" }, io)).toBe(3);
  expect(out().stderr).toBe(
    "berth: internal error (a bug in berth, not in your specs or your environment): x is undefined\n" +
      "berth: please report it with the command you ran and the output of the same run with BERTH_DEBUG=1 (it adds the stack trace)\n",
  );
  expect(out().stderr).not.toMatch(/\n\s+at /);
});

test("two renders at once on one root: one waits for the other, both succeed, check passes", async () => {
  const spawnRender = () =>
    new Promise<Run>((resolve) => {
      const child = spawn(process.execPath, [join(REPO_ROOT, "bin/berth.js"), "render", "--root", repo]);
      let stdout = "";
      let stderr = "";
      child.stdout.on("data", (d) => (stdout += d));
      child.stderr.on("data", (d) => (stderr += d));
      child.on("close", (code) => resolve({ code: code ?? -1, stdout, stderr }));
    });
  const runs = await Promise.all([spawnRender(), spawnRender()]);
  expect(runs.map((r) => r.code)).toEqual([0, 0]);
  const written = runs.map((r) => Number(/(\d+) written/.exec(r.stdout)![1])).sort((a, b) => a - b);
  expect(written[0]).toBe(0); // the second saw the first one's output
  expect(written[1]).toBeGreaterThan(100);
  expect((await berth(repo, "check")).code).toBe(0);
  expect(readFileSync(join(repo, ".github/CODEOWNERS"), "utf8")).toMatch(/^# Generated by berth/);
}, 60_000);
