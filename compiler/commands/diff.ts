// `berth diff --base REF`: compiles the specs at REF (from git objects) and in the working tree,
// then reports the semantic diff of the two renders and its risks. Spec errors on either side
// are reported as diagnostics (the base side's files named REF:path) and exit 1.
import { appendAll } from "../base/arrays.js";
import { collectIfLarge, heapInUse } from "../base/heap.js";
import { CompileMemo, Compilation, type CompileResult } from "../compile.js";
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
  const since = heapInUse(); // what collectIfLarge measures the two compiles' growth from
  // What both revisions share (all but the change) is parsed once, and validated once per pair of
  // clusters below; findings are reported at each side's own origin.
  const memo = new CompileMemo();
  const strict = opts.strict ?? strictFor(opts.schemas);
  // The base's findings only tell what the change adds and fixes: kept ones for the base's very
  // specs (verify/result-cache.ts) are taken, and the base is then emitted but not verified.
  const older = git.empty ? undefined : new Compilation({ tree: git.tree, strict, serialize: false, asOf, memo, results: opts.results, reuseResults: true });
  const disk = diskTree(opts.root);
  // The base's objects at the head's paths, for checks that may only move one way (a store's storage):
  // the cluster at hand's (with the base's findings kept, only its StatefulSets; see diffCluster).
  const baseObjects: BaseObjects = { byPath: new Map() };
  const newer = new Compilation({ tree: disk, strict, serialize: false, asOf, memo, previous: (path) => baseObjects.byPath.get(path), results: opts.results });
  memo.forgetParses();
  // Both revisions side by side, one cluster at a time: a cluster's objects of each are
  // compared, then let go (at 5,000 models both revisions' objects at once took 2.5 GiB).
  const found: ObjectChange[] = [];
  for (const name of [...new Set([...(older?.clusters ?? []), ...newer.clusters])].sort(cmp)) {
    appendAll(found, diffCluster(name, older, newer, baseObjects, since));
    collectIfLarge(since);
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

interface BaseObjects {
  byPath: Map<string, KubeObject>;
}

/**
 * One cluster of both revisions, emitted, verified and compared. In a function of its own so that
 * nothing of the pair outlives it: in the loop's body, a closure left in runDiff's frame kept the
 * previous pair's memo, and through it both revisions' objects of that cluster, alive while the
 * next pair was verified (a heap snapshot; +375 MB at 5,000 models without kept findings).
 */
function diffCluster(name: string, older: Compilation | undefined, newer: Compilation, base: BaseObjects, since: number): ObjectChange[] {
  const inOlder = older?.clusters.includes(name) ?? false;
  const inNewer = newer.clusters.includes(name);
  if (older?.reused) {
    // The base is not verified (its findings were kept): while the working tree's cluster is
    // verified, only the base's StatefulSets are held, and its cluster is emitted afterwards.
    // Holding it whole through that verification put diff at 5,000 models over 1 GiB.
    base.byPath = inOlder && inNewer ? older.storageBaseline(name) : new Map();
    const is = inNewer ? newer.cluster(name, null) : [];
    base.byPath = new Map();
    collectIfLarge(since); // the verification's garbage, before the base's objects join the working tree's
    return diffRenders(inOlder ? older.cluster(name, null) : [], is);
  }
  // Both verified: per-object findings shared by content between the two sides of this cluster
  // only, so each object the change leaves alone is validated once.
  const shared = new VerifyMemo();
  const was = inOlder ? older!.cluster(name, shared) : [];
  base.byPath = new Map(was.map((r) => [r.path, r.object]));
  collectIfLarge(since); // the base's verification garbage, before the working tree's adds its own
  const is = inNewer ? newer.cluster(name, shared) : [];
  base.byPath = new Map();
  return diffRenders(was, is, (a, b) => shared.knownEqual(a, b));
}

/** The EKS calendar's verdict on a version: an error at the base is history, not a reason to refuse the diff. */
const CALENDAR_CODES: ReadonlySet<string> = new Set(["BERTH1001"]);

function errorsOf(r: CompileResult): LocatedDiagnostic[] {
  return r.diagnostics.filter((d) => d.severity === "error");
}
