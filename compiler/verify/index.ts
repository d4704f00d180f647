// The verifiers that run on every render over the plan and the rendered objects.
import type { Diagnostics } from "../diagnostics.js";
import type { Rendered } from "../emit/types.js";
import type { Plan } from "../plan.js";
import { verifyEnforcement } from "./enforcement.js";
import { verifyAdmission } from "./admission/index.js";
import type { VerifyContext } from "./context.js";
import { verifyGitops } from "./gitops.js";
import { verifyIdentity } from "./identity.js";
import { verifyWithModels } from "./models.js";
import { verifyPolicy } from "./policy.js";
import { verifyQuotas } from "./quota.js";
import { verifyRoutes } from "./routes.js";
import { verifyScheduling } from "./scheduling.js";
import { verifyObjectSizes } from "./size.js";

export type Verifier = (plan: Plan, objects: readonly Rendered[], diags: Diagnostics, context: VerifyContext) => void;

export const VERIFIERS: readonly Verifier[] = [
  (_plan, objects, diags) => verifyWithModels(objects, diags),
  (plan, _objects, diags) => verifyQuotas(plan, diags),
  verifyScheduling,
  verifyRoutes,
  verifyPolicy,
  verifyIdentity,
  verifyEnforcement,
  verifyGitops,
  (_plan, objects, diags) => verifyObjectSizes(objects, diags),
  verifyAdmission,
];
