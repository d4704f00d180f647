// One render at a time per repository: `.berth.lock` at the root, made with O_EXCL and holding
// the process id and host of the render that holds it. A second render waits briefly, then
// refuses; a lock whose process is gone (killed) is taken over.
import { hostname } from "node:os";
import { join } from "node:path";
import { errorCode, type FsOps } from "./fs.js";

export const LOCK_FILE = ".berth.lock";

export interface Holder {
  readonly pid: number;
  readonly host: string;
}

/** Another render holds the lock (or a file berth cannot read as a lock stands there). */
export class LockHeld extends Error {
  constructor(
    readonly holder: Holder | undefined,
    readonly waitedMs: number,
  ) {
    super(holder ? `render ${holder.pid} on ${holder.host} holds ${LOCK_FILE}` : `${LOCK_FILE} is not a berth lock`);
  }
}

export interface LockOptions {
  readonly ops: FsOps;
  /** How long to wait for another render before refusing. */
  readonly waitMs?: number;
  /**
   * A lock cut short (its render was killed between making it and writing its process id) is
   * taken over once it is this old; a render writes it within microseconds.
   */
  readonly partialLockMs?: number;
  /** Told once, when this render starts waiting. */
  readonly onWait?: (holder: Holder | undefined) => void;
}

export const DEFAULT_LOCK_WAIT_MS = 10_000;
const POLL_MS = 100;
const PARTIAL_LOCK_MS = 2_000;
const LOCK_START = '{"pid":';

/** Takes the lock or throws LockHeld; returns its release. */
export function acquireLock(root: string, opts: LockOptions): () => void {
  const { ops } = opts;
  const path = join(root, LOCK_FILE);
  const mine = JSON.stringify({ pid: process.pid, host: hostname() }) + "\n";
  const waitMs = opts.waitMs ?? DEFAULT_LOCK_WAIT_MS;
  const start = Date.now();
  let told = false;
  for (;;) {
    try {
      ops.writeNew(path, mine);
      return () => release(ops, path, mine);
    } catch (e) {
      if (errorCode(e) !== "EEXIST") throw e;
    }
    // Undefined when released between our two calls (or a dangling link stands there): wait.
    const seen = readLock(ops, path);
    const holder = seen === undefined ? undefined : parseHolder(seen);
    // Re-reading narrows the window in which two renders both take over the same stale lock.
    const stale = holder ? isStale(holder, ops) : seen !== undefined && isCutShort(seen) && age(ops, path) >= (opts.partialLockMs ?? PARTIAL_LOCK_MS);
    if (stale && readLock(ops, path) === seen) {
      try {
        ops.unlink(path);
      } catch (e) {
        if (errorCode(e) !== "ENOENT") throw e;
      }
      continue;
    }
    const waited = Date.now() - start;
    if (waited >= waitMs) throw new LockHeld(holder, waited);
    if (!told) opts.onWait?.(holder);
    told = true;
    sleep(Math.min(POLL_MS, waitMs - waited));
  }
}

function release(ops: FsOps, path: string, mine: string): void {
  try {
    if (ops.readFile(path) === mine) ops.unlink(path);
  } catch {
    // Already gone; a lock left behind names a dead process and is taken over.
  }
}

function readLock(ops: FsOps, path: string): string | undefined {
  try {
    return ops.readFile(path);
  } catch (e) {
    if (errorCode(e) === "ENOENT") return undefined;
    throw e;
  }
}

function parseHolder(text: string): Holder | undefined {
  try {
    const o = JSON.parse(text) as Partial<Holder>;
    return typeof o.pid === "number" && Number.isInteger(o.pid) && o.pid > 0 && typeof o.host === "string" ? { pid: o.pid, host: o.host } : undefined;
  } catch {
    return undefined;
  }
}

/** The beginning of a lock berth was writing: never a file of someone else's. */
function isCutShort(text: string): boolean {
  return LOCK_START.startsWith(text) || (text.startsWith(LOCK_START) && !text.includes("\n"));
}

function age(ops: FsOps, path: string): number {
  try {
    // File times are finer than Date.now(): a file written this very millisecond may look younger than 0.
    return Math.max(0, Date.now() - ops.lstat(path).mtimeMs);
  } catch {
    return 0;
  }
}

/**
 * A lock of this host whose process is gone. A process renders once, so a lock naming this very
 * process is left from an earlier call in it (tests, tools calling `main` in a loop). A lock of
 * another host cannot be judged from here, and is waited for.
 */
function isStale(holder: Holder, ops: FsOps): boolean {
  return holder.host === hostname() && (holder.pid === process.pid || !ops.processAlive(holder.pid));
}

const cell = new Int32Array(new SharedArrayBuffer(4));

function sleep(ms: number): void {
  if (ms > 0) Atomics.wait(cell, 0, 0, ms);
}
