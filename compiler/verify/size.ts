// No rendered object may come near etcd's limit. etcd refuses a request over 1.5 MiB
// (--max-request-bytes), and the API server stores an object with its managedFields and status
// besides what berth renders, so berth keeps each object's JSON within 1 MiB: one that passes here
// still fits, and one that does not would fail at sync, after the pull request was merged.
import type { Diagnostics } from "../diagnostics.js";
import type { Rendered } from "../emit/types.js";

export const MAX_OBJECT_BYTES = 1024 * 1024;

/**
 * JSON costs at most 6 bytes per UTF-16 code unit (`\u0000` for a control character), so an
 * object whose weight (string lengths, plus a little per key and value) is under a sixth of the
 * limit fits without being serialized. Only heavier objects, rare, are measured exactly.
 */
const WEIGHT_BOUND = Math.floor(MAX_OBJECT_BYTES / 6);

function weight(v: unknown): number {
  if (typeof v === "string") return v.length + 2;
  if (typeof v !== "object" || v === null) return 24;
  let n = 2;
  if (Array.isArray(v)) for (const x of v) n += weight(x) + 1;
  else for (const k in v) n += k.length + 4 + weight((v as Record<string, unknown>)[k]);
  return n;
}

/** The eksctl ClusterConfig is read by eksctl on a workstation, never stored in etcd: its size is not bounded by it. */
function reachesEtcd(r: Rendered): boolean {
  return !r.object.apiVersion.startsWith("eksctl.io/");
}

export function verifyObjectSizes(objects: readonly Rendered[], diags: Diagnostics): void {
  for (const r of objects) {
    if (!reachesEtcd(r) || weight(r.object) <= WEIGHT_BOUND) continue;
    const bytes = Buffer.byteLength(JSON.stringify(r.object));
    if (bytes <= MAX_OBJECT_BYTES) continue;
    const big = largestField(r.object, bytes);
    diags.report(
      "BERTH0235",
      r.origin,
      `${r.object.kind} ${r.object.metadata.name} (${r.path}) is ${mib(bytes)} as JSON; berth keeps every object within ${mib(MAX_OBJECT_BYTES)}, below etcd's 1.5 MiB request limit${big ? `; largest field: ${big.path} (${mib(big.bytes)})` : ""}`,
      "make the spec values that feed this object smaller (env values, lists of groups or routes), or split what it holds across specs",
    );
  }
}

function mib(bytes: number): string {
  const n = bytes / MAX_OBJECT_BYTES;
  return `${Number.isInteger(n) ? n : n.toFixed(n < 0.1 ? 3 : 2)} MiB`;
}

/** Follows the biggest child down while it holds at least half of its parent: what to shrink. */
function largestField(root: unknown, rootBytes: number): { path: string; bytes: number } | undefined {
  let node = root;
  let at = { path: "", bytes: rootBytes };
  for (;;) {
    if (typeof node !== "object" || node === null) break;
    const children: [string, unknown][] = Array.isArray(node)
      ? node.map((x, i) => [`${at.path}[${i}]`, x])
      : Object.entries(node).map(([k, x]) => [at.path ? `${at.path}.${k}` : k, x]);
    let best: { path: string; bytes: number; value: unknown } | undefined;
    for (const [path, value] of children) {
      const bytes = Buffer.byteLength(JSON.stringify(value) ?? "");
      if (!best || bytes > best.bytes) best = { path, bytes, value };
    }
    if (!best || best.bytes * 2 < at.bytes) break;
    node = best.value;
    at = { path: best.path, bytes: best.bytes };
  }
  return at.path ? at : undefined;
}
