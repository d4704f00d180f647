// Discovers and reads spec files: the only reader of spec files on disk. A `SpecTree` abstracts
// where the files come from (the working tree, or a git revision for `diff`).
import { lstatSync, readdirSync, readFileSync, realpathSync, statSync } from "node:fs";
import { join, resolve, sep } from "node:path";
import { cmp } from "../base/order.js";
import { Diagnostics, fileStart } from "../diagnostics.js";
import { discover, osReason, SPEC_NAME, unresolved, type DirIO, type EntryType, type TreeProblem } from "./discover.js";

export type { TreeProblem } from "./discover.js";

export type SpecKind = "Platform" | "Cluster" | "Tenant" | "Model" | "Store";

export interface SourceFile {
  /** Path relative to the root, with forward slashes. */
  readonly path: string;
  readonly text: string;
  /** The kind this file's folder holds; a file in models/<tenant>/ holds a Model or a Store, by its `kind`. */
  readonly expectedKind: SpecKind;
  /** The file name without its extension: what metadata.name must be. */
  readonly stem: string;
  /** For models: the tenant folder. */
  readonly tenant?: string;
}

/**
 * A spec that exists but cannot be used: unreadable, broken YAML, or invalid. It was reported where
 * it failed, and it still exists, so references to it are not reported again. `name` is the file
 * stem, or "*" for a spec folder that could not be read (any name may exist there).
 */
export interface UnusableSpec {
  readonly unusable: true;
  readonly kind: SpecKind;
  readonly name: string;
  readonly file: string;
}

/** What loading gives each candidate spec file: its text, or that it cannot be used. */
export type LoadedSpec = SourceFile | UnusableSpec;

export function unusableSpec(file: string, kind: SpecKind, name: string): UnusableSpec {
  return { unusable: true, kind, name, file };
}

export function isUnusable<T extends object>(spec: T | UnusableSpec): spec is UnusableSpec {
  return "unusable" in spec;
}

/** Where spec files come from: the working tree or a git revision. */
export interface SpecTree {
  /** Lists files below a folder (relative paths, recursive), or [] when the folder is absent. */
  list(dir: string): string[];
  /** Reads a file's bytes, or says why it cannot. */
  read(path: string): Buffer | TreeProblem;
  /** What listing found that cannot be read as a spec, by path (filled by list). */
  readonly problems?: ReadonlyMap<string, TreeProblem>;
}

/** The spelling berth reads; other cases of the extension are reported (SPEC_NAME). */
const YAML_FILE = /\.ya?ml$/;
const SPEC_FOLDERS = ["platform", "tenants", "models"] as const;

/** Where a spec file belongs by its path, or why it does not belong there. */
function place(p: string): { kind: SpecKind; tenant?: string } | { misplaced: string } {
  const parts = p.split("/");
  if (parts[0] === "platform" && parts[1] === "clusters" && parts.length > 2)
    return parts.length === 3 ? { kind: "Cluster" } : { misplaced: "cluster specs live directly in platform/clusters/<cluster>.yaml" };
  if (parts[0] === "platform")
    return parts.length === 2
      ? { kind: "Platform" }
      : { misplaced: "unexpected spec file in platform/: only platform.yaml and clusters/<cluster>.yaml belong here" };
  if (parts[0] === "tenants") return parts.length === 2 ? { kind: "Tenant" } : { misplaced: "tenant specs live directly in tenants/<tenant>.yaml" };
  return parts.length === 3 ? { kind: "Model", tenant: parts[1] } : { misplaced: "model specs live in models/<tenant>/<model>.yaml, and so do stores" };
}

const baseName = (p: string) => p.slice(p.lastIndexOf("/") + 1);
const stemOf = (p: string) => baseName(p).replace(SPEC_NAME, "");

/**
 * Reads every spec file; one that exists but cannot be read comes back as an `UnusableSpec`.
 * Files without a YAML extension (README.md) and names starting with "." are not specs;
 * everything else under the spec folders is read or reported.
 */
export function loadSpecs(tree: SpecTree, diags: Diagnostics): LoadedSpec[] {
  const files: LoadedSpec[] = [];
  const listed = SPEC_FOLDERS.flatMap((dir) => tree.list(dir))
    .filter((p) => SPEC_NAME.test(p))
    .sort(cmp);
  const problems = [...(tree.problems ?? [])].filter(([p]) => SPEC_FOLDERS.some((d) => p === d || p.startsWith(d + "/"))).sort(([a], [b]) => cmp(a, b));
  const blocked = (p: string) => {
    const at = place(p);
    if ("kind" in at) files.push(unusableSpec(p, at.kind, stemOf(p)));
  };

  let platformPath: string | undefined;
  let platformSeen = problems.some(([p]) => p === "platform" || /^platform\/platform\.ya?ml$/i.test(p));
  for (const p of listed) {
    if (tree.problems?.has(p)) continue;
    const at = place(p);
    if ("misplaced" in at) {
      diags.report("BERTH0004", fileStart(p), at.misplaced);
      continue;
    }
    if (!YAML_FILE.test(p)) {
      const base = baseName(p);
      diags.report("BERTH0017", fileStart(p), `${base} is not read: spec files end in .yaml or .yml, in lower case`, `rename it to ${stemOf(p)}.yaml`);
      blocked(p);
      if (at.kind === "Platform" && stemOf(p) === "platform") platformSeen = true;
      continue;
    }
    if (at.kind === "Platform") {
      if (platformPath || stemOf(p) !== "platform") {
        diags.report("BERTH0004", fileStart(p), "unexpected spec file in platform/: only platform.yaml and clusters/<cluster>.yaml belong here");
        continue;
      }
      platformPath = p;
    }
    const stem = stemOf(p);
    const text = readText(tree, p, diags);
    if (text === undefined) files.push(unusableSpec(p, at.kind, stem));
    else files.push({ path: p, text, expectedKind: at.kind, stem, tenant: at.tenant });
  }
  if (!platformPath && !platformSeen)
    diags.report(
      "BERTH0005",
      fileStart("platform/platform.yaml"),
      "platform/platform.yaml is missing",
      "every berth repository has one Platform spec at platform/platform.yaml",
    );

  for (const [p, why] of problems) {
    diags.report(why.code, fileStart(p), why.detail, why.hint);
    if (SPEC_NAME.test(p)) blocked(p);
    // Specs in a folder that cannot be read may have any name: references to them are not unknown.
    if (p === "tenants") files.push(unusableSpec(p, "Tenant", "*"));
    if (p === "platform" || p === "platform/clusters") files.push(unusableSpec(p, "Cluster", "*"));
  }
  return files;
}

const utf8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: false });

function readText(tree: SpecTree, path: string, diags: Diagnostics): string | undefined {
  const bytes = tree.read(path);
  if (!Buffer.isBuffer(bytes)) {
    diags.report(bytes.code, fileStart(path), bytes.detail, bytes.hint);
    return undefined;
  }
  try {
    return utf8.decode(bytes);
  } catch {
    const at = firstInvalidUtf8(bytes);
    const line = bytes.subarray(0, at).toString("latin1").split("\n").length;
    diags.report("BERTH0002", { file: path, path: [], line }, `invalid UTF-8 byte sequence at byte ${at} (line ${line})`, "save the file as UTF-8");
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
export function diskTree(root: string, io: DirIO = diskIO(root)): SpecTree {
  const problems = new Map<string, TreeProblem>();
  // Files that listing found, by their real path: already known to be inside the root.
  const reals = new Map<string, string>();
  const realRoot = rootOf(root);
  const under = (dir: string) => (p: string) => p === dir || p.startsWith(dir + "/");
  return {
    problems,
    list(dir) {
      for (const p of [...problems.keys()].filter(under(dir))) problems.delete(p);
      for (const p of [...reals.keys()].filter(under(dir))) reals.delete(p);
      return discover(io, dir, problems, reals);
    },
    read(path) {
      let real = reals.get(path);
      if (real === undefined) {
        const to = io.resolve(path);
        if (!("real" in to)) return unresolved(to, "file");
        if (to.type !== "file") return { code: "BERTH0015", detail: `${path} is not a file (${to.type})` };
        real = to.real;
      }
      try {
        return readFileSync(join(realRoot, real));
      } catch (e) {
        return { code: "BERTH0001", detail: `cannot read file: ${osReason(e)}`, hint: "make the file readable by the user running berth" };
      }
    },
  };
}

function rootOf(root: string): string {
  const abs = resolve(root);
  try {
    return realpathSync.native(abs);
  } catch {
    return abs;
  }
}

/** The disk as discovery sees it: paths below the root, links followed only inside it. */
export function diskIO(root: string): DirIO {
  const absRoot = resolve(root);
  const realRoot = rootOf(root);
  const prefix = realRoot.endsWith(sep) ? realRoot : realRoot + sep; // "/" as the root
  return {
    readdir: (real) => readdirSync(join(realRoot, real), { withFileTypes: true }).map((d) => ({ name: d.name, type: direntType(d) })),
    resolve(path) {
      const abs = join(absRoot, path);
      let target: string;
      try {
        target = realpathSync.native(abs);
      } catch (e) {
        const code = (e as NodeJS.ErrnoException).code;
        if (code === "ELOOP") return { loop: true };
        if (code !== "ENOENT") return { failed: osReason(e) };
        try {
          lstatSync(abs);
          return { dangling: true };
        } catch {
          return { absent: true };
        }
      }
      if (target !== realRoot && !target.startsWith(prefix)) return { outside: target };
      try {
        return { real: target.slice(prefix.length).split(sep).join("/"), type: direntType(statSync(target)) };
      } catch (e) {
        return { failed: osReason(e) };
      }
    },
  };
}

function direntType(d: { isFile(): boolean; isDirectory(): boolean; isSymbolicLink(): boolean; isSocket(): boolean; isFIFO(): boolean }): EntryType {
  return d.isFile() ? "file" : d.isDirectory() ? "folder" : d.isSymbolicLink() ? "link" : d.isSocket() ? "socket" : d.isFIFO() ? "FIFO" : "device";
}
