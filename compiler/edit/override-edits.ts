// The per-cluster half of an edit: the weights each cluster override must carry so the cluster
// gets its decided split. An override weight is added only where the cluster's split would
// otherwise differ from what the file says; a cluster that a command brings back in line with
// the spec loses its own weights (with their entries, and the override when nothing else is left
// in it), since the spec already says them. So a canary on one cluster, undone, leaves no trace.
import { isScalar, type Node, type Scalar, type YAMLMap } from "yaml";
import { baseSplit, clusterSplit, type ClusterOverride, type ModelFile, type OverrideEntry } from "./model-file.js";
import type { Desired } from "./operations.js";
import { NotEditable, type NewValue, type TextEditor } from "./splice.js";
import { sameSplit } from "./weights.js";
import { itemText, neighbourStyle, type Fields, type Style } from "./yaml-text.js";

type Entry = Record<string, unknown>;
type OverrideData = { versions?: Entry[] } & Record<string, unknown>;
export type ModelData = { spec: { versions: Entry[]; overrides?: Record<string, OverrideData> } & Record<string, unknown> };

/** Insertions at one offset go deepest first. */
export const DEPTH = { overrides: 1, cluster: 2, versions: 3, entry: 4, key: 5 } as const;

export function setWeight(ed: TextEditor, item: YAMLMap, node: Scalar | undefined, want: number): void {
  if (node) ed.replace(node, String(want), DEPTH.key);
  else ed.insertPairs(item, [["traffic", { inline: String(want) }]], DEPTH.key, item.has("artifact") ? "artifact" : "name");
}

interface ClusterEdit {
  readonly cluster: string;
  readonly co?: ClusterOverride;
  /** Entries removed whole, by index. */
  readonly drop: Set<number>;
  /** Entries that lose their `traffic` only. */
  readonly unweight: Set<number>;
  /** Entries whose weight is set (or added). */
  readonly set: Map<number, number>;
  /** Entries appended: [name, traffic]. */
  readonly fresh: Fields[];
}

export function editOverrides(ed: TextEditor, m: ModelFile, data: ModelData, d: Desired): void {
  const edits = decideClusterEdits(m, d, ed);
  const emptied: string[] = [];
  const created: ClusterEdit[] = [];
  for (const e of edits.values()) {
    if (!e.co) {
      if (e.fresh.length) created.push(e);
      continue;
    }
    if (applyClusterEdit(ed, m, data, e) === "emptied") emptied.push(e.cluster);
  }
  if (created.length) createClusters(ed, m, data, created);
  if (emptied.length === 0) return;
  if (emptied.length === m.overrides!.items.length && created.length === 0) {
    ed.removePair(m.spec, "overrides");
    delete data.spec.overrides;
    return;
  }
  for (const c of emptied) {
    ed.removePair(m.overrides!, c);
    delete data.spec.overrides![c];
  }
}

function decideClusterEdits(m: ModelFile, d: Desired, ed: TextEditor): Map<string, ClusterEdit> {
  const edits = new Map<string, ClusterEdit>();
  const edit = (c: string) => {
    let e = edits.get(c);
    if (!e) edits.set(c, (e = { cluster: c, co: m.clusterOverrides.get(c), drop: new Set(), unweight: new Set(), set: new Map(), fresh: [] }));
    return e;
  };
  if (d.removed) for (const [c, co] of m.clusterOverrides) for (const x of co.entries) if (x.name === d.removed) edit(c).drop.add(x.index);
  const baseBefore = baseSplit(m);
  for (const [cluster, want] of d.clusters) {
    const entries = m.clusterOverrides.get(cluster)?.entries ?? [];
    const weighted = entries.filter((x) => x.traffic !== undefined && x.name !== d.removed);
    // The cluster comes back in line with the spec: its own weights go. Weights that already
    // restated the spec before the command are the file's choice, and are kept and moved along.
    if (weighted.length > 0 && sameSplit(want, d.base) && !sameSplit(clusterSplit(m, cluster), baseBefore)) {
      for (const x of weighted) {
        if (onlyNameAndTraffic(x)) edit(cluster).drop.add(x.index);
        else if (ed.canRemovePair(x.item, "traffic")) edit(cluster).unweight.add(x.index);
        else edit(cluster).set.set(x.index, want.get(x.name)!);
      }
      continue;
    }
    for (const name of d.versions) {
      const mine = entries.filter((x) => x.name === name);
      const last = mine.filter((x) => x.traffic !== undefined).pop();
      const goal = want.get(name)!;
      if (last ? goal === last.traffic : goal === d.base.get(name)) continue;
      const target = last ?? mine[mine.length - 1];
      if (target) edit(cluster).set.set(target.index, goal);
      else
        edit(cluster).fresh.push([
          ["name", name],
          ["traffic", goal],
        ]);
    }
  }
  return edits;
}

function onlyNameAndTraffic(e: OverrideEntry): boolean {
  return e.item.items.length === 2 && e.item.items.every((p) => isScalar(p.key) && (p.key.value === "name" || p.key.value === "traffic"));
}

function applyClusterEdit(ed: TextEditor, m: ModelFile, data: ModelData, e: ClusterEdit): "emptied" | undefined {
  const co = e.co!;
  const over = data.spec.overrides![e.cluster]!;
  for (const [i, w] of e.set) {
    const x = co.entries[i]!;
    setWeight(ed, x.item, x.trafficNode, w);
    over.versions![i]!.traffic = w;
  }
  for (const i of e.unweight) {
    ed.removePair(co.entries[i]!.item, "traffic");
    delete over.versions![i]!.traffic;
  }
  const kept = co.entries.length - e.drop.size;
  if (e.drop.size > 0 && kept === 0 && e.fresh.length === 0) {
    if (co.map!.items.length > 1) {
      ed.removePair(co.map!, "versions");
      delete over.versions;
      return undefined;
    }
    return "emptied";
  }
  const style = entryStyle(m, co.entries);
  if (e.drop.size > 0) {
    over.versions = over.versions!.filter((_, i) => !e.drop.has(i));
    if (co.versions!.flow && kept === 0) {
      ed.replaceFlowList(co.versions!, versionsText(e.fresh, style));
      over.versions.push(...e.fresh.map((f) => Object.fromEntries(f)));
      return undefined;
    }
    ed.removeItems(co.versions!, e.drop);
  }
  if (e.fresh.length === 0) return undefined;
  if (co.versions) {
    ed.appendItems(co.versions, (indent) => e.fresh.map((f) => itemText(f, style, indent, ed.nl)), DEPTH.entry);
    (over.versions ??= []).push(...e.fresh.map((f) => Object.fromEntries(f)));
  } else if (co.map) {
    ed.insertPairs(
      co.map,
      [["versions", co.map.flow ? { inline: versionsText(e.fresh, style) } : { lines: (indent) => itemLines(ed, m, indent, e.fresh, style) }]],
      DEPTH.versions,
    );
    over.versions = e.fresh.map((f) => Object.fromEntries(f));
  } else throw new NotEditable(m.overrides!.range![0], `the override for ${e.cluster} is not a mapping`);
  return undefined;
}

function createClusters(ed: TextEditor, m: ModelFile, data: ModelData, created: ClusterEdit[]): void {
  const style = entryStyle(m, undefined);
  const unit = indentUnit(ed, m);
  const flowValue = (e: ClusterEdit) => `{versions: ${versionsText(e.fresh, style)}}`;
  const blockLines = (e: ClusterEdit, indent: string) => [`${indent}${unit}versions:`, ...itemLines(ed, m, `${indent}${unit}`, e.fresh, style)];
  const overrides = (data.spec.overrides ??= {});
  for (const e of created) overrides[e.cluster] = { versions: e.fresh.map((f) => Object.fromEntries(f)) };
  if (m.overrides) {
    const flow = m.overrides.flow === true;
    ed.insertPairs(
      m.overrides,
      created.map((e) => [e.cluster, flow ? { inline: flowValue(e) } : { lines: (indent: string) => blockLines(e, indent) }] as const),
      DEPTH.cluster,
    );
    return;
  }
  const value: NewValue = m.spec.flow
    ? { inline: `{${created.map((e) => `${e.cluster}: ${flowValue(e)}`).join(", ")}}` }
    : { lines: (indent) => created.flatMap((e) => [`${indent}${unit}${e.cluster}:`, ...blockLines(e, `${indent}${unit}`)]) };
  ed.insertPairs(m.spec, [["overrides", value]], DEPTH.overrides);
}

function versionsText(fresh: Fields[], style: Style): string {
  return `[${fresh.map((f) => itemText(f, { ...style, flow: true }, "", "")).join(", ")}]`;
}

/** Block list items under a key indented by `keyIndent`, dashes placed as the spec's versions list places them. */
function itemLines(ed: TextEditor, m: ModelFile, keyIndent: string, fresh: Fields[], style: Style): string[] {
  const { offset, dash } = listLayout(ed, m);
  const lead = `${keyIndent}${" ".repeat(offset)}${dash}`;
  return fresh.map((f) => lead + itemText(f, style, " ".repeat(lead.length), ed.nl));
}

/** How far the versions list's dashes sit right of its key (0, or the indent unit, by habit), and `- ` or `-   `. */
function listLayout(ed: TextEditor, m: ModelFile): { offset: number; dash: string } {
  const first = m.versionsSeq.items[0] as Node | undefined;
  const key = m.spec.items.find((p) => isScalar(p.key) && p.key.value === "versions")!.key as Node;
  if (m.versionsSeq.flow || !first?.range) return { offset: 2, dash: "- " };
  const { column, dash } = ed.dashOf(first);
  return { offset: Math.max(0, column - ed.column(key.range![0])), dash };
}

function indentUnit(ed: TextEditor, m: ModelFile): string {
  const first = m.spec.items[0]?.key as Node | undefined;
  const col = first?.range ? ed.column(first.range[0]) : 2;
  return " ".repeat(col > 0 ? col : 2);
}

/** Override entries look like the cluster's other entries, else another cluster's, else the spec's versions. */
function entryStyle(m: ModelFile, own: readonly OverrideEntry[] | undefined): Style {
  const neighbours = own?.length ? own : [...m.clusterOverrides.values()].flatMap((c) => c.entries);
  if (neighbours.length)
    return neighbourStyle(
      neighbours.map((e) => e.item),
      undefined,
      m.text,
    );
  return { ...neighbourStyle(m.versionsSeq.items, undefined, m.text), order: ["name", "traffic"] };
}
