// `berth render`: under the render lock, compile cluster by cluster, staging each cluster's changes
// as it comes, then commit clusters/ and CODEOWNERS as one transaction; nothing at all on an
// error, including a hand-written file where berth must write.
import { appendAll } from "../base/arrays.js";
import { sortDiagnostics, type LocatedDiagnostic } from "../diagnostics.js";
import type { OutputFile } from "../output/files.js";
import { finish } from "../report/index.js";
import type { RenderFiles } from "../report/reporter.js";
import { diffTree, outputProblems, scanTree, type Scope } from "../write/changes.js";
import { Transaction, WriteFailure } from "../write/apply.js";
import { isSystemError, nodeFs, type FsOps } from "../write/fs.js";
import { recoverJournal } from "../write/journal.js";
import { acquireLock, LOCK_FILE, LockHeld, type Holder } from "../write/lock.js";
import { compileRoot, fileDiagnostic, printContext, systemDiagnostic, type Io, type RunOptions } from "./context.js";

export function runRender(opts: RunOptions, io: Io): number {
  const diagnostics: LocatedDiagnostic[] = [];
  const writer = new TreeWriter(opts, io, diagnostics);
  try {
    // Each cluster is compared with the disk and staged as soon as it is compiled (TreeWriter).
    const result = compileRoot(opts, (cluster, files) => writer.stageCluster(cluster, files));
    appendAll(diagnostics, result.diagnostics);
    const files = result.ok ? writer.finish(result.files) : undefined;
    // An error in the specs (or in the way) undoes what was staged; a failed undo is reported too.
    if (files === undefined) writer.close(diagnostics);
    const sorted = sortDiagnostics(diagnostics);
    if (files === undefined || sorted.some((d) => d.severity === "error")) {
      const rollbackIncomplete = sorted.some((d) => d.code === "BERTH0022" && d.message.includes("rolling back"));
      return finish(opts.format, io, { ok: false, diagnostics: sorted, outcome: { command: "render", rollbackIncomplete }, ...printContext(io, result) });
    }
    return finish(opts.format, io, {
      ok: true,
      diagnostics: sorted,
      outcome: { command: "render", files: { total: result.counts.files, ...files } },
      ...printContext(io, result),
    });
  } finally {
    // Whatever stopped the render (a bug included), what it staged is undone and the lock let go.
    writer.close(diagnostics);
  }
}

/**
 * Writes a finished list of files as render does (tests drive the writer with it): each
 * cluster's files staged as one part, then the rest, then the commit. Returns what it wrote,
 * removed and left, or undefined when it wrote nothing because of an error (in `diagnostics`).
 */
export function writeTree(opts: RunOptions, io: Io, files: readonly OutputFile[], diagnostics: LocatedDiagnostic[]): Omit<RenderFiles, "total"> | undefined {
  const writer = new TreeWriter(opts, io, diagnostics);
  try {
    const byCluster = new Map<string, OutputFile[]>();
    const rest: OutputFile[] = [];
    for (const f of files) {
      const cluster = /^clusters\/([^/]+)\//.exec(f.path)?.[1];
      if (cluster === undefined) rest.push(f);
      else if (byCluster.has(cluster)) byCluster.get(cluster)!.push(f);
      else byCluster.set(cluster, [f]);
    }
    for (const [cluster, list] of byCluster) writer.stageCluster(cluster, list);
    const done = writer.finish(rest);
    if (done === undefined) writer.close(diagnostics);
    const sorted = sortDiagnostics(diagnostics);
    diagnostics.length = 0;
    appendAll(diagnostics, sorted);
    return done;
  } finally {
    writer.close(diagnostics);
  }
}

/**
 * The render's side of the disk. With the first cluster compiled without an error (so a render
 * that fails on its specs never waits for the lock, as before), it takes the render lock and
 * finishes an interrupted render; then it compares each cluster's files with its folder as
 * compile hands them over, and stages (journal, folders, temp files) what changed while nothing
 * is in the way; `finish` compares the rest (CODEOWNERS, folders of clusters no longer
 * rendered), stages the removals and commits. Everything found in the way is reported, cluster
 * after cluster; after the first error nothing more is staged, and what was is undone.
 */
class TreeWriter {
  private readonly ops: FsOps;
  private readonly transaction: Transaction;
  private readonly staged = new Set<string>();
  private readonly written: string[] = [];
  private readonly removed: string[] = [];
  private unchanged = 0;
  private readonly said = new Set<string>();
  private failed = false;
  private state: "new" | "open" | "unavailable" | "closed" = "new";
  private release: () => void = () => undefined;

  constructor(
    private readonly opts: RunOptions,
    private readonly io: Io,
    private readonly diagnostics: LocatedDiagnostic[],
  ) {
    this.ops = opts.fsOps ?? nodeFs;
    // BERTH_WRITE_THREADS=1: every system call from this thread (where a second one does not pay).
    this.transaction = new Transaction(opts.root, { ops: this.ops, ...(io.env.BERTH_WRITE_THREADS === "1" ? { parallelFrom: Infinity } : {}) });
  }

  /** Takes the lock and recovers an interrupted render, once; false (with the diagnostics) when that cannot be done. */
  private open(): boolean {
    if (this.state !== "new") return this.state === "open";
    this.state = "unavailable";
    const { opts, io } = this;
    try {
      this.release = acquireLock(opts.root, {
        ops: this.ops,
        waitMs: opts.lockWaitMs,
        onWait: (h) => opts.format === "text" && io.stderr.write(`berth render: waiting for ${holderName(h)} to finish\n`),
      });
    } catch (e) {
      this.failed = true;
      if (isSystemError(e)) this.diagnostics.push(systemDiagnostic(e, opts.root));
      else if (e instanceof LockHeld)
        this.diagnostics.push(
          fileDiagnostic(
            "BERTH0023",
            LOCK_FILE,
            `${holderName(e.holder)} holds ${LOCK_FILE} (waited ${Math.round(e.waitedMs / 1000)} s); two renders on one repository would undo each other`,
            `wait for it to finish; if no berth render is running, delete ${LOCK_FILE}`,
          ),
        );
      else throw e;
      return false;
    }
    this.state = "open";
    try {
      for (const f of recoverJournal(opts.root, this.ops))
        this.diagnostics.push(
          fileDiagnostic(
            "BERTH0022",
            f.path,
            `could not ${f.what} ${f.path} for a render that was interrupted: ${f.reason}`,
            "fix the cause (or move the file away), then render again",
          ),
        );
    } catch (e) {
      if (!isSystemError(e)) throw e;
      this.diagnostics.push(systemDiagnostic(e, opts.root));
    }
    if (this.diagnostics.some((d) => d.severity === "error")) this.failed = true;
    return true;
  }

  /** One cluster's files (all below clusters/<cluster>/): compared with its folder, staged when nothing is in the way. */
  stageCluster(cluster: string, files: readonly OutputFile[]): void {
    if (!this.open()) return;
    const prefix = `clusters/${cluster}/`;
    for (const f of files) if (!f.path.startsWith(prefix)) throw new Error(`berth bug: ${f.path} rendered for cluster ${cluster}`);
    this.staged.add(cluster);
    this.compare(files, { clusters: [cluster], github: false });
  }

  /**
   * The rest of the tree (CODEOWNERS, folders of clusters no longer rendered) is compared and
   * staged with the removals, then everything is committed. Returns what was written, removed
   * and left, or undefined when something stood in the way (the diagnostics say what).
   */
  finish(files: readonly OutputFile[]): Omit<RenderFiles, "total"> | undefined {
    if (!this.open()) return undefined;
    this.compare(files, { ...(this.opts.clusters ? { clusters: this.opts.clusters } : {}), except: this.staged });
    if (this.failed) return undefined;
    try {
      this.transaction.stage([], new Set(), this.removed);
      appendAll(this.diagnostics, this.transaction.commit());
    } catch (e) {
      if (!(e instanceof WriteFailure)) throw e;
      this.fail(e.diagnostics);
      return undefined;
    }
    this.state = "closed";
    this.release();
    return { written: this.written, removed: this.removed, unchanged: this.unchanged };
  }

  /** Undoes what was staged unless it was committed, and lets the lock go. */
  close(diagnostics: LocatedDiagnostic[]): void {
    if (this.state !== "open") return void (this.state = "closed");
    this.state = "closed";
    try {
      appendAll(diagnostics, this.transaction.abort());
    } finally {
      this.release();
    }
  }

  private fail(diagnostics: readonly LocatedDiagnostic[]): void {
    appendAll(this.diagnostics, diagnostics);
    this.failed = true;
    appendAll(this.diagnostics, this.transaction.abort());
  }

  private compare(files: readonly OutputFile[], scope: Scope): void {
    let changes;
    const found: LocatedDiagnostic[] = [];
    try {
      const tree = scanTree(this.opts.root, scope, this.ops);
      changes = diffTree(files, tree.files);
      appendAll(found, outputProblems(tree, files));
    } catch (e) {
      if (!isSystemError(e)) throw e;
      return this.fail([systemDiagnostic(e, this.opts.root)]);
    }
    for (const p of changes.blocked)
      found.push(
        fileDiagnostic(
          "BERTH0010",
          p,
          "a hand-written file (no berth header) stands where berth must write; berth never overwrites it",
          "move or delete the file, then render again",
        ),
      );
    for (const p of changes.foreign)
      found.push(
        fileDiagnostic(
          "BERTH0013",
          p,
          "hand-written file under clusters/ left untouched; `berth check` fails while it is there",
          "move it out of the generated tree",
        ),
      );
    // A problem above the cluster folders (clusters/ itself a link) is found by every cluster's scan: said once.
    const fresh = found.filter((d) => {
      const key = `${d.code}\0${d.file}\0${d.message}`;
      return !this.said.has(key) && !!this.said.add(key);
    });
    if (fresh.some((d) => d.severity === "error")) return this.fail(fresh);
    if (found.some((d) => d.severity === "error")) return;
    appendAll(this.diagnostics, fresh);
    if (this.failed) return;
    try {
      // Removals wait for the commit's stage: every new file is in place before anything goes.
      this.transaction.stage(changes.write, changes.replaced);
    } catch (e) {
      if (!(e instanceof WriteFailure)) throw e;
      return this.fail(e.diagnostics);
    }
    appendAll(
      this.written,
      changes.write.map((f) => f.path),
    );
    appendAll(this.removed, changes.remove);
    this.unchanged += changes.unchanged;
  }
}

function holderName(h: Holder | undefined): string {
  return h ? `the berth render running as process ${h.pid} on ${h.host}` : `a file berth cannot read as its lock`;
}
