// The only writer of the disk. Owns files that carry the generated header, and only those:
// writes changed files atomically, removes generated files no longer produced, never touches a
// hand-written file.
import { closeSync, lstatSync, mkdirSync, openSync, readdirSync, readFileSync, readSync, renameSync, rmdirSync, rmSync, unlinkSync, writeFileSync } from "node:fs";
import { basename, dirname, join, relative, sep } from "node:path";
import { cmp } from "./base/order.js";
import { CODEOWNERS_PATH } from "./emit/meta.js";
import type { OutputFile } from "./output/files.js";
import { HEADER_PREFIX, isGenerated } from "./output/header.js";

/** Where berth may own files: below `clusters/` (all, or the selected clusters) and CODEOWNERS. */
export interface Scope {
  readonly clusters?: readonly string[];
}


export interface ExistingFile {
  readonly path: string;
  readonly generated: boolean;
  readonly content: string;
  /** A temp file left by an interrupted render: removed by the next one. */
  readonly temp?: boolean;
  /** Size in bytes, when known: a file of another size cannot hold the expected content. */
  readonly size?: number;
}

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
  ) {}

  get content(): string {
    const text = readFileSync(this.abs, "utf8");
    this.header = isGenerated(text);
    return text;
  }

  get generated(): boolean {
    return (this.header ??= startsWithHeader(this.abs));
  }
}

const HEADER_BYTES = Buffer.byteLength(HEADER_PREFIX);

function startsWithHeader(abs: string): boolean {
  const buf = Buffer.alloc(HEADER_BYTES);
  const fd = openSync(abs, "r");
  try {
    return readSync(fd, buf, 0, HEADER_BYTES, 0) === HEADER_BYTES && buf.toString("utf8") === HEADER_PREFIX;
  } finally {
    closeSync(fd);
  }
}

export function readExisting(root: string, scope: Scope): ExistingFile[] {
  const out: ExistingFile[] = [];
  const dirs = scope.clusters ? scope.clusters.map((c) => join(root, "clusters", c)) : [join(root, "clusters")];
  for (const dir of dirs) collect(dir, root, out);
  try {
    const content = readFileSync(join(root, CODEOWNERS_PATH), "utf8");
    out.push({ path: CODEOWNERS_PATH, generated: isGenerated(content), content });
  } catch {
    // no CODEOWNERS yet
  }
  return out.sort((a, b) => cmp(a.path, b.path));
}

function collect(dir: string, root: string, out: ExistingFile[]): void {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return;
  }
  for (const name of names) {
    const abs = join(dir, name);
    const st = lstatSync(abs);
    const path = relative(root, abs).split(sep).join("/");
    if (st.isDirectory()) collect(abs, root, out);
    else if (isTempFile(name)) out.push({ path, generated: true, content: "", temp: true });
    else if (st.isFile()) out.push(new DiskFile(path, abs, st.size));
    else out.push({ path, generated: false, content: "" }); // a link or device: never ours
  }
}

function isTempFile(name: string): boolean {
  return name.startsWith(".") && name.includes(".berth-tmp-");
}

export interface Changes {
  readonly write: OutputFile[];
  readonly remove: string[];
  readonly unchanged: number;
  /** Hand-written files standing where berth must write: an error, nothing is written. */
  readonly blocked: string[];
  /** Hand-written files elsewhere in the generated tree: left alone. */
  readonly foreign: string[];
}

export function diffTree(expected: readonly OutputFile[], existing: readonly ExistingFile[]): Changes {
  const onDisk = new Map(existing.map((f) => [f.path, f]));
  const wanted = new Set(expected.map((f) => f.path));
  const write: OutputFile[] = [];
  const blocked: string[] = [];
  let unchanged = 0;
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
    else if (oldContent !== content) write.push(f);
    else unchanged++;
  }
  const remove = existing.filter((f) => f.generated && !wanted.has(f.path)).map((f) => f.path);
  // A temp file never shares a path with an output, so it always lands in `remove`.
  const foreign = existing.filter((f) => !f.generated && !wanted.has(f.path)).map((f) => f.path);
  return { write, remove, unchanged, blocked, foreign };
}

/**
 * Applies changes in two steps, so that a killed run leaves each file old or new, never half, and
 * a failure while writing (a full disk, a berth bug in serializing) changes nothing: every file is
 * first written to a temp file beside its target, then all are renamed over their targets.
 */
export function applyChanges(root: string, changes: Changes): void {
  const made = new Set<string>();
  const staged: [tmp: string, target: string][] = [];
  try {
    for (const f of changes.write) {
      const abs = join(root, f.path);
      const dir = dirname(abs);
      if (!made.has(dir)) {
        mkdirSync(dir, { recursive: true });
        made.add(dir);
      }
      const tmp = join(dir, `.${basename(abs)}.berth-tmp-${process.pid}`);
      writeFileSync(tmp, f.content);
      staged.push([tmp, abs]);
    }
  } catch (e) {
    for (const [tmp] of staged) rmSync(tmp, { force: true });
    for (const dir of made) removeEmptyParents(dir, root);
    throw e;
  }
  for (const [tmp, abs] of staged) renameSync(tmp, abs);
  for (const p of changes.remove) {
    const abs = join(root, p);
    unlinkSync(abs);
    removeEmptyParents(dirname(abs), join(root, "clusters"));
  }
}

function removeEmptyParents(dir: string, stop: string): void {
  let cur = dir;
  while (cur.startsWith(stop) && cur !== stop) {
    try {
      if (readdirSync(cur).length > 0) return;
      rmdirSync(cur);
    } catch {
      return;
    }
    cur = dirname(cur);
  }
}
