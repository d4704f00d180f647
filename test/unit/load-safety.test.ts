// Issue 22, findings 2, 4 (spec folders), 6 (discovery) and 8 (reading): whatever stands in the
// spec folders is read or reported at its path; nothing is read as "no specs", nothing outside
// the root is read, and discovery is linear whatever the links.
import { execFileSync, spawnSync } from "node:child_process";
import { chmodSync, mkdirSync, renameSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { join } from "node:path";
import { compile } from "../../compiler/compile.js";
import type { DirIO } from "../../compiler/load/discover.js";
import { diskIO, diskTree } from "../../compiler/load/load.js";
import { baseFiles, MODEL, REPO_ROOT, tempDir, tempRepo } from "../helpers/fixture.js";
import { berth } from "../helpers/git.js";
import { snapshotTree } from "../helpers/tree.js";

const M = "models/team-a/fraud.yaml";
const SECRET = "outside-secret: never printed";

/** The generated part of a repository: what Argo CD would sync. */
function generated(repo: string): Record<string, string> {
  return Object.fromEntries(Object.entries(snapshotTree(repo)).filter(([p]) => p.startsWith("clusters/") || p.startsWith(".github/")));
}

/** A rendered repository; `breakIt` then damages it and render must exit 1 with the output unchanged. */
async function renderRefused(breakIt: (repo: string) => void, format = "text") {
  const repo = tempRepo(baseFiles());
  expect((await berth(repo, "render")).code).toBe(0);
  const before = generated(repo);
  expect(Object.keys(before).length).toBeGreaterThan(20);
  breakIt(repo);
  const run = await berth(repo, "render", "--format", format);
  expect(run.code).toBe(1);
  expect(generated(repo)).toEqual(before);
  return { repo, out: run.stdout + run.stderr };
}

/** The diagnostics of `--format json` output (the envelope's). */
function diagnosticsOf(json: string): unknown[] {
  return JSON.parse(json).diagnostics;
}

/** A folder outside every test repository, holding what a link must never let berth read. */
function outside(): string {
  const dir = tempDir("berth-outside-");
  for (const sub of ["platform/clusters", "tenants", "models/team-a", "team-a"]) mkdirSync(join(dir, sub), { recursive: true });
  for (const f of ["platform/platform.yaml", "platform/clusters/prod.yaml", "tenants/team-a.yaml", "models/team-a/fraud.yaml", "team-a/fraud.yaml"])
    writeFileSync(join(dir, f), `${SECRET}\n: [unclosed\n`);
  return dir;
}

/** Diskio with readdir counted, and optionally failing for one folder. */
function counted(root: string, failAt?: { dir: string; code: string; message: string }) {
  const io = diskIO(root);
  const calls: string[] = [];
  const wrapped: DirIO = {
    resolve: io.resolve,
    readdir(real) {
      calls.push(real);
      if (failAt && real === failAt.dir)
        throw Object.assign(new Error(`${failAt.code}: ${failAt.message}, scandir '${join(root, real)}'`), { code: failAt.code });
      return io.readdir(real);
    },
  };
  return { io: wrapped, calls };
}

describe("finding 2: unreadable is never read as empty", () => {
  test("models/ as a file: BERTH0015 at models, exit 1, tree unchanged", async () => {
    const { out } = await renderRefused((repo) => {
      rmSync(join(repo, "models"), { recursive: true });
      writeFileSync(join(repo, "models"), "not a folder\n");
    });
    expect(out).toMatch(/^models:1:1: error BERTH0015: models is a file, not a folder$/m);
  });

  test.each([
    [
      "a folder named like a spec",
      (r: string) => mkdirSync(join(r, "tenants/team-b.yaml")),
      /tenants\/team-b\.yaml:1:1: error BERTH0015: tenants\/team-b\.yaml is a folder, not a spec file/,
    ],
    [
      "a FIFO",
      (r: string) => execFileSync("mkfifo", [join(r, "models/team-a/pipe.yaml")]),
      /models\/team-a\/pipe\.yaml:1:1: error BERTH0015: .* is a FIFO, not a file or folder/,
    ],
    [
      "platform/ as a file",
      (r: string) => (rmSync(join(r, "platform"), { recursive: true }), writeFileSync(join(r, "platform"), "x")),
      /^platform:1:1: error BERTH0015: platform is a file/m,
    ],
  ])("%s is BERTH0015 and nothing is written", async (_name, breakIt, expected) => {
    const { out } = await renderRefused(breakIt);
    expect(out).toMatch(expected);
    expect(out).not.toMatch(/BERTH0005/); // an unreadable platform/ is not "missing"
  });

  test("a socket is BERTH0015, never opened", async () => {
    const repo = tempRepo(baseFiles());
    const server = createServer();
    await new Promise<void>((ok) => server.listen(join(repo, "models/team-a/live.yaml"), ok));
    try {
      const result = compile({ tree: diskTree(repo) });
      expect(result.diagnostics).toEqual([
        expect.objectContaining({ code: "BERTH0015", file: "models/team-a/live.yaml", message: "models/team-a/live.yaml is a socket, not a file or folder" }),
      ]);
    } finally {
      server.close();
    }
  });

  test("unreadable models/<tenant>/ (stubbed EACCES, runs as any user): BERTH0014 with the OS reason", () => {
    const repo = tempRepo(baseFiles());
    const { io } = counted(repo, { dir: "models/team-a", code: "EACCES", message: "permission denied" });
    const result = compile({ tree: diskTree(repo, io) });
    expect(result.ok).toBe(false);
    expect(result.files).toEqual([]);
    expect(result.diagnostics).toEqual([
      expect.objectContaining({ code: "BERTH0014", file: "models/team-a", line: 1, column: 1, message: "cannot read folder: EACCES (permission denied)" }),
    ]);
  });

  test.each(["tenants", "platform/clusters"])("unreadable %s/ (stubbed EACCES): one error, references into it are not 'unknown'", (dir) => {
    const repo = tempRepo(baseFiles());
    const { io } = counted(repo, { dir, code: "EACCES", message: "permission denied" });
    const result = compile({ tree: diskTree(repo, io) });
    expect(result.diagnostics).toEqual([expect.objectContaining({ code: "BERTH0014", file: dir, message: "cannot read folder: EACCES (permission denied)" })]);
  });

  // Tests run as root, where chmod 000 denies nothing: the CLI then runs as nobody (setpriv).
  const asUser =
    process.getuid?.() !== 0
      ? []
      : spawnSync("setpriv", ["--version"]).status === 0
        ? ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"]
        : undefined;
  (asUser ? test : test.skip)(
    `unreadable folder and file for real (chmod 000${asUser === undefined ? "; skipped: root without setpriv" : ""}): exit 1, json names them, tree unchanged`,
    async () => {
      const repo = tempRepo(baseFiles());
      expect((await berth(repo, "render")).code).toBe(0);
      const before = generated(repo);
      chmodSync(repo, 0o755);
      chmodSync(join(repo, "models/team-a"), 0o000);
      chmodSync(join(repo, "tenants/team-a.yaml"), 0o000);
      const [cmd, ...pre] = [...asUser!, process.execPath];
      const run = spawnSync(cmd!, [...pre, join(REPO_ROOT, "bin/berth.js"), "render", "--root", repo, "--format", "json"], { encoding: "utf8" });
      chmodSync(join(repo, "models/team-a"), 0o755);
      expect(run.status).toBe(1);
      const diagnostics = diagnosticsOf(run.stdout);
      expect(diagnostics).toEqual([
        expect.objectContaining({ file: "models/team-a", code: "BERTH0014", message: "cannot read folder: EACCES (permission denied)" }),
        expect.objectContaining({ file: "tenants/team-a.yaml", code: "BERTH0001", message: "cannot read file: EACCES (permission denied)" }),
      ]);
      expect(generated(repo)).toEqual(before);
    },
  );

  test(".YAML and other case variants are reported with a rename hint; .yml is read", async () => {
    const { out } = await renderRefused((repo) => renameSync(join(repo, M), join(repo, "models/team-a/fraud.YAML")));
    expect(out).toMatch(
      /models\/team-a\/fraud\.YAML:1:1: error BERTH0017: fraud\.YAML is not read: spec files end in \.yaml or \.yml, in lower case\n\s+hint: rename it to fraud\.yaml/,
    );
    const yml = compile({ tree: diskTree(tempRepo({ ...baseFiles(), [M]: null, "models/team-a/fraud.yml": MODEL })) });
    expect(yml.diagnostics).toEqual([]);
    expect(yml.files.some((f) => f.path.includes("/fraud/"))).toBe(true);
    const tenant = compile({ tree: diskTree(tempRepo({ ...baseFiles(), "tenants/team-a.yaml": null, "tenants/team-a.Yml": "x" })) });
    // The tenant exists under the wrong spelling: its models are not also "unknown tenant".
    expect(tenant.diagnostics.map((d) => `${d.file} ${d.code}`)).toEqual(["tenants/team-a.Yml BERTH0017"]);
  });

  test("a dangling link is BERTH0001, not an absent file", () => {
    const repo = tempRepo(baseFiles());
    symlinkSync("gone.yaml", join(repo, "models/team-a/old.yaml"));
    const result = compile({ tree: diskTree(repo) });
    expect(result.diagnostics).toEqual([
      expect.objectContaining({ code: "BERTH0001", file: "models/team-a/old.yaml", message: "cannot read: symbolic link leads nowhere (dangling)" }),
    ]);
  });
});

describe("finding 4: top-level spec folders obey the symlink rule", () => {
  test.each(["platform", "platform/clusters", "tenants", "models", "models/team-a"])(
    "%s -> outside the root: BERTH0003 there, outside content never read or printed",
    async (folder) => {
      const out = outside();
      const { out: printed } = await renderRefused((repo) => {
        rmSync(join(repo, folder), { recursive: true });
        symlinkSync(join(out, folder === "models/team-a" ? "team-a" : folder), join(repo, folder));
      }, "json");
      const diagnostics = diagnosticsOf(printed);
      // Nothing outside was parsed; platform/ is not "missing"; no cascade of unknown clusters or tenants.
      expect(diagnostics).toEqual([
        expect.objectContaining({ file: folder, code: "BERTH0003", message: expect.stringMatching(/^symbolic link points outside the repository root \(/) }),
      ]);
      expect(printed).not.toContain("outside-secret");
    },
  );

  test("models -> / is refused before anything below it is listed", async () => {
    const repo = tempRepo(baseFiles());
    rmSync(join(repo, "models"), { recursive: true });
    symlinkSync("/", join(repo, "models"));
    const { io, calls } = counted(repo);
    const result = compile({ tree: diskTree(repo, io) });
    expect(result.diagnostics).toEqual([
      expect.objectContaining({ code: "BERTH0003", file: "models", message: "symbolic link points outside the repository root (/)" }),
    ]);
    expect(calls.filter((c) => !c.startsWith("platform") && !c.startsWith("tenants"))).toEqual([]);
    const run = await berth(repo, "render");
    expect(run.code).toBe(1);
    expect(run.stderr).not.toMatch(/internal error/);
  });

  test("a top-level folder linked inside the root is followed", () => {
    const repo = tempRepo({ ...baseFiles(), [M]: null, "specs/models/team-a/fraud.yaml": MODEL });
    symlinkSync("specs/models", join(repo, "models"));
    const result = compile({ tree: diskTree(repo) });
    expect(result.diagnostics).toEqual([]);
    expect(result.files.some((f) => f.path.includes("/fraud/"))).toBe(true);
  });
});
