// Traffic and access per cluster: per model its gateway-bound routes (traffic-routes.ts), its
// DestinationRule and AuthorizationPolicy, per namespace a RequestAuthentication, strict mTLS and a
// Sidecar (traffic-policy.ts).
import { refAt, type SpecRef } from "../diagnostics.js";
import type { Plan } from "../plan/types.js";
import { paths } from "./meta.js";
import { namespaceRef } from "./tenancy.js";
import {
  authorizationPolicy,
  destinationRule,
  gatewayRequestAuthentication,
  tenantPeerAuthentication,
  tenantRequestAuthentication,
  tenantSidecar,
} from "./traffic-policy.js";
import { modelVirtualService } from "./traffic-routes.js";
import { storeHost, storesReachedFrom } from "./store-network.js";
import { placed, type KubeModel, type Owner, type Rendered } from "./types.js";

export function emitTraffic(plan: Plan): Rendered[] {
  const platform = plan.world.platform;
  const out: Rendered[] = [];
  const add = (dir: string, object: KubeModel, sources: readonly string[], origin: SpecRef, owner: Owner) =>
    out.push(placed(dir, object, { sources, origin, owner }));

  for (const cluster of plan.clusters) {
    const platformDir = paths.platform(cluster.name);
    const authAt = refAt(platform.file, "spec", "auth");
    add(platformDir, gatewayRequestAuthentication(platform.spec), [platform.file], authAt, { cluster: cluster.name });
    for (const t of cluster.tenants) {
      const dir = paths.tenantPlatform(cluster.name, t.name);
      const owner = { cluster: cluster.name, tenant: t.name };
      add(dir, tenantRequestAuthentication(t, platform.spec), [platform.file, t.file], authAt, owner);
      add(dir, tenantPeerAuthentication(t), [t.file], namespaceRef(t), owner);
      const stores = storesReachedFrom(cluster, t.namespace);
      add(dir, tenantSidecar(t, platform.spec, stores.map(storeHost)), [platform.file, t.file, ...stores.map((s) => s.file)].sort(), namespaceRef(t), owner);
    }
    for (const m of cluster.models) {
      const dir = paths.model(cluster.name, m.tenant.name, m.name);
      const owner = { cluster: cluster.name, tenant: m.tenant.name, model: m.name };
      // The routes live with the gateway, synced by the platform's Application; owned by the model for the diff.
      add(paths.routes(cluster.name), modelVirtualService(m, platform.spec), [platform.file, m.file], refAt(m.file, "spec", "versions"), owner);
      add(dir, destinationRule(m, platform.spec), [m.file], refAt(m.file, "spec", "versions"), owner);
      add(dir, authorizationPolicy(m, platform.spec), [platform.file, m.file], m.prov.of("access"), owner);
    }
  }
  return out;
}
