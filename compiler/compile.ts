// The pipeline, one stage a line: load -> parse -> validate -> link -> plan -> emit -> verify ->
// locate -> output. Pure and in memory: returns files and diagnostics; only write/ touches the disk.
import { Diagnostics, type LocatedDiagnostic } from "./diagnostics.js";
import { todayUtc } from "./catalogue/eks-versions.js";
import { emitAll, emitTexts } from "./emit/index.js";
import type { Rendered } from "./emit/types.js";
import { link } from "./link.js";
import { isUnusable, loadSpecs, type SpecTree } from "./load/load.js";
import { locateAll } from "./locate.js";
import { outputFiles, type OutputFile } from "./output/files.js";
import { parseLoaded, SourceMap } from "./parse.js";
import { buildPlan } from "./plan/plan.js";
import type { Plan } from "./plan/types.js";
import { validateParsed } from "./schema/validate.js";
import { verifyAll } from "./verify/index.js";
import type { StrictValidator } from "./verify/strict.js";

export interface CompileOptions {
  readonly tree: SpecTree;
  /** Render only these clusters (all when absent). */
  readonly clusters?: readonly string[];
  /** A strict schema validator (from --schemas), compiled once and reused. */
  readonly strict?: StrictValidator;
  /** false: objects and diagnostics only, no file contents (`diff` compares objects). */
  readonly serialize?: boolean;
  /** The day the EKS calendar is read on (YYYY-MM-DD; default today, UTC); false skips it. */
  readonly asOf?: string | false;
}

export interface CompileResult {
  readonly files: OutputFile[];
  readonly objects: Rendered[];
  readonly diagnostics: LocatedDiagnostic[];
  readonly plan?: Plan;
  readonly ok: boolean;
  /** The spec texts, to place a SpecRef after the compile (diff annotations). */
  readonly sources?: SourceMap;
}

export function compile(opts: CompileOptions): CompileResult {
  const diags = new Diagnostics();
  const sources = new SourceMap(); // texts, for positions looked up only when a diagnostic is printed
  const loaded = loadSpecs(opts.tree, diags); // every spec file: its text, or unusable
  const parsed = loaded.map((spec) => parseLoaded(spec, sources, diags)); // a document with positions, or unusable
  const specs = parsed.map((spec) => validateParsed(spec, diags)); // a spec of its kind, or unusable
  const world = link(specs, diags); // an unusable spec still exists: references to it are not reported again
  const plan = world && buildPlan(world, diags, opts.clusters); // every decision and judgement on the specs
  const objects = plan ? emitAll(plan) : []; // translation, sorted by path
  const read = loaded.flatMap((spec) => (isUnusable(spec) ? [] : [spec.path]));
  verifyAll({ plan, objects, loaded: read, strict: opts.strict, asOf: opts.asOf === undefined ? todayUtc() : opts.asOf }, diags);
  const diagnostics = locateAll(diags.items, sources);
  const ok = !diagnostics.some((d) => d.severity === "error");
  // With an error nothing is written, so the files are not even made (two objects may share a path).
  const files = ok && plan && opts.serialize !== false ? outputFiles(objects, emitTexts(plan)) : [];
  return { files, objects, diagnostics, plan, ok, sources };
}
