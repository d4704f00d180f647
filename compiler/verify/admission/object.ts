// Shared by the admission rules: reading rendered objects as plain data, and reporting a rule a
// rendered object breaks at the spec node it came from (Rendered.origin) unless the rule knows a
// more precise one.
import type { Code } from "../../codes/index.js";
import type { Diagnostics, SpecRef } from "../../diagnostics.js";
import type { Rendered } from "../../emit/types.js";

export type Obj = Record<string, unknown>;

export const obj = (v: unknown): Obj => (v && typeof v === "object" && !Array.isArray(v) ? (v as Obj) : {});
export const list = (v: unknown): Obj[] => (Array.isArray(v) ? v.map(obj) : []);
export const strings = (v: unknown): string[] => (Array.isArray(v) ? v.map(String) : []);
export const record = (v: unknown): Record<string, string> => Object.fromEntries(Object.entries(obj(v)).map(([k, x]) => [k, String(x)]));

/** `Kind namespace/name (path)`: how a diagnostic names the object it is about. */
export function describeObject(r: Rendered): string {
  const { kind, metadata } = r.object;
  return `${kind} ${metadata.namespace ? `${metadata.namespace}/` : ""}${metadata.name} (${r.path})`;
}

export type Reject = (code: Code, r: Rendered, what: string, hint: string, at?: SpecRef) => void;

/** Reports what the control plane would reject, at `at` or else where the object came from. */
export function rejecter(diags: Diagnostics): Reject {
  return (code, r, what, hint, at) => diags.error(code, at ?? r.origin, `${describeObject(r)}: ${what}`, hint);
}

const GROUP_API = /^([^/]+)\//;

/** The API group of an apiVersion ("" for the core group). */
export function apiGroup(apiVersion: string): string {
  return GROUP_API.exec(apiVersion)?.[1] ?? "";
}

/** Objects by cluster, in the order given. */
export function byCluster(objects: readonly Rendered[]): Map<string, Rendered[]> {
  const out = new Map<string, Rendered[]>();
  for (const r of objects) {
    const l = out.get(r.owner.cluster);
    if (l) l.push(r);
    else out.set(r.owner.cluster, [r]);
  }
  return out;
}
