// Who may call a model: `access` decides, `routing` only steers callers who may. A group rule for a
// group outside `access` can never serve a request, and an empty `access` serves nobody.
import type { Diagnostics, SpecRef } from "../diagnostics.js";
import type { EffectiveModel, Provenance } from "./overrides.js";

/** Judged per cluster on the effective settings: an override may change `access` or `routing`. */
export function checkAccess(model: EffectiveModel, prov: Provenance, cluster: string, diags: Diagnostics): void {
  const accessAt = prov.of("access");
  const fromOverride = (at: SpecRef) => at.path.includes("overrides");
  if (model.access.length === 0) {
    const where = fromOverride(accessAt) ? ` on cluster ${cluster}` : "";
    diags.report(
      "BERTH0706",
      accessAt,
      `access is empty${where}: the model's AuthorizationPolicy denies every caller`,
      "list the identity-provider groups that may call the model, e.g. access: [data-science-team]",
    );
  }
  const routingAt = prov.of("routing");
  model.routing.forEach((rule, i) => {
    if (model.access.length === 0 || model.access.includes(rule.group)) return;
    const where = fromOverride(accessAt) || fromOverride(routingAt) ? ` on cluster ${cluster}` : "";
    diags.report(
      "BERTH0705",
      { ...routingAt, path: [...routingAt.path, i, "group"] },
      `routing sends group ${rule.group} to ${rule.version}${where}, but ${rule.group} is not in access (${model.access.join(", ")}), so its requests are denied`,
      `add ${rule.group} to access, or remove the rule`,
    );
  });
}
