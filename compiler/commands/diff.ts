// `berth diff --base REF`: compiles the specs at REF (from git objects) and in the working tree,
// then reports the semantic diff of the two renders and its risks. Spec errors on either side
// are reported as diagnostics (the base side's files named REF:path) and exit 1.
import { compile, type CompileResult } from "../compile.js";
import { Diagnostics, flagRef, sortDiagnostics, type LocatedDiagnostic } from "../diagnostics.js";
import { diffRenders } from "../diff/match.js";
import { assessRisks, type Place } from "../diff/risks.js";
import { diffCharts } from "../diff/charts.js";
import type { DiffReport } from "../report/reporter.js";
import { gitTree } from "../diff/git-tree.js";
import { diskTree } from "../load/load.js";
import { locateAll, position } from "../locate.js";
import { SourceMap } from "../parse.js";
import { finish } from "../report/index.js";
import { strictFor, type Io, type RunOptions } from "./context.js";

export function runDiff(opts: RunOptions, base: string, io: Io): number {
  const git = gitTree(opts.root, base);
  if (!git.ok) {
    const diags = new Diagnostics();
    diags.report(git.code, flagRef("--base"), git.detail, git.hint);
    return finish(opts.format, io, { ok: false, diagnostics: locateAll(diags.items, new SourceMap()), outcome: { command: "diff" } });
  }

  // A revision from before the repository held specs renders nothing: every object is new. The
  // base is not held to today's EKS calendar: a pull request that upgrades a version past its
  // support must still get its diff.
  const before: CompileResult = git.empty ? { files: [], objects: [], diagnostics: [], ok: true } : compile({ tree: git.tree, strict: opts.strict ?? strictFor(opts.schemas), serialize: false, asOf: false });
  const after = compile({ tree: diskTree(opts.root), strict: opts.strict ?? strictFor(opts.schemas), serialize: false, asOf: opts.asOf });
  const all = sortDiagnostics([...before.diagnostics.map((d) => ({ ...d, file: `${base}:${d.file}` })), ...after.diagnostics]);
  const errors = all.filter(isError);
  // Failing, the errors alone say why; a diff carries its warnings (the JSON envelope shows them).
  if (errors.length > 0) return finish(opts.format, io, { ok: false, diagnostics: errors, outcome: { command: "diff" } });

  const changes = diffRenders(before.objects, after.objects);
  const sources = after.sources;
  const place: Place | undefined = sources && ((origin) => ({ file: origin.file, ...position(origin, sources) }));
  const report: DiffReport = { base: { ref: base, commit: git.commit }, changes, risks: assessRisks(changes, before.plan, after.plan, place), charts: diffCharts(before.plan, after.plan) };
  return finish(opts.format, io, { ok: true, diagnostics: all, outcome: { command: "diff", report } });
}

function isError(d: LocatedDiagnostic): boolean {
  return d.severity === "error";
}
