// Traffic and access per cluster: the shared host's routes (traffic-routes.ts), and per model its
// DestinationRule and AuthorizationPolicy, per namespace a RequestAuthentication (traffic-policy.ts).
import { refAt, type SpecRef } from "../diagnostics.js";
import type { Plan } from "../plan/types.js";
import { paths } from "./meta.js";
import { authorizationPolicy, destinationRule, gatewayRequestAuthentication, tenantRequestAuthentication } from "./traffic-policy.js";
import { modelVirtualService, rootVirtualService } from "./traffic-routes.js";
import { fileName, type KubeObject, type Owner, type Rendered } from "./types.js";

export function emitTraffic(plan: Plan): Rendered[] {
  const platform = plan.world.platform;
  const out: Rendered[] = [];
  const add = (dir: string, object: KubeObject, sources: readonly string[], origin: SpecRef, owner: Owner) =>
    out.push({ path: `${dir}/${fileName(object.kind, object.metadata.name)}`, object, sources, origin, owner });

  for (const cluster of plan.clusters) {
    const platformDir = paths.platform(cluster.name);
    const ingressAt = refAt(platform.file, "spec", "ingress");
    const authAt = refAt(platform.file, "spec", "auth");
    add(platformDir, gatewayRequestAuthentication(platform.spec) as KubeObject, [platform.file], authAt, { cluster: cluster.name });
    if (cluster.models.length > 0) {
      // One route per model: the header names the models folder rather than thousands of files.
      add(platformDir, rootVirtualService(cluster.models, platform.spec) as KubeObject, [platform.file, "models/"], ingressAt, { cluster: cluster.name });
    }
    for (const t of cluster.tenants)
      add(paths.tenantPlatform(cluster.name, t.name), tenantRequestAuthentication(t, platform.spec) as KubeObject, [platform.file, t.file], authAt, { cluster: cluster.name, tenant: t.name });
    for (const m of cluster.models) {
      const dir = paths.model(cluster.name, m.tenant.name, m.name);
      const owner = { cluster: cluster.name, tenant: m.tenant.name, model: m.name };
      add(dir, modelVirtualService(m, platform.spec) as KubeObject, [m.file], refAt(m.file, "spec", "versions"), owner);
      add(dir, destinationRule(m) as KubeObject, [m.file], refAt(m.file, "spec", "versions"), owner);
      add(dir, authorizationPolicy(m, platform.spec) as KubeObject, [platform.file, m.file], m.prov.of("access"), owner);
    }
  }
  return out;
}
