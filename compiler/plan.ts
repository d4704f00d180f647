// Decisions: which models and tenants land on which cluster, with which effective settings,
// names and pool. Emitters only translate a plan into objects.
import { cmp, Diagnostics, refAt } from "./diagnostics.js";
import type { ModelSpecDoc, Spec, TenantSpecDoc, World } from "./link.js";
import { checkArtifacts } from "./artifact-rules.js";
import { checkModel, checkEffectiveModel } from "./model-rules.js";
import { effectiveUses, planBatch, type BatchPlan } from "./plan-batch.js";
import { planStores, resolveUses, type StorePlan } from "./plan-store.js";
import { effectiveModel, type EffectiveModel, type EffectiveVersion, type Provenance } from "./overrides.js";
import type { InstanceType } from "./catalogue/instances.js";
import type { Resources } from "./pod-requests.js";
import { resolvePools } from "./pool-rules.js";
import type { ClusterSpec, PoolSpec } from "./schema/cluster.js";
import { closest } from "./schema/suggest.js";
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
  /** The cluster's pools in declared order, resolved against the instance catalogue. */
  readonly pools: readonly PoolPlan[];
  readonly tenants: readonly TenantPlan[];
  readonly models: readonly ModelPlan[];
  /** Stores on this cluster, by tenant then name. */
  readonly stores: readonly StorePlan[];
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

export interface PoolPlan extends PoolRef {
  /** The catalogue entry; undefined when the type is unknown (reported as BERTH0601). */
  readonly instance?: InstanceType;
  /** What one node leaves for model pods after the reservation; undefined with `instance`. */
  readonly node?: Resources;
  /** The nodes have GPUs: by the catalogue, or by `gpu: true` when the type is unknown. */
  readonly hasGpus: boolean;
  /** A problem with the pool itself was reported: checks that build on it stay quiet. */
  readonly broken: boolean;
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
  readonly pool?: PoolPlan;
  readonly versions: readonly VersionPlan[];
  readonly port: number;
  /** Batch entries that render on this cluster. */
  readonly batch: readonly BatchPlan[];
  /** The stores this model connects to on this cluster. */
  readonly uses: readonly StorePlan[];
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
    const pools = resolvePools(cluster, diags);
    const tenants = [...world.tenants.values()].filter((t) => t.spec.clusters.includes(name)).sort(byName).map(planTenant);
    const tenantByName = new Map(tenants.map((t) => [t.name, t]));
    const stores = planStores(world, { name, file: cluster.file, pools }, tenantByName, diags);
    const models = world.models
      .filter((m) => renderable.has(m) && m.clusters.includes(name))
      .sort((a, b) => cmp(a.tenant, b.tenant) || cmp(a.name, b.name))
      .map((m) => planModel(m, cluster, pools, tenantByName.get(m.tenant)!, world, stores, diags))
      .filter((m): m is ModelPlan => m !== undefined);
    clusters.push({ name, file: cluster.file, spec: cluster.spec, pools, tenants, models, stores });
  }
  return { world, clusters };
}

function planTenant(t: TenantSpecDoc): TenantPlan {
  const priority = t.spec.priority ?? 0;
  return { name: t.name, file: t.file, namespace: t.namespace, spec: t.spec, priority, priorityClassName: priorityClassName(priority) };
}

function planModel(m: ModelSpecDoc, cluster: Spec<ClusterSpec>, pools: readonly PoolPlan[], tenant: TenantPlan, world: World, stores: readonly StorePlan[], diags: Diagnostics): ModelPlan | undefined {
  const { model, prov } = effectiveModel(m, cluster.name, world.platform);
  const runtime = world.platform.spec.runtimes[model.framework];
  if (!checkEffectiveModel(m, model, prov, world.platform, cluster.name, diags)) return undefined;
  checkArtifacts(m, model, prov, world.platform, { name: cluster.name, region: cluster.spec.region }, diags);
  const pool = choosePool(m, model, prov, cluster, pools, diags);
  const versions = model.versions.map((v) => {
    const dnsName = dnsSafe(v.name);
    return { version: v, dnsName, workloadName: `${m.name}-${dnsName}`, image: v.image ?? runtime?.image ?? "" };
  });
  const batch = planBatch(m, model, prov, versions, pool, cluster.name, diags);
  const { uses, at: usesAt } = effectiveUses(m, cluster.name);
  const used = resolveUses(m, uses, usesAt, cluster.name, world, stores, diags);
  return { name: m.name, file: m.file, tenant, cluster: cluster.name, model, prov, pool, versions, port: runtime?.port ?? DEFAULT_PORT, batch, uses: used };
}

/** `pool`, else the cluster's first `gpu: true` pool when the model wants GPUs, else `general`. */
function choosePool(m: ModelSpecDoc, model: EffectiveModel, prov: Provenance, cluster: Spec<ClusterSpec>, pools: readonly PoolPlan[], diags: Diagnostics): PoolPlan | undefined {
  const names = pools.map((p) => p.spec.name).join(", ");
  const gpu = model.resources.gpu;
  if (model.pool !== undefined) {
    const pool = pools.find((p) => p.spec.name === model.pool);
    if (pool) {
      checkChosenPool(pool, pools, gpu, prov, cluster, diags);
      return pool;
    }
    const near = closest(model.pool, pools.map((p) => p.spec.name));
    const elsewhere = prov.of("pool").path.includes("overrides") ? "" : ` (or overrides.${cluster.name}.pool for this cluster only)`;
    diags.error("BERTH0303", prov.of("pool"), `cluster ${cluster.name} has no pool named ${model.pool} (pools: ${names})`, `${near ? `did you mean \`${near}\`? ` : ""}choose one of ${names}${elsewhere}, or add the pool to ${cluster.file}`);
    return undefined;
  }
  if (gpu > 0) {
    // A pool marked gpu: true first; else one whose instance type has GPUs (warned as BERTH0605).
    const pool = pools.find((p) => p.spec.gpu === true) ?? pools.find((p) => p.hasGpus);
    if (pool) return pool;
    diags.error("BERTH0606", prov.of("resources", "gpu"), `the model asks for ${plural(gpu, "GPU")} but cluster ${cluster.name} has no GPU pool (pools: ${names})`, `add a pool with gpu: true to ${cluster.file}, or set resources.gpu: 0`);
    return undefined;
  }
  const general = pools.find((p) => p.spec.name === "general");
  if (general) return general;
  diags.error("BERTH0303", refAt(m.file, "spec"), `the model sets no pool and cluster ${cluster.name} has no pool named general, the default (pools: ${names})`, `set spec.pool to one of ${names} (or overrides.${cluster.name}.pool for this cluster only)`);
  return undefined;
}

/**
 * A pool the model named must suit its GPUs: GPUs asked of a pool without any is an error at the
 * field to change (the pool when another pool has GPUs, else resources.gpu); a GPU pool chosen by
 * a model without GPUs is a warning. A pool already reported as broken stays quiet.
 */
function checkChosenPool(pool: PoolPlan, pools: readonly PoolPlan[], gpu: number, prov: Provenance, cluster: Spec<ClusterSpec>, diags: Diagnostics): void {
  if (pool.broken) return;
  const list = (want: boolean) => pools.filter((p) => p.hasGpus === want && !p.broken).map((p) => p.spec.name);
  if (gpu > 0 && !pool.hasGpus) {
    const withGpus = list(true);
    const message = `the model asks for ${plural(gpu, "GPU")} but pool ${pool.spec.name} on cluster ${cluster.name} has none (${pool.spec.instanceType})`;
    if (withGpus.length > 0) diags.error("BERTH0606", prov.of("pool"), message, `choose a pool with GPUs (${withGpus.join(", ")}), or set resources.gpu: 0`);
    else diags.error("BERTH0606", prov.of("resources", "gpu"), message, `add a pool with gpu: true to ${cluster.file}, or set resources.gpu: 0`);
  } else if (gpu === 0 && pool.hasGpus) {
    const without = list(false);
    diags.warn("BERTH0607", prov.of("pool"), `pool ${pool.spec.name} on cluster ${cluster.name} has GPUs (${pool.spec.instanceType}) but the model asks for none: its pods would hold GPU nodes without using them`, `${without.length > 0 ? `choose a pool without GPUs (${without.join(", ")})` : "choose a pool without GPUs"}, or set resources.gpu`);
  }
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? "" : "s"}`;
}

function byName(a: { name: string }, b: { name: string }): number {
  return cmp(a.name, b.name);
}
