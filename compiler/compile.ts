// The pipeline: load -> parse -> validate -> link -> plan -> emit -> verify -> serialize.
// Pure and in memory: returns files and diagnostics; only write.ts touches clusters/.
import { Diagnostics, type LocatedDiagnostic } from "./diagnostics.js";
import { DELIVERY_EMITTERS, EMITTERS, TEXT_EMITTERS, type RenderedText } from "./emit/index.js";
import type { Rendered } from "./emit/types.js";
import { link } from "./link.js";
import { loadSpecs, type SpecTree } from "./load.js";
import { locateAll } from "./locate.js";
import { parseSpec, SourceMap } from "./parse.js";
import { buildPlan, type Plan } from "./plan.js";
import type { SpecKind } from "./load.js";
import { validateDoc, type ValidDoc } from "./schema/validate.js";
import { verifyOneSourcePerObject } from "./verify/collisions.js";
import { verifyEverySpecRendered } from "./verify/every-spec.js";
import { todayUtc } from "./catalogue/eks-versions.js";
import { verifyStorageGrowth } from "./verify/storage-growth.js";
import type { PreviousObjects } from "./previous.js";
import { VERIFIERS } from "./verify/index.js";
import { StrictValidator } from "./verify/strict.js";
import { header, type OutputFile } from "./write.js";
import { toYaml } from "./yaml-out.js";

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
}

export interface CompileResult {
  readonly files: OutputFile[];
  readonly objects: Rendered[];
  readonly diagnostics: LocatedDiagnostic[];
  readonly plan?: Plan;
  readonly ok: boolean;
}

export function compile(opts: CompileOptions): CompileResult {
  const diags = new Diagnostics();
  const sources = new SourceMap();
  const docs: ValidDoc<SpecKind>[] = [];
  const invalid = new Set<string>();
  const loaded: string[] = [];
  for (const file of loadSpecs(opts.tree, diags, invalid)) {
    loaded.push(file.path);
    const parsed = parseSpec(file, sources, diags);
    const doc = parsed && validateDoc(parsed, diags);
    if (doc) docs.push(doc);
    else invalid.add(`${file.expectedKind}/${file.stem}`);
  }
  // References to a spec that exists but failed to validate are not reported again.
  const world = link(docs, diags, invalid);
  const only = selectClusters(opts.clusters, world?.clusters, diags);
  const plan = world && buildPlan(world, diags, only);
  let objects: Rendered[] = [];
  let texts: RenderedText[] = [];
  let files: OutputFile[] = [];
  if (plan) {
    const rendered = EMITTERS.flatMap((emit) => emit(plan, diags));
    objects = [...rendered, ...DELIVERY_EMITTERS.flatMap((deliver) => deliver(plan, rendered, diags))].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
    verifyOneSourcePerObject(objects, diags);
    const context = { asOf: opts.asOf === undefined ? todayUtc() : opts.asOf };
    for (const verify of VERIFIERS) verify(plan, objects, diags, context);
    if (opts.previous) verifyStorageGrowth(plan, objects, opts.previous, diags);
    opts.strict?.verify(objects, diags);
    if (opts.serialize !== false) texts = TEXT_EMITTERS.flatMap((emit) => emit(plan, diags));
  }
  verifyEverySpecRendered(loaded, plan, objects, diags);
  // With an error nothing is written: the files are not even made (two objects may share a path).
  if (plan && opts.serialize !== false && !diags.hasErrors) files = serialize(objects, texts);
  const diagnostics = locateAll(diags.items, sources);
  const ok = !diagnostics.some((d) => d.severity === "error");
  return { files: ok ? files : [], objects, diagnostics, plan, ok };
}

function selectClusters(names: readonly string[] | undefined, known: ReadonlyMap<string, unknown> | undefined, diags: Diagnostics): Set<string> | undefined {
  if (!names || names.length === 0) return undefined;
  for (const n of names)
    if (known && !known.has(n)) diags.error("BERTH0012", { file: "--cluster", path: [], line: 1, column: 1 }, `no cluster named ${n} (known: ${[...known.keys()].sort().join(", ")})`);
  return new Set(names);
}

/**
 * The output files, each made into YAML when its content is read and not kept: at 5,000 models
 * the rendered text is ~140 MB, which render and check need one file at a time (to compare it
 * with the disk, or to write it), never all at once.
 */
function serialize(objects: readonly Rendered[], texts: readonly RenderedText[]): OutputFile[] {
  const files: OutputFile[] = [];
  const seen = new Set<string>();
  for (const r of objects) {
    if (seen.has(r.path)) throw new Error(`berth bug: two objects render to ${r.path}`);
    seen.add(r.path);
    files.push(new RenderedFile(r));
  }
  for (const t of texts) files.push({ path: t.path, content: header(t.sources) + t.content });
  return files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

class RenderedFile implements OutputFile {
  readonly path: string;

  constructor(private readonly rendered: Rendered) {
    this.path = rendered.path;
  }

  get content(): string {
    return header(this.rendered.sources) + toYaml(this.rendered.object);
  }
}
