// Finds the files below a spec folder, the same way for the working tree and a git revision.
// Nothing found here is ever read as "no specs": a folder that cannot be read, a link that
// leaves the root or loops, or an entry that is neither a file nor a folder is a problem at its
// path. Every real folder is read at most once, so discovery stays linear whatever the links
// (two `-> .` links in one folder used to make it exponential).
import type { Code } from "../codes/index.js";
import { cmp } from "../base/order.js";

/** Why a path found while listing cannot be read as a spec; reported at that path. */
export interface TreeProblem {
  readonly code: Code;
  readonly detail: string;
  readonly hint?: string;
  /** Nothing exists at the path (as opposed to something there that cannot be read). */
  readonly absent?: boolean;
}

export type EntryType = "file" | "folder" | "link" | "socket" | "FIFO" | "device";

export interface DirEntry {
  readonly name: string;
  readonly type: EntryType;
}

/** Where a path leads once every symbolic link on it is followed. */
export type Resolved =
  /** `real`: the path inside the root's real path, "" for the root itself. */
  | { readonly real: string; readonly type: EntryType }
  /** A link leads outside the root; `target` is what may be printed (a path, never content). */
  | { readonly outside: string }
  | { readonly absent: true }
  | { readonly dangling: true }
  | { readonly loop: true }
  /** The operating system refused (EACCES ...): the reason as printed. */
  | { readonly failed: string };

/** What discovery needs from a file system. */
export interface DirIO {
  /** The entries of a folder given by its real path, links not followed; throws with the OS reason. */
  readdir(real: string): readonly DirEntry[];
  resolve(path: string): Resolved;
}

/** Any case of .yaml/.yml: a folder so named, or a file spelled .YAML, is never silently skipped. */
export const SPEC_NAME = /\.ya?ml$/i;

/**
 * The files below `dir` (paths as listed, through links), in a deterministic order; problems go
 * into `problems` keyed by path. Real folders are read first, breadth first; then linked folders
 * in the order found, each only if its real folder has not been read yet and does not hold
 * `dir` itself; so a link never decides which of two ways into a folder counts. `reals` gets
 * each file's real path, which reading can then trust.
 */
export function discover(io: DirIO, dir: string, problems: Map<string, TreeProblem>, reals?: Map<string, string>): string[] {
  const top = io.resolve(dir);
  if ("absent" in top) return [];
  if (!("real" in top)) {
    problems.set(dir, unresolved(top, "folder"));
    return [];
  }
  if (top.type !== "folder") {
    problems.set(dir, {
      code: "BERTH0015",
      detail: `${dir} is ${article(top.type)}, not a folder`,
      hint: `${dir}/ is a folder of spec files; move this out of the way`,
    });
    return [];
  }
  const files: string[] = [];
  const seen = new Set<string>([top.real]);
  const folders: [shown: string, real: string][] = [[dir, top.real]];
  const linked: [shown: string, real: string][] = [];
  for (let f = 0, l = 0; ;) {
    let next: [string, string];
    if (f < folders.length) next = folders[f++]!;
    else if (l < linked.length) {
      next = linked[l++]!;
      const [shown, real] = next;
      if (seen.has(real) || contains(real, top.real)) {
        problems.set(shown, loopProblem(real));
        continue;
      }
      seen.add(real);
    } else break;
    const [shown, real] = next;
    let entries: readonly DirEntry[];
    try {
      entries = io.readdir(real);
    } catch (e) {
      problems.set(shown, { code: "BERTH0014", detail: `cannot read folder: ${osReason(e)}`, hint: "make the folder readable by the user running berth" });
      continue;
    }
    for (const { name, type } of [...entries].sort((a, b) => cmp(a.name, b.name))) {
      if (name.startsWith(".")) continue; // .git, .gitkeep, editor files: not part of the layout
      const path = `${shown}/${name}`;
      const childReal = real === "" ? name : `${real}/${name}`;
      let to: Resolved = { real: childReal, type };
      if (type === "link") {
        to = io.resolve(path);
        if (!("real" in to)) {
          problems.set(path, unresolved(to, "link"));
          continue;
        }
      }
      if (to.type === "file") {
        files.push(path);
        reals?.set(path, to.real);
      } else if (to.type === "folder") {
        if (SPEC_NAME.test(name))
          problems.set(path, {
            code: "BERTH0015",
            detail: `${path} is a folder, not a spec file`,
            hint: "a spec is one YAML file: rename the folder, or move its files where the layout expects them",
          });
        else if (type === "link") linked.push([path, to.real]);
        else if (seen.has(to.real)) problems.set(path, loopProblem(to.real));
        else {
          seen.add(to.real);
          folders.push([path, to.real]);
        }
      } else
        problems.set(path, {
          code: "BERTH0015",
          detail: `${path} is ${article(to.type)}, not a file or folder`,
          hint: "only spec files and folders belong in the spec folders: remove it",
        });
    }
  }
  return files;
}

/** Whether real path `outer` is `inner` or one of its ancestors. */
function contains(outer: string, inner: string): boolean {
  return outer === "" || inner === outer || inner.startsWith(outer + "/");
}

function loopProblem(real: string): TreeProblem {
  return {
    code: "BERTH0016",
    detail: `symbolic link leads to ${real || "."}, a folder already read`,
    hint: "each folder is read once: remove the link, or move the files it should add into a folder of their own",
  };
}

/** The problem for a path whose links cannot be followed to something inside the root. */
export function unresolved(r: Exclude<Resolved, { real: string }>, what: "folder" | "file" | "link"): TreeProblem {
  if ("outside" in r)
    return {
      code: "BERTH0003",
      detail: `symbolic link points outside the repository root (${r.outside})`,
      hint: "specs are read only inside the repository: copy the file in, or point the link at a path inside it",
    };
  if ("loop" in r) return { code: "BERTH0016", detail: "symbolic link loop: following it never ends", hint: "remove the link or point it at a file or folder" };
  if ("dangling" in r)
    return { code: "BERTH0001", detail: "cannot read: symbolic link leads nowhere (dangling)", hint: "remove the link or point it at an existing file" };
  if ("absent" in r) return { code: "BERTH0001", detail: `cannot read ${what}: not found`, absent: true };
  return { code: what === "folder" ? "BERTH0014" : "BERTH0001", detail: `cannot read ${what}: ${r.failed}` };
}

function article(type: EntryType): string {
  return type === "file" ? "a file" : type === "folder" ? "a folder" : type === "link" ? "a symbolic link" : `a ${type}`;
}

/** "EACCES (permission denied)": the OS reason of a failed call, without the absolute path. */
export function osReason(e: unknown): string {
  const err = e as NodeJS.ErrnoException;
  const said = /^[A-Z0-9_]+: ([^,]+)/.exec(err?.message ?? "")?.[1];
  if (err?.code) return said ? `${err.code} (${said})` : err.code;
  return String(err?.message ?? e);
}
