// `berth model ...`: find the model's file, edit its text in memory, compile the whole repository
// with that text in place of the file, and only when nothing fails write the one file
// atomically (or, with --dry-run, print the unified diff).
import { lstatSync, realpathSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { strictFor, type Io, type RunOptions } from "./context.js";
import { compile } from "../compile.js";
import { dedupe, Diagnostics, sortDiagnostics, type LocatedDiagnostic } from "../diagnostics.js";
import { diskTree, firstInvalidUtf8, type SpecTree } from "../load/load.js";
import { locateAll } from "../locate.js";
import { SourceMap } from "../parse.js";
import { argvLocator, type ModelArgs } from "../edit/args.js";
import { findModelFile, modelClusters } from "../edit/find.js";
import { planEdit, type EditResult } from "../edit/engine.js";
import { keptLines, unifiedDiff } from "../edit/unified-diff.js";
import { finish } from "../report/index.js";

export interface ModelRun {
  readonly args: ModelArgs;
  /** The whole argv, for the columns of argument diagnostics. */
  readonly argv: readonly string[];
  readonly dryRun: boolean;
}

export function runModel(run: ModelRun, opts: RunOptions, io: Io): number {
  const command = `model ${run.args.sub}`;
  const argAt = argvLocator(run.argv);
  const tree = diskTree(opts.root);
  const diags = new Diagnostics();
  const sources = new SourceMap();
  let edit: EditResult | undefined;
  let file: string | undefined;
  let original: Buffer | undefined;

  const found = findModelFile(tree, run.args.model);
  if (typeof found !== "string") diags.report(found.code, argAt("model"), found.message, found.hint);
  else {
    file = found;
    const bytes = tree.read(file);
    if (!Buffer.isBuffer(bytes)) diags.report(bytes.code, { file, path: [] }, bytes.detail);
    else {
      original = bytes;
      const text = utf8(bytes, file, diags);
      const cmd = text === undefined ? undefined : run.args.parse(argAt, diags);
      if (cmd) edit = planEdit({ path: file, text: text!, clusters: modelClusters(tree, file, bytes) }, cmd, argAt, sources, diags);
    }
  }
  let diagnostics = locateAll(diags.items, sources);
  const before = original?.toString("utf8") ?? "";
  const diff = edit && file ? unifiedDiff(before, edit.text, file) : "";

  let written = false;
  if (edit?.changed && file && !diagnostics.some((d) => d.severity === "error")) {
    // Only the diagnostics are wanted: each cluster's objects are let go once verified (no files are made).
    const result = compile({
      tree: overlay(tree, file, edit.text),
      strict: opts.strict ?? strictFor(opts.schemas),
      serialize: false,
      onCluster: () => undefined,
    });
    // The model file's own warnings come from both reads of it: print them once.
    diagnostics = sortDiagnostics(dedupe([...diagnostics, ...inOriginalLines(result.diagnostics, file, before, edit.text)]));
    if (result.ok && !run.dryRun) {
      writeAtomically(join(opts.root, file), edit.text);
      written = true;
    }
  }
  const ok = !diagnostics.some((d) => d.severity === "error");
  return finish(opts.format, io, { ok, diagnostics, outcome: { command: "model", name: command, dryRun: run.dryRun, file, edit, diff, written } });
}

/** The file's text; bytes that are not UTF-8 would be rewritten as U+FFFD, so they stop the edit. */
function utf8(bytes: Buffer, file: string, diags: Diagnostics): string | undefined {
  try {
    return new TextDecoder("utf-8", { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch {
    const at = firstInvalidUtf8(bytes);
    const line = bytes.subarray(0, at).toString("latin1").split("\n").length;
    diags.report("BERTH0002", { file, path: [], line }, `invalid UTF-8 byte sequence at byte ${at} (line ${line})`, "save the file as UTF-8");
    return undefined;
  }
}

/** The repository as it is on disk, but with `file` holding `text`. */
function overlay(tree: SpecTree, file: string, text: string): SpecTree {
  const bytes = Buffer.from(text, "utf8");
  return {
    get problems() {
      return tree.problems;
    },
    list: (dir) => tree.list(dir),
    read: (p) => (p === file ? bytes : tree.read(p)),
  };
}

/**
 * Diagnostics in the edited file point at lines of the edited text. Lines the edit kept are
 * given their number in the file on disk; a line the edit wrote keeps its new number, and says so.
 */
function inOriginalLines(list: readonly LocatedDiagnostic[], file: string, before: string, after: string): LocatedDiagnostic[] {
  const kept = keptLines(before, after);
  return list.map((d) => {
    if (d.file !== file) return d;
    const old = kept.get(d.line);
    return old !== undefined
      ? { ...d, line: old }
      : { ...d, message: `${d.message} (line ${d.line} of the file as this command would write it; see --dry-run)` };
  });
}

/** Temp file beside the target (same folder, so the rename is atomic), then rename over it. */
function writeAtomically(path: string, text: string): void {
  const target = lstatSync(path).isSymbolicLink() ? realpathSync(path) : path;
  const tmp = join(dirname(target), `.${basename(target)}.berth-tmp-${process.pid}`);
  try {
    writeFileSync(tmp, text, { mode: statSync(target).mode & 0o777 });
    renameSync(tmp, target);
  } finally {
    rmSync(tmp, { force: true });
  }
}
