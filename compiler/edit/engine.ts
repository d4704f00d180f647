// One model command on one model file's text, in memory: parse and validate the file as the
// compiler does, decide the new splits, edit the text, and prove the edited text reads back as
// exactly the intended data. No disk, no repository compile (run.ts does those).
import { parseDocument, type Document } from "yaml";
import { Diagnostics } from "../diagnostics.js";
import type { SourceFile } from "../load/load.js";
import { parseSpec, type SourceMap } from "../parse.js";
import { validateDoc } from "../schema/validate.js";
import { baseSplit, clusterSplit, positionOf, readModelFile, splitsByCluster } from "./model-file.js";
import { decide, type ArgLocator, type ModelCommand } from "./operations.js";
import { realize } from "./realize.js";
import { NotEditable } from "./splice.js";
import { sameSplit, type Split } from "./weights.js";

export interface EditInput {
  /** `models/<tenant>/<model>.yaml` */
  readonly path: string;
  readonly text: string;
  /** The clusters the model runs on (from its tenant and its own `clusters`). */
  readonly clusters: readonly string[];
}

export interface EditResult {
  readonly text: string;
  readonly changed: boolean;
  /** Weights per cluster the model runs on, before and after. */
  readonly clusters: ReadonlyMap<string, { readonly before: Split; readonly after: Split }>;
}

const BOM = "\uFEFF";

export function planEdit(input: EditInput, cmd: ModelCommand, argAt: ArgLocator, sources: SourceMap, diags: Diagnostics): EditResult | undefined {
  const parts = input.path.split("/");
  const source: SourceFile = { path: input.path, text: input.text, expectedKind: "Model", stem: parts[2]!.replace(/\.ya?ml$/, ""), tenant: parts[1] };
  const errorsBefore = diags.items.filter((d) => d.severity === "error").length;
  const parsed = parseSpec(source, sources, diags);
  if (!parsed || !validateDoc(parsed, diags) || diags.items.filter((d) => d.severity === "error").length > errorsBefore) return undefined;

  const bom = input.text.startsWith(BOM) ? BOM : "";
  const text = input.text.slice(bom.length);
  const m = readModelFile(input.path, text, parsed.doc, input.clusters, diags);
  const desired = m && decide(m, cmd, argAt, diags);
  if (!m || !desired) return undefined;

  let realized;
  try {
    realized = realize(m, desired);
  } catch (e) {
    if (!(e instanceof NotEditable)) throw e;
    diags.report(
      "BERTH0910",
      { file: input.path, path: [], ...positionOf(text, e.offset) },
      `berth cannot edit this part of the file safely: ${e.message}`,
      "write it in the usual layout (one list item or key per line), or edit the file by hand",
    );
    return undefined;
  }
  proveEdit(input.path, realized.text, realized.data, (doc) => {
    const after = readModelFile(input.path, realized.text, doc, input.clusters, new Diagnostics());
    return !!after && sameSplit(baseSplit(after), desired.base) && [...desired.clusters].every(([c, s]) => sameSplit(clusterSplit(after, c), s));
  });
  const before = splitsByCluster(m);
  const clusters = new Map([...before].map(([c, b]) => [c, { before: b, after: desired.clusters.get(c)! }] as const));
  return { text: bom + realized.text, changed: realized.text !== text, clusters };
}

/**
 * The edited text must parse cleanly, hold exactly the intended data, and give every cluster the
 * decided split; anything else is a bug in berth, and nothing is written.
 */
function proveEdit(path: string, text: string, expected: unknown, splitsHold: (doc: Document.Parsed) => boolean): void {
  const doc = parseDocument(text, { uniqueKeys: true, prettyErrors: false, version: "1.2" });
  if (doc.errors.length > 0) throw new Error(`berth bug: the edit of ${path} does not parse: ${doc.errors[0]!.message}`);
  if (!sameData(doc.toJS(), expected)) throw new Error(`berth bug: the edit of ${path} reads back differently from what was intended`);
  if (!splitsHold(doc)) throw new Error(`berth bug: the edit of ${path} does not give the clusters the decided traffic split`);
}

function sameData(a: unknown, b: unknown): boolean {
  if (Array.isArray(a) || Array.isArray(b)) return Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((x, i) => sameData(x, b[i]));
  if (a && b && typeof a === "object" && typeof b === "object") {
    const ka = Object.keys(a).sort();
    const kb = Object.keys(b).sort();
    return ka.length === kb.length && ka.every((k, i) => k === kb[i] && sameData((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
  }
  return a === b;
}
