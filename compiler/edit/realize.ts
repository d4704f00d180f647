// From the splits a command decided to the fewest text edits that make the file say them. A
// weight is written where the file already writes it; a key or an override entry is added only
// where what the file implies would otherwise differ. Alongside the text, the same changes are
// made to the file's plain data, so the engine can prove the text says exactly that.
import { impliedWeight, type ModelFile } from "./model-file.js";
import type { Desired } from "./operations.js";
import { DEPTH, editOverrides, setWeight, type ModelData } from "./override-edits.js";
import { TextEditor } from "./splice.js";
import { itemText, neighbourStyle, type Fields } from "./yaml-text.js";

export interface Realized {
  readonly text: string;
  /** The file's data as the edited text must read. */
  readonly data: unknown;
}

export function realize(m: ModelFile, d: Desired): Realized {
  const ed = new TextEditor(m.text);
  const data = m.doc.toJS() as ModelData;
  const versions = data.spec.versions;

  for (const v of m.versions) {
    if (v.name === d.removed) continue;
    const want = d.base.get(v.name)!;
    if (want === (v.traffic ?? impliedWeight(d.versions.length))) continue;
    setWeight(ed, v.item, v.trafficNode, want);
    versions[v.index]!.traffic = want;
  }
  if (d.added) {
    const fields: Fields = [
      ["name", d.added.name],
      ["artifact", d.added.artifact],
      ["traffic", d.base.get(d.added.name)!],
      ...(d.added.image ? [["image", d.added.image] as const] : []),
    ];
    const style = neighbourStyle(m.versionsSeq.items, undefined, m.text);
    ed.appendItems(m.versionsSeq, (indent) => [itemText(fields, style, indent, ed.nl)], DEPTH.entry);
    versions.push(Object.fromEntries(fields));
  }
  if (d.removed) {
    const v = m.versions.find((x) => x.name === d.removed)!;
    ed.removeItems(m.versionsSeq, new Set([v.index]));
    versions.splice(v.index, 1);
  }
  editOverrides(ed, m, data, d);
  return { text: ed.apply(), data };
}
