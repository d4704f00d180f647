import type { VerifyMemo } from "./memo.js";

// What a verifier may read besides the plan and the rendered objects.
export interface VerifyContext {
  /** The day the EKS calendar is read on (YYYY-MM-DD); false: not checked (diff's base side). */
  readonly asOf: string | false;
  /** Per-object findings kept by content across compiles (`diff`'s two revisions). */
  readonly memo?: VerifyMemo;
}
