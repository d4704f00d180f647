// The only writer of the disk. Owns files that carry the generated header, and only those:
// writes changed files, removes generated files no longer produced, never touches a hand-written
// file, and never follows a symbolic link. This file finds what is on disk and what must change;
// apply.ts makes the change, as one transaction.
import type { Code } from "../codes/index.js";
import type { LocatedDiagnostic } from "../diagnostics.js";
import { errorCode, nodeFs, type FsOps } from "./fs.js";
import { cmp } from "../base/order.js";
import type { OutputFile } from "../output/files.js";
import { HEADER_PREFIX, isGenerated } from "../output/header.js";
import { looksLikeTemp, parentOf, under } from "./journal.js";

/** Where berth may own files: below `clusters/` (all, or the selected clusters) and CODEOWNERS. */
export interface Scope {
  readonly clusters?: readonly string[];
  /** Cluster folders left out: compared already, one cluster at a time (render, check). */
  readonly except?: ReadonlySet<string>;
  /** Whether `.github` (CODEOWNERS) is looked at; default true. */
  readonly github?: boolean;
}

export interface ExistingFile {
  readonly path: string;
  readonly generated: boolean;
  readonly content: string;
  /** A temp or backup file left by an interrupted render: removed by the next one. */
  readonly temp?: boolean;
  /** Size in bytes, when known: a file of another size cannot hold the expected content. */
  readonly size?: number;
}

/** What stands in berth's part of the repository, as paths relative to the root. */
export interface GeneratedTree {
  /** Every file (not folders, not links). */
  readonly files: ExistingFile[];
  readonly folders: ReadonlySet<string>;
  /** Symbolic links: never followed, never written through. */
  readonly links: ReadonlySet<string>;
  /** `.github` when it is not a folder: in the way of CODEOWNERS, but no file of the tree. */
  readonly others: ReadonlySet<string>;
}

const HEADER_BYTES = Buffer.byteLength(HEADER_PREFIX);

/**
 * A file found under the generated tree. Its content is read only when asked for, and not kept:
 * a render of thousands of models compares tens of thousands of files, and holding them all
 * would double the memory the rendered output already takes. Whether it is generated is read
 * from its first bytes, or from its content when that was read anyway.
 */
class DiskFile implements ExistingFile {
  private header?: boolean;

  constructor(
    readonly path: string,
    private readonly abs: string,
    readonly size: number,
    private readonly ops: FsOps,
  ) {}

  get content(): string {
    const text = this.ops.readFile(this.abs);
    this.header = isGenerated(text);
    return text;
  }

  get generated(): boolean {
    return (this.header ??= startsWithHeader(this.ops, this.abs));
  }
}

function startsWithHeader(ops: FsOps, abs: string): boolean {
  return ops.readHead(abs, HEADER_BYTES).toString("utf8") === HEADER_PREFIX;
}

/**
 * Lists `clusters/` (or the selected clusters' folders) and CODEOWNERS with the temp files beside
 * it, without following links. A folder that cannot be read throws: it is not an empty one.
 */
export function scanTree(root: string, scope: Scope, ops: FsOps = nodeFs): GeneratedTree {
  const tree = { files: [] as ExistingFile[], folders: new Set<string>(), links: new Set<string>(), others: new Set<string>() };
  const visit = (path: string, name: string, descend: boolean): void => {
    const abs = under(root, path);
    let st;
    try {
      st = ops.lstat(abs);
    } catch (e) {
      if (errorCode(e) === "ENOENT") return;
      throw e;
    }
    if (st.isSymbolicLink()) tree.links.add(path);
    else if (!st.isDirectory() && (path === "clusters" || path === ".github")) tree.others.add(path);
    else if (st.isDirectory()) {
      tree.folders.add(path);
      if (descend) for (const child of ops.readdir(abs)) visit(`${path}/${child}`, child, true);
    } else if (looksLikeTemp(name)) {
      // Ours only with our header: a hand-written file merely named like a temp file stays.
      const ours = st.isFile() && st.size >= HEADER_BYTES && startsWithHeader(ops, abs);
      tree.files.push({ path, generated: ours, content: "", temp: ours });
    } else if (st.isFile()) tree.files.push(new DiskFile(path, abs, st.size, ops));
    else tree.files.push({ path, generated: false, content: "" }); // a device or socket: never ours
  };
  const except = scope.except;
  visit("clusters", "clusters", !scope.clusters && !except);
  if (tree.folders.has("clusters")) {
    const names = scope.clusters ?? (except ? ops.readdir(under(root, "clusters")) : []);
    for (const c of names) if (!except?.has(c)) visit(`clusters/${c}`, c, true);
  }
  if (scope.github !== false) visit(".github", ".github", false);
  if (tree.folders.has(".github")) {
    for (const name of ops.readdir(under(root, ".github")))
      if (name === "CODEOWNERS" || (looksLikeTemp(name) && name.startsWith(".CODEOWNERS."))) visit(`.github/${name}`, name, false);
  }
  tree.files.sort((a, b) => cmp(a.path, b.path));
  return tree;
}

export function readExisting(root: string, scope: Scope, ops: FsOps = nodeFs): ExistingFile[] {
  return scanTree(root, scope, ops).files;
}

export interface Changes {
  readonly write: OutputFile[];
  /** The paths in `write` where a file stands now. */
  readonly replaced: ReadonlySet<string>;
  readonly remove: string[];
  readonly unchanged: number;
  /** Hand-written files standing where berth must write: an error, nothing is written. */
  readonly blocked: string[];
  /** Hand-written files elsewhere in the generated tree: left alone. */
  readonly foreign: string[];
}

/** Characters of changed files' texts kept from comparing to writing (~64 MB of UTF-16 at most). */
const KEEP_TEXT = 32 * 1024 * 1024;

export function diffTree(expected: readonly OutputFile[], existing: readonly ExistingFile[]): Changes {
  const onDisk = new Map(existing.map((f) => [f.path, f]));
  const wanted = new Set(expected.map((f) => f.path));
  const write: OutputFile[] = [];
  const replaced = new Set<string>();
  const blocked: string[] = [];
  let unchanged = 0;
  let kept = 0;
  for (const f of expected) {
    const old = onDisk.get(f.path);
    if (!old) {
      write.push(f);
      continue;
    }
    // Read the old content only when its size matches (reading it also tells whether it is ours).
    const content = f.content;
    const oldContent = old.size === undefined || old.size === Buffer.byteLength(content) ? old.content : undefined;
    if (!old.generated) blocked.push(f.path);
    else if (oldContent !== content) {
      // The text just made is what apply.ts writes: kept, so the file is not serialized twice,
      // up to a budget (a render that changes every file must not hold all their texts at once).
      kept += content.length;
      write.push(kept <= KEEP_TEXT ? { path: f.path, content } : f);
      replaced.add(f.path);
    } else unchanged++;
  }
  const remove = existing.filter((f) => f.generated && !wanted.has(f.path)).map((f) => f.path);
  // A temp file never shares a path with an output, so it always lands in `remove`.
  const foreign = existing.filter((f) => !f.generated && !wanted.has(f.path)).map((f) => f.path);
  return { write, replaced, remove, unchanged, blocked, foreign };
}

/**
 * What stands in the way of writing: any symbolic link in the generated tree (berth would write
 * or delete through it, outside the repository), a folder where a file goes, a file where a
 * folder goes. Found before anything is written.
 */
export function outputProblems(tree: GeneratedTree, expected: readonly OutputFile[]): LocatedDiagnostic[] {
  const out: LocatedDiagnostic[] = [];
  for (const link of [...tree.links].sort())
    out.push(
      pathDiag(
        link,
        "BERTH0020",
        `${link} is a symbolic link; berth never writes, reads or deletes through a link in the generated tree`,
        "replace the link with a real folder or file (or remove it), then render again",
      ),
    );
  const files = new Set([...tree.files.map((f) => f.path), ...tree.others]);
  const checked = new Set<string>();
  for (const { path } of expected) {
    if (tree.folders.has(path))
      out.push(pathDiag(path, "BERTH0021", `a folder stands where berth must write the file ${path}`, "move the folder out of the way, then render again"));
    for (let dir = parentOf(path); dir !== "." && !checked.has(dir); dir = parentOf(dir)) {
      checked.add(dir);
      if (files.has(dir))
        out.push(pathDiag(dir, "BERTH0021", `${dir} is a file where berth needs a folder (for ${path})`, "move the file out of the way, then render again"));
    }
  }
  return out;
}

export function pathDiag(file: string, code: Code, message: string, hint?: string): LocatedDiagnostic {
  return { file, line: 1, column: 1, severity: "error", code, message, ...(hint ? { hint } : {}) };
}
