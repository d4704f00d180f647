// Findings 3 and 4 of issue 22, on a real disk: nothing is written through a symbolic link, a
// folder or file in the way is found before anything changes, a file merely named like a temp
// file is never deleted, and what a killed render left (under .github too) goes on the next run.
import { existsSync, mkdirSync, readFileSync, readdirSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { writeTree, type RunOptions } from "../../compiler/commands/run.js";
import type { LocatedDiagnostic } from "../../compiler/diagnostics.js";
import { nodeFs, type FsOps } from "../../compiler/write/fs.js";
import { JOURNAL_FILE } from "../../compiler/write/journal.js";
import { LOCK_FILE } from "../../compiler/write/lock.js";
import type { OutputFile } from "../../compiler/output/files.js";
import { header } from "../../compiler/output/header.js";
import { failingFs } from "../helpers/failing-fs.js";
import { tempRepo } from "../helpers/fixture.js";
import { snapshotTree } from "../helpers/tree.js";

const gen = (path: string, body: string): OutputFile => ({ path, content: header(["models/a/m.yaml"]) + body });
const FILES = [gen(".github/CODEOWNERS", "* @a\n"), gen("clusters/a/apps/x.yaml", "x: 1\n"), gen("clusters/a/y.yaml", "y: 1\n")];

function render(root: string, files: readonly OutputFile[] = FILES, ops: FsOps = nodeFs): { summary?: string; errors: LocatedDiagnostic[] } {
  const diagnostics: LocatedDiagnostic[] = [];
  const opts: RunOptions = { root, format: "json", fsOps: ops, lockWaitMs: 0 };
  const summary = writeTree(opts, { cwd: root, env: {}, stdout: { write: () => true }, stderr: { write: () => true } }, files, diagnostics);
  return { summary, errors: diagnostics.filter((d) => d.severity === "error") };
}

describe("symbolic links in the generated tree are refused, and nothing is written through them", () => {
  test.each([
    ["clusters/ itself", "clusters"],
    ["a cluster's folder", "clusters/a"],
    ["a folder deeper down", "clusters/a/apps"],
  ])("%s", (_name, link) => {
    const outside = tempRepo({ "x.yaml": "hand-written, outside the repository\n", "apps/x.yaml": "hand-written too\n", "a/apps/x.yaml": "and this\n" });
    const root = tempRepo({ "platform/platform.yaml": "x\n" });
    mkdirSync(join(root, link, ".."), { recursive: true });
    symlinkSync(outside, join(root, link));
    const before = snapshotTree(outside);
    const rootBefore = snapshotTree(root);
    const run = render(root);
    expect(run.summary).toBeUndefined();
    expect(run.errors).toEqual([expect.objectContaining({ file: link, code: "BERTH0020", message: expect.stringMatching(/is a symbolic link/) })]);
    expect(snapshotTree(outside)).toEqual(before);
    expect(snapshotTree(root)).toEqual(rootBefore);
  });

  test(".github/ as a link, and a link where a file goes", () => {
    const outside = tempRepo({ CODEOWNERS: "* @someone-else\n" });
    const root = tempRepo({ "clusters/a/notes.md": "mine\n" });
    symlinkSync(outside, join(root, ".github"));
    symlinkSync(join(outside, "CODEOWNERS"), join(root, "clusters/a/y.yaml"));
    const run = render(root);
    expect(run.errors.map((d) => [d.file, d.code])).toEqual([
      [".github", "BERTH0020"],
      ["clusters/a/y.yaml", "BERTH0020"],
    ]);
    expect(readFileSync(join(outside, "CODEOWNERS"), "utf8")).toBe("* @someone-else\n");
    expect(existsSync(join(root, "clusters/a/apps"))).toBe(false);
  });
});

test("a folder where a file goes (EISDIR) and a file where a folder goes are found before anything is written", () => {
  const root = tempRepo({ "clusters/a/y.yaml/inside.txt": "a folder named like an output\n", "clusters/a/apps": "a file named like a folder\n" });
  const before = snapshotTree(root);
  const run = render(root);
  expect(run.errors.map((d) => [d.file, d.code, d.message])).toEqual([
    ["clusters/a/apps", "BERTH0021", "clusters/a/apps is a file where berth needs a folder (for clusters/a/apps/x.yaml)"],
    ["clusters/a/y.yaml", "BERTH0021", "a folder stands where berth must write the file clusters/a/y.yaml"],
  ]);
  expect(snapshotTree(root)).toEqual(before);
});

test("a hand-written file named like a temp file survives every render, under clusters/ and .github/", () => {
  const hand = {
    "clusters/a/.y.yaml.berth-tmp-1234-0a1b2c3d": "mine\n",
    ".github/.CODEOWNERS.berth-tmp-99": "mine too\n",
    "clusters/a/.z.yaml.berth-old-5": "",
  };
  const root = tempRepo(hand);
  expect(render(root).summary).toBe("3 written, 0 removed, 0 unchanged");
  expect(render(root).summary).toBe("0 written, 0 removed, 3 unchanged");
  const tree = snapshotTree(root);
  for (const [p, content] of Object.entries(hand)) expect(tree[p]).toBe(content);
});

test("a render killed while writing CODEOWNERS leaves nothing behind once the next one ran", () => {
  const root = tempRepo({});
  render(root);
  const before = snapshotTree(root);
  const next = [gen(".github/CODEOWNERS", "* @b\n"), ...FILES.slice(1)];
  // Killed half-way through writing the CODEOWNERS temp: the file is half there, nothing runs after.
  render(root, next, failingFs({ op: "writeNew", nth: 3, code: "EKILLED", kill: true }));
  expect(readdirSync(join(root, ".github")).filter((n) => n.startsWith(".CODEOWNERS.berth-tmp-"))).toHaveLength(1);
  expect(existsSync(join(root, JOURNAL_FILE))).toBe(true);
  expect(existsSync(join(root, LOCK_FILE))).toBe(true);
  const after = render(root, next);
  expect(after.summary).toBe("1 written, 0 removed, 2 unchanged");
  const tree = snapshotTree(root);
  expect(Object.keys(tree).sort()).toEqual(Object.keys(before).sort());
  expect(tree[".github/CODEOWNERS"]).toContain("* @b");
});

test("temp files of an older berth (no journal) go when they carry berth's header, under .github/ too", () => {
  const root = tempRepo({});
  render(root);
  writeFileSync(join(root, ".github/.CODEOWNERS.berth-tmp-4242"), header(["platform/platform.yaml"]) + "* @half");
  writeFileSync(join(root, "clusters/a/.y.yaml.berth-tmp-4242"), header(["models/a/m.yaml"]) + "y: 1\n");
  expect(render(root).summary).toBe("0 written, 2 removed, 3 unchanged");
  expect(readdirSync(join(root, ".github"))).toEqual(["CODEOWNERS"]);
});

test("a journal cut short (killed while writing it) is dropped; a file merely named like one is refused, and kept", () => {
  const root = tempRepo({ [JOURNAL_FILE]: '{"journal":"berth-journal/1","plan":{"suffix":"12-ab' });
  expect(render(root).summary).toBe("3 written, 0 removed, 0 unchanged");
  expect(existsSync(join(root, JOURNAL_FILE))).toBe(false);
  writeFileSync(join(root, JOURNAL_FILE), "my notes\n");
  const before = snapshotTree(root);
  expect(render(root, [gen(".github/CODEOWNERS", "* @b\n")]).errors).toEqual([
    expect.objectContaining({
      file: JOURNAL_FILE,
      code: "BERTH0022",
      message: "could not recover from .berth.journal for a render that was interrupted: not a berth journal",
    }),
  ]);
  expect(snapshotTree(root)).toEqual(before);
});
