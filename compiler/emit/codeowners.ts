// .github/CODEOWNERS: models/<tenant>/ belongs to the tenant's owners, the rest to the platform.
import { cmp } from "../base/order.js";
import type { Plan } from "../plan/types.js";
import { CODEOWNERS_PATH } from "./meta.js";
import type { RenderedText } from "./types.js";

export function emitCodeowners(plan: Plan): RenderedText[] {
  const { platform, tenants } = plan.world;
  const lines = ["# Later rules win: the platform owns everything, each tenant its own models folder.", `* ${platform.spec.owners.join(" ")}`];
  const sources = [platform.file];
  for (const t of [...tenants.values()].sort((a, b) => cmp(a.name, b.name))) {
    lines.push(`/models/${t.name}/ ${t.spec.owners.join(" ")}`);
    sources.push(t.file);
  }
  return [{ path: CODEOWNERS_PATH, content: lines.join("\n") + "\n", sources }];
}
