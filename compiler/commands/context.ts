// What every command shares: the process's streams and environment, the run options the CLI
// parsed, and compiling the repository at --root.
import { isAbsolute, relative, sep } from "node:path";
import { compile, type CompileOptions, type CompileResult } from "../compile.js";
import type { Code } from "../codes/index.js";
import { Diagnostics, fileStart, type LocatedDiagnostic } from "../diagnostics.js";
import { diskTree } from "../load/load.js";
import { renderedOnDisk } from "../write/previous.js";
import type { Plan } from "../plan/types.js";
import { textDecoration, wantsColor } from "../report/snippet.js";
import { catalogueUrl } from "../report/sarif.js";
import { locateAll } from "../locate.js";
import { SourceMap } from "../parse.js";
import type { Format, Run } from "../report/reporter.js";
import { StrictValidator } from "../verify/strict.js";
import type { ResultCache } from "../verify/result-cache.js";
import { osReason, type FsOps } from "../write/fs.js";

export interface Io {
  readonly cwd: string;
  readonly env: Record<string, string | undefined>;
  readonly stdout: { write(s: string): unknown };
  readonly stderr: { write(s: string): unknown; isTTY?: boolean };
}

export interface RunOptions {
  readonly root: string;
  readonly format: Format;
  /** A schema folder (tests); the CLI passes `strict`, built from all schema locations. */
  readonly schemas?: string;
  readonly strict?: StrictValidator;
  readonly clusters?: readonly string[];
  /** The file operations render and check read and write with (tests fail them on purpose). */
  readonly fsOps?: FsOps;
  /** How long render waits for another render on the same root before refusing. */
  readonly lockWaitMs?: number;
  /** --as-of: the day the EKS calendar is read on (default today, UTC). */
  readonly asOf?: string;
  /** Where compiles keep their findings between runs (the CLI's cache directory; none in most tests). */
  readonly results?: ResultCache;
}

const validators = new Map<string, StrictValidator>();

/** One compiled validator per schema folder per process. */
export function strictFor(dir: string | undefined): StrictValidator | undefined {
  if (!dir) return undefined;
  let v = validators.get(dir);
  if (!v) validators.set(dir, (v = new StrictValidator(dir)));
  return v;
}

/** Compiles --root; with `onCluster`, each cluster's files go there and the result holds none (compile.ts). */
export function compileRoot(opts: RunOptions, onCluster?: CompileOptions["onCluster"]): CompileResult {
  return compile({
    ...(onCluster ? { onCluster } : {}),
    tree: diskTree(opts.root),
    clusters: opts.clusters,
    strict: opts.strict ?? strictFor(opts.schemas),
    asOf: opts.asOf,
    previous: renderedOnDisk(opts.root),
    results: opts.results,
  });
}

/**
 * What the reporters may draw on besides the run: the spec texts (snippets under text
 * diagnostics, coloured on a terminal) and the plan (SARIF's links to the code catalogue).
 */
export function printContext(io: Io, result: { readonly sources?: SourceMap; readonly plan?: Plan }): Pick<Run, "decoration" | "catalogueUrl"> {
  const gitops = result.plan?.world.platform.spec.gitops;
  const catalogue = gitops && catalogueUrl(gitops.repoURL, gitops.targetRevision ?? "HEAD");
  return { decoration: textDecoration(result.sources, { color: wantsColor(io.env, io.stderr.isTTY) }), ...(catalogue ? { catalogueUrl: catalogue } : {}) };
}

/** A diagnostic about a whole file (or a path berth names), at its start; severity from the catalogue. */
export function fileDiagnostic(code: Code, file: string, message: string, hint?: string): LocatedDiagnostic {
  const diags = new Diagnostics();
  diags.report(code, fileStart(file), message, hint);
  return locateAll(diags.items, new SourceMap())[0]!;
}

/**
 * The operating system refused something (EACCES, ENOSPC, EISDIR...): the user's environment,
 * not a berth bug. Named by the path it concerns, relative to the root when inside it.
 */
export function systemDiagnostic(e: Error & { path?: string; syscall?: string }, root: string): LocatedDiagnostic {
  const abs = typeof e.path === "string" ? e.path : undefined;
  const rel = abs && relative(root, abs);
  const file = !abs ? "berth" : rel && !rel.startsWith("..") && !isAbsolute(rel) ? rel.split(sep).join("/") : abs;
  return fileDiagnostic(
    "BERTH0025",
    file,
    `cannot ${e.syscall ?? "access"} ${file}: ${osReason(e)}`,
    "fix the file's permissions or free space, then run berth again",
  );
}
