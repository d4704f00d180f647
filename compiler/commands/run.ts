// The commands: compile, then print diagnostics and (for render) apply the changes.
import { mkdirSync, writeFileSync } from "node:fs";
import { isAbsolute, join, relative, sep } from "node:path";
import { compile, type CompileResult } from "../compile.js";
import { catalogueUrl, formatDiagnostics, sortDiagnostics, summaryLine, type Format, type LocatedDiagnostic } from "../diagnostics.js";
import { diskTree } from "../load/load.js";
import { renderedOnDisk } from "../write/previous.js";
import type { OutputFile } from "../output/files.js";
import { capacityReport } from "../verify/capacity.js";
import { modelsWithoutSlo } from "../verify/observability.js";
import type { Plan } from "../plan/types.js";
import { StrictValidator } from "../verify/strict.js";
import { diffTree, outputProblems, scanTree } from "../write/changes.js";
import { applyChanges, WriteFailure } from "../write/apply.js";
import { isSystemError, nodeFs, osReason, type FsOps } from "../write/fs.js";
import { recoverJournal } from "../write/journal.js";
import { acquireLock, LOCK_FILE, LockHeld, type Holder } from "../write/lock.js";
import { editorSchemas } from "../schema/editor.js";
import type { SourceMap } from "../parse.js";
import { textDecoration, wantsColor } from "../report/snippet.js";

export interface Io {
  readonly cwd: string;
  readonly env: Record<string, string | undefined>;
  readonly stdout: { write(s: string): unknown };
  readonly stderr: { write(s: string): unknown; isTTY?: boolean };
}

export interface RunOptions {
  readonly root: string;
  readonly format: Format | "markdown";
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
}

const validators = new Map<string, StrictValidator>();

/** One compiled validator per schema folder per process. */
export function strictFor(dir: string | undefined): StrictValidator | undefined {
  if (!dir) return undefined;
  let v = validators.get(dir);
  if (!v) validators.set(dir, (v = new StrictValidator(dir)));
  return v;
}

export function compileRoot(opts: RunOptions): CompileResult {
  return compile({
    tree: diskTree(opts.root),
    clusters: opts.clusters,
    strict: opts.strict ?? strictFor(opts.schemas),
    asOf: opts.asOf,
    previous: renderedOnDisk(opts.root),
  });
}

export function runRender(opts: RunOptions, io: Io): number {
  const result = compileRoot(opts);
  const diagnostics = [...result.diagnostics];
  let summary: string | undefined;
  if (result.ok) {
    try {
      summary = writeTree(opts, io, result.files, diagnostics);
    } catch (e) {
      if (!isSystemError(e)) throw e;
      diagnostics.push(systemDiagnostic(e, opts.root));
    }
  }
  const sorted = sortDiagnostics(diagnostics);
  print(sorted, opts.format, io, result);
  if (summary === undefined || sorted.some((d) => d.severity === "error")) {
    const undone = sorted.some((d) => d.code === "BERTH0022" && d.message.includes("rolling back"));
    if (opts.format === "text") io.stderr.write(`berth render: ${summaryLine(sorted)}; ${undone ? "the rollback is incomplete" : "nothing written"}\n`);
    return 1;
  }
  if (opts.format === "text") io.stdout.write(`berth render: ${result.files.length} files: ${summary}; ${summaryLine(sorted)}\n`);
  return 0;
}

/**
 * Under the render lock: finishes an interrupted render, compares with the disk, and writes when
 * nothing stands in the way. Returns the counts for the summary line, or undefined when it wrote
 * nothing because of an error (pushed to `diagnostics`).
 */
export function writeTree(opts: RunOptions, io: Io, files: readonly OutputFile[], diagnostics: LocatedDiagnostic[]): string | undefined {
  const ops = opts.fsOps ?? nodeFs;
  let release: () => void;
  try {
    release = acquireLock(opts.root, {
      ops,
      waitMs: opts.lockWaitMs,
      onWait: (h) => opts.format === "text" && io.stderr.write(`berth render: waiting for ${holderName(h)} to finish\n`),
    });
  } catch (e) {
    if (!(e instanceof LockHeld)) throw e;
    diagnostics.push(
      fileDiag(
        LOCK_FILE,
        "error",
        "BERTH0023",
        `${holderName(e.holder)} holds ${LOCK_FILE} (waited ${Math.round(e.waitedMs / 1000)} s); two renders on one repository would undo each other`,
        `wait for it to finish; if no berth render is running, delete ${LOCK_FILE}`,
      ),
    );
    return undefined;
  }
  try {
    for (const f of recoverJournal(opts.root, ops))
      diagnostics.push(
        fileDiag(
          f.path,
          "error",
          "BERTH0022",
          `could not ${f.what} ${f.path} for a render that was interrupted: ${f.reason}`,
          "fix the cause (or move the file away), then render again",
        ),
      );
    if (diagnostics.some((d) => d.severity === "error")) return undefined;
    const tree = scanTree(opts.root, { clusters: opts.clusters }, ops);
    const changes = diffTree(files, tree.files);
    diagnostics.push(...outputProblems(tree, files));
    for (const p of changes.blocked)
      diagnostics.push(
        fileDiag(
          p,
          "error",
          "BERTH0010",
          "a hand-written file (no berth header) stands where berth must write; berth never overwrites it",
          "move or delete the file, then render again",
        ),
      );
    for (const p of changes.foreign)
      diagnostics.push(
        fileDiag(
          p,
          "warning",
          "BERTH0013",
          "hand-written file under clusters/ left untouched; `berth check` fails while it is there",
          "move it out of the generated tree",
        ),
      );
    if (diagnostics.some((d) => d.severity === "error")) return undefined;
    try {
      diagnostics.push(...applyChanges(opts.root, changes, { ops }));
    } catch (e) {
      if (!(e instanceof WriteFailure)) throw e;
      diagnostics.push(...e.diagnostics);
      return undefined;
    }
    return `${changes.write.length} written, ${changes.remove.length} removed, ${changes.unchanged} unchanged`;
  } finally {
    release();
  }
}

function holderName(h: Holder | undefined): string {
  return h ? `the berth render running as process ${h.pid} on ${h.host}` : `a file berth cannot read as its lock`;
}

export function runCheck(opts: RunOptions, io: Io): number {
  const result = compileRoot(opts);
  const diagnostics = [...result.diagnostics];
  if (result.ok) {
    try {
      checkTree(opts.root, result.files, diagnostics, opts.fsOps ?? nodeFs);
    } catch (e) {
      if (!isSystemError(e)) throw e;
      diagnostics.push(systemDiagnostic(e, opts.root));
    }
  }
  const sorted = sortDiagnostics(diagnostics);
  const failed = sorted.some((d) => d.severity === "error");
  if (opts.format === "json") {
    const capacity = result.plan ? capacityReport(result.plan).data : [];
    const withoutSlo = result.plan ? modelsWithoutSlo(result.plan) : [];
    io.stdout.write(JSON.stringify({ ok: !failed, diagnostics: sorted, capacity, withoutSlo }, null, 2) + "\n");
    return failed ? 1 : 0;
  }
  print(sorted, opts.format, io, result);
  if (opts.format === "text") {
    if (result.plan) io.stdout.write(capacityReport(result.plan).text + sloReport(result.plan));
    io.stdout.write(
      `berth check: ${result.files.length} files, ${result.objects.length} objects; ${summaryLine(sorted)}${failed ? "" : "; clusters/ is up to date"}\n`,
    );
  }
  return failed ? 1 : 0;
}

/** The models that get dashboards but no alerts, one line per cluster (docs/observability.md). */
function sloReport(plan: Plan): string {
  const missing = modelsWithoutSlo(plan);
  if (missing.length === 0) return "every model states an slo\n";
  const byCluster = new Map<string, string[]>();
  for (const m of missing) byCluster.set(m.cluster, [...(byCluster.get(m.cluster) ?? []), m.model]);
  const lines = [...byCluster].map(([c, models]) => `  ${c}: ${models.join(", ")}\n`);
  return `models without an slo (dashboards, no alerts): ${missing.length}\n${lines.join("")}`;
}

/** Compares the generated tree with the render, into `diagnostics`. */
function checkTree(root: string, files: readonly OutputFile[], diagnostics: LocatedDiagnostic[], ops: FsOps): void {
  const tree = scanTree(root, {}, ops);
  const changes = diffTree(files, tree.files);
  const onDisk = new Set(tree.files.map((f) => f.path));
  diagnostics.push(...outputProblems(tree, files));
  for (const f of changes.write)
    diagnostics.push(
      onDisk.has(f.path)
        ? fileDiag(
            f.path,
            "error",
            "BERTH0007",
            "out of date or edited by hand: the specs render different content",
            "run `berth render` and commit the result",
          )
        : fileDiag(f.path, "error", "BERTH0008", "missing: the specs render this file", "run `berth render` and commit the result"),
    );
  for (const p of changes.remove)
    diagnostics.push(fileDiag(p, "error", "BERTH0009", "stale: no spec renders this file any more", "run `berth render` to remove it"));
  for (const p of changes.blocked)
    diagnostics.push(fileDiag(p, "error", "BERTH0010", "a hand-written file (no berth header) stands where berth must write", "move or delete the file"));
  for (const p of changes.foreign)
    diagnostics.push(
      fileDiag(
        p,
        "error",
        "BERTH0006",
        "hand-written file under clusters/: berth never touches it, but it does not belong in the generated tree",
        "move it out of clusters/",
      ),
    );
}

export function runSchema(opts: RunOptions, out: string, io: Io): number {
  mkdirSync(out, { recursive: true });
  for (const [name, schema] of Object.entries(editorSchemas())) writeFileSync(join(out, `${name}.schema.json`), JSON.stringify(schema, null, 2) + "\n");
  if (opts.format === "text") io.stdout.write(`berth schema: wrote ${Object.keys(editorSchemas()).length} schemas to ${out}\n`);
  return 0;
}

/** What printing may draw on: the spec texts (snippets under text diagnostics), the plan (SARIF's links). */
export interface PrintContext {
  readonly sources?: SourceMap;
  readonly plan?: Plan;
}

/** Prints diagnostics; in text, with the spec lines they point at and colour on a terminal. */
export function print(list: LocatedDiagnostic[], format: Format | "markdown", io: Io, context: PrintContext = {}): void {
  const gitops = context.plan?.world.platform.spec.gitops;
  const catalogue = gitops && catalogueUrl(gitops.repoURL, gitops.targetRevision ?? "HEAD");
  if (format === "json" || format === "github" || format === "sarif") io.stdout.write(formatDiagnostics(list, format, { catalogueUrl: catalogue }));
  else io.stderr.write(formatDiagnostics(list, "text", { decoration: textDecoration(context.sources, { color: wantsColor(io.env, io.stderr.isTTY) }) }));
}

/**
 * The operating system refused something (EACCES, ENOSPC, EISDIR...): the user's environment,
 * not a berth bug. Named by the path it concerns, relative to the root when inside it.
 */
export function systemDiagnostic(e: Error & { path?: string; syscall?: string }, root: string): LocatedDiagnostic {
  const abs = typeof e.path === "string" ? e.path : undefined;
  const rel = abs && relative(root, abs);
  const file = !abs ? "berth" : rel && !rel.startsWith("..") && !isAbsolute(rel) ? rel.split(sep).join("/") : abs;
  return fileDiag(
    file,
    "error",
    "BERTH0025",
    `cannot ${e.syscall ?? "access"} ${file}: ${osReason(e)}`,
    "fix the file's permissions or free space, then run berth again",
  );
}

/**
 * What the CLI does with an exception that reached it: an operating system error is the user's
 * (exit 1, a diagnostic in the asked format); anything else is a bug in berth (exit 3).
 */
export function reportException(e: unknown, command: string, opts: RunOptions, io: Io): number {
  if (isSystemError(e)) {
    const list = [systemDiagnostic(e, opts.root)];
    if (opts.format === "json")
      io.stdout.write(
        JSON.stringify(
          command === "render" || command === "schema" ? list : { ok: false, diagnostics: list, ...(command === "check" ? { capacity: [] } : {}) },
          null,
          2,
        ) + "\n",
      );
    else print(list, opts.format, io);
    return 1;
  }
  io.stderr.write(`berth: internal error (a bug in berth, not in your specs or your environment): ${(e as Error | null)?.message ?? String(e)}\n`);
  if (io.env.BERTH_DEBUG) io.stderr.write(`${(e as Error).stack}\n`);
  return 3;
}

function fileDiag(file: string, severity: "error" | "warning", code: LocatedDiagnostic["code"], message: string, hint?: string): LocatedDiagnostic {
  return { file, line: 1, column: 1, severity, code, message, ...(hint ? { hint } : {}) };
}
