// Finding 3 of issue 22: a render that fails leaves the tree as it was. Every failure is injected
// (tests run as root, where chmod cannot make a call fail): the Nth unlink, rename, write...
// fails with the error the operating system would give, and the tree must be byte-identical
// afterwards, with no temp file, journal or lock left behind.
import fc from "fast-check";
import { existsSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { isDeepStrictEqual } from "node:util";
import type { RunOptions } from "../../compiler/commands/context.js";
import { writeTree } from "../../compiler/commands/render.js";
import type { LocatedDiagnostic } from "../../compiler/diagnostics.js";
import { isSystemError, nodeFs, type FsOps } from "../../compiler/write/fs.js";
import { JOURNAL_FILE, recoverJournal } from "../../compiler/write/journal.js";
import { acquireLock, LOCK_FILE } from "../../compiler/write/lock.js";
import type { OutputFile } from "../../compiler/output/files.js";
import { header } from "../../compiler/output/header.js";
import { failingFs, type Fault, type Op } from "../helpers/failing-fs.js";
import { tempRepo } from "../helpers/fixture.js";
import { snapshotTree } from "../helpers/tree.js";

const gen = (path: string, body: string): OutputFile => ({ path, content: header(["models/a/m.yaml"]) + body });

/** Before: two clusters, CODEOWNERS, a hand-written file, and one merely named like a temp file. */
const BEFORE = [
  gen("clusters/a/m1/x.yaml", "x: 1\n"),
  gen("clusters/a/m1/y.yaml", "y: 1\n"),
  gen("clusters/a/old/z.yaml", "z: 1\n"),
  gen("clusters/b/w.yaml", "w: 1\n"),
  gen(".github/CODEOWNERS", "* @a\n"),
];
/** After: x unchanged, y and CODEOWNERS changed, z and w removed, v and u new in new folders. */
const AFTER = [
  gen("clusters/a/m1/x.yaml", "x: 1\n"),
  gen("clusters/a/m1/y.yaml", "y: 2\n"),
  gen("clusters/a/m2/new/v.yaml", "v: 1\n"),
  gen("clusters/c/u.yaml", "u: 1\n"),
  gen(".github/CODEOWNERS", "* @b\n"),
];
const HAND = { "clusters/a/notes.md": "# mine\n", "clusters/a/.q.yaml.berth-tmp-7-deadbeef": "my file, oddly named\n", "platform/platform.yaml": "x\n" };

function render(root: string, files: readonly OutputFile[], ops: FsOps = nodeFs): { summary?: string; diagnostics: LocatedDiagnostic[] } {
  const diagnostics: LocatedDiagnostic[] = [];
  const opts: RunOptions = { root, format: "json", fsOps: ops, lockWaitMs: 0 };
  const io = { cwd: root, env: {}, stdout: { write: () => true }, stderr: { write: () => true } };
  try {
    return { summary: summaryOf(writeTree(opts, io, files, diagnostics)), diagnostics };
  } catch (e) {
    // As runRender does: an operating system error is reported, anything else is a test failure.
    if (!isSystemError(e)) throw e;
    return { diagnostics: [...diagnostics, { file: String(e.path), line: 1, column: 1, severity: "error", code: "BERTH0025", message: e.message }] };
  }
}

function expectedTree(files: readonly OutputFile[]): Record<string, string> {
  return { ...HAND, ...Object.fromEntries(files.map((f) => [f.path, f.content])) };
}

function setUp(): { root: string; before: Record<string, string> } {
  const root = tempRepo(HAND);
  expect(render(root, BEFORE).summary).toBe("5 written, 0 removed, 0 unchanged");
  const before = snapshotTree(root);
  expect(before).toEqual(expectedTree(BEFORE));
  return { root, before };
}

const errorsOf = (r: { diagnostics: LocatedDiagnostic[] }) => r.diagnostics.filter((d) => d.severity === "error");

test("without a failure the render lands, and leaves no temp file, journal or lock", () => {
  const { root } = setUp();
  const run = render(root, AFTER);
  expect(run.summary).toBe("4 written, 2 removed, 1 unchanged");
  expect(snapshotTree(root)).toEqual(expectedTree(AFTER));
  expect(render(root, AFTER).summary).toBe("0 written, 0 removed, 5 unchanged");
});

test.each([
  [
    "the second unlink (a removal) fails with EACCES",
    { op: "unlink", nth: 2, code: "EACCES" },
    /cannot remove clusters\/b\/w\.yaml: EACCES: injected failure; the render was rolled back: nothing changed/,
  ],
  [
    "writing a temp file fails with ENOSPC",
    { op: "writeNew", nth: 5, code: "ENOSPC" },
    /cannot write clusters\/c\/\.u\.yaml\.berth-tmp-[0-9]+-[0-9a-f]+: ENOSPC: injected failure; the render was rolled back/,
  ],
  ["a rename fails with EISDIR", { op: "rename", nth: 3, code: "EISDIR" }, /cannot rename .*: EISDIR/],
  [
    "keeping the old content fails with EMLINK",
    { op: "keepCopy", nth: 1, code: "EMLINK" },
    /cannot keep the old clusters\/a\/m1\/y\.yaml as clusters\/a\/m1\/\.y\.yaml\.berth-old-[0-9]+-[0-9a-f]+: EMLINK/,
  ],
  ["making a folder fails with EROFS", { op: "mkdir", nth: 2, code: "EROFS" }, /cannot create the folder .*: EROFS/],
  // Every cluster after the first adds its part to the journal: the last append marks it committed.
  ["adding a cluster's part to the journal fails with ENOSPC", { op: "append", nth: 1, code: "ENOSPC" }, /cannot write \.berth\.journal: ENOSPC/],
  [
    "marking the journal committed fails with ENOSPC",
    { op: "append", nth: appendsOfOneRender(), code: "ENOSPC" },
    /cannot mark \.berth\.journal committed: ENOSPC/,
  ],
] as [string, Fault, RegExp][])("%s: exit 1 naming the path and the reason, tree byte-identical", (_name, fault, message) => {
  const { root, before } = setUp();
  const ops = failingFs(fault);
  const run = render(root, AFTER, ops);
  expect(ops.fired).toBe(true);
  expect(run.summary).toBeUndefined();
  expect(errorsOf(run)).toEqual([expect.objectContaining({ code: "BERTH0022", message: expect.stringMatching(message) })]);
  expect(snapshotTree(root)).toEqual(before);
  expect(render(root, AFTER).summary).toBe("4 written, 2 removed, 1 unchanged");
});

test("a rollback that fails too keeps the journal; the next render finishes the rollback first", () => {
  const { root, before } = setUp();
  // The 3rd rename puts a temp in place; the 4th (restoring a backup during the rollback) fails too.
  const base = failingFs({ op: "rename", nth: 3, code: "EIO" });
  const ops = failingFs({ op: "rename", nth: 4, code: "EBUSY" }, base);
  const run = render(root, AFTER, ops);
  const errors = errorsOf(run);
  expect(errors).toHaveLength(2);
  expect(errors).toEqual(
    expect.arrayContaining([
      expect.objectContaining({ code: "BERTH0022", message: expect.stringMatching(/EIO.*the rollback is incomplete/) }),
      expect.objectContaining({ code: "BERTH0022", message: expect.stringMatching(/could not restore .* while rolling back: EBUSY/) }),
    ]),
  );
  expect(existsSync(join(root, JOURNAL_FILE))).toBe(true);
  const recover = acquireLock(root, { ops: nodeFs, waitMs: 0 });
  expect(recoverJournal(root, nodeFs)).toEqual([]);
  recover();
  expect(snapshotTree(root)).toEqual(before);
});

test("cleaning up after commit may fail: the render stands, a warning names the leftover, the next render removes it", () => {
  const { root } = setUp();
  const ops = failingFs({ op: "unlink", nth: 3, code: "EBUSY" }); // the first backup dropped after commit
  const run = render(root, AFTER, ops);
  expect(run.summary).toBe("4 written, 2 removed, 1 unchanged");
  expect(run.diagnostics.filter((d) => d.code !== "BERTH0013")).toEqual([
    expect.objectContaining({ code: "BERTH0024", severity: "warning", message: expect.stringMatching(/berth-old-.*EBUSY/) }),
  ]);
  render(root, AFTER);
  expect(snapshotTree(root)).toEqual(expectedTree(AFTER));
});

test("a failure while reading the tree is an error naming the path, and nothing changes", () => {
  const { root, before } = setUp();
  // Each cluster folder is read as its cluster is compiled: the first read is clusters/a.
  const run = render(root, AFTER, failingFs({ op: "readdir", nth: 1, code: "EACCES" }));
  expect(errorsOf(run)).toEqual([expect.objectContaining({ code: "BERTH0025", file: expect.stringMatching(/clusters\/a$/) })]);
  expect(snapshotTree(root)).toEqual(before);
});

const OPS: Op[] = ["lstat", "readdir", "readFile", "readHead", "writeNew", "append", "mkdir", "rmdir", "rename", "unlink", "keepCopy"];
const CODES = ["EACCES", "ENOSPC", "EIO", "EISDIR", "EROFS", "EBUSY"];

test("property: whatever call fails, the tree is before or after, never between; the next render converges", () => {
  const { root, before } = setUp();
  const saved = snapshotTree(root);
  fc.assert(
    fc.property(fc.constantFrom(...OPS), fc.integer({ min: 1, max: 14 }), fc.constantFrom(...CODES), (op, nth, code) => {
      restore(root, saved);
      const run = render(root, AFTER, failingFs({ op, nth, code }));
      const now = snapshotTree(root);
      if (errorsOf(run).length > 0) expect(now).toEqual(before);
      else {
        // Landed; only cleanup after commit may have failed, with a warning per leftover (and
        // the journal kept, so that the next render finishes the cleanup).
        const warned = run.diagnostics.filter((d) => d.code === "BERTH0024").map((d) => d.file);
        const extra = Object.keys(now).filter((p) => !(p in expectedTree(AFTER)) && p !== JOURNAL_FILE);
        expect(warned).toEqual(expect.arrayContaining(extra));
        expect(JOURNAL_FILE in now).toBe(warned.length > 0);
      }
      render(root, AFTER);
      expect(snapshotTree(root)).toEqual(expectedTree(AFTER));
    }),
    { numRuns: 80, seed: 22 },
  );
});

test("property: a render killed at any call is undone (or, once committed, finished) by the next one", () => {
  const { root, before } = setUp();
  const saved = snapshotTree(root);
  fc.assert(
    fc.property(
      fc.constantFrom<Op>("writeNew", "append", "mkdir", "rename", "unlink", "keepCopy", "lstat", "rmdir"),
      fc.integer({ min: 1, max: 12 }),
      (op, nth) => {
        restore(root, saved);
        const ops = failingFs({ op, nth, code: "EKILLED", kill: true });
        render(root, AFTER, ops);
        // The next render's first step, alone: recover from what the killed one left.
        const release = acquireLock(root, { ops: nodeFs, waitMs: 0, partialLockMs: 0 });
        expect(recoverJournal(root, nodeFs)).toEqual([]);
        release();
        const now = snapshotTree(root);
        if (!isDeepStrictEqual(now, expectedTree(AFTER))) expect(now).toEqual(before);
        expect(Object.keys(now).filter((p) => !(p in HAND) && (/berth-(tmp|old)-/.test(p) || p === JOURNAL_FILE || p === LOCK_FILE))).toEqual([]);
      },
    ),
    { numRuns: 80, seed: 22 },
  );
});

/** Puts the tree back to `saved` exactly (the properties run many renders on one folder). */
function restore(root: string, saved: Record<string, string>): void {
  for (const top of ["clusters", ".github", JOURNAL_FILE, LOCK_FILE]) rmSync(join(root, top), { recursive: true, force: true });
  for (const [p, content] of Object.entries(saved)) {
    mkdirSync(dirname(join(root, p)), { recursive: true });
    writeFileSync(join(root, p), content);
  }
}

/** How many appends to the journal the render of AFTER over the set-up tree makes: its last marks the commit. */
function appendsOfOneRender(): number {
  const { root } = setUp();
  const ops = failingFs(undefined);
  render(root, AFTER, ops);
  expect(ops.calls.append).toBeGreaterThan(1);
  return ops.calls.append!;
}

/** The counts render's text line prints, from what writeTree did. */
function summaryOf(done: ReturnType<typeof writeTree>): string | undefined {
  return done && `${done.written.length} written, ${done.removed.length} removed, ${done.unchanged} unchanged`;
}
