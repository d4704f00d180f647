// A SpecTree over a git revision, read from git objects (`git ls-tree`, `git cat-file --batch`):
// the working tree, the index and HEAD are never touched, so `diff` is safe in any checkout.
import { spawnSync } from "node:child_process";
import { posix } from "node:path";
import type { SpecTree } from "./load.js";

export type GitTreeResult =
  | { readonly ok: true; readonly commit: string; readonly tree: SpecTree; readonly empty: boolean }
  | { readonly ok: false; readonly code: "BERTH0810" | "BERTH0811"; readonly detail: string; readonly hint: string };

/** The folders spec files live in; nothing else of the revision is read. */
const SPEC_DIRS = ["platform", "tenants", "models"];
const MAX_LINK_HOPS = 8;

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
function listTree(root: string, treeish: string): Map<string, Entry> {
  const out = new Map<string, Entry>();
  const r = git(root, ["ls-tree", "-r", "-z", treeish, "--", ...SPEC_DIRS]);
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
  const paths = [...entries.keys()].sort();
  const escapes = new Set<string>();
  const isLink = (e: Entry) => e.mode === "120000";

  /** Follows symbolic links inside the tree; undefined when a link leaves it or dangles. */
  const resolve = (path: string): { path: string } | { escape: string } | { dangling: string } => {
    let cur = path;
    for (let hop = 0; hop < MAX_LINK_HOPS; hop++) {
      const e = entries.get(cur);
      if (!e) return { dangling: cur };
      if (!isLink(e)) return { path: cur };
      const target = blobs.get(e.oid)?.toString("utf8") ?? "";
      const next = posix.normalize(posix.join(posix.dirname(cur), target));
      if (posix.isAbsolute(target) || next === ".." || next.startsWith("../")) return { escape: target };
      cur = next;
    }
    return { dangling: path };
  };
  for (const p of paths) {
    const r = resolve(p);
    if ("escape" in r) escapes.add(p);
  }

  return {
    escapes,
    list: (dir) => paths.filter((p) => p.startsWith(dir + "/")),
    read(path) {
      const r = resolve(path);
      if ("escape" in r) return { code: "BERTH0003", detail: `symbolic link points outside the repository root (${r.escape})` };
      if ("dangling" in r) return { code: "BERTH0001", detail: `cannot read file: ${r.dangling === path ? "not in this revision" : "dangling symbolic link"}` };
      const blob = blobs.get(entries.get(r.path)!.oid);
      return blob ?? { code: "BERTH0001", detail: "cannot read file: blob missing from the repository" };
    },
  };
}
