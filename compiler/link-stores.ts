// Cross-file references of stores: the tenant folder a store lives in, the clusters it runs on,
// the tenants it admits (`clients`), and a name unique across models and stores.
import { Diagnostics, fileStart, refAt } from "./diagnostics.js";
import type { SpecKind } from "./load/load.js";
import type { StoreSpec } from "./schema/store.js";
import { closest } from "./schema/suggest.js";
import type { ValidDoc } from "./schema/validate.js";

export interface StoreSpecDoc {
  readonly name: string;
  readonly file: string;
  readonly spec: StoreSpec;
  readonly tenant: string;
  /** The clusters this store runs on, in the tenant's order. */
  readonly clusters: string[];
}

interface TenantRef {
  readonly name: string;
  readonly file: string;
  readonly spec: { readonly clusters: readonly string[] };
}

export interface StoreLinks<T extends TenantRef> {
  readonly tenants: ReadonlyMap<string, T>;
  /** Model name -> its file: store names share the model-id namespace (one name, one Service). */
  readonly modelNames: ReadonlyMap<string, string>;
  /** A spec that exists but failed validation: references to it are not reported again. */
  unusable(kind: SpecKind, name: string): boolean;
  /** The clusters a spec with an optional `clusters` list runs on within its tenant's. */
  clustersOf(file: string, spec: Pick<StoreSpec, "clusters">, tenant: T): string[];
}

export function linkStores<T extends TenantRef>(docs: readonly ValidDoc<"Store">[], links: StoreLinks<T>, diags: Diagnostics): StoreSpecDoc[] {
  const stores: StoreSpecDoc[] = [];
  const storeNames = new Map<string, string>();
  for (const d of docs) {
    const spec = d.spec as StoreSpec;
    const tenantName = d.file.split("/")[1]!;
    const tenant = links.tenants.get(tenantName);
    if (!tenant) {
      if (links.unusable("Tenant", tenantName)) continue;
      diags.report(
        "BERTH0301",
        fileStart(d.file),
        `folder models/${tenantName}/ names no tenant`,
        `add tenants/${tenantName}.yaml or move the store under an existing tenant (${[...links.tenants.keys()].join(", ") || "none declared"})`,
      );
      continue;
    }
    const other = links.modelNames.get(d.name) ?? storeNames.get(d.name);
    if (other) {
      diags.report(
        "BERTH1423",
        refAt(d.file, "metadata", "name"),
        `store name ${d.name} is also used by ${other}; names are unique across models and stores`,
        "choose a name no other model or store uses",
      );
      continue;
    }
    storeNames.set(d.name, d.file);
    (spec.clients ?? []).forEach((client, i) => {
      if (links.tenants.has(client) || links.unusable("Tenant", client)) return;
      const near = closest(client, [...links.tenants.keys()]);
      diags.report(
        "BERTH1424",
        refAt(d.file, "spec", "clients", i),
        `clients names tenant ${client}, which does not exist`,
        near ? `did you mean \`${near}\`?` : `known tenants: ${[...links.tenants.keys()].sort().join(", ")}`,
      );
    });
    stores.push({ name: d.name, file: d.file, spec, tenant: tenantName, clusters: links.clustersOf(d.file, spec, tenant) });
  }
  return stores;
}
