// A SpecTree over a git revision, read from git objects (`git ls-tree`, `git cat-file --batch`):
// the working tree, the index and HEAD are never touched, so `diff` is safe in any checkout.
import { spawnSync } from "node:child_process";
import { posix } from "node:path";
import { discover, unresolved, type DirIO, type EntryType, type Resolved, type TreeProblem } from "../load/discover.js";
import type { SpecTree } from "../load/load.js";

export type GitTreeResult =
  | { readonly ok: true; readonly commit: string; readonly tree: SpecTree; readonly empty: boolean }
  | { readonly ok: false; readonly code: "BERTH0810" | "BERTH0811"; readonly detail: string; readonly hint: string };

/** The folders spec files live in; nothing else of the revision is read. */
const SPEC_DIRS = ["platform", "tenants", "models"];
const MAX_LINK_HOPS = 8;
const LINK_MODE = "120000";

interface Entry {
  readonly mode: string;
  readonly oid: string;
}

interface GitRun {
  readonly ok: boolean;
  readonly stdout: Buffer;
  readonly stderr: string;
  readonly missing?: boolean;
}

function git(root: string, args: readonly string[], input?: string): GitRun {
  const r = spawnSync("git", ["-C", root, ...args], {
    input,
    maxBuffer: 1 << 30,
    env: { ...process.env, GIT_TERMINAL_PROMPT: "0", GIT_OPTIONAL_LOCKS: "0" },
  });
  if (r.error) return { ok: false, stdout: Buffer.alloc(0), stderr: r.error.message, missing: (r.error as NodeJS.ErrnoException).code === "ENOENT" };
  return { ok: r.status === 0, stdout: r.stdout, stderr: r.stderr.toString("utf8").trim() };
}

/** Resolves `ref` to a commit and returns the spec files below `root` as they were in it. */
export function gitTree(root: string, ref: string): GitTreeResult {
  const prefix = git(root, ["rev-parse", "--show-toplevel", "--show-prefix"]);
  if (!prefix.ok) {
    const detail = prefix.missing ? "git is not installed or not on PATH" : `${root} is not inside a git work tree (git: ${prefix.stderr})`;
    return { ok: false, code: "BERTH0811", detail, hint: "run berth diff inside a clone of the specs repository, with git on PATH" };
  }
  if (ref.startsWith("-") || ref.includes("\0")) return badRef(root, ref, "a revision cannot start with '-'");
  const rev = git(root, ["rev-parse", "--verify", "--quiet", `${ref}^{commit}`]);
  if (!rev.ok) return badRef(root, ref, rev.stderr || "unknown revision");
  const commit = rev.stdout.toString("utf8").trim();
  const [top = root, sub = ""] = prefix.stdout.toString("utf8").split("\n");
  // Run from the top level: ls-tree reads pathspecs relative to the current directory.
  const entries = listTree(top, `${commit}:${sub.replace(/\/$/, "")}`);
  const blobs = readBlobs(top, [...new Set([...entries.values()].map((e) => e.oid))]);
  followLinksOut(top, `${commit}:${sub.replace(/\/$/, "")}`, entries, blobs);
  return { ok: true, commit, tree: specTree(entries, blobs), empty: entries.size === 0 };
}

function badRef(root: string, ref: string, why: string): GitTreeResult {
  return {
    ok: false,
    code: "BERTH0810",
    detail: `git revision ${ref} is not a commit in ${root}: ${why}`,
    hint: "name an existing branch, tag or commit; in CI fetch the base branch (actions/checkout with fetch-depth: 0) and pass origin/<base>",
  };
}

/** Blobs and symbolic links below the spec folders of a tree; an absent root folder is an empty tree. */
function listTree(root: string, treeish: string, paths: readonly string[] = SPEC_DIRS, out = new Map<string, Entry>()): Map<string, Entry> {
  const r = git(root, ["--literal-pathspecs", "ls-tree", "-r", "-z", treeish, "--", ...paths]);
  if (!r.ok) return out; // the root folder did not exist at that revision: every spec is new
  for (const record of r.stdout.toString("utf8").split("\0")) {
    if (!record) continue;
    const tab = record.indexOf("\t");
    const [mode, type, oid] = record.slice(0, tab).split(" ");
    if (type !== "blob" || !mode || !oid) continue; // submodules hold no specs
    out.set(record.slice(tab + 1), { mode, oid });
  }
  return out;
}

/**
 * Adds what symbolic links in the spec folders lead to elsewhere in the root (a shared folder),
 * as the working tree would follow them; a few rounds, for links that lead to links.
 */
function followLinksOut(root: string, treeish: string, entries: Map<string, Entry>, blobs: Map<string, Buffer>): void {
  const listed = new Set<string>(SPEC_DIRS);
  const covered = (p: string) => p.split("/").some((_, i, parts) => listed.has(parts.slice(0, i + 1).join("/")));
  for (let round = 0; round < MAX_LINK_HOPS; round++) {
    const targets = new Set<string>();
    for (const [path, e] of entries) {
      if (e.mode !== LINK_MODE) continue;
      const text = blobs.get(e.oid)?.toString("utf8") ?? "";
      const to = posix.normalize(posix.join(posix.dirname(path), text));
      if (!posix.isAbsolute(text) && to !== "." && to !== ".." && !to.startsWith("../") && !covered(to)) targets.add(to);
    }
    if (targets.size === 0) return;
    for (const t of targets) listed.add(t);
    const before = new Set(entries.keys());
    listTree(root, treeish, [...targets], entries);
    const added = [...entries.keys()].filter((p) => !before.has(p)).map((p) => entries.get(p)!.oid);
    for (const [oid, blob] of readBlobs(
      root,
      [...new Set(added)].filter((o) => !blobs.has(o)),
    ))
      blobs.set(oid, blob);
  }
}

/** Reads many blobs with one `git cat-file --batch` process. */
function readBlobs(root: string, oids: readonly string[]): Map<string, Buffer> {
  const out = new Map<string, Buffer>();
  if (oids.length === 0) return out;
  const r = git(root, ["cat-file", "--batch"], oids.join("\n") + "\n");
  if (!r.ok) throw new Error(`git cat-file failed: ${r.stderr}`);
  const buf = r.stdout;
  let at = 0;
  while (at < buf.length) {
    const eol = buf.indexOf(0x0a, at);
    const header = buf.subarray(at, eol).toString("utf8").split(" ");
    at = eol + 1;
    if (header[1] === "missing") continue;
    const size = Number(header[2]);
    out.set(header[0]!, buf.subarray(at, at + size));
    at += size + 1;
  }
  return out;
}

function specTree(entries: ReadonlyMap<string, Entry>, blobs: ReadonlyMap<string, Buffer>): SpecTree {
  // Folders are implied by the paths of blobs: name -> type of each folder's entries.
  const folders = new Map<string, Map<string, EntryType>>([["", new Map()]]);
  for (const [path, e] of entries) {
    const parts = path.split("/");
    for (let i = 0; i < parts.length; i++) {
      const parent = parts.slice(0, i).join("/");
      let children = folders.get(parent);
      if (!children) folders.set(parent, (children = new Map()));
      children.set(parts[i]!, i < parts.length - 1 ? "folder" : e.mode === LINK_MODE ? "link" : "file");
    }
  }
  const linkText = (e: Entry) => blobs.get(e.oid)?.toString("utf8") ?? "";

  /** Follows every link on the path, as the kernel would, never above the root. */
  const resolvePath = (path: string): Resolved => {
    const done: string[] = [];
    let rest = path.split("/");
    for (let hops = 0; rest.length > 0;) {
      const name = rest.shift()!;
      if (name === "" || name === ".") continue;
      if (name === "..") {
        if (done.length === 0) return { outside: path };
        done.pop();
        continue;
      }
      const cur = [...done, name].join("/");
      const e = entries.get(cur);
      if (e?.mode === LINK_MODE) {
        if (++hops > 40) return { loop: true };
        const text = linkText(e);
        if (posix.isAbsolute(text)) return { outside: text };
        if (posix.normalize(posix.join(done.join("/") || ".", text)).split("/")[0] === "..") return { outside: text };
        rest = [...text.split("/"), ...rest];
        continue;
      }
      if (!e && !folders.has(cur)) return hops === 0 ? { absent: true } : { dangling: true };
      done.push(name);
    }
    const real = done.join("/");
    return folders.has(real) ? { real, type: "folder" } : entries.has(real) ? { real, type: "file" } : { absent: true };
  };
  const io: DirIO = {
    readdir(real) {
      const children = folders.get(real);
      if (!children) throw new Error(`ENOENT: not in this revision`);
      return [...children].map(([name, type]) => ({ name, type }));
    },
    resolve: resolvePath,
  };

  const problems = new Map<string, TreeProblem>();
  return {
    problems,
    list(dir) {
      for (const p of problems.keys()) if (p === dir || p.startsWith(dir + "/")) problems.delete(p);
      return discover(io, dir, problems);
    },
    read(path) {
      const to = resolvePath(path);
      if ("absent" in to) return { code: "BERTH0001", detail: "cannot read file: not in this revision", absent: true };
      if (!("real" in to)) return unresolved(to, "file");
      if (to.type !== "file") return { code: "BERTH0015", detail: `${path} is not a file (${to.type})` };
      return blobs.get(entries.get(to.real)!.oid) ?? { code: "BERTH0001", detail: "cannot read file: blob missing from the repository" };
    },
  };
}
