// Risks that share one cause read as one line: a new tenant's NetworkPolicies, RoleBindings and
// mesh policies are its guardrails, not a dozen separate access changes; two autoscalers whose
// bound moved the same way are one capacity change. The members stay listed under the line.
import { cmp } from "../base/order.js";
import type { Plan } from "../plan/types.js";
import type { ObjectChange } from "./match.js";
import { subjectOf, type Risk, type RiskKind } from "./risks.js";

export interface RiskGroup {
  readonly kind: RiskKind;
  readonly cluster: string;
  readonly tenant?: string;
  readonly model?: string;
  /** What the line is about: the one object, or the tenant, model or objects of the group. */
  readonly subject: string;
  readonly message: string;
  readonly count: number;
  /** The risks the line stands for, in risk order (one for a risk that shares its cause with none). */
  readonly risks: readonly Risk[];
}

type Cause = "new-tenant" | "new-model" | "gone-tenant" | "same";

/** Names of tenants and models per cluster in a plan (none for a base without specs). */
function placed(plan?: Plan): { tenants: Set<string>; models: Set<string> } {
  const tenants = new Set<string>();
  const models = new Set<string>();
  for (const c of plan?.clusters ?? []) {
    for (const t of c.tenants) tenants.add(`${c.name}\u0000${t.name}`);
    for (const m of c.models) models.add(`${c.name}\u0000${m.name}`);
  }
  return { tenants, models };
}

export function groupRisks(risks: readonly Risk[], changes: readonly ObjectChange[], before?: Plan, after?: Plan): RiskGroup[] {
  const bySubject = new Map(changes.map((c) => [`${c.owner.cluster}\u0000${subjectOf(c)}`, c] as const));
  const was = placed(before);
  const now = placed(after);
  const causeOf = (r: Risk): Cause => {
    const c = bySubject.get(`${r.cluster}\u0000${r.subject}`);
    if (!c || !r.tenant) return "same";
    const tenant = `${r.cluster}\u0000${r.tenant}`;
    if (c.change === "added" && r.kind === "access" && !was.tenants.has(tenant)) return "new-tenant";
    if (c.change === "added" && r.kind === "access" && r.model && !was.models.has(`${r.cluster}\u0000${r.model}`)) return "new-model";
    if (c.change === "removed" && !now.tenants.has(tenant) && (r.message === "deleted" || r.message.startsWith("removed"))) return "gone-tenant";
    return "same";
  };

  const groups = new Map<string, { cause: Cause; risks: Risk[] }>();
  for (const r of risks) {
    const cause = causeOf(r);
    const tenantWide = cause === "new-tenant" || cause === "gone-tenant";
    // One message on many objects is one cause (a platform setting every tenant's policy
    // carries), whichever tenants and models they belong to.
    const key =
      cause === "same"
        ? [r.kind, r.cluster, cause, r.message].join("\u0000")
        : [r.kind, r.cluster, r.tenant ?? "", tenantWide ? "" : (r.model ?? ""), cause].join("\u0000");
    const g = groups.get(key);
    if (g) g.risks.push(r);
    else groups.set(key, { cause, risks: [r] });
  }
  return [...groups.values()].map(({ cause, risks: members }) => summarize(cause, members));
}

function summarize(cause: Cause, risks: Risk[]): RiskGroup {
  const first = risks[0]!;
  if (risks.length === 1) return { ...first, count: 1, risks };
  // The tenant and model a line names are those all its risks share.
  const shared = (pick: (r: Risk) => string | undefined) => (risks.every((r) => pick(r) === pick(first)) ? pick(first) : undefined);
  const tenant = shared((r) => r.tenant);
  const model = cause === "new-tenant" || cause === "gone-tenant" ? undefined : shared((r) => r.model);
  const base = { kind: first.kind, cluster: first.cluster, ...(tenant ? { tenant } : {}), ...(tenant && model ? { model } : {}), count: risks.length, risks };
  const objects = `${risks.length} ${first.kind === "access" ? "access objects" : "objects"} (${kindCounts(risks)})`;
  switch (cause) {
    case "new-tenant":
      return { ...base, subject: `tenant ${first.tenant}`, message: `guardrails of the new tenant: ${objects}${grants(risks)}` };
    case "new-model":
      return { ...base, subject: `model ${first.model}`, message: `guardrails of the new model: ${objects}${grants(risks)}` };
    case "gone-tenant":
      return {
        ...base,
        subject: `tenant ${first.tenant}`,
        message: `tenant removed from ${first.cluster}: ${objects} ${first.kind === "deletion" ? "deleted" : "no longer apply"}`,
      };
    default:
      return { ...base, subject: kindCounts(risks), message: first.message };
  }
}

/** "7 NetworkPolicy, 2 RoleBinding", most first. */
function kindCounts(risks: readonly Risk[]): string {
  const counts = new Map<string, number>();
  for (const r of risks) {
    const kind = r.subject.split(" ")[0]!;
    counts.set(kind, (counts.get(kind) ?? 0) + 1);
  }
  return [...counts]
    .sort((a, b) => b[1] - a[1] || cmp(a[0], b[0]))
    .map(([k, n]) => `${n} ${k}`)
    .join(", ");
}

/** What the new objects grant, so a grouped line still names who gets in: "binds Group x to ClusterRole edit". */
function grants(risks: readonly Risk[]): string {
  const what = risks.map((r) => /^new [A-Za-z]+: (.+)$/.exec(r.message)?.[1]).filter((g): g is string => g !== undefined);
  return what.length ? `; ${[...new Set(what)].join("; ")}` : "";
}
