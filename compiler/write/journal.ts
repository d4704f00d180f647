// The journal of a render: before it changes anything, render writes its plan (folders to make,
// files to write or replace, files to remove) to `.berth.journal`, one line per part it stages
// (a render stages cluster by cluster), and marks it committed once every change is in place. From the plan alone, every change can be undone or finished, by
// the failing render itself or, after a kill, by the next one. The journal is also what proves a
// temp file ours: a file merely named like one is never deleted on its say-so.
import { HEADER_PREFIX } from "../output/header.js";
import { errorCode, osReason, type FsOps } from "./fs.js";

export const JOURNAL_FILE = ".berth.journal";
const MAGIC = "berth-journal/1";
const COMMIT = "commit\n";

export interface WritePlan {
  /** `<pid>-<random>`: the temp and backup names of this render. */
  readonly suffix: string;
  /** Folders to make, parents first. */
  readonly dirs: readonly string[];
  /** Files to write; `replaces` when one stood there (it is kept as a backup until commit). */
  readonly writes: readonly { readonly path: string; readonly replaces: boolean }[];
  readonly removes: readonly string[];
}

/** A change that could not be made or undone: the path and the operating system's reason. */
export interface Failure {
  readonly path: string;
  readonly what: string;
  readonly reason: string;
}

// Paths are relative, "/"-separated and already normal: plain string work instead of node:path,
// which showed in the profile of a 30,000-file render.

/** `path` below the root folder `root`. */
export function under(root: string, path: string): string {
  return root.endsWith("/") ? root + path : `${root}/${path}`;
}

/** The folder of a relative path ("." at the top). */
export function parentOf(path: string): string {
  const i = path.lastIndexOf("/");
  return i < 0 ? "." : path.slice(0, i);
}

function besideAs(path: string, tail: string): string {
  const i = path.lastIndexOf("/");
  return `${path.slice(0, i + 1)}.${path.slice(i + 1)}${tail}`;
}

/** Where a file's new content waits before it is renamed into place. */
export function tempName(path: string, suffix: string): string {
  return besideAs(path, `.berth-tmp-${suffix}`);
}

/** Where a replaced or removed file's old content waits until the render commits. */
export function backupName(path: string, suffix: string): string {
  return besideAs(path, `.berth-old-${suffix}`);
}

/** Names a render gives its temp and backup files (older berths used `.<name>.berth-tmp-<pid>`). */
export function looksLikeTemp(name: string): boolean {
  return /^\..+\.berth-(tmp|old)-\d+(-[0-9a-f]+)?$/.test(name);
}

export function writeJournal(root: string, plan: WritePlan, ops: FsOps): void {
  ops.writeNew(under(root, JOURNAL_FILE), JSON.stringify({ journal: MAGIC, plan }) + "\n");
}

/**
 * A later part of the same render's plan (render stages cluster by cluster): one more line, in
 * the first line's format. A line cut short was being appended when its render died, before
 * anything of that part was done, so recovery leaves it out.
 */
export function appendJournal(root: string, part: WritePlan, ops: FsOps): void {
  ops.append(under(root, JOURNAL_FILE), JSON.stringify({ journal: MAGIC, plan: part }) + "\n");
}

export function commitJournal(root: string, ops: FsOps): void {
  ops.append(under(root, JOURNAL_FILE), COMMIT);
}

export function dropJournal(root: string, ops: FsOps): void {
  ops.unlink(under(root, JOURNAL_FILE));
}

/**
 * Undoes or finishes the render that left a journal behind (it was killed, or its own rollback
 * failed), then drops the journal. Returns what could not be done; the journal then stays.
 * A journal cut short was being written when its render died: nothing had changed yet.
 */
export function recoverJournal(root: string, ops: FsOps): Failure[] {
  const path = under(root, JOURNAL_FILE);
  let text: string;
  try {
    text = ops.readFile(path);
  } catch (e) {
    if (errorCode(e) === "ENOENT") return [];
    return [{ path: JOURNAL_FILE, what: "read", reason: osReason(e) }];
  }
  const newline = text.indexOf("\n");
  const first = newline < 0 ? undefined : parsePlan(text.slice(0, newline));
  if (!first) {
    // Cut short while being written, before anything changed: nothing to undo.
    if (text.startsWith(`{"journal":"${MAGIC}"`) && newline < 0) return attempt([], JOURNAL_FILE, "remove", () => dropJournal(root, ops));
    return [{ path: JOURNAL_FILE, what: "recover from", reason: "not a berth journal" }];
  }
  // Complete lines after the first: more parts of the plan, then "commit". What follows the last
  // newline was cut short (a part or the commit mark being appended) and did not happen.
  const lines = text
    .slice(newline + 1, text.lastIndexOf("\n") + 1)
    .split("\n")
    .slice(0, -1);
  const committed = lines.length > 0 && `${lines[lines.length - 1]}\n` === COMMIT;
  const parts = [first];
  for (const line of committed ? lines.slice(0, -1) : lines) {
    const part = parsePlan(line);
    if (!part || part.suffix !== first.suffix) return [{ path: JOURNAL_FILE, what: "recover from", reason: "not a berth journal" }];
    parts.push(part);
  }
  const plan: WritePlan = {
    suffix: first.suffix,
    dirs: parts.flatMap((p) => p.dirs),
    writes: parts.flatMap((p) => p.writes),
    removes: parts.flatMap((p) => p.removes),
  };
  const failures = committed ? finishPlan(root, plan, ops) : undoPlan(root, plan, ops);
  return failures.length === 0 ? attempt(failures, JOURNAL_FILE, "remove", () => dropJournal(root, ops)) : failures;
}

function parsePlan(line: string): WritePlan | undefined {
  try {
    const doc = JSON.parse(line) as { journal?: unknown; plan?: WritePlan };
    return doc.journal === MAGIC ? doc.plan : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Puts every file the plan touched back as it was: temps removed, backups renamed over their
 * targets, new files and new folders removed. Each step checks the disk first, so it can run
 * after a failure at any point, or twice.
 */
export function undoPlan(root: string, plan: WritePlan, ops: FsOps): Failure[] {
  const failures: Failure[] = [];
  const abs = (p: string) => under(root, p);
  for (const path of [...plan.removes].reverse()) {
    const old = backupName(path, plan.suffix);
    if (exists(ops, abs(old), failures, old)) attempt(failures, path, "restore", () => restore(ops, abs(old), abs(path)));
  }
  for (const { path, replaces } of [...plan.writes].reverse()) {
    const tmp = tempName(path, plan.suffix);
    if (exists(ops, abs(tmp), failures, tmp)) attempt(failures, tmp, "remove", () => ops.unlink(abs(tmp)));
    if (replaces) {
      const old = backupName(path, plan.suffix);
      if (exists(ops, abs(old), failures, old)) attempt(failures, path, "restore", () => restore(ops, abs(old), abs(path)));
    } else if (exists(ops, abs(path), failures, path) && isOurs(ops, abs(path))) {
      attempt(failures, path, "remove", () => ops.unlink(abs(path)));
    }
  }
  for (const dir of [...plan.dirs].reverse()) {
    try {
      ops.rmdir(abs(dir));
    } catch (e) {
      // Gone already, or holding what someone else put there: not ours to remove.
      if (!["ENOENT", "ENOTEMPTY", "EEXIST"].includes(errorCode(e) ?? "")) failures.push({ path: dir, what: "remove", reason: osReason(e) });
    }
  }
  return failures;
}

/** After commit: removes the backups and the folders that removals left empty. */
export function finishPlan(root: string, plan: WritePlan, ops: FsOps): Failure[] {
  const failures: Failure[] = [];
  const abs = (p: string) => under(root, p);
  // Every temp was renamed into place before the commit: only backups are left, and a missing
  // one was dropped already (attempt ignores ENOENT).
  for (const { path, replaces } of plan.writes) {
    const old = backupName(path, plan.suffix);
    if (replaces) attempt(failures, old, "remove", () => ops.unlink(abs(old)));
  }
  for (const path of plan.removes) {
    const old = backupName(path, plan.suffix);
    attempt(failures, old, "remove", () => ops.unlink(abs(old)));
    removeEmptyParents(ops, root, parentOf(path));
  }
  return failures;
}

/** Removes `dir` and its parents while they are empty, up to (not including) `clusters/`. */
function removeEmptyParents(ops: FsOps, root: string, dir: string): void {
  let cur = dir;
  while (cur.startsWith("clusters/")) {
    try {
      ops.rmdir(under(root, cur));
    } catch {
      return;
    }
    cur = parentOf(cur);
  }
}

/**
 * Renames the backup over its target. When both are still names of one file (the target was
 * not replaced yet), rename does nothing at all (POSIX): the backup name is then dropped.
 */
function restore(ops: FsOps, old: string, target: string): void {
  ops.rename(old, target);
  try {
    ops.lstat(old);
  } catch (e) {
    if (errorCode(e) === "ENOENT") return;
    throw e;
  }
  ops.unlink(old);
}

function exists(ops: FsOps, abs: string, failures: Failure[], path: string): boolean {
  try {
    ops.lstat(abs);
    return true;
  } catch (e) {
    if (errorCode(e) !== "ENOENT") failures.push({ path, what: "inspect", reason: osReason(e) });
    return false;
  }
}

/** A new file is removed on undo only if it carries berth's header: never a hand-written one. */
function isOurs(ops: FsOps, abs: string): boolean {
  try {
    return ops.readHead(abs, HEADER_PREFIX.length).toString("utf8") === HEADER_PREFIX;
  } catch {
    return false;
  }
}

function attempt(failures: Failure[], path: string, what: string, run: () => void): Failure[] {
  try {
    run();
  } catch (e) {
    if (errorCode(e) !== "ENOENT") failures.push({ path, what, reason: osReason(e) });
  }
  return failures;
}
