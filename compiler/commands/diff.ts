// `berth diff --base REF`: compiles the specs at REF (from git objects) and in the working tree,
// then prints the semantic diff of the two renders and its risks. Spec errors on either side
// are printed as diagnostics (the base side's files named REF:path) and exit 1.
import { compile, type CompileResult } from "../compile.js";
import { print, strictFor, type Io, type RunOptions } from "./run.js";
import { githubData, githubProperty, sortDiagnostics, type LocatedDiagnostic } from "../diagnostics.js";
import { diffRenders } from "../diff/match.js";
import { diffCharts } from "../diff/charts.js";
import { formatJson, formatMarkdown, formatMarkdownErrors, formatText, COMMENT_MARKER, type DiffReport } from "../report/diff.js";
import { assessRisks } from "../diff/risks.js";
import { gitTree } from "../diff/git-tree.js";
import { diskTree } from "../load/load.js";
import { renderedBefore } from "../write/previous.js";

export function runDiff(opts: RunOptions, base: string, io: Io): number {
  const git = gitTree(opts.root, base);
  if (!git.ok) return failed([{ file: "--base", line: 1, column: 1, severity: "error", code: git.code, message: git.detail, hint: git.hint }], opts, io);

  // A revision from before the repository held specs renders nothing: every object is new. The
  // base is not held to today's EKS calendar: a pull request that upgrades a version past its
  // support must still get its diff.
  const before: CompileResult = git.empty ? { files: [], objects: [], diagnostics: [], ok: true } : compile({ tree: git.tree, strict: opts.strict ?? strictFor(opts.schemas), serialize: false, asOf: false });
  const after = compile({ tree: diskTree(opts.root), strict: opts.strict ?? strictFor(opts.schemas), serialize: false, asOf: opts.asOf, previous: renderedBefore(before.objects) });
  const errors = sortDiagnostics([...errorsOf(before).map((d) => ({ ...d, file: `${base}:${d.file}` })), ...errorsOf(after)]);
  if (errors.length > 0) return failed(errors, opts, io);

  const changes = diffRenders(before.objects, after.objects);
  const report: DiffReport = { base: { ref: base, commit: git.commit }, changes, risks: assessRisks(changes, before.plan, after.plan), charts: diffCharts(before.plan, after.plan) };
  switch (opts.format) {
    case "json":
      io.stdout.write(formatJson(report));
      break;
    case "markdown":
      io.stdout.write(formatMarkdown(report));
      break;
    case "github":
      io.stdout.write(formatText(report));
      // Risks also as annotations, so they show on the run's summary page.
      for (const r of report.risks) io.stdout.write(`::warning title=${githubProperty(`berth diff: ${r.kind}`)}::${githubData(`${r.cluster} ${r.subject}: ${r.message}`)}\n`);
      break;
    default:
      io.stdout.write(formatText(report));
  }
  return 0;
}

function errorsOf(r: CompileResult): LocatedDiagnostic[] {
  return r.diagnostics.filter((d) => d.severity === "error");
}

/** Prints what stopped the diff; in markdown as a comment body, so the PR comment says why. */
function failed(errors: LocatedDiagnostic[], opts: RunOptions, io: Io): number {
  if (opts.format === "markdown") {
    io.stdout.write(formatMarkdownErrors(errors));
  } else if (opts.format === "json") {
    io.stdout.write(JSON.stringify({ ok: false, diagnostics: errors }, null, 2) + "\n");
  } else {
    print(errors, opts.format, io);
  }
  return 1;
}
