// Semantic diff of two renders: objects matched by identity (cluster, group, kind, namespace,
// name), not by file; fields compared as data, with list items matched by their key (name,
// subset, ...) so a reordered or inserted item reads as what it is, not as a shifted list.
import { cmp } from "../base/order.js";
import { applicationOf } from "../emit/gitops.js";
import { groupOf, IN_CLUSTER } from "../emit/gitops-projects.js";
import type { SpecRef } from "../diagnostics.js";
import type { KubeObject, Owner, Rendered } from "../emit/types.js";
import { sameContent } from "../verify/memo.js";

export type Op = "added" | "removed" | "changed";

export interface FieldChange {
  /** A YAML path: spec.template.spec.containers[name=model].resources.requests.cpu */
  readonly path: string;
  readonly op: Op;
  readonly old?: unknown;
  readonly new?: unknown;
}

export interface ObjectChange {
  readonly change: Op;
  readonly owner: Owner;
  readonly apiVersion: string;
  readonly kind: string;
  readonly namespace?: string;
  readonly name: string;
  /** The output file (the new one, or the old one for a removed object). */
  readonly file: string;
  readonly fields: readonly FieldChange[];
  /** The Argo CD Application the change lands in (undefined: applied by hand, or outside clusters/). */
  readonly application?: string;
  readonly before?: KubeObject;
  readonly after?: KubeObject;
  /** The spec node the object comes from (at the base revision for a removed object). */
  readonly origin?: SpecRef;
  /** The spec files the object is made of (its generated header's list). */
  readonly sources?: readonly string[];
  /** Where in the specs the change comes from, once located (the origin's line, or the file's first). */
  readonly at?: SpecPosition;
}

export interface SpecPosition {
  readonly file: string;
  readonly line: number;
  readonly column: number;
}

export function identity(r: Rendered): string {
  const { apiVersion, kind, metadata } = r.object;
  return [r.owner.cluster, groupOf(apiVersion), kind, metadata.namespace ?? "", metadata.name].join("\u0000");
}

/**
 * Every object added, removed or changed between two renders, in a stable order. `knownEqual`
 * settles pairs already compared (verify/memo.ts compared each object with its counterpart at
 * the same path while validating), so they are not walked a second time.
 */
export function diffRenders(before: readonly Rendered[], after: readonly Rendered[], knownEqual?: (a: KubeObject, b: KubeObject) => boolean): ObjectChange[] {
  const old = new Map(before.map((r) => [identity(r), r]));
  const seen = new Set<string>();
  const out: ObjectChange[] = [];
  for (const r of after) {
    const id = identity(r);
    seen.add(id);
    const prev = old.get(id);
    if (!prev) {
      out.push(change("added", r, [], undefined, r.object));
      continue;
    }
    // Most objects are unchanged: one walk of both settles them without serializing either
    // (emitters build keys in a fixed order); the few others are equal if they serialize alike.
    if (knownEqual?.(prev.object, r.object) || sameContent(prev.object, r.object) || JSON.stringify(prev.object) === JSON.stringify(r.object)) continue;
    const fields: FieldChange[] = [];
    diffValue(prev.object, r.object, "", fields);
    if (fields.length > 0) out.push(change("changed", r, fields, prev.object, r.object));
  }
  for (const r of before) if (!seen.has(identity(r))) out.push(change("removed", r, [], r.object, undefined));
  return out.sort(byPlace);
}

function change(kind: Op, r: Rendered, fields: FieldChange[], before?: KubeObject, after?: KubeObject): ObjectChange {
  const { apiVersion, kind: k, metadata } = r.object;
  const application = applicationOf(r.path, r.owner);
  return {
    change: kind,
    owner: r.owner,
    apiVersion,
    kind: k,
    ...(metadata.namespace ? { namespace: metadata.namespace } : {}),
    name: metadata.name,
    file: r.path,
    fields,
    ...(application ? { application } : {}),
    before,
    after,
    origin: r.origin,
    sources: r.sources,
  };
}

/** Cluster, then platform before tenants, tenant, tenant-wide before models, model, then file. */
export function byPlace(a: ObjectChange, b: ObjectChange): number {
  return (
    cmp(a.owner.cluster, b.owner.cluster) ||
    cmp(a.owner.tenant, b.owner.tenant) ||
    cmp(a.owner.model, b.owner.model) ||
    cmp(a.file, b.file) ||
    cmp(a.kind, b.kind) ||
    cmp(a.name, b.name)
  );
}

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

const isObject = (v: unknown): v is Record<string, Json> => typeof v === "object" && v !== null && !Array.isArray(v);

function diffValue(a: unknown, b: unknown, path: string, out: FieldChange[]): void {
  if (a === undefined && b === undefined) return;
  if (a === undefined) return void out.push({ path, op: "added", new: b });
  if (b === undefined) return void out.push({ path, op: "removed", old: a });
  if (isObject(a) && isObject(b)) {
    for (const k of Object.keys(a)) diffValue(a[k], b[k], joinKey(path, k), out);
    for (const k of Object.keys(b)) if (!(k in a)) diffValue(undefined, b[k], joinKey(path, k), out);
    return;
  }
  if (Array.isArray(a) && Array.isArray(b)) return diffList(a, b, path, out);
  if (!sameValue(a, b)) out.push({ path, op: "changed", old: a, new: b });
}

/** Lists of scalars change as a whole; lists of objects are matched by a key where one exists. */
function diffList(a: Json[], b: Json[], path: string, out: FieldChange[]): void {
  if (sameValue(a, b)) return;
  if (!a.every(isObject) || !b.every(isObject) || a.length + b.length === 0) return void out.push({ path, op: "changed", old: a, new: b });
  const key = listKey(a as Record<string, Json>[], b as Record<string, Json>[]);
  if (!key) {
    const n = Math.max(a.length, b.length);
    for (let i = 0; i < n; i++) diffValue(a[i], b[i], `${path}[${i}]`, out);
    return;
  }
  const keyOf = (item: Record<string, Json>) => key.read(item)!;
  const olds = new Map((a as Record<string, Json>[]).map((i) => [keyOf(i), i]));
  const news = new Map((b as Record<string, Json>[]).map((i) => [keyOf(i), i]));
  for (const [k, item] of olds) diffValue(item, news.get(k), `${path}[${key.label}=${k}]`, out);
  for (const [k, item] of news) if (!olds.has(k)) diffValue(undefined, item, `${path}[${key.label}=${k}]`, out);
  // Order matters for some lists (route rules match first-wins): report a reorder of kept items.
  const kept = (m: Map<string, unknown>, other: Map<string, unknown>) => [...m.keys()].filter((k) => other.has(k));
  const wasOrder = kept(olds, news);
  const nowOrder = kept(news, olds);
  if (wasOrder.join("\u0000") !== nowOrder.join("\u0000")) out.push({ path: `${path}[*]`, op: "changed", old: wasOrder, new: nowOrder });
}

interface ListKey {
  readonly label: string;
  read(item: Record<string, Json>): string | undefined;
}

const field = (label: string, ...path: string[]): ListKey => ({
  label,
  read(item) {
    let v: Json | undefined = item;
    for (const p of path) v = isObject(v) ? v[p] : undefined;
    return typeof v === "string" || typeof v === "number" ? String(v) : undefined;
  },
});

/** Keys tried in order, as strategic merge patch would (name first), plus Istio's and Argo CD's shapes. */
const LIST_KEYS: readonly ListKey[] = [
  field("name", "name"),
  field("subset", "destination", "subset"),
  field("mountPath", "mountPath"),
  field("key", "key"),
  { label: "kind", read: (i) => (typeof i.kind === "string" && "group" in i ? `${i.group ? `${String(i.group)}/` : ""}${i.kind}` : undefined) },
  {
    label: "namespace",
    read: (i) =>
      typeof i.namespace === "string" && typeof i.server === "string" ? (i.server === IN_CLUSTER ? i.namespace : `${i.namespace}@${i.server}`) : undefined,
  },
  // eksctl's Pod Identity associations and the statements of an IAM policy
  {
    label: "serviceAccount",
    read: (i) => (typeof i.namespace === "string" && typeof i.serviceAccountName === "string" ? `${i.namespace}/${i.serviceAccountName}` : undefined),
  },
  field("Sid", "Sid"),
];

function listKey(a: Record<string, Json>[], b: Record<string, Json>[]): ListKey | undefined {
  return LIST_KEYS.find((k) => {
    for (const list of [a, b]) {
      const values = list.map((i) => k.read(i));
      if (values.some((v) => v === undefined) || new Set(values).size !== values.length) return false;
    }
    return true;
  });
}

function sameValue(a: unknown, b: unknown): boolean {
  return a === b || JSON.stringify(a) === JSON.stringify(b);
}

const SIMPLE_KEY = /^[A-Za-z_$][A-Za-z0-9_$-]*$/;

function joinKey(path: string, key: string): string {
  if (SIMPLE_KEY.test(key)) return path ? `${path}.${key}` : key;
  return `${path}[${JSON.stringify(key)}]`;
}

/** A value written inline, YAML flow style: 500m, "a b", [a, b], {cpu: 1}. Long values are cut. */
export function inline(v: unknown, max = 160): string {
  const s = flow(v);
  return s.length > max ? `${s.slice(0, max - 1)}…` : s;
}

function flow(v: unknown): string {
  if (v === undefined) return "—";
  if (typeof v === "string")
    return /^[A-Za-z0-9_./@+-][A-Za-z0-9_./@+:=-]*$/.test(v) && !/^(true|false|null|yes|no|on|off|[-+.0-9][0-9._eE+-]*)$/i.test(v) ? v : JSON.stringify(v);
  if (Array.isArray(v)) return `[${v.map(flow).join(", ")}]`;
  if (isObject(v))
    return `{${Object.entries(v)
      .map(([k, x]) => `${SIMPLE_KEY.test(k) ? k : JSON.stringify(k)}: ${flow(x)}`)
      .join(", ")}}`;
  return String(v);
}

/** How much of the common text a shortened pair keeps before the first difference. */
const LEAD = 24;

/**
 * An old and a new value written inline, each at most `max` long. When either must be cut, both
 * are cut around where they first differ, so the difference is what stays in view
 * (`…"versions":["v1.2.0","v1.3.0"]}` → `…"versions":["v1.2.0","v1.3.0","v1.4.0"]}`).
 */
export function inlinePair(a: unknown, b: unknown, max = 160): [string, string] {
  const [x, y] = [flow(a), flow(b)];
  if (x.length <= max && y.length <= max) return [x, y];
  let head = 0;
  while (head < x.length && head < y.length && x[head] === y[head]) head++;
  let start = Math.max(0, head - LEAD);
  while (start > 0 && x[start - 1] === "\\") start--; // never start inside an escape (\")
  return [window(x, start, max), window(y, start, max)];
}

/** `s` from `start` (a little before the difference), as much as fits; each cut marked …. */
function window(s: string, start: number, max: number): string {
  const pre = start > 0 ? "…" : "";
  const room = max - pre.length;
  return s.length - start <= room ? pre + s.slice(start) : `${pre}${s.slice(start, start + room - 1)}…`;
}

/**
 * The lines that differ between two multi-line strings, with one (non-empty) line of context either side:
 * `-`/`+`/` ` prefixed, at most `maxLines` of them. Undefined unless both are multi-line strings.
 */
export function lineDiff(a: unknown, b: unknown, maxLines = 12): string[] | undefined {
  if (typeof a !== "string" || typeof b !== "string" || !(a.includes("\n") || b.includes("\n"))) return undefined;
  const [x, y] = [a.split("\n"), b.split("\n")];
  let head = 0;
  while (head < x.length && head < y.length && x[head] === y[head]) head++;
  let tail = 0;
  while (tail < x.length - head && tail < y.length - head && x[x.length - 1 - tail] === y[y.length - 1 - tail]) tail++;
  const out = [
    ...(head > 0 && x[head - 1] ? [`  ${x[head - 1]}`] : []),
    ...x.slice(head, x.length - tail).map((l) => `- ${l}`),
    ...y.slice(head, y.length - tail).map((l) => `+ ${l}`),
    ...(tail > 0 && x[x.length - tail] ? [`  ${x[x.length - tail]}`] : []),
  ];
  return out.length > maxLines ? [...out.slice(0, maxLines), `… ${out.length - maxLines} more lines`] : out;
}
