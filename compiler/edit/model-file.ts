// A model spec as the model commands see it: the YAML nodes that hold versions and weights (for
// their positions and styles), and the traffic split they give on each cluster, by the same rule
// as overrides.ts: the spec's weight, replaced by a cluster override's where one is set.
import { isAlias, isMap, visit, type Document, type Node, type Scalar, type YAMLMap, type YAMLSeq } from "yaml";
import type { Diagnostics, PathSegment } from "../diagnostics.js";
import type { Split } from "./weights.js";

export interface VersionNode {
  readonly name: string;
  readonly index: number;
  readonly item: YAMLMap;
  /** The weight written in the file, if any. */
  readonly traffic?: number;
  readonly trafficNode?: Scalar;
}

export interface OverrideEntry extends VersionNode {
  readonly cluster: string;
}

export interface ClusterOverride {
  readonly cluster: string;
  /** The cluster's override mapping (absent when the file writes `<cluster>:` with no value). */
  readonly map?: YAMLMap;
  readonly versions?: YAMLSeq;
  readonly entries: readonly OverrideEntry[];
}

/** A place in the file that names a version: a routing rule or a batch job. */
export interface VersionUse {
  readonly version: string;
  readonly path: readonly PathSegment[];
  readonly what: string;
}

export interface ModelFile {
  readonly path: string;
  readonly text: string;
  readonly doc: Document.Parsed;
  readonly name: string;
  readonly spec: YAMLMap;
  readonly versionsSeq: YAMLSeq;
  readonly versions: readonly VersionNode[];
  readonly overrides?: YAMLMap;
  readonly clusterOverrides: ReadonlyMap<string, ClusterOverride>;
  readonly uses: readonly VersionUse[];
  /** The clusters the model is deployed to, in the tenant's order. */
  readonly clusters: readonly string[];
}

/** The weight a version has when its `traffic` is not written: all of it for a model's only version. */
export function impliedWeight(versionCount: number): number {
  return versionCount === 1 ? 100 : 0;
}

export function baseSplit(m: ModelFile): Map<string, number> {
  return new Map(m.versions.map((v) => [v.name, v.traffic ?? impliedWeight(m.versions.length)]));
}

/** The split on one cluster: the spec's, with the cluster override's weights on top (the last entry wins). */
export function clusterSplit(m: ModelFile, cluster: string): Map<string, number> {
  const split = baseSplit(m);
  for (const e of m.clusterOverrides.get(cluster)?.entries ?? []) if (e.traffic !== undefined && split.has(e.name)) split.set(e.name, e.traffic);
  return split;
}

export function splitsByCluster(m: ModelFile): Map<string, Split> {
  return new Map(m.clusters.map((c) => [c, clusterSplit(m, c)]));
}

/**
 * Reads a document that validated as a Model. Returns undefined (with a diagnostic) when a node the
 * commands may have to edit is an alias, an anchor or carries a tag: text edits there could change
 * values elsewhere in the file.
 */
export function readModelFile(path: string, text: string, doc: Document.Parsed, clusters: readonly string[], diags: Diagnostics): ModelFile | undefined {
  const root = doc.contents as YAMLMap;
  const spec = child(root, "spec") as YAMLMap;
  const versionsSeq = child(spec, "versions") as YAMLSeq;
  const overrides = child(spec, "overrides") as YAMLMap | undefined;
  for (const [node, at] of [
    [versionsSeq, ["spec", "versions"]],
    [overrides, ["spec", "overrides"]],
  ] as const) {
    const unsafe = node && firstUnsafeNode(node, text);
    if (unsafe) {
      diags.report(
        "BERTH0910",
        { file: path, path: [...at], ...positionOf(text, unsafe.start) },
        `berth cannot edit ${at.join(".")} safely: it uses a YAML ${unsafe.what}`,
        "write the values out (no anchors, aliases or tags under versions and overrides), or edit the file by hand",
      );
      return undefined;
    }
  }
  const name = String((child(root, "metadata") as YAMLMap).get("name"));
  const versions = versionsSeq.items.map((item, index) => versionNode(item as YAMLMap, index));
  const clusterOverrides = new Map<string, ClusterOverride>();
  for (const pair of overrides?.items ?? []) {
    const cluster = String((pair.key as Scalar).value);
    const map = isMap(pair.value) ? pair.value : undefined;
    const seq = map && (child(map, "versions") as YAMLSeq | undefined);
    const entries = (seq?.items ?? []).map((item, index) => ({ ...versionNode(item as YAMLMap, index), cluster }));
    clusterOverrides.set(cluster, { cluster, map, versions: seq, entries });
  }
  return {
    path,
    text,
    doc,
    name,
    spec,
    versionsSeq,
    versions,
    overrides,
    clusterOverrides,
    uses: versionUses(doc.toJS() as { spec: Record<string, unknown> }),
    clusters,
  };
}

/** A node by key; the schema has already checked its type. */
function child(map: YAMLMap, key: string): unknown {
  return map.get(key, true);
}

function versionNode(item: YAMLMap, index: number): VersionNode {
  const trafficNode = item.get("traffic", true) as Scalar | undefined;
  const traffic = trafficNode && typeof trafficNode.value === "number" ? trafficNode.value : undefined;
  return { name: String(item.get("name")), index, item, traffic, trafficNode };
}

/** Routing rules and batch jobs that name a version, in the spec and in every override. */
function versionUses(data: { spec: Record<string, unknown> }): VersionUse[] {
  const uses: VersionUse[] = [];
  const scan = (where: Record<string, unknown> | undefined, root: PathSegment[], label: string) => {
    for (const key of ["routing", "batch"]) {
      const list = where?.[key];
      if (!Array.isArray(list)) continue;
      list.forEach((entry: unknown, i) => {
        const e = entry as { version?: unknown; group?: unknown; name?: unknown } | null;
        if (typeof e?.version !== "string") return;
        const what = key === "routing" ? `routing rule for group ${String(e.group)}${label}` : `batch job ${String(e.name)}${label}`;
        uses.push({ version: e.version, path: [...root, key, i, "version"], what });
      });
    }
  };
  scan(data.spec, ["spec"], "");
  const overrides = data.spec.overrides as Record<string, Record<string, unknown> | null> | undefined;
  for (const [cluster, over] of Object.entries(overrides ?? {})) scan(over ?? undefined, ["spec", "overrides", cluster], ` on cluster ${cluster}`);
  return uses;
}

function firstUnsafeNode(node: Node, text: string): { what: string; start: number } | undefined {
  let found: { what: string; start: number } | undefined;
  const check = (n: Node) => {
    const what = isAlias(n) ? "alias" : n.anchor ? "anchor" : n.tag ? "tag" : undefined;
    if (what) {
      // A node's range starts after its anchor or tag: point at those.
      const start = n.range?.[0] ?? 0;
      const mark = what === "anchor" ? text.lastIndexOf(`&${n.anchor}`, start) : what === "tag" ? text.lastIndexOf("!", start) : start;
      found = { what, start: mark >= 0 ? mark : start };
      return visit.BREAK;
    }
    return undefined;
  };
  visit(node, { Alias: (_, n) => check(n), Scalar: (_, n) => check(n), Map: (_, n) => check(n), Seq: (_, n) => check(n) });
  return found;
}

/** 1-based line and column of a character offset. */
export function positionOf(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = text.indexOf("\n"); i !== -1 && i < offset; i = text.indexOf("\n", i + 1)) {
    line++;
    lineStart = i + 1;
  }
  return { line, column: offset - lineStart + 1 };
}
