// Decisions for stores on one cluster: the engine from the platform's catalogue, effective
// resources (platform defaults < the store's own), storage within the engine's minimum and the
// volume type's maximum, the pool, the tenants admitted. And, for models, which stores their
// `uses` reaches on the cluster.
import { cmp } from "../base/order.js";
import { Diagnostics, refAt, type SpecRef } from "../diagnostics.js";
import type { ModelSpecDoc, World } from "../link.js";
import type { StoreSpecDoc } from "../link-stores.js";
import type { EffectiveModel } from "./overrides.js";
import type { ClusterPlan, PoolPlan, StorePlan, TenantPlan } from "./types.js";
import { parseQuantity } from "../base/quantity.js";
import type { StoreEngine } from "../schema/store.js";
import { closest } from "../schema/suggest.js";

/** gp3's largest volume (AWS EBS volume types: gp3 1 GiB - 16 TiB). */
export const GP3_MAX_BYTES = 16 * 2 ** 40;
/** gp3's smallest volume: the default minimum of an engine that names none. */
export const GP3_MIN_BYTES = 2 ** 30;
/** StatefulSet pods are named <store>-<ordinal> and labelled with <store>-<10-character revision hash>. */
const MAX_STORE_NAME = 52;

export function planStores(
  world: World,
  cluster: Pick<ClusterPlan, "name" | "file" | "pools">,
  tenants: ReadonlyMap<string, TenantPlan>,
  diags: Diagnostics,
): StorePlan[] {
  return world.stores
    .filter((s) => s.clusters.includes(cluster.name) && tenants.has(s.tenant))
    .sort((a, b) => cmp(a.tenant, b.tenant) || cmp(a.name, b.name))
    .map((s) => planStore(s, world, cluster, tenants.get(s.tenant)!, diags))
    .filter((s): s is StorePlan => s !== undefined);
}

function planStore(
  s: StoreSpecDoc,
  world: World,
  cluster: Pick<ClusterPlan, "name" | "file" | "pools">,
  tenant: TenantPlan,
  diags: Diagnostics,
): StorePlan | undefined {
  const platform = world.platform;
  const catalogue = platform.spec.stores ?? {};
  const own = (...path: (string | number)[]) => refAt(s.file, "spec", ...path);
  let ok = true;
  if (s.name.length > MAX_STORE_NAME) {
    ok = false;
    diags.report(
      "BERTH0401",
      refAt(s.file, "metadata", "name"),
      `store name ${s.name} is ${s.name.length} characters; a StatefulSet's pods carry its name and a revision hash in a 63-character label, so berth keeps store names within ${MAX_STORE_NAME}`,
      `shorten the name by ${s.name.length - MAX_STORE_NAME} characters`,
    );
  }
  const engine = catalogue[s.spec.engine];
  if (!engine) {
    const known = Object.keys(catalogue).sort();
    const near = closest(s.spec.engine, known);
    diags.report(
      "BERTH1420",
      own("engine"),
      `engine "${s.spec.engine}" is not in the platform's stores catalogue (${known.join(", ") || "none declared"})`,
      `${near ? `did you mean \`${near}\`? or ` : ""}add the engine to ${platform.file} spec.stores`,
    );
    return undefined;
  }
  const storageBytes = parseQuantity(s.spec.storage.size) ?? 0;
  const minBytes = engine.minStorage !== undefined ? (parseQuantity(engine.minStorage) ?? GP3_MIN_BYTES) : GP3_MIN_BYTES;
  const minText = engine.minStorage !== undefined ? String(engine.minStorage) : "1Gi";
  if (storageBytes < minBytes) {
    ok = false;
    const whose = engine.minStorage !== undefined ? `the minimum of engine ${s.spec.engine}` : "the smallest gp3 EBS volume";
    diags.report(
      "BERTH1421",
      own("storage", "size"),
      `storage.size ${s.spec.storage.size} is below ${minText}, ${whose}`,
      `ask for at least ${minText} per replica`,
    );
  } else if (storageBytes > GP3_MAX_BYTES) {
    ok = false;
    diags.report(
      "BERTH1422",
      own("storage", "size"),
      `storage.size ${s.spec.storage.size} is above 16Ti, the largest encrypted gp3 EBS volume`,
      "ask for at most 16Ti per replica, or spread the index over more replicas",
    );
  }
  const { resources, refOf } = storeResources(s, platform.file, platform.spec.defaults?.resources);
  for (const res of ["cpu", "memory"] as const) {
    if (resources.requests[res] === undefined) {
      ok = false;
      diags.report(
        "BERTH0200",
        own("resources"),
        `resources.requests.${res} is set neither by the store nor by the platform defaults`,
        "every pod needs requests so berth can prove it schedules and fits its quota",
      );
      continue;
    }
    const req = parseQuantity(resources.requests[res]!);
    const lim = resources.limits[res] === undefined ? undefined : parseQuantity(resources.limits[res]!);
    if (req !== undefined && lim !== undefined && req > lim)
      diags.report(
        "BERTH0210",
        refOf("requests", res),
        `resources.requests.${res} (${resources.requests[res]}) is above resources.limits.${res} (${resources.limits[res]})`,
        "raise the limit or lower the request",
      );
  }
  const pool = choosePool(s, resources.gpu, cluster, diags);
  if (!ok) return undefined;
  return {
    name: s.name,
    file: s.file,
    tenant,
    cluster: cluster.name,
    engineName: s.spec.engine,
    engine,
    replicas: s.spec.replicas ?? 1,
    resources,
    storage: String(s.spec.storage.size),
    storageBytes,
    pool,
    admits: [s.tenant, ...(s.spec.clients ?? []).filter((c) => c !== s.tenant)],
    at: (...path) => (path[0] === "resources" ? refOf(...(path.slice(1) as string[])) : own(...path)),
  };
}

type Quantity = string | number;
type ResourcesIn = { requests?: { cpu?: Quantity; memory?: Quantity }; limits?: { cpu?: Quantity; memory?: Quantity }; gpu?: number };

/** Platform defaults, then the store's own resources, leaf by leaf. */
function storeResources(s: StoreSpecDoc, platformFile: string, defaults: ResourcesIn | undefined) {
  const resources: EffectiveModel["resources"] = { requests: {}, limits: {}, gpu: 0 };
  const origins = new Map<string, SpecRef>();
  const layers: [ResourcesIn | undefined, string, (string | number)[]][] = [
    [defaults, platformFile, ["spec", "defaults", "resources"]],
    [s.spec.resources, s.file, ["spec", "resources"]],
  ];
  for (const [data, file, root] of layers) {
    for (const kind of ["requests", "limits"] as const)
      for (const res of ["cpu", "memory"] as const) {
        const v = data?.[kind]?.[res];
        if (v === undefined) continue;
        resources[kind][res] = v;
        origins.set(`${kind}.${res}`, refAt(file, ...root, kind, res));
      }
    if (data?.gpu !== undefined) {
      resources.gpu = data.gpu;
      origins.set("gpu", refAt(file, ...root, "gpu"));
    }
  }
  const refOf = (...path: string[]) => origins.get(path.join(".")) ?? refAt(s.file, "spec", "resources");
  return { resources, refOf };
}

/** `pool`, else the cluster's first GPU pool for GPUs, else `general`. */
function choosePool(s: StoreSpecDoc, gpu: number, cluster: Pick<ClusterPlan, "name" | "file" | "pools">, diags: Diagnostics): PoolPlan | undefined {
  const names = cluster.pools.map((p) => p.spec.name);
  if (s.spec.pool !== undefined) {
    const pool = cluster.pools.find((p) => p.spec.name === s.spec.pool);
    if (!pool) {
      const near = closest(s.spec.pool, names);
      diags.report(
        "BERTH0303",
        refAt(s.file, "spec", "pool"),
        `cluster ${cluster.name} has no pool named ${s.spec.pool} (pools: ${names.join(", ")})`,
        `${near ? `did you mean \`${near}\`? ` : ""}choose one of ${names.join(", ")}, or add the pool to ${cluster.file}`,
      );
      return undefined;
    }
    if (gpu > 0 && !pool.hasGpus && !pool.broken)
      diags.report(
        "BERTH0606",
        refAt(s.file, "spec", "resources", "gpu"),
        `the store asks for ${gpu} GPU${gpu === 1 ? "" : "s"} but pool ${pool.spec.name} on cluster ${cluster.name} has none (${pool.spec.instanceType})`,
        "choose a pool with GPUs, or set resources.gpu: 0",
      );
    return pool;
  }
  const pool = gpu > 0 ? cluster.pools.find((p) => p.hasGpus) : cluster.pools.find((p) => p.spec.name === "general");
  if (!pool)
    diags.report(
      "BERTH0303",
      refAt(s.file, "spec"),
      `the store sets no pool and cluster ${cluster.name} has no ${gpu > 0 ? "GPU pool" : "pool named general, the default"} (pools: ${names.join(", ")})`,
      `set spec.pool to one of ${names.join(", ")}`,
    );
  return pool;
}

/**
 * The stores a model's `uses` reaches on this cluster: each must be a store, deployed here, and
 * admit the model's tenant. A store that is deployed here but failed its own checks was reported
 * there and is left out quietly.
 */
export function resolveUses(
  m: ModelSpecDoc,
  uses: readonly string[],
  at: SpecRef,
  cluster: string,
  world: World,
  planned: readonly StorePlan[],
  diags: Diagnostics,
): StorePlan[] {
  const out: StorePlan[] = [];
  uses.forEach((name, i) => {
    const entry = { ...at, path: [...at.path, i] };
    const store = world.stores.find((s) => s.name === name);
    if (!store) {
      if (world.unusable?.("Model", name) || world.unusable?.("Store", name)) return;
      const isModel = world.models.some((o) => o.name === name);
      const near = closest(
        name,
        world.stores.map((s) => s.name),
      );
      diags.report(
        "BERTH1430",
        entry,
        `uses names ${name}, which is ${isModel ? "a model, not a store" : "not a store"}`,
        near
          ? `did you mean \`${near}\`?`
          : `stores: ${
              world.stores
                .map((s) => s.name)
                .sort()
                .join(", ") || "none declared"
            }`,
      );
      return;
    }
    if (!store.clusters.includes(cluster)) {
      const where = store.clusters.length > 0 ? `${name} runs on ${store.clusters.join(", ")}` : `${name} runs on no cluster`;
      diags.report(
        "BERTH1431",
        entry,
        `store ${name} is not deployed to cluster ${cluster}, where ${m.name} runs`,
        `use it only where it runs (${where}): set overrides.${cluster}.uses, or deploy the store there`,
      );
      return;
    }
    if (store.tenant !== m.tenant && !(store.spec.clients ?? []).includes(m.tenant)) {
      diags.report(
        "BERTH1432",
        entry,
        `store ${name} (tenant ${store.tenant}) does not admit tenant ${m.tenant}`,
        `add ${m.tenant} to clients in ${store.file}`,
      );
      return;
    }
    const plan = planned.find((p) => p.name === name);
    if (plan && !out.includes(plan)) out.push(plan);
  });
  return out;
}
