import type { VerifyMemo } from "./memo.js";

// What a verifier may read besides the plan and the rendered objects.
import type { Rendered } from "../emit/types.js";
export interface VerifyContext {
  /** The day the EKS calendar is read on (YYYY-MM-DD); false: not checked (diff's base side). */
  readonly asOf: string | false;
  /** Per-object findings kept by content across compiles (`diff`'s two revisions). */
  readonly memo?: VerifyMemo;
}

/** The rendered objects of each cluster, in their order: for verifiers that judge one cluster at a time. */
export function objectsByCluster(objects: readonly Rendered[]): Map<string, Rendered[]> {
  const byCluster = new Map<string, Rendered[]>();
  for (const r of objects) {
    const list = byCluster.get(r.owner.cluster);
    if (list) list.push(r);
    else byCluster.set(r.owner.cluster, [r]);
  }
  return byCluster;
}
