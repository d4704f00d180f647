// The file operations write/ uses, behind one small interface: tests put a wrapper in front
// of the real ones that fails the Nth call with ENOSPC, EACCES..., which is how every rollback
// path is proven (tests run as root, where chmod cannot make a call fail).
import * as fs from "node:fs";
import { closeSync, lstatSync, openSync, readdirSync, readFileSync, readSync, rmdirSync, writeFileSync } from "node:fs";

export interface EntryStat {
  isFile(): boolean;
  isDirectory(): boolean;
  isSymbolicLink(): boolean;
  readonly size: number;
  readonly mtimeMs: number;
}

export interface FsOps {
  lstat(path: string): EntryStat;
  readdir(path: string): string[];
  readFile(path: string): string;
  /** The first `bytes` bytes (fewer when the file is shorter). */
  readHead(path: string, bytes: number): Buffer;
  /** Creates the file and fails with EEXIST when anything stands there; a partial file is removed. */
  writeNew(path: string, content: string): void;
  append(path: string, content: string): void;
  mkdir(path: string): void;
  rmdir(path: string): void;
  rename(from: string, to: string): void;
  unlink(path: string): void;
  /** A second name for a file (EEXIST when taken), or a copy where the file system has no hard links. */
  keepCopy(path: string, as: string): void;
  /** Whether a process of this machine with this id runs (one of another user counts). */
  processAlive(pid: number): boolean;
}

export const nodeFs: FsOps = {
  lstat: (p) => lstatSync(p),
  readdir: (p) => readdirSync(p),
  readFile: (p) => readFileSync(p, "utf8"),
  readHead(p, bytes) {
    const buf = Buffer.alloc(bytes);
    const fd = openSync(p, "r");
    try {
      return buf.subarray(0, readSync(fd, buf, 0, bytes, 0));
    } finally {
      closeSync(fd);
    }
  },
  ...writingOps(fs),
  append: (p, content) => writeFileSync(p, content, { flag: "a" }),
  rmdir: (p) => rmdirSync(p),
  processAlive(pid) {
    try {
      process.kill(pid, 0);
      return true;
    } catch (e) {
      return errorCode(e) === "EPERM";
    }
  },
};

/** The operations that change files one by one. */
export type WritingOps = Pick<FsOps, "writeNew" | "mkdir" | "rename" | "unlink" | "keepCopy">;

/**
 * The operations that change files one by one, built from `node:fs` alone. It refers to nothing
 * outside itself: the file-system helper thread (helper.ts) is given this function as text, so
 * both threads of a render write, rename and keep files with the very same code.
 */
export function writingOps(nodeFsModule: typeof fs): WritingOps {
  const codeOf = (e: unknown) => (e as { code?: unknown } | null)?.code;
  const noHardLinks = ["EPERM", "ENOTSUP", "EOPNOTSUPP", "ENOSYS", "EMLINK"];
  const { copyFileSync, constants, linkSync, mkdirSync, renameSync, unlinkSync, writeFileSync } = nodeFsModule;
  return {
    writeNew(p, content) {
      try {
        // One call (open with O_EXCL, write, close): the fast path of writeFileSync.
        writeFileSync(p, content, { flag: "wx" });
      } catch (e) {
        // EEXIST: someone else's file, untouched. Anything else came after O_EXCL made the file,
        // so it is ours, and half of it must not outlive the failure.
        if (codeOf(e) !== "EEXIST") {
          try {
            unlinkSync(p);
          } catch {
            // never made, or the caller's rollback tries again
          }
        }
        throw e;
      }
    },
    mkdir: (p) => mkdirSync(p),
    rename: (a, b) => renameSync(a, b),
    unlink: (p) => unlinkSync(p),
    keepCopy(p, as) {
      try {
        linkSync(p, as);
      } catch (e) {
        if (!noHardLinks.includes(String(codeOf(e)))) throw e;
        copyFileSync(p, as, constants.COPYFILE_EXCL);
      }
    },
  };
}

/** The error code of a failed system call (ENOENT, EACCES...), if `e` is one. */
export function errorCode(e: unknown): string | undefined {
  const code = (e as { code?: unknown } | null)?.code;
  return typeof code === "string" && /^E[A-Z0-9]+$/.test(code) ? code : undefined;
}

/** "EACCES: permission denied" out of Node's "EACCES: permission denied, open '/x'". */
export function osReason(e: unknown): string {
  const code = errorCode(e);
  const message = typeof (e as Error | null)?.message === "string" ? (e as Error).message : String(e);
  if (!code) return message;
  const m = /^E[A-Z0-9]+: ([^,]+)/.exec(message);
  return `${code}: ${m ? m[1] : message}`;
}

/** Not `instanceof Error`: an error made in another realm (a vm context, jest's) is one too. */
export function isSystemError(e: unknown): e is Error & { code: string; path?: string; dest?: string; syscall?: string } {
  return typeof e === "object" && e !== null && typeof (e as Error).message === "string" && errorCode(e) !== undefined;
}
