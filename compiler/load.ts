// Discovers and reads spec files: the only reader of spec files on disk. A `SpecTree` abstracts
// where the files come from (the working tree, or a git revision for `diff`).
import { lstatSync, readdirSync, readFileSync, realpathSync, statSync } from "node:fs";
import { join, relative, resolve, sep } from "node:path";
import { Diagnostics, fileStart } from "./diagnostics.js";

export type SpecKind = "Platform" | "Cluster" | "Tenant" | "Model";

export interface SourceFile {
  /** Path relative to the root, with forward slashes. */
  readonly path: string;
  readonly text: string;
  /** The kind this file's folder holds. */
  readonly expectedKind: SpecKind;
  /** The file name without its extension: what metadata.name must be. */
  readonly stem: string;
  /** For models: the tenant folder. */
  readonly tenant?: string;
}

/** Where spec files come from: the working tree or a git revision. */
export interface SpecTree {
  /** Lists files below a folder (relative paths, recursive), or [] when the folder is absent. */
  list(dir: string): string[];
  /** Reads a file's bytes, or returns an error diagnostic code and detail. */
  read(path: string): Buffer | { code: "BERTH0001" | "BERTH0003"; detail: string };
  /** Symbolic links found while listing that lead outside the root. */
  readonly escapes?: ReadonlySet<string>;
}

const YAML_FILE = /\.ya?ml$/;

function isCandidate(tree: SpecTree, p: string): boolean {
  return YAML_FILE.test(p) || (tree.escapes?.has(p) ?? false);
}

/** Reads every spec file; `unreadable` collects "<Kind>/<name>" of files that could not be read. */
export function loadSpecs(tree: SpecTree, diags: Diagnostics, unreadable?: Set<string>): SourceFile[] {
  const files: SourceFile[] = [];
  const add = (path: string, expectedKind: SpecKind, tenant?: string) => {
    const base = path.slice(path.lastIndexOf("/") + 1);
    const stem = base.replace(YAML_FILE, "");
    const text = readText(tree, path, diags);
    if (text === undefined) unreadable?.add(`${expectedKind}/${stem}`);
    else files.push({ path, text, expectedKind, stem, tenant });
  };
  const escapes = (p: string) => {
    if (!tree.escapes?.has(p)) return false;
    readText(tree, p, diags);
    return true;
  };

  const platformFiles = tree.list("platform").filter((p) => !p.startsWith("platform/clusters/"));
  const platformPath = platformFiles.find((p) => p === "platform/platform.yaml" || p === "platform/platform.yml");
  if (platformPath) add(platformPath, "Platform");
  else diags.error("BERTH0005", fileStart("platform/platform.yaml"), "platform/platform.yaml is missing", "every berth repository has one Platform spec at platform/platform.yaml");
  for (const p of platformFiles) {
    if (p !== platformPath && isCandidate(tree, p))
      diags.error("BERTH0004", fileStart(p), "unexpected spec file in platform/: only platform.yaml and clusters/<cluster>.yaml belong here");
  }

  for (const p of tree.list("platform/clusters")) {
    if (!isCandidate(tree, p) || escapes(p)) continue;
    if (p.split("/").length !== 3) diags.error("BERTH0004", fileStart(p), "cluster specs live directly in platform/clusters/<cluster>.yaml");
    else add(p, "Cluster");
  }
  for (const p of tree.list("tenants")) {
    if (!isCandidate(tree, p) || escapes(p)) continue;
    if (p.split("/").length !== 2) diags.error("BERTH0004", fileStart(p), "tenant specs live directly in tenants/<tenant>.yaml");
    else add(p, "Tenant");
  }
  for (const p of tree.list("models")) {
    if (!isCandidate(tree, p) || escapes(p)) continue;
    const parts = p.split("/");
    if (parts.length !== 3) diags.error("BERTH0004", fileStart(p), "model specs live in models/<tenant>/<model>.yaml");
    else add(p, "Model", parts[1]);
  }
  return files;
}

const utf8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: false });

function readText(tree: SpecTree, path: string, diags: Diagnostics): string | undefined {
  const bytes = tree.read(path);
  if (!Buffer.isBuffer(bytes)) {
    diags.error(bytes.code, fileStart(path), bytes.detail);
    return undefined;
  }
  try {
    return utf8.decode(bytes);
  } catch {
    const at = firstInvalidUtf8(bytes);
    const line = bytes.subarray(0, at).toString("latin1").split("\n").length;
    diags.error("BERTH0002", { file: path, path: [], line }, `invalid UTF-8 byte sequence at byte ${at} (line ${line})`, "save the file as UTF-8");
    return undefined;
  }
}

/** Offset of the first byte that does not start or continue a valid UTF-8 sequence. */
export function firstInvalidUtf8(b: Uint8Array): number {
  for (let i = 0; i < b.length; i++) {
    const c = b[i]!;
    const n = c < 0x80 ? 0 : c >= 0xc2 && c < 0xe0 ? 1 : c >= 0xe0 && c < 0xf0 ? 2 : c >= 0xf0 && c < 0xf5 ? 3 : -1;
    if (n < 0) return i;
    for (let k = 1; k <= n; k++) if (i + k >= b.length || (b[i + k]! & 0xc0) !== 0x80) return i;
    i += n;
  }
  return b.length;
}

/** The working tree below `root`; symbolic links may not lead outside it. */
export function diskTree(root: string): SpecTree {
  const absRoot = resolve(root);
  const realRoot = safeRealpath(absRoot) ?? absRoot;
  const inside = (p: string | undefined) => p !== undefined && (p === realRoot || p.startsWith(realRoot + sep));
  const escapes = new Set<string>();
  const rel = (p: string) => relative(absRoot, p).split(sep).join("/");
  return {
    escapes,
    list(dir) {
      const out: string[] = [];
      walk(join(absRoot, dir), out, (abs) => {
        if (inside(safeRealpath(abs))) return true;
        escapes.add(rel(abs));
        out.push(abs);
        return false;
      });
      return out.map(rel).sort();
    },
    read(path) {
      const abs = join(absRoot, path);
      try {
        if (lstatSync(abs).isSymbolicLink()) {
          const target = safeRealpath(abs);
          if (!inside(target))
            return { code: "BERTH0003", detail: `symbolic link points outside the repository root (${target ?? "dangling"})` };
        }
        return readFileSync(abs);
      } catch (e) {
        return { code: "BERTH0001", detail: `cannot read file: ${(e as NodeJS.ErrnoException).code ?? String(e)}` };
      }
    },
  };
}

/** Collects files below `dir`; `followLink` decides whether a symbolically linked entry is entered. */
function walk(dir: string, out: string[], followLink: (abs: string) => boolean): void {
  let entries: string[];
  try {
    entries = readdirSync(dir);
  } catch {
    return;
  }
  for (const name of entries) {
    if (name.startsWith(".")) continue;
    const abs = join(dir, name);
    if (lstatSync(abs).isSymbolicLink() && !followLink(abs)) continue;
    let st;
    try {
      st = statSync(abs);
    } catch {
      out.push(abs); // a dangling link: read() reports it
      continue;
    }
    if (st.isDirectory()) walk(abs, out, followLink);
    else out.push(abs);
  }
}

function safeRealpath(p: string): string | undefined {
  try {
    return realpathSync(p);
  } catch {
    return undefined;
  }
}
