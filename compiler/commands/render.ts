// `berth render`: compile, then write clusters/ and CODEOWNERS as one transaction under the render
// lock; nothing at all on an error, including a hand-written file where berth must write.
import { sortDiagnostics, type LocatedDiagnostic } from "../diagnostics.js";
import type { OutputFile } from "../output/files.js";
import { finish } from "../report/index.js";
import type { RenderFiles } from "../report/reporter.js";
import { diffTree, outputProblems, scanTree } from "../write/changes.js";
import { applyChanges, WriteFailure } from "../write/apply.js";
import { isSystemError, nodeFs } from "../write/fs.js";
import { recoverJournal } from "../write/journal.js";
import { acquireLock, LOCK_FILE, LockHeld, type Holder } from "../write/lock.js";
import { compileRoot, fileDiagnostic, printContext, systemDiagnostic, type Io, type RunOptions } from "./context.js";

export function runRender(opts: RunOptions, io: Io): number {
  const result = compileRoot(opts);
  const diagnostics = [...result.diagnostics];
  let done: Omit<RenderFiles, "total"> | undefined;
  if (result.ok) {
    try {
      done = writeTree(opts, io, result.files, diagnostics);
    } catch (e) {
      if (!isSystemError(e)) throw e;
      diagnostics.push(systemDiagnostic(e, opts.root));
    }
  }
  const sorted = sortDiagnostics(diagnostics);
  if (done === undefined || sorted.some((d) => d.severity === "error")) {
    const rollbackIncomplete = sorted.some((d) => d.code === "BERTH0022" && d.message.includes("rolling back"));
    return finish(opts.format, io, { ok: false, diagnostics: sorted, outcome: { command: "render", rollbackIncomplete }, ...printContext(io, result) });
  }
  return finish(opts.format, io, {
    ok: true,
    diagnostics: sorted,
    outcome: { command: "render", files: { total: result.files.length, ...done } },
    ...printContext(io, result),
  });
}

/**
 * Under the render lock: finishes an interrupted render, compares with the disk, and writes when
 * nothing stands in the way. Returns what it wrote, removed and left, or undefined when it wrote
 * nothing because of an error (pushed to `diagnostics`).
 */
export function writeTree(opts: RunOptions, io: Io, files: readonly OutputFile[], diagnostics: LocatedDiagnostic[]): Omit<RenderFiles, "total"> | undefined {
  const ops = opts.fsOps ?? nodeFs;
  let release: () => void;
  try {
    release = acquireLock(opts.root, {
      ops,
      waitMs: opts.lockWaitMs,
      onWait: (h) => opts.format === "text" && io.stderr.write(`berth render: waiting for ${holderName(h)} to finish\n`),
    });
  } catch (e) {
    if (!(e instanceof LockHeld)) throw e;
    diagnostics.push(
      fileDiagnostic(
        "BERTH0023",
        LOCK_FILE,
        `${holderName(e.holder)} holds ${LOCK_FILE} (waited ${Math.round(e.waitedMs / 1000)} s); two renders on one repository would undo each other`,
        `wait for it to finish; if no berth render is running, delete ${LOCK_FILE}`,
      ),
    );
    return undefined;
  }
  try {
    for (const f of recoverJournal(opts.root, ops))
      diagnostics.push(
        fileDiagnostic(
          "BERTH0022",
          f.path,
          `could not ${f.what} ${f.path} for a render that was interrupted: ${f.reason}`,
          "fix the cause (or move the file away), then render again",
        ),
      );
    if (diagnostics.some((d) => d.severity === "error")) return undefined;
    const tree = scanTree(opts.root, { clusters: opts.clusters }, ops);
    const changes = diffTree(files, tree.files);
    diagnostics.push(...outputProblems(tree, files));
    for (const p of changes.blocked)
      diagnostics.push(
        fileDiagnostic(
          "BERTH0010",
          p,
          "a hand-written file (no berth header) stands where berth must write; berth never overwrites it",
          "move or delete the file, then render again",
        ),
      );
    for (const p of changes.foreign)
      diagnostics.push(
        fileDiagnostic(
          "BERTH0013",
          p,
          "hand-written file under clusters/ left untouched; `berth check` fails while it is there",
          "move it out of the generated tree",
        ),
      );
    if (diagnostics.some((d) => d.severity === "error")) return undefined;
    try {
      // BERTH_WRITE_THREADS=1: every system call from this thread (where a second one does not pay).
      diagnostics.push(...applyChanges(opts.root, changes, { ops, ...(io.env.BERTH_WRITE_THREADS === "1" ? { parallelFrom: Infinity } : {}) }));
    } catch (e) {
      if (!(e instanceof WriteFailure)) throw e;
      diagnostics.push(...e.diagnostics);
      return undefined;
    }
    return { written: changes.write.map((f) => f.path), removed: [...changes.remove], unchanged: changes.unchanged };
  } finally {
    release();
  }
}

function holderName(h: Holder | undefined): string {
  return h ? `the berth render running as process ${h.pid} on ${h.host}` : `a file berth cannot read as its lock`;
}
