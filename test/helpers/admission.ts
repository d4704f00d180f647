// Running the admission stage on hand-broken copies of a valid render.
import type { Code } from "../../compiler/codes/index.js";
import { Diagnostics, type Diagnostic } from "../../compiler/diagnostics.js";
import type { Rendered } from "../../compiler/emit/types.js";
import type { Plan } from "../../compiler/plan.js";
import { verifyAdmission } from "../../compiler/verify/admission/index.js";

export type Mutable = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** The admission stage's findings (the EKS calendar left out unless `asOf` is given). */
export function admit(plan: Plan, objects: readonly Rendered[], asOf: string | false = false): Diagnostic[] {
  const diags = new Diagnostics();
  verifyAdmission(plan, objects, diags, { asOf });
  return diags.items;
}

/** A deep copy of `objects` with the one at `path` changed by `mutate`. */
export function breakObject(objects: readonly Rendered[], path: string, mutate: (o: Mutable) => void): Rendered[] {
  const copy = structuredClone(objects) as Rendered[];
  const target = copy.find((r) => r.path === path);
  if (!target) throw new Error(`no object at ${path}; have:\n${copy.map((r) => r.path).join("\n")}`);
  mutate(target.object as Mutable);
  return copy;
}

/** The codes found, for a compact expectation. */
export const codes = (found: readonly Diagnostic[]): Code[] => found.map((d) => d.code);
