// A second thread for the file system. Creating, renaming and removing a file are system calls
// that cost ~0.3 ms of kernel time each on the machines berth was measured on, and a render of a
// 1,000-model fleet makes ~38,000 files: writing them from one thread took 11 s, from two 5.8 s
// (docs/performance.md). The render's thread hands every other chunk of files to this helper and
// works on the rest itself, so both cores make system calls at once.
//
// The calls stay synchronous for the render: a phase is posted in batches and awaited with
// Atomics.wait, and the helper runs the same writing code (fs.ts writingOps, given to it as text)
// in the order it was posted. The first failure on either side stops both; the caller then waits
// for the helper to settle before it undoes the transaction, so nothing is written after the undo.
// A helper that cannot start (it signals ready first) leaves the work to the render's thread; one
// that finishes nothing for two minutes is stopped and its phase fails (a system call already
// under way, as on a hung network mount, may still land: the journal's next recovery covers it).
import { MessageChannel, receiveMessageOnPort, Worker, type MessagePort } from "node:worker_threads";
import { nodeFs, writingOps, type WritingOps } from "./fs.js";

/** One file operation: what it does, on which absolute paths, and what it is called in a diagnostic. */
export interface FsStep {
  readonly op: "writeNew" | "mkdir" | "keepCopy" | "rename" | "unlink";
  readonly a: string;
  readonly b?: string;
  readonly text?: string;
  /** The repository path the step is for, and the step in words ("write <temp>"), for a failure. */
  readonly target: string;
  readonly what: string;
}

/** Runs one step with `ops` (the render's thread does; the helper runs the same operations on its wire form). */
export function runStep(ops: WritingOps, s: FsStep): void {
  if (s.op === "writeNew") ops.writeNew(s.a, s.text!);
  else if (s.op === "mkdir" || s.op === "unlink") ops[s.op](s.a);
  else ops[s.op](s.a, s.b!);
}

/** The step that failed, and the error the operating system gave (or a bug's). */
export class StepFailure extends Error {
  constructor(
    readonly step: Pick<FsStep, "target" | "what">,
    readonly error: unknown,
  ) {
    super(`${step.what}: ${String((error as Error)?.message ?? error)}`);
  }
}

/** Files per batch: large enough that a message costs little, small enough to share the work evenly. */
export const CHUNK = 256;

// [0] the last batch finished, [1] stop (set by either side on a failure), [2] the helper's
// setup: 0 while it starts, 1 ready, -1 failed (e.g. a runtime that refuses code from strings).
const DONE = 0;
const STOP = 1;
const READY = 2;
/** How long a render waits for the helper to start before it writes on one thread (it starts in ~30 ms). */
const START_MS = 5_000;
/** A helper that finishes no batch for this long is taken for dead (a batch takes milliseconds). */
const STALL_MS = 120_000;

type Wire = [op: FsStep["op"], a: string, b: string | undefined, text: string | undefined];

/** The helper's side: the writing code, as text, run on each batch until told to stop. */
function helperMain(require: NodeRequire): void {
  const { workerData } = require("node:worker_threads") as typeof import("node:worker_threads");
  const { port, state, ops: opsSource } = workerData as { port: MessagePort; state: Int32Array; ops: string };
  let ops: Record<string, (a: string, b?: string) => void>;
  try {
    ops = (0, eval)(`(${opsSource})`)(require("node:fs"));
  } catch {
    Atomics.store(state, 2, -1);
    Atomics.notify(state, 2);
    return;
  }
  Atomics.store(state, 2, 1);
  Atomics.notify(state, 2);
  port.on("message", (batch: { seq: number; steps: Wire[] }) => {
    for (let i = 0; i < batch.steps.length && Atomics.load(state, 1) === 0; i++) {
      const [op, a, b, text] = batch.steps[i];
      try {
        ops[op](a, op === "writeNew" ? text : b);
      } catch (e) {
        const err = e as NodeJS.ErrnoException;
        port.postMessage({
          seq: batch.seq,
          index: i,
          message: String(err?.message ?? e),
          code: err?.code,
          syscall: err?.syscall,
          path: err?.path,
          dest: (err as { dest?: string })?.dest,
        });
        Atomics.store(state, 1, 1);
      }
    }
    Atomics.store(state, 0, batch.seq);
    Atomics.notify(state, 0);
  });
}

/**
 * Runs the steps of one phase on two threads, chunk by chunk (even chunks on the helper, odd ones
 * here), and returns when all of them are done. Throws StepFailure for the first step that
 * failed on either thread, after the other thread has stopped. `steps` is called for one chunk's
 * items at a time, so texts are made (serialized) only as they are handed out.
 */
export class FsHelper {
  private readonly state = new Int32Array(new SharedArrayBuffer(12));
  private readonly port: MessagePort;
  private readonly worker: Worker;
  private seq = 0;
  /** What each posted batch's steps are called, by sequence number, until the batch is done. */
  private readonly pending = new Map<number, Pick<FsStep, "target" | "what">[]>();

  /** Helper threads started in this process (tests prove with it that a phase ran on two threads). */
  static started = 0;

  private constructor(private readonly local: WritingOps) {
    const { port1, port2 } = new MessageChannel();
    this.port = port1;
    this.worker = new Worker(`(${helperMain.toString()})(require)`, {
      eval: true,
      workerData: { port: port2, state: this.state, ops: writingOps.toString() },
      transferList: [port2],
    });
    this.worker.unref();
    // A helper that dies is found by settle(); its error event must not take the render down.
    this.worker.on("error", () => undefined);
  }

  /** A helper thread, or undefined where none can be started (the phase then runs on one thread). */
  static start(): FsHelper | undefined {
    let helper: FsHelper;
    try {
      helper = new FsHelper(nodeFs);
    } catch {
      return undefined;
    }
    // Nothing is handed over until the helper is ready: one that cannot start leaves the work to this thread.
    Atomics.wait(helper.state, READY, 0, START_MS);
    if (Atomics.load(helper.state, READY) !== 1) {
      helper.close();
      return undefined;
    }
    FsHelper.started++;
    return helper;
  }

  runPhase<T>(items: readonly T[], stepsOf: (item: T) => FsStep[]): void {
    let failure: StepFailure | undefined;
    for (let start = 0, n = 0; start < items.length && !failure; start += CHUNK, n++) {
      if (Atomics.load(this.state, STOP) !== 0) break;
      try {
        const steps = items.slice(start, start + CHUNK).flatMap(stepsOf);
        if (n % 2 === 0) this.post(steps);
        else failure = this.runHere(steps);
      } catch (e) {
        failure = e instanceof StepFailure ? e : new StepFailure({ target: "", what: "prepare the files to write" }, e);
      }
    }
    if (failure) Atomics.store(this.state, STOP, 1);
    const theirs = this.settle();
    // STOP stays set after a failure: it ends the transaction, so no later phase runs.
    if (failure ?? theirs) throw failure ?? theirs;
  }

  close(): void {
    this.port.close();
    void this.worker.terminate();
  }

  private post(steps: FsStep[]): void {
    this.seq++;
    this.pending.set(
      this.seq,
      steps.map((s) => ({ target: s.target, what: s.what })),
    );
    this.port.postMessage({ seq: this.seq, steps: steps.map((s): Wire => [s.op, s.a, s.b, s.text]) });
  }

  private runHere(steps: FsStep[]): StepFailure | undefined {
    for (const s of steps) {
      if (Atomics.load(this.state, STOP) !== 0) return undefined; // the helper failed: its error is reported
      try {
        runStep(this.local, s);
      } catch (e) {
        return new StepFailure(s, e);
      }
    }
    return undefined;
  }

  /** Waits until every posted batch is done; the helper's failure, if it had one. */
  private settle(): StepFailure | undefined {
    let last = Atomics.load(this.state, DONE);
    let since = Date.now();
    while (last !== this.seq) {
      if (Date.now() - since > STALL_MS) {
        // Stopped, so it starts no further step; one system call already under way may still land.
        Atomics.store(this.state, STOP, 1);
        this.pending.clear();
        return new StepFailure({ target: "", what: "run the file-system helper thread" }, new Error("the helper thread stopped answering"));
      }
      Atomics.wait(this.state, DONE, last, 1000);
      const now = Atomics.load(this.state, DONE);
      if (now !== last) [last, since] = [now, Date.now()];
    }
    const msg = receiveMessageOnPort(this.port)?.message as
      { seq: number; index: number; message: string; code?: string; syscall?: string; path?: string; dest?: string } | undefined;
    const steps = msg && this.pending.get(msg.seq);
    this.pending.clear();
    if (!msg) return undefined;
    const error = Object.assign(new Error(msg.message), { code: msg.code, syscall: msg.syscall, path: msg.path, dest: msg.dest });
    return new StepFailure(steps?.[msg.index] ?? { target: "", what: "a file operation" }, error);
  }
}
