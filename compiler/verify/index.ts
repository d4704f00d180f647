// The verifiers that run on every render over the plan and the rendered objects.
import type { Diagnostics } from "../diagnostics.js";
import type { Rendered } from "../emit/types.js";
import type { Plan } from "../plan/types.js";
import { verifyAdmission } from "./admission/index.js";
import type { VerifyContext } from "./context.js";
import { verifyEnforcement } from "./enforcement.js";
import { verifyGitops } from "./gitops.js";
import { verifyIdentity } from "./identity.js";
import { verifyAddonContracts } from "./addon-contracts.js";
import { verifyInstalls } from "./installs.js";
import { verifyWithModels } from "./models.js";
import { verifyPolicy } from "./policy.js";
import { verifyQuotas } from "./quota.js";
import { verifyRoutes } from "./routes.js";
import { verifyScheduling } from "./scheduling.js";
import { verifyObservability } from "./observability.js";
import { verifyObjectSizes } from "./size.js";
import { verifyStorageGrowth, type PreviousObjects } from "./storage-growth.js";
import type { StrictValidator } from "./strict.js";
import type { VerifyMemo } from "./memo.js";

export type Verifier = (plan: Plan, objects: readonly Rendered[], diags: Diagnostics, context: VerifyContext) => void;

export const VERIFIERS: readonly Verifier[] = [
  (_plan, objects, diags, context) => verifyWithModels(objects, diags, context.memo),
  (plan, _objects, diags) => verifyQuotas(plan, diags),
  verifyScheduling,
  verifyRoutes,
  verifyPolicy,
  verifyIdentity,
  verifyEnforcement,
  verifyGitops,
  (_plan, objects, diags) => verifyObjectSizes(objects, diags),
  verifyAdmission,
  verifyInstalls,
  verifyAddonContracts,
  verifyObservability,
];

export interface SliceInput {
  /** The plan of the clusters whose objects these are (compile passes one cluster at a time). */
  readonly plan: Plan;
  readonly objects: readonly Rendered[];
  /** The strict validation of this compile, fed cluster by cluster (StrictValidator.begin). */
  readonly strict?: ReturnType<StrictValidator["begin"]>;
  /** The day the EKS calendar is read on (YYYY-MM-DD); false: not checked (diff's base side). */
  readonly asOf: VerifyContext["asOf"];
  /** What was rendered before, by output path: checks that may only move one way compare with it. */
  readonly previous?: PreviousObjects;
  /** Per-object findings kept by content across compiles (`diff`'s two revisions). */
  readonly memo?: VerifyMemo;
}

/**
 * Every check on one cluster's output (or several clusters', given their plan). Every verifier
 * judges one cluster at a time, so verifying cluster by cluster raises what verifying all at once
 * would; the two checks that need every cluster (one source per object, every spec rendered) are
 * fed by the caller and report at the end (compile.ts).
 */
export function verifySlice(input: SliceInput, diags: Diagnostics): void {
  const { plan, objects } = input;
  for (const verify of VERIFIERS) verify(plan, objects, diags, { asOf: input.asOf, memo: input.memo });
  if (input.previous) verifyStorageGrowth(plan, objects, input.previous, diags);
  input.strict?.verify(objects, diags, input.memo);
}
