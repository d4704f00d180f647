// The pipeline, one stage a line: load -> parse -> validate -> link -> plan -> emit -> verify ->
// locate -> output. Pure and in memory: returns files and diagnostics; only write/ touches the disk.
import { Diagnostics, type LocatedDiagnostic, type SpecRef } from "./diagnostics.js";
import { todayUtc } from "./catalogue/eks-versions.js";
import { emitAll, emitTexts } from "./emit/index.js";
import type { Rendered } from "./emit/types.js";
import { link } from "./link.js";
import { isUnusable, loadSpecs, type SpecTree } from "./load/load.js";
import { locateAll, position } from "./locate.js";
import { outputFiles, type OutputFile } from "./output/files.js";
import { parseLoaded, SourceMap } from "./parse.js";
import { buildPlan } from "./plan/plan.js";
import type { Plan } from "./plan/types.js";
import { validateParsed } from "./schema/validate.js";
import { verifyAll } from "./verify/index.js";
import type { PreviousObjects } from "./verify/storage-growth.js";
import type { StrictValidator } from "./verify/strict.js";
import { VerifyMemo } from "./verify/memo.js";
import type { LoadedSpec } from "./load/load.js";
import type { ParsedFile } from "./parse.js";
import { getHeapStatistics, setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";

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
  /** Work shared with another compile (`diff`: what the two revisions share is parsed and validated once). */
  readonly memo?: CompileMemo;
}

export interface CompileResult {
  readonly files: OutputFile[];
  readonly objects: Rendered[];
  readonly diagnostics: LocatedDiagnostic[];
  readonly plan?: Plan;
  readonly ok: boolean;
  /** Where a spec node is in the compiled texts (`diff` points its annotations there). */
  readonly locate?: (at: SpecRef) => { line: number; column: number };
  /** The spec texts, for showing source lines under diagnostics. */
  readonly sources?: SourceMap;
}

export function compile(opts: CompileOptions): CompileResult {
  const diags = new Diagnostics();
  const sources = new SourceMap(); // texts, for positions looked up only when a diagnostic is printed
  const loaded = loadSpecs(opts.tree, diags); // every spec file: its text, or unusable
  const parsed = loaded.map((spec) => (opts.memo ? opts.memo.parse(spec, sources, diags) : parseLoaded(spec, sources, diags))); // a document with positions, or unusable
  const specs = parsed.map((spec) => validateParsed(spec, diags)); // a spec of its kind, or unusable
  const world = link(specs, diags); // an unusable spec still exists: references to it are not reported again
  const plan = world && buildPlan(world, diags, opts.clusters); // every decision and judgement on the specs
  const objects = plan ? emitAll(plan) : []; // translation, sorted by path
  const read = loaded.flatMap((spec) => (isUnusable(spec) ? [] : [spec.path]));
  verifyAll(
    {
      plan,
      objects,
      loaded: read,
      strict: opts.strict,
      asOf: opts.asOf === undefined ? todayUtc() : opts.asOf,
      previous: opts.previous,
      memo: opts.memo?.verify,
    },
    diags,
  );
  // Only a compile whose files are compared or written next needs the room (`diff` makes none).
  if (opts.serialize !== false) collectIfLarge();
  const diagnostics = locateAll(diags.items, sources);
  const ok = !diagnostics.some((d) => d.severity === "error");
  // With an error nothing is written, so the files are not even made (two objects may share a path).
  const files = ok && plan && opts.serialize !== false ? outputFiles(objects, emitTexts(plan)) : [];
  return { files, objects, diagnostics, plan, ok, locate: (at) => position(at, sources), sources };
}

/**
 * What compiles of two revisions (`diff`) share: spec files parsed once by path and bytes, and
 * per-object validation findings (verify/memo.ts). A file is shared only when its parse reported
 * nothing, so every diagnostic is still raised by its own compile; its data is copied, since
 * later stages own the spec objects they are given.
 */
export class CompileMemo {
  readonly verify = new VerifyMemo();
  private readonly parsed = new Map<string, ParsedFile>();

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

/** Heap in use above which a stage boundary collects garbage (a fleet of ~3,000 models and up). */
const LARGE_HEAP = 400 * 1024 * 1024;
let fullGc: (() => void) | undefined;

/**
 * One full collection after verify, on a large heap only. At 5,000 models verify leaves ~180 MB
 * of garbage beside ~640 MB of live objects, and comparing or writing 170,000 files then grows
 * the heap on top of it: collecting here kept a no-op render's peak RSS at 1,000 MiB instead of
 * 1,126 MiB, at no measurable CPU cost (it replaces a collection V8 makes soon after anyway). A
 * second one after emit took the peak to 936 MiB but cost a 3 s stop-the-world collection.
 * `diff`'s second compile (both revisions alive: ~560 MB at 1,000 models) writes nothing, and
 * there the forced collection was 0.6 s of CPU that V8's own, concurrent ones do not cost.
 */
function collectIfLarge(): void {
  if (getHeapStatistics().used_heap_size < LARGE_HEAP) return;
  fullGc ??= (setFlagsFromString("--expose-gc"), runInNewContext("gc") as () => void);
  fullGc();
}
