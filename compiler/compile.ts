// The pipeline, one stage a line: load -> parse -> validate -> link -> plan -> emit -> verify ->
// locate -> output. Pure and in memory: returns files and diagnostics; only write/ touches the disk.
import { appendAll } from "./base/arrays.js";
import { collectIfLarge, heapInUse } from "./base/heap.js";
import { Diagnostics, type LocatedDiagnostic, type SpecRef } from "./diagnostics.js";
import { todayUtc } from "./catalogue/eks-versions.js";
import { cmp } from "./base/order.js";
import { emitAll, emitTexts } from "./emit/index.js";
import type { KubeObject, Rendered } from "./emit/types.js";
import { link } from "./link.js";
import { isUnusable, loadSpecs, type SpecTree } from "./load/load.js";
import { locateAll, position } from "./locate.js";
import { outputFiles, type OutputFile } from "./output/files.js";
import { parseLoaded, SourceMap } from "./parse.js";
import { buildPlan } from "./plan/plan.js";
import type { Plan } from "./plan/types.js";
import { validateParsed } from "./schema/validate.js";
import { verifySlice } from "./verify/index.js";
import { OneSourcePerObject } from "./verify/collisions.js";
import { RenderedSources, verifyEverySpecRendered } from "./verify/every-spec.js";
import { storageBaseline, type PreviousObjects } from "./verify/storage-growth.js";
import type { StrictValidator } from "./verify/strict.js";
import { VerifyMemo } from "./verify/memo.js";
import type { ResultCache } from "./verify/result-cache.js";
import type { LoadedSpec } from "./load/load.js";
import type { ParsedFile } from "./parse.js";

export interface CompileOptions {
  readonly tree: SpecTree;
  /** Render only these clusters (all when absent). */
  readonly clusters?: readonly string[];
  /** A strict schema validator (from --schemas), compiled once and reused. */
  readonly strict?: StrictValidator;
  /** false: objects and diagnostics only, no file contents (`diff` compares objects). */
  readonly serialize?: boolean;
  /** What was rendered before, by output path: checks that may only move one way compare with it. */
  readonly previous?: PreviousObjects;
  /** The day the EKS calendar is read on (YYYY-MM-DD; default today, UTC); false skips it. */
  readonly asOf?: string | false;
  /**
   * Work shared with another compile: spec files parsed once; its `verify` memo is what each
   * cluster shares unless `cluster()` is given another (`diff` gives one per pair of clusters).
   */
  readonly memo?: CompileMemo;
  /**
   * Takes each cluster's output files once the cluster is verified, while nothing so far is an
   * error (render compares and stages them, check compares them); their objects are then let go,
   * so the result holds no objects and `files` only the text files. Without it, the result holds
   * every object and file.
   */
  readonly onCluster?: (cluster: string, files: readonly OutputFile[]) => void;
  /** Findings kept between runs (verify/result-cache.ts): a compile of every cluster writes its own there. */
  readonly results?: ResultCache;
  /**
   * With `results`: when findings are kept for these very inputs, take them instead of verifying;
   * the clusters are still planned and emitted, their objects unchecked (`diff`'s base revision).
   */
  readonly reuseResults?: boolean;
}

export interface CompileResult {
  /** The output files (with `onCluster`: only those outside clusters/, such as CODEOWNERS). */
  readonly files: OutputFile[];
  /** Every rendered object (with `onCluster`: none; see `counts`). */
  readonly objects: Rendered[];
  /** How many objects were rendered and files made, whether or not they are held here. */
  readonly counts: { readonly objects: number; readonly files: number };
  readonly diagnostics: LocatedDiagnostic[];
  readonly plan?: Plan;
  readonly ok: boolean;
  /** Where a spec node is in the compiled texts (`diff` points its annotations there). */
  readonly locate?: (at: SpecRef) => { line: number; column: number };
  /** The spec texts, for showing source lines under diagnostics. */
  readonly sources?: SourceMap;
}

export function compile(opts: CompileOptions): CompileResult {
  const since = heapInUse();
  const c = new Compilation(opts);
  const kept: Rendered[] = [];
  let handed = 0; // files handed to onCluster
  for (const cluster of c.clusters) {
    const objects = c.cluster(cluster);
    if (!opts.onCluster) {
      appendAll(kept, objects);
      continue;
    }
    // With an error nothing is written, so the files are not even made (two objects may share a path).
    if (c.clean && opts.serialize !== false) handed += handOver(cluster, objects, opts.onCluster, since);
    objects.length = 0; // this cluster's objects are garbage now, whatever still holds the array
    collectIfLarge(since);
  }
  // Only a compile whose files are compared or written next needs the room (`diff` makes none).
  if (opts.serialize !== false && !opts.onCluster) collectIfLarge(since);
  return c.finish(kept, handed);
}

/**
 * Makes a cluster's files and hands them to `onCluster`; returns how many. In a function of its
 * own so that no slot of compile's frame keeps the files, and through them (each file names its
 * object) the cluster's objects, while the next cluster is verified: a heap snapshot showed the
 * previous cluster's ~200 MB of objects at 5,000 models held by the loop's `files` that way.
 */
function handOver(cluster: string, objects: readonly Rendered[], onCluster: NonNullable<CompileOptions["onCluster"]>, since: number): number {
  const files = outputFiles(objects, []);
  collectIfLarge(since); // verify's garbage, before comparing and writing add theirs
  onCluster(cluster, files);
  return files.length;
}

/**
 * One compile, in three steps: the specs up to the plan (constructor), then each cluster's
 * objects emitted and verified (`cluster`), then the checks that need every cluster and the
 * result (`finish`). Translation and verification go one cluster at a time: at 5,000 models the
 * objects of all clusters took ~630 MB at once. `compile` runs the steps in order; `diff` runs
 * two compilations side by side, cluster by cluster, so only one cluster of each is held.
 */
export class Compilation {
  /** The planned clusters, by name, in plan order (none when the specs did not plan). */
  readonly clusters: readonly string[];
  readonly plan?: Plan;
  private readonly diags = new Diagnostics();
  private readonly sources = new SourceMap(); // texts, for positions looked up only when a diagnostic is printed
  private readonly read: string[];
  private readonly asOf: string | false;
  private readonly collisions: OneSourcePerObject;
  private readonly rendered = new RenderedSources();
  private readonly strict?: ReturnType<StrictValidator["begin"]>;
  private objectCount = 0;
  /** Clusters emitted so far: findings are kept only for a compile of every planned cluster. */
  private readonly done = new Set<string>();
  /** This compile's entry in `opts.results`. */
  private readonly resultKey?: string;
  /** The findings kept for these inputs, taken instead of verifying (`reuseResults`). */
  private readonly kept?: LocatedDiagnostic[];

  constructor(private readonly opts: CompileOptions) {
    const { diags, sources } = this;
    this.asOf = opts.asOf === undefined ? todayUtc() : opts.asOf;
    const loaded = loadSpecs(opts.tree, diags); // every spec file: its text, or unusable
    if (opts.results) {
      this.resultKey = opts.results.key({ loaded, loadFindings: diags.items, asOf: this.asOf, clusters: opts.clusters, strict: opts.strict });
      if (opts.reuseResults) this.kept = opts.results.read(this.resultKey, opts.strict);
    }
    const specs = parseAndValidate(loaded, sources, diags, opts.memo); // a spec of its kind, or unusable
    const world = link(specs, diags); // an unusable spec still exists: references to it are not reported again
    this.plan = world && buildPlan(world, diags, opts.clusters); // every decision and judgement on the specs
    this.clusters = this.plan?.clusters.map((c) => c.name) ?? [];
    this.read = loaded.flatMap((spec) => (isUnusable(spec) ? [] : [spec.path]));
    this.collisions = new OneSourcePerObject(diags);
    this.strict = this.plan && opts.strict?.begin();
  }

  /** Nothing so far is an error: output may be made. */
  get clean(): boolean {
    return !this.diags.hasErrors && !this.collisions.any;
  }

  /** Whether this compile takes kept findings instead of verifying (`reuseResults` found an entry). */
  get reused(): boolean {
    return this.kept !== undefined;
  }

  /**
   * One planned cluster's objects, sorted by path, verified (unless `reused`); `memo` in place of
   * the options' for this cluster (null: none; undefined would take the options').
   */
  cluster(name: string, memo: VerifyMemo | null | undefined = this.opts.memo?.verify): Rendered[] {
    const slice = this.slice(name);
    const objects = emitAll(slice); // sorted by path
    this.objectCount += objects.length;
    this.done.add(name);
    if (this.kept) return objects;
    this.collisions.add(objects);
    this.rendered.add(objects);
    verifySlice({ plan: slice, objects, strict: this.strict, asOf: this.asOf, previous: this.opts.previous, memo: memo ?? undefined }, this.diags);
    return objects;
  }

  /** A planned cluster's StatefulSets by output path, for another compile's `previous` (verify/storage-growth.ts). */
  storageBaseline(name: string): Map<string, KubeObject> {
    return storageBaseline(this.slice(name));
  }

  private slice(name: string): Plan {
    const cluster = this.plan?.clusters.find((c) => c.name === name);
    if (!cluster) throw new Error(`berth bug: cluster ${name} is not planned`);
    return { world: this.plan!.world, clusters: [cluster] };
  }

  /**
   * The checks that need every cluster, then the result; `objects`: what the caller kept of the
   * clusters' objects, `handed`: how many files it took from them itself (onCluster).
   */
  finish(objects: Rendered[], handed = 0): CompileResult {
    const { diags, sources, plan, opts } = this;
    let diagnostics: LocatedDiagnostic[];
    if (this.kept) diagnostics = this.kept;
    else {
      this.strict?.end(diags);
      if (plan) this.collisions.report(diags);
      verifyEverySpecRendered(this.read, plan, this.rendered, diags);
      diagnostics = locateAll(diags.items, sources);
      if (opts.results && this.resultKey && this.clusters.every((c) => this.done.has(c))) opts.results.write(this.resultKey, diagnostics, opts.strict);
    }
    const ok = !diagnostics.some((d) => d.severity === "error");
    // Cluster folder names sort differently from cluster names ("a-b/" before "a/"): one order, by path.
    objects.sort((a, b) => cmp(a.path, b.path));
    const files = ok && plan && opts.serialize !== false ? outputFiles(objects, emitTexts(plan)) : [];
    const counts = { objects: this.objectCount, files: handed + files.length };
    return { files, objects, counts, diagnostics, plan, ok, locate: (at) => position(at, sources), sources };
  }
}

/**
 * Each file parsed into a document with positions (or unusable), then validated into a spec of
 * its kind. In a function of its own so the documents (~85 MB at 5,000 models) are garbage once
 * validated, not held by compile's frame until it returns.
 */
function parseAndValidate(
  loaded: readonly LoadedSpec[],
  sources: SourceMap,
  diags: Diagnostics,
  memo: CompileMemo | undefined,
): ReturnType<typeof validateParsed>[] {
  const parsed = loaded.map((spec) => (memo ? memo.parse(spec, sources, diags) : parseLoaded(spec, sources, diags)));
  return parsed.map((spec) => validateParsed(spec, diags));
}

/**
 * What compiles of two revisions share: spec files parsed once by path and bytes, and
 * per-object validation findings (verify/memo.ts; `diff` keeps those per pair of clusters
 * instead, so that nothing holds every object). A file is shared only when its parse reported
 * nothing, so every diagnostic is still raised by its own compile; its data is copied, since
 * later stages own the spec objects they are given.
 */
export class CompileMemo {
  readonly verify = new VerifyMemo();
  private readonly parsed = new Map<string, ParsedFile>();

  /** Lets go of the parsed documents (~85 MB at 5,000 models): once both compiles have parsed, nothing asks again. */
  forgetParses(): void {
    this.parsed.clear();
  }

  parse(spec: LoadedSpec, sources: SourceMap, diags: Diagnostics): ReturnType<typeof parseLoaded> {
    if (isUnusable(spec)) return spec;
    const key = `${spec.path}\0${spec.expectedKind}\0${spec.text}`;
    const hit = this.parsed.get(key);
    if (hit) {
      sources.add(spec.path, spec.text.replace(/^\uFEFF/, ""));
      return { source: spec, doc: hit.doc, lines: hit.lines, data: structuredClone(hit.data) };
    }
    const reported = diags.items.length;
    const result = parseLoaded(spec, sources, diags);
    if (!isUnusable(result) && diags.items.length === reported) this.parsed.set(key, { ...result, data: structuredClone(result.data) });
    return result;
  }
}
