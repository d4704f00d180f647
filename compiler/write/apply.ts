// Applies a render's changes to the disk as one transaction: everything planned, or nothing.
import { randomBytes } from "node:crypto";
import type { LocatedDiagnostic } from "../diagnostics.js";
import type { OutputFile } from "../output/files.js";
import { pathDiag, type Changes } from "./changes.js";
import { errorCode, isSystemError, nodeFs, osReason, type FsOps } from "./fs.js";
import { FsHelper, runStep, StepFailure, type FsStep } from "./helper.js";
import {
  backupName,
  commitJournal,
  dropJournal,
  finishPlan,
  JOURNAL_FILE,
  parentOf,
  tempName,
  undoPlan,
  under,
  writeJournal,
  type WritePlan,
} from "./journal.js";

/** A write that failed and was rolled back (or could not be): the diagnostics that say so. */
export class WriteFailure extends Error {
  constructor(readonly diagnostics: LocatedDiagnostic[]) {
    super(diagnostics.map((d) => `${d.file}: ${d.message}`).join("; "));
  }
}

export interface ApplyOptions {
  readonly ops?: FsOps;
  /**
   * Files to write or remove from which a second thread shares the system calls (helper.ts);
   * default PARALLEL_FROM. Only with the real file system: injected operations run on one thread.
   */
  readonly parallelFrom?: number;
  /** Temp and backup names end in `-<suffix>`; default `<pid>-<random>`. */
  readonly suffix?: string;
}

/** Below this many files a second thread costs more to start (~30 ms) than it saves. */
export const PARALLEL_FROM = 512;

/**
 * Applies changes as one transaction. The whole plan goes to the journal first; then folders are
 * made, every new content is written to a temp file beside its target, each replaced or removed
 * file keeps a second name (a hard link: no copy) and the temps are renamed over their targets;
 * removals come last. Until the journal says "commit", any failure undoes all of it, and a
 * killed render is undone by the next one. Only then are the old copies dropped. Returns
 * warnings for leftovers that could not be cleaned; throws WriteFailure for an operating system
 * error (everything undone), or the error itself, after undoing, for a bug.
 */
export function applyChanges(root: string, changes: Changes, opts: ApplyOptions = {}): LocatedDiagnostic[] {
  if (changes.write.length === 0 && changes.remove.length === 0) return [];
  const ops = opts.ops ?? nodeFs;
  const suffix = opts.suffix ?? `${process.pid}-${randomBytes(4).toString("hex")}`;
  const abs = (p: string) => under(root, p);
  const plan: WritePlan = {
    suffix,
    dirs: foldersToMake(root, changes.write, ops),
    writes: changes.write.map((f) => ({ path: f.path, replaces: changes.replaced.has(f.path) })),
    removes: changes.remove,
  };
  let step = { target: JOURNAL_FILE, what: `write ${JOURNAL_FILE}` };
  let journaled = false;
  const parallel = ops === nodeFs && changes.write.length + changes.remove.length >= (opts.parallelFrom ?? PARALLEL_FROM);
  const helper = parallel ? FsHelper.start() : undefined;
  // One phase after the other (every temp is written before the first rename), each on both threads when there are two.
  const phase = <T>(items: readonly T[], stepsOf: (item: T) => FsStep[]): void => {
    if (helper) {
      try {
        helper.runPhase(items, stepsOf);
      } catch (e) {
        if (!(e instanceof StepFailure)) throw e;
        step = e.step.target ? e.step : step;
        throw e.error;
      }
      return;
    }
    for (const item of items)
      for (const s of stepsOf(item)) {
        step = s;
        runStep(ops, s);
      }
  };
  try {
    writeJournal(root, plan, ops);
    journaled = true;
    // Parents first: one phase per depth, since the folders of one depth do not depend on each other.
    for (const level of byDepth(plan.dirs)) phase(level, (dir) => [{ op: "mkdir", a: abs(dir), target: dir, what: `create the folder ${dir}` }]);
    phase(changes.write, (f) => {
      const tmp = tempName(f.path, suffix);
      return [{ op: "writeNew", a: abs(tmp), text: f.content, target: f.path, what: `write ${tmp}` }];
    });
    phase(plan.writes, ({ path, replaces }) => {
      const tmp = tempName(path, suffix);
      const old = backupName(path, suffix);
      const rename: FsStep = { op: "rename", a: abs(tmp), b: abs(path), target: path, what: `rename ${tmp} to ${path}` };
      return replaces ? [{ op: "keepCopy", a: abs(path), b: abs(old), target: path, what: `keep the old ${path} as ${old}` }, rename] : [rename];
    });
    phase(plan.removes, (path) => {
      const old = backupName(path, suffix);
      return [
        { op: "keepCopy", a: abs(path), b: abs(old), target: path, what: `keep ${path} as ${old}` },
        { op: "unlink", a: abs(path), target: path, what: `remove ${path}` },
      ];
    });
    helper?.close();
    step = { target: JOURNAL_FILE, what: `mark ${JOURNAL_FILE} committed` };
    commitJournal(root, ops);
  } catch (e) {
    helper?.close(); // settled already: runPhase returns or throws only once both threads have stopped
    const failures = journaled ? undoPlan(root, plan, ops) : [];
    if (journaled && failures.length === 0) {
      try {
        dropJournal(root, ops);
      } catch (d) {
        failures.push({ path: JOURNAL_FILE, what: "remove", reason: osReason(d) });
      }
    }
    // A bug stays a bug (its journal, if the undo failed, is finished by the next render).
    if (!isSystemError(e)) throw e;
    const outcome = failures.length === 0 ? "the render was rolled back: nothing changed" : "the rollback is incomplete (below); the next render finishes it";
    throw new WriteFailure([
      pathDiag(step.target, "BERTH0022", `cannot ${step.what}: ${osReason(e)}; ${outcome}`, "free space or fix the permissions, then render again"),
      ...failures.map((f) =>
        pathDiag(
          f.path,
          "BERTH0022",
          `could not ${f.what} ${f.path} while rolling back: ${f.reason}; ${JOURNAL_FILE} keeps the plan`,
          "fix the cause, then render again: it finishes the rollback first",
        ),
      ),
    ]);
  }
  const leftovers = finishPlan(root, plan, ops);
  if (leftovers.length === 0) {
    try {
      dropJournal(root, ops);
    } catch (e) {
      leftovers.push({ path: JOURNAL_FILE, what: "remove", reason: osReason(e) });
    }
  }
  return leftovers.map((f) => ({
    ...pathDiag(f.path, "BERTH0024", `rendered, but could not ${f.what} ${f.path}: ${f.reason}`, "the next render removes it"),
    severity: "warning" as const,
  }));
}

/** Folders grouped by depth, shallowest first, each group in its original order. */
function byDepth(dirs: readonly string[]): string[][] {
  const levels: string[][] = [];
  for (const dir of dirs) (levels[dir.split("/").length - 1] ??= []).push(dir);
  return levels.filter((l) => l !== undefined);
}

/** The folders the writes need that do not exist yet, parents first. */
function foldersToMake(root: string, writes: readonly OutputFile[], ops: FsOps): string[] {
  const known = new Map<string, boolean>(); // folder -> exists
  const make: string[] = [];
  const need = (dir: string): void => {
    if (dir === "." || known.has(dir)) return;
    let st;
    try {
      st = ops.lstat(under(root, dir));
    } catch (e) {
      if (errorCode(e) !== "ENOENT") throw new WriteFailure([pathDiag(dir, "BERTH0022", `cannot inspect ${dir}: ${osReason(e)}; nothing changed`)]);
    }
    if (st && st.isSymbolicLink())
      throw new WriteFailure([pathDiag(dir, "BERTH0020", `${dir} is a symbolic link; berth never writes through a link in the generated tree`)]);
    if (st && !st.isDirectory()) throw new WriteFailure([pathDiag(dir, "BERTH0021", `${dir} is a file where berth needs a folder`)]);
    if (!st) need(parentOf(dir));
    known.set(dir, !!st);
    if (!st) make.push(dir);
  };
  for (const f of writes) need(parentOf(f.path));
  return make;
}
