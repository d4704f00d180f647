// Decisions: which models and tenants land on which cluster, with which effective settings,
// names and pool. Emitters only translate a plan into objects.
import { Diagnostics, refAt } from "./diagnostics.js";
import type { ModelSpecDoc, Spec, TenantSpecDoc, World } from "./link.js";
import { checkModel, checkEffectiveModel } from "./model-rules.js";
import { effectiveModel, type EffectiveModel, type EffectiveVersion, type Provenance } from "./overrides.js";
import type { ClusterSpec, PoolSpec } from "./schema/cluster.js";
import type { TenantSpec } from "./schema/tenant.js";

export interface Plan {
  readonly world: World;
  /** Clusters sorted by name. */
  readonly clusters: readonly ClusterPlan[];
}

export interface ClusterPlan {
  readonly name: string;
  readonly file: string;
  readonly spec: ClusterSpec;
  readonly tenants: readonly TenantPlan[];
  readonly models: readonly ModelPlan[];
}

export interface TenantPlan {
  readonly name: string;
  readonly file: string;
  readonly namespace: string;
  readonly spec: TenantSpec;
  readonly priority: number;
  readonly priorityClassName: string;
}

export interface PoolRef {
  readonly spec: PoolSpec;
  readonly index: number;
}

export interface VersionPlan {
  readonly version: EffectiveVersion;
  /** The version name rewritten DNS-safe: v1.2.0 -> v1-2-0. */
  readonly dnsName: string;
  /** `<model>-<dnsName>`: the Deployment, HPA and PDB name. */
  readonly workloadName: string;
  readonly image: string;
}

export interface ModelPlan {
  readonly name: string;
  readonly file: string;
  readonly tenant: TenantPlan;
  readonly cluster: string;
  readonly model: EffectiveModel;
  readonly prov: Provenance;
  readonly pool?: PoolRef;
  readonly versions: readonly VersionPlan[];
  readonly port: number;
}

export const DEFAULT_PORT = 8080;

export function dnsSafe(version: string): string {
  return version.replace(/\./g, "-");
}

export function priorityClassName(priority: number): string {
  return `berth-tier-${priority}`;
}

export function buildPlan(world: World, diags: Diagnostics, only?: ReadonlySet<string>): Plan {
  const renderable = new Set(world.models.filter((m) => checkModel(m, diags)));
  const clusters: ClusterPlan[] = [];
  for (const name of [...world.clusters.keys()].sort()) {
    if (only && !only.has(name)) continue;
    const cluster = world.clusters.get(name)!;
    const tenants = [...world.tenants.values()].filter((t) => t.spec.clusters.includes(name)).sort(byName).map(planTenant);
    const tenantByName = new Map(tenants.map((t) => [t.name, t]));
    const models = world.models
      .filter((m) => renderable.has(m) && m.clusters.includes(name))
      .sort((a, b) => cmp(a.tenant, b.tenant) || cmp(a.name, b.name))
      .map((m) => planModel(m, cluster, tenantByName.get(m.tenant)!, world, diags))
      .filter((m): m is ModelPlan => m !== undefined);
    clusters.push({ name, file: cluster.file, spec: cluster.spec, tenants, models });
  }
  return { world, clusters };
}

function planTenant(t: TenantSpecDoc): TenantPlan {
  const priority = t.spec.priority ?? 0;
  return { name: t.name, file: t.file, namespace: t.namespace, spec: t.spec, priority, priorityClassName: priorityClassName(priority) };
}

function planModel(m: ModelSpecDoc, cluster: Spec<ClusterSpec>, tenant: TenantPlan, world: World, diags: Diagnostics): ModelPlan | undefined {
  const { model, prov } = effectiveModel(m, cluster.name, world.platform);
  const runtime = world.platform.spec.runtimes[model.framework];
  if (!checkEffectiveModel(m, model, prov, world.platform, cluster.name, diags)) return undefined;
  const pool = choosePool(m, model, prov, cluster, diags);
  const versions = model.versions.map((v) => {
    const dnsName = dnsSafe(v.name);
    return { version: v, dnsName, workloadName: `${m.name}-${dnsName}`, image: v.image ?? runtime?.image ?? "" };
  });
  return { name: m.name, file: m.file, tenant, cluster: cluster.name, model, prov, pool, versions, port: runtime?.port ?? DEFAULT_PORT };
}

/** `pool`, else the cluster's first GPU pool when the model wants GPUs, else `general`. */
function choosePool(m: ModelSpecDoc, model: EffectiveModel, prov: Provenance, cluster: Spec<ClusterSpec>, diags: Diagnostics): PoolRef | undefined {
  const pools = cluster.spec.pools;
  const names = pools.map((p) => p.name).join(", ");
  if (model.pool !== undefined) {
    const index = pools.findIndex((p) => p.name === model.pool);
    if (index >= 0) return { spec: pools[index]!, index };
    diags.error("BERTH0303", prov.of("pool"), `cluster ${cluster.name} has no pool named ${model.pool} (pools: ${names})`, `choose one of ${names}, or add the pool to ${cluster.file}`);
    return undefined;
  }
  if (model.resources.gpu > 0) {
    const index = pools.findIndex((p) => p.gpu === true);
    if (index >= 0) return { spec: pools[index]!, index };
    diags.error("BERTH0303", prov.of("resources", "gpu"), `the model asks for ${model.resources.gpu} GPU(s) but cluster ${cluster.name} has no GPU pool (pools: ${names})`, `add a pool with gpu: true to ${cluster.file}, or set resources.gpu: 0`);
    return undefined;
  }
  const index = pools.findIndex((p) => p.name === "general");
  if (index >= 0) return { spec: pools[index]!, index };
  diags.error("BERTH0303", refAt(m.file, "spec"), `cluster ${cluster.name} has no pool named general, the default (pools: ${names})`, `set spec.pool to one of ${names}`);
  return undefined;
}

function byName(a: { name: string }, b: { name: string }): number {
  return cmp(a.name, b.name);
}

export function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
