// `berth diff --base REF`: compiles the specs at REF (from git objects) and in the working tree,
// then prints the semantic diff of the two renders and its risks. Spec errors on either side
// are printed as diagnostics (the base side's files named REF:path) and exit 1.
import { compile, CompileMemo, type CompileResult } from "../compile.js";
import { print, strictFor, type Io, type RunOptions } from "./run.js";
import { sortDiagnostics, type LocatedDiagnostic } from "../diagnostics.js";
import { todayUtc } from "../catalogue/eks-versions.js";
import { diffRenders } from "../diff/match.js";
import { locateChanges } from "../diff/spec-lines.js";
import { diagnosticDelta } from "../diff/diagnostics.js";
import { groupRisks } from "../diff/risk-groups.js";
import { formatAnnotations } from "../report/diff-github.js";
import { diffCharts } from "../diff/charts.js";
import { formatJson, formatMarkdown, formatMarkdownErrors, formatText, type DiffReport } from "../report/diff.js";
import { assessRisks } from "../diff/risks.js";
import { gitTree } from "../diff/git-tree.js";
import { diskTree } from "../load/load.js";
import { renderedBefore } from "../write/previous.js";

export function runDiff(opts: RunOptions, base: string, io: Io): number {
  const git = gitTree(opts.root, base);
  if (!git.ok) return failed([{ file: "--base", line: 1, column: 1, severity: "error", code: git.code, message: git.detail, hint: git.hint }], opts, io);

  // A revision from before the repository held specs renders nothing: every object is new. The
  // base is read on the same day's EKS calendar, so a version leaving support the change does not
  // touch is no news, but not held to it: a pull request that upgrades a version past its support
  // must still get its diff.
  const asOf = opts.asOf ?? todayUtc();
  // What both revisions share (all but the change) is parsed and validated once; findings are reported at each side's own origin.
  const memo = new CompileMemo();
  const before: CompileResult = git.empty
    ? { files: [], objects: [], diagnostics: [], ok: true }
    : compile({ tree: git.tree, strict: opts.strict ?? strictFor(opts.schemas), serialize: false, asOf, memo });
  const disk = diskTree(opts.root);
  const after = compile({ tree: disk, strict: opts.strict ?? strictFor(opts.schemas), serialize: false, asOf, memo, previous: renderedBefore(before.objects) });
  const errors = sortDiagnostics([
    ...errorsOf(before)
      .filter((d) => !CALENDAR_CODES.has(d.code))
      .map((d) => ({ ...d, file: `${base}:${d.file}` })),
    ...errorsOf(after),
  ]);
  if (errors.length > 0) return failed(errors, opts, io);

  const changes = locateChanges(diffRenders(before.objects, after.objects), {
    before: git.empty ? undefined : git.tree,
    after: disk,
    locateBefore: before.locate,
    locateAfter: after.locate,
  });
  const risks = assessRisks(changes, before.plan, after.plan);
  const delta = diagnosticDelta(before.diagnostics, after.diagnostics);
  const report: DiffReport = {
    base: { ref: base, commit: git.commit },
    changes,
    risks,
    riskGroups: groupRisks(risks, changes, before.plan, after.plan),
    diagnosticsAdded: delta.added,
    diagnosticsRemoved: delta.removed,
    charts: diffCharts(before.plan, after.plan),
  };
  switch (opts.format) {
    case "json":
      io.stdout.write(formatJson(report));
      break;
    case "markdown":
      io.stdout.write(formatMarkdown(report));
      break;
    case "github":
      io.stdout.write(formatText(report));
      // Annotations on the spec lines that made each change, risk and new warning, so they show
      // in the pull request's file view and on the run's summary page.
      io.stdout.write(formatAnnotations(report));
      break;
    default:
      io.stdout.write(formatText(report));
  }
  return 0;
}

/** The EKS calendar's verdict on a version: an error at the base is history, not a reason to refuse the diff. */
const CALENDAR_CODES: ReadonlySet<string> = new Set(["BERTH1001"]);

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
