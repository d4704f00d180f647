// A render that writes many files shares the system calls with a helper thread (write/helper.ts):
// the tree it leaves is the one a single thread leaves, and a failure on either thread, in any
// phase, is reported at its file and undone completely, as on one thread.
import { spawnSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import type { OutputFile } from "../../compiler/output/files.js";
import { header } from "../../compiler/output/header.js";
import { applyChanges, WriteFailure } from "../../compiler/write/apply.js";
import { diffTree, readExisting } from "../../compiler/write/changes.js";
import { CHUNK, FsHelper } from "../../compiler/write/helper.js";
import { tempName } from "../../compiler/write/journal.js";
import { REPO_ROOT, tempRepo } from "../helpers/fixture.js";
import { snapshotTree } from "../helpers/tree.js";

const gen = (path: string, body: string): OutputFile => ({ path, content: header(["models/a/m.yaml"]) + body });
const SUFFIX = "4242-0badcafe";

/** `n` files over nested folders, in path order (as render hands them over). */
function fleet(n: number, body = "v: 1\n"): OutputFile[] {
  const files = Array.from({ length: n }, (_, i) => gen(`clusters/c${i % 3}/t${i % 7}/m${String(i).padStart(5, "0")}/deployment.yaml`, `${body}i: ${i}\n`));
  return files.sort((a, b) => (a.path < b.path ? -1 : 1));
}

function apply(root: string, files: readonly OutputFile[], parallelFrom: number): void {
  applyChanges(root, diffTree(files, readExisting(root, {})), { suffix: SUFFIX, parallelFrom });
}

function failure(run: () => void): WriteFailure {
  try {
    run();
  } catch (e) {
    if (e instanceof WriteFailure) return e;
    throw e;
  }
  throw new Error("expected the write to fail");
}

const N = CHUNK * 4 + 17; // chunks 0 and 2 go to the helper, 1 and 3 stay on the render's thread

test("two threads leave the tree one thread leaves: writes, replacements and removals", () => {
  const before = fleet(N);
  const after = fleet(N, "v: 2\n").filter((_, i) => i % 5 !== 0); // every file changed, a fifth removed
  const one = tempRepo({ "platform/platform.yaml": "x" });
  const two = tempRepo({ "platform/platform.yaml": "x" });
  const started = FsHelper.started;
  apply(one, before, Infinity);
  apply(two, before, 1);
  expect(snapshotTree(two)).toEqual(snapshotTree(one));
  apply(one, after, Infinity);
  apply(two, after, 1);
  expect(FsHelper.started - started).toBe(2);
  const tree = snapshotTree(two);
  expect(tree).toEqual(snapshotTree(one));
  expect(Object.keys(tree).filter((p) => p.startsWith("clusters/"))).toHaveLength(after.length);
  expect(Object.keys(tree).filter((p) => /berth-(tmp|old)|journal/.test(p))).toEqual([]);
});

function attempt(root: string, files: readonly OutputFile[], parallelFrom: number, obstacle: (writes: readonly OutputFile[]) => void) {
  const changes = diffTree(files, readExisting(root, {}));
  obstacle(changes.write);
  const started = FsHelper.started;
  const e = failure(() => applyChanges(root, changes, { suffix: SUFFIX, parallelFrom }));
  return { diagnostics: e.diagnostics, threads: FsHelper.started - started + 1, tree: snapshotTree(root) };
}

/** The same failure on one thread and on two: the same diagnostics and the same tree afterwards. */
function onBothThreadCounts(files: readonly OutputFile[], ready: readonly OutputFile[], obstacle: (root: string, writes: readonly OutputFile[]) => void) {
  const [one, two] = [0, 1].map(() => {
    const root = tempRepo({ "platform/platform.yaml": "x" });
    apply(root, ready, Infinity);
    return root;
  });
  const before = snapshotTree(one);
  const serial = attempt(one, files, Infinity, (w) => obstacle(one, w));
  const parallel = attempt(two, files, 1, (w) => obstacle(two, w));
  expect([serial.threads, parallel.threads]).toEqual([1, 2]);
  expect(parallel.diagnostics).toEqual(serial.diagnostics);
  expect(parallel.tree).toEqual(serial.tree);
  return { ...parallel, before };
}

// A folder in the way of one file's temp name fails its create (EEXIST) on whichever thread has it.
test.each([
  ["the helper's", 0],
  ["the render thread's", CHUNK + 3],
])("a temp file that cannot be made on %s side fails the render as on one thread", (_side, index) => {
  const files = fleet(N);
  let blocked = "";
  const out = onBothThreadCounts(files, files.slice(0, 10), (root, writes) => {
    blocked = writes[index].path;
    mkdirSync(join(root, tempName(blocked, SUFFIX)), { recursive: true });
  });
  expect(out.diagnostics[0]).toEqual(
    expect.objectContaining({
      file: blocked,
      code: "BERTH0022",
      message: expect.stringMatching(/^cannot write .*\.berth-tmp-4242-0badcafe: EEXIST: file already exists; /),
    }),
  );
  // Every file the render wrote is gone again; only its journal stays, for the folder it cannot remove as a temp.
  expect(Object.keys(out.tree).filter((p) => !(p in out.before))).toEqual([".berth.journal"]);
});

// A folder made where a new file goes, after the plan was made: its rename fails (EISDIR).
test("a rename that fails on the helper's side is undone with every other change", () => {
  const files = fleet(N);
  let blocked = "";
  const out = onBothThreadCounts(files, files.slice(0, 10), (root, writes) => {
    blocked = writes[2 * CHUNK + 1].path; // chunk 2: the helper's
    mkdirSync(join(root, blocked), { recursive: true });
    writeFileSync(join(root, blocked, "mine.txt"), "mine\n");
  });
  expect(out.diagnostics).toEqual([
    expect.objectContaining({
      file: blocked,
      code: "BERTH0022",
      message: expect.stringMatching(/^cannot rename .* to .*: EISDIR: .*; the render was rolled back: nothing changed$/),
    }),
  ]);
  expect(out.tree).toEqual({ ...out.before, [`${blocked}/mine.txt`]: "mine\n" });
});

test("a serializer bug while handing files to the helper is thrown after the undo, not reported as a disk error", () => {
  const files = fleet(N);
  const root = tempRepo({ "platform/platform.yaml": "x" });
  const snapshot = snapshotTree(root);
  const broken = files.map((f, i) =>
    i === 2 * CHUNK + 5
      ? {
          path: f.path,
          get content(): string {
            throw new Error("serializer bug");
          },
        }
      : f,
  );
  expect(() => apply(root, broken, 1)).toThrow("serializer bug");
  expect(snapshotTree(root)).toEqual(snapshot);
});

// A runtime where the helper cannot start (here: one that refuses code made from strings, which
// is how the helper gets its writing code) writes from one thread instead of failing. Runs the
// built code (dist/, made by `npm test`'s tsc) in a child process with that flag.
test("a helper that cannot start leaves the writes to the render's thread", () => {
  const root = tempRepo({ "platform/platform.yaml": "x" });
  const script = `
    import { applyChanges } from ${JSON.stringify(pathToFileURL(join(REPO_ROOT, "dist/compiler/write/apply.js")).href)};
    import { diffTree, readExisting } from ${JSON.stringify(pathToFileURL(join(REPO_ROOT, "dist/compiler/write/changes.js")).href)};
    import { FsHelper } from ${JSON.stringify(pathToFileURL(join(REPO_ROOT, "dist/compiler/write/helper.js")).href)};
    const files = JSON.parse(process.env.FILES);
    applyChanges(process.env.ROOT, diffTree(files, readExisting(process.env.ROOT, {})), { parallelFrom: 1 });
    process.stdout.write(String(FsHelper.started));`;
  const files = fleet(600);
  const run = spawnSync(process.execPath, ["--disallow-code-generation-from-strings", "--input-type=module", "-e", script], {
    env: { ...process.env, ROOT: root, FILES: JSON.stringify(files) },
    encoding: "utf8",
  });
  expect(run.stderr).toBe("");
  expect(run.stdout).toBe("0"); // no helper was started...
  const tree = snapshotTree(root);
  expect(files.every((f) => tree[f.path] === f.content)).toBe(true); // ...and every file is written
});
