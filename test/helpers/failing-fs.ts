// File operations that fail on purpose: the Nth call of one operation throws the error the
// operating system would (ENOSPC, EACCES...), or, as a kill, that call and every later one do,
// so nothing after it runs, rollback included.
import { nodeFs, type FsOps } from "../../compiler/write-fs.js";

export type Op = Exclude<keyof FsOps, "processAlive">;

export interface Fault {
  readonly op: Op;
  /** 1-based: the call that fails. */
  readonly nth: number;
  readonly code: string;
  /** Every call from this one on fails: the process is gone. A write then leaves half a file. */
  readonly kill?: boolean;
}

export interface FailingFs extends FsOps {
  /** Whether the fault happened (a run may make fewer calls than `nth`). */
  readonly fired: boolean;
  readonly calls: Readonly<Record<string, number>>;
}

export function systemError(code: string, syscall: string, path: string): Error {
  return Object.assign(new Error(`${code}: injected failure, ${syscall} '${path}'`), { code, syscall, path, errno: -1 });
}

export function failingFs(fault: Fault | undefined, base: FsOps = nodeFs): FailingFs {
  const calls: Record<string, number> = {};
  let fired = false;
  const wrap =
    <K extends Op>(op: K) =>
    (...args: Parameters<FsOps[K]>): ReturnType<FsOps[K]> => {
      calls[op] = (calls[op] ?? 0) + 1;
      const path = String(args[0]);
      if (fired && fault?.kill) throw systemError("EKILLED", op, path);
      if (fault && fault.op === op && calls[op] === fault.nth) {
        fired = true;
        if (fault.kill && op === "writeNew") {
          const text = String(args[1]);
          (base.writeNew as (p: string, c: string) => void)(path, text.slice(0, Math.floor(text.length / 2)));
        }
        throw systemError(fault.code, op, path);
      }
      return (base[op] as (...a: unknown[]) => ReturnType<FsOps[K]>)(...args);
    };
  return {
    get fired() {
      return fired;
    },
    calls,
    lstat: wrap("lstat"),
    readdir: wrap("readdir"),
    readFile: wrap("readFile"),
    readHead: wrap("readHead"),
    writeNew: wrap("writeNew"),
    append: wrap("append"),
    mkdir: wrap("mkdir"),
    rmdir: wrap("rmdir"),
    rename: wrap("rename"),
    unlink: wrap("unlink"),
    keepCopy: wrap("keepCopy"),
    processAlive: (pid: number) => base.processAlive(pid),
  };
}
