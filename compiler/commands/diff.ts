// `berth diff --base REF`: compiles the specs at REF (from git objects) and in the working tree,
// then reports the semantic diff of the two renders and its risks. Spec errors on either side
// are reported as diagnostics (the base side's files named REF:path) and exit 1.
import { appendAll } from "../base/arrays.js";
import { collectIfLarge, CompileMemo, Compilation, type CompileResult } from "../compile.js";
import { cmp } from "../base/order.js";
import type { KubeObject } from "../emit/types.js";
import { VerifyMemo } from "../verify/memo.js";
import { Diagnostics, flagRef, sortDiagnostics, type LocatedDiagnostic } from "../diagnostics.js";
import { todayUtc } from "../catalogue/eks-versions.js";
import { byPlace, diffRenders, type ObjectChange } from "../diff/match.js";
import { locateChanges } from "../diff/spec-lines.js";
import { diagnosticDelta } from "../diff/diagnostics.js";
import { groupRisks } from "../diff/risk-groups.js";
import { assessRisks } from "../diff/risks.js";
import { diffCharts } from "../diff/charts.js";
import type { DiffReport } from "../report/reporter.js";
import { gitTree } from "../diff/git-tree.js";
import { diskTree } from "../load/load.js";
import { locateAll } from "../locate.js";
import { SourceMap } from "../parse.js";
import { finish } from "../report/index.js";
import { printContext, strictFor, type Io, type RunOptions } from "./context.js";

export function runDiff(opts: RunOptions, base: string, io: Io): number {
  const git = gitTree(opts.root, base);
  if (!git.ok) {
    const diags = new Diagnostics();
    diags.report(git.code, flagRef("--base"), git.detail, git.hint);
    return finish(opts.format, io, { ok: false, diagnostics: locateAll(diags.items, new SourceMap()), outcome: { command: "diff" } });
  }

  // A revision from before the repository held specs renders nothing: every object is new. The
  // base is read on the same day's EKS calendar, so a version leaving support the change does not
  // touch is no news, but not held to it: a pull request that upgrades a version past its support
  // must still get its diff.
  const asOf = opts.asOf ?? todayUtc();
  // What both revisions share (all but the change) is parsed once, and validated once per pair of
  // clusters below; findings are reported at each side's own origin.
  const memo = new CompileMemo();
  const strict = opts.strict ?? strictFor(opts.schemas);
  // The base's findings only tell what the change adds and fixes: kept ones for the base's very
  // specs (verify/result-cache.ts) are taken, and the base is then emitted but not verified.
  const older = git.empty ? undefined : new Compilation({ tree: git.tree, strict, serialize: false, asOf, memo, results: opts.results, reuseResults: true });
  const disk = diskTree(opts.root);
  // The base's objects at the head's paths, for checks that may only move one way (a store's storage): the cluster at hand's.
  let previous = new Map<string, KubeObject>();
  const newer = new Compilation({ tree: disk, strict, serialize: false, asOf, memo, previous: (path) => previous.get(path), results: opts.results });
  memo.forgetParses();
  // Both revisions side by side, one cluster at a time: a cluster's objects of each are
  // compared, then let go (at 5,000 models both revisions' objects at once took 2.5 GiB).
  const found: ObjectChange[] = [];
  for (const name of [...new Set([...(older?.clusters ?? []), ...newer.clusters])].sort(cmp)) {
    // Per-object findings shared by content between the two sides of this cluster only, so nothing
    // holds it afterwards; none when the base is not verified (its findings were kept). null, not
    // undefined: an absent memo would be the compile's own, which holds every object it is shown.
    const shared = older?.reused ? null : new VerifyMemo();
    const was = older?.clusters.includes(name) ? older.cluster(name, shared) : [];
    previous = new Map(was.map((r) => [r.path, r.object]));
    if (shared) collectIfLarge(); // the base's verification garbage, before the working tree's adds its own
    const is = newer.clusters.includes(name) ? newer.cluster(name, shared) : [];
    appendAll(found, diffRenders(was, is, shared ? (a, b) => shared.knownEqual(a, b) : undefined));
    previous = new Map();
    was.length = is.length = 0;
    collectIfLarge();
  }
  const before: CompileResult = older ? older.finish([]) : { files: [], objects: [], counts: { objects: 0, files: 0 }, diagnostics: [], ok: true };
  const after = newer.finish([]);
  const errors = sortDiagnostics([
    ...errorsOf(before)
      .filter((d) => !CALENDAR_CODES.has(d.code))
      .map((d) => ({ ...d, file: `${base}:${d.file}` })),
    ...errorsOf(after),
  ]);
  // Failing, the errors alone say why (in markdown as the comment body, so the PR says why).
  if (errors.length > 0) return finish(opts.format, io, { ok: false, diagnostics: errors, outcome: { command: "diff" }, ...printContext(io, after) });

  const changes = locateChanges(found.sort(byPlace), {
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
  // The working tree's warnings travel in the JSON envelope; the text shows what the change adds and fixes.
  return finish(opts.format, io, { ok: true, diagnostics: sortDiagnostics(after.diagnostics), outcome: { command: "diff", report } });
}

/** The EKS calendar's verdict on a version: an error at the base is history, not a reason to refuse the diff. */
const CALENDAR_CODES: ReadonlySet<string> = new Set(["BERTH1001"]);

function errorsOf(r: CompileResult): LocatedDiagnostic[] {
  return r.diagnostics.filter((d) => d.severity === "error");
}
