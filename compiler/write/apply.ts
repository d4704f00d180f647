// Applies a render's changes to the disk as one transaction: everything planned, or nothing.
import { appendAll } from "../base/arrays.js";
import { randomBytes } from "node:crypto";
import type { LocatedDiagnostic } from "../diagnostics.js";
import type { OutputFile } from "../output/files.js";
import { pathDiag, type Changes } from "./changes.js";
import { errorCode, isSystemError, nodeFs, osReason, type FsOps } from "./fs.js";
import { FsHelper, runStep, StepFailure, type FsStep } from "./helper.js";
import {
  backupName,
  appendJournal,
  commitJournal,
  dropJournal,
  finishPlan,
  JOURNAL_FILE,
  parentOf,
  tempName,
  undoPlan,
  under,
  writeJournal,
  type Failure,
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
  const t = new Transaction(root, opts);
  t.stage(changes.write, changes.replaced, changes.remove);
  return t.commit();
}

/**
 * One render's changes, staged in parts and committed once (render stages each cluster's files
 * as soon as that cluster is compiled, so their texts need not be held until the end). A stage
 * adds its part to the journal (the first writes it, later ones append to it), makes the
 * folders and writes the temp files; nothing stands at its target before commit, which renames
 * every temp into place and makes the removals. A failure in any stage or in the commit undoes
 * every stage (WriteFailure); `abort` undoes them when the render stops for another reason.
 */
export class Transaction {
  private readonly ops: FsOps;
  private readonly suffix: string;
  private readonly parallelFrom: number;
  private readonly dirs: string[] = [];
  private readonly writes: { path: string; replaces: boolean }[] = [];
  private readonly removes: string[] = [];
  /** Folders known to exist (those this render makes included). */
  private readonly known = new Set<string>();
  private journaled = false;
  private done = false;
  private helper?: FsHelper;
  private step: { target: string; what: string } = { target: JOURNAL_FILE, what: `write ${JOURNAL_FILE}` };

  constructor(
    private readonly root: string,
    opts: ApplyOptions = {},
  ) {
    this.ops = opts.ops ?? nodeFs;
    this.suffix = opts.suffix ?? `${process.pid}-${randomBytes(4).toString("hex")}`;
    this.parallelFrom = opts.parallelFrom ?? PARALLEL_FROM;
  }

  /** Whether anything was staged. */
  get staged(): boolean {
    return this.journaled;
  }

  private get plan(): WritePlan {
    return { suffix: this.suffix, dirs: this.dirs, writes: this.writes, removes: this.removes };
  }

  /** Journals a part of the render and writes its temp files; throws WriteFailure after undoing every stage. */
  stage(write: readonly OutputFile[], replaced: ReadonlySet<string>, remove: readonly string[] = []): void {
    if (this.done) throw new Error("berth bug: a stage after the transaction ended");
    if (write.length === 0 && remove.length === 0) return;
    const abs = (p: string) => under(this.root, p);
    this.guard(() => {
      // A link or a file where a folder goes throws WriteFailure: earlier stages are undone too.
      const dirs = foldersToMake(this.root, write, this.ops, this.known);
      const part: WritePlan = { suffix: this.suffix, dirs, writes: write.map((f) => ({ path: f.path, replaces: replaced.has(f.path) })), removes: remove };
      this.step = { target: JOURNAL_FILE, what: `write ${JOURNAL_FILE}` };
      if (this.journaled) appendJournal(this.root, part, this.ops);
      else writeJournal(this.root, part, this.ops);
      this.journaled = true;
      appendAll(this.dirs, part.dirs);
      appendAll(this.writes, part.writes);
      appendAll(this.removes, part.removes);
      this.startHelper(write.length + remove.length);
      // Parents first: one phase per depth, since the folders of one depth do not depend on each other.
      for (const level of byDepth(dirs)) this.phase(level, (dir) => [{ op: "mkdir", a: abs(dir), target: dir, what: `create the folder ${dir}` }]);
      this.phase(write, (f) => {
        const tmp = tempName(f.path, this.suffix);
        return [{ op: "writeNew", a: abs(tmp), text: f.content, target: f.path, what: `write ${tmp}` }];
      });
    });
  }

  /** Puts every staged file in place and makes the removals; returns warnings for leftovers, throws WriteFailure after undoing. */
  commit(): LocatedDiagnostic[] {
    if (this.done) throw new Error("berth bug: a commit after the transaction ended");
    if (!this.journaled) return ((this.done = true), []);
    const abs = (p: string) => under(this.root, p);
    const suffix = this.suffix;
    this.guard(() => {
      this.startHelper(this.writes.length + this.removes.length);
      this.phase(this.writes, ({ path, replaces }) => {
        const tmp = tempName(path, suffix);
        const old = backupName(path, suffix);
        const rename: FsStep = { op: "rename", a: abs(tmp), b: abs(path), target: path, what: `rename ${tmp} to ${path}` };
        return replaces ? [{ op: "keepCopy", a: abs(path), b: abs(old), target: path, what: `keep the old ${path} as ${old}` }, rename] : [rename];
      });
      this.phase(this.removes, (path) => {
        const old = backupName(path, suffix);
        return [
          { op: "keepCopy", a: abs(path), b: abs(old), target: path, what: `keep ${path} as ${old}` },
          { op: "unlink", a: abs(path), target: path, what: `remove ${path}` },
        ];
      });
      this.helper?.close();
      this.helper = undefined;
      this.step = { target: JOURNAL_FILE, what: `mark ${JOURNAL_FILE} committed` };
      commitJournal(this.root, this.ops);
    });
    this.done = true;
    const leftovers = this.dropJournalUnless(finishPlan(this.root, this.plan, this.ops));
    return leftovers.map((f) => ({
      ...pathDiag(f.path, "BERTH0024", `rendered, but could not ${f.what} ${f.path}: ${f.reason}`, "the next render removes it"),
      severity: "warning" as const,
    }));
  }

  /** Undoes every stage (the render stopped on an error of its own): errors for what could not be undone. */
  abort(): LocatedDiagnostic[] {
    if (this.done) return [];
    this.done = true;
    this.helper?.close();
    this.helper = undefined;
    if (!this.journaled) return [];
    return rollbackFailures(this.rollback());
  }

  private rollback(): Failure[] {
    return this.dropJournalUnless(undoPlan(this.root, this.plan, this.ops));
  }

  /** The journal goes once nothing is left to do; while something is, it stays for the next render. */
  private dropJournalUnless(failures: Failure[]): Failure[] {
    if (failures.length === 0) {
      try {
        dropJournal(this.root, this.ops);
      } catch (e) {
        failures.push({ path: JOURNAL_FILE, what: "remove", reason: osReason(e) });
      }
    }
    return failures;
  }

  private startHelper(items: number): void {
    if (!this.helper && this.ops === nodeFs && items >= this.parallelFrom) this.helper = FsHelper.start();
  }

  /** One phase after the other (every temp is written before the first rename), each on both threads when there are two. */
  private phase<T>(items: readonly T[], stepsOf: (item: T) => FsStep[]): void {
    if (this.helper) {
      try {
        this.helper.runPhase(items, stepsOf);
      } catch (e) {
        if (!(e instanceof StepFailure)) throw e;
        this.step = e.step.target ? e.step : this.step;
        throw e.error;
      }
      return;
    }
    for (const item of items)
      for (const s of stepsOf(item)) {
        this.step = s;
        runStep(this.ops, s);
      }
  }

  /** Runs a stage or the commit; on any failure undoes every stage and ends the transaction. */
  private guard(run: () => void): void {
    try {
      run();
    } catch (e) {
      this.done = true;
      this.helper?.close(); // settled already: runPhase returns or throws only once both threads have stopped
      this.helper = undefined;
      const failures = this.journaled ? this.rollback() : [];
      // A bug stays a bug (its journal, if the undo failed, is finished by the next render).
      if (!isSystemError(e)) throw e;
      const outcome = failures.length === 0 ? "the render was rolled back: nothing changed" : "the rollback is incomplete (below); the next render finishes it";
      throw new WriteFailure([
        pathDiag(this.step.target, "BERTH0022", `cannot ${this.step.what}: ${osReason(e)}; ${outcome}`, "free space or fix the permissions, then render again"),
        ...rollbackFailures(failures),
      ]);
    }
  }
}

/** What an undo could not put back: errors, and the journal stays for the next render. */
function rollbackFailures(failures: readonly Failure[]): LocatedDiagnostic[] {
  return failures.map((f) =>
    pathDiag(
      f.path,
      "BERTH0022",
      `could not ${f.what} ${f.path} while rolling back: ${f.reason}; ${JOURNAL_FILE} keeps the plan`,
      "fix the cause, then render again: it finishes the rollback first",
    ),
  );
}

/** Folders grouped by depth, shallowest first, each group in its original order. */
function byDepth(dirs: readonly string[]): string[][] {
  const levels: string[][] = [];
  for (const dir of dirs) (levels[dir.split("/").length - 1] ??= []).push(dir);
  return levels.filter((l) => l !== undefined);
}

/** The folders the writes need that do not exist yet, parents first. */
function foldersToMake(root: string, writes: readonly OutputFile[], ops: FsOps, known = new Set<string>()): string[] {
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
    known.add(dir); // it exists once this stage has made it
    if (!st) make.push(dir);
  };
  for (const f of writes) need(parentOf(f.path));
  return make;
}
