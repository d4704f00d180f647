// Decisions: which models and tenants land on which cluster, with which effective settings,
// names and pool. Emitters only translate a plan into objects.
import { cmp } from "../base/order.js";
import { Diagnostics, refAt } from "../diagnostics.js";
import type { ModelSpecDoc, Spec, TenantSpecDoc, World } from "../link.js";
import { checkAccess } from "./access-rules.js";
import { checkArtifacts } from "./artifact-rules.js";
import { resolveAddons } from "./addon-rules.js";
import { checkRuntimeImages } from "./image-rules.js";
import { checkModel, checkEffectiveModel } from "./model-rules.js";
import { effectiveUses, planBatch } from "./batch-rules.js";
import { planStores, resolveUses } from "./store-rules.js";
import { effectiveModel, type EffectiveModel, type Provenance } from "./overrides.js";
import { resolvePools } from "./pool-rules.js";
import { checkPlatformDefaults, checkPoolZones, checkRollout } from "./rollout-rules.js";
import { checkSlo } from "./slo-rules.js";
import { dnsSafe, MAX_NAME, modelAppName, priorityClassName, storeAppName, tenantAppName, workloadName } from "./names.js";
import { selectClusters } from "./select.js";
import type { ClusterSpec } from "../schema/cluster.js";
import { closest } from "../schema/suggest.js";
import type { ClusterPlan, ModelPlan, Plan, PoolPlan, StorePlan, TenantPlan } from "./types.js";

export const DEFAULT_PORT = 8080;

/** `clusters`: render only these (--cluster); all when absent. */
export function buildPlan(world: World, diags: Diagnostics, clusters?: readonly string[]): Plan {
  const only = selectClusters(world, clusters, diags);
  checkRuntimeImages(world.platform, diags);
  const renderable = new Set(world.models.filter((m) => checkModel(m, diags)));
  checkPlatformDefaults(world.platform, diags);
  const planned: ClusterPlan[] = [];
  for (const name of [...world.clusters.keys()].sort()) {
    if (only && !only.has(name)) continue;
    const cluster = world.clusters.get(name)!;
    const pools = resolvePools(cluster, diags);
    checkPoolZones(cluster, diags);
    const tenants = [...world.tenants.values()]
      .filter((t) => t.spec.clusters.includes(name))
      .sort(byName)
      .map(planTenant);
    const tenantByName = new Map(tenants.map((t) => [t.name, t]));
    const stores = planStores(world, { name, file: cluster.file, pools }, tenantByName, diags);
    const models = world.models
      .filter((m) => renderable.has(m) && m.clusters.includes(name))
      .sort((a, b) => cmp(a.tenant, b.tenant) || cmp(a.name, b.name))
      .map((m) => planModel(m, cluster, pools, tenantByName.get(m.tenant)!, world, stores, diags))
      .filter((m): m is ModelPlan => m !== undefined);
    const addons = resolveAddons(
      cluster,
      pools.some((p) => p.hasGpus),
      world.platform,
      diags,
    );
    planned.push({ name, file: cluster.file, spec: cluster.spec, pools, tenants, models, addons, stores });
  }
  checkTenantAppNames(planned, diags);
  return { world, clusters: planned };
}

function planTenant(t: TenantSpecDoc): TenantPlan {
  const priority = t.spec.priority ?? 0;
  return {
    name: t.name,
    file: t.file,
    namespace: t.namespace,
    spec: t.spec,
    priority,
    priorityClassName: priorityClassName(priority),
    appName: tenantAppName(t.name),
  };
}

/** Argo CD keeps an app name in a label value when it tracks by label; once per tenant that is rendered. */
function checkTenantAppNames(clusters: readonly ClusterPlan[], diags: Diagnostics): void {
  const seen = new Set<string>();
  for (const t of clusters.flatMap((c) => c.tenants)) {
    if (seen.has(t.name) || t.appName.length <= MAX_NAME) continue;
    seen.add(t.name);
    diags.report(
      "BERTH0401",
      refAt(t.file, "metadata", "name"),
      `derived Argo CD name "${t.appName}" is ${t.appName.length} characters; Argo CD tracks apps by a label value of at most ${MAX_NAME}`,
      `shorten the tenant name to at most ${MAX_NAME - tenantAppName("").length} characters`,
    );
  }
  // Each model is synced by its own Application, model-<model>, and each store by store-<store> (emit/gitops.ts).
  const models = new Set<string>();
  const workloads = clusters.flatMap((c) => [
    ...c.models.map((m) => ({ m, app: modelAppName(m.name) })),
    ...c.stores.map((m) => ({ m, app: storeAppName(m.name) })),
  ]);
  for (const { m, app } of workloads) {
    if (models.has(m.name) || app.length <= MAX_NAME) continue;
    models.add(m.name);
    diags.report(
      "BERTH0401",
      refAt(m.file, "metadata", "name"),
      `derived Argo CD name "${app}" is ${app.length} characters; Argo CD tracks apps by a label value of at most ${MAX_NAME}`,
      `shorten the name by ${app.length - MAX_NAME} characters`,
    );
  }
}

function planModel(
  m: ModelSpecDoc,
  cluster: Spec<ClusterSpec>,
  pools: readonly PoolPlan[],
  tenant: TenantPlan,
  world: World,
  stores: readonly StorePlan[],
  diags: Diagnostics,
): ModelPlan | undefined {
  const { model, prov } = effectiveModel(m, cluster.name, world.platform);
  const runtime = world.platform.spec.runtimes[model.framework];
  if (!checkEffectiveModel(m, model, prov, world.platform, cluster.name, diags)) return undefined;
  checkAccess(model, prov, cluster.name, diags);
  checkArtifacts(m, model, prov, world.platform, { name: cluster.name, region: cluster.spec.region }, diags);
  const pool = choosePool(m, model, prov, cluster, pools, diags);
  const versions = model.versions.map((v) => {
    return { version: v, dnsName: dnsSafe(v.name), workloadName: workloadName(m.name, v.name), image: v.image ?? runtime?.image ?? "" };
  });
  const batch = planBatch(m, model, prov, versions, pool, cluster.name, diags);
  const { uses, at: usesAt } = effectiveUses(m, cluster.name);
  const used = resolveUses(m, uses, usesAt, cluster.name, world, stores, diags);
  const plan = {
    name: m.name,
    file: m.file,
    tenant,
    cluster: cluster.name,
    model,
    prov,
    pool,
    versions,
    port: runtime?.port ?? DEFAULT_PORT,
    batch,
    uses: used,
  };
  checkRollout(plan, world.platform.spec, diags);
  checkSlo(plan, diags);
  return plan;
}

/** `pool`, else the cluster's first `gpu: true` pool when the model wants GPUs, else `general`. */
function choosePool(
  m: ModelSpecDoc,
  model: EffectiveModel,
  prov: Provenance,
  cluster: Spec<ClusterSpec>,
  pools: readonly PoolPlan[],
  diags: Diagnostics,
): PoolPlan | undefined {
  const names = pools.map((p) => p.spec.name).join(", ");
  const gpu = model.resources.gpu;
  if (model.pool !== undefined) {
    const pool = pools.find((p) => p.spec.name === model.pool);
    // A pool that cannot hold the model's GPUs places it nowhere: what its nodes fit, or how full
    // the pool gets, would be measured against the wrong pool and only repeat the error.
    if (pool) return checkChosenPool(pool, pools, gpu, prov, cluster, diags) ? pool : undefined;
    const near = closest(
      model.pool,
      pools.map((p) => p.spec.name),
    );
    const elsewhere = prov.of("pool").path.includes("overrides") ? "" : ` (or overrides.${cluster.name}.pool for this cluster only)`;
    diags.report(
      "BERTH0303",
      prov.of("pool"),
      `cluster ${cluster.name} has no pool named ${model.pool} (pools: ${names})`,
      `${near ? `did you mean \`${near}\`? ` : ""}choose one of ${names}${elsewhere}, or add the pool to ${cluster.file}`,
    );
    return undefined;
  }
  if (gpu > 0) {
    // A pool marked gpu: true first; else one whose instance type has GPUs (warned as BERTH0605).
    const pool = pools.find((p) => p.spec.gpu === true) ?? pools.find((p) => p.hasGpus);
    if (pool) return pool;
    diags.report(
      "BERTH0606",
      prov.of("resources", "gpu"),
      `the model asks for ${plural(gpu, "GPU")} but cluster ${cluster.name} has no GPU pool (pools: ${names})`,
      `add a pool with gpu: true to ${cluster.file}, or set resources.gpu: 0`,
    );
    return undefined;
  }
  const general = pools.find((p) => p.spec.name === "general");
  if (general) return general;
  diags.report(
    "BERTH0303",
    refAt(m.file, "spec"),
    `the model sets no pool and cluster ${cluster.name} has no pool named general, the default (pools: ${names})`,
    `set spec.pool to one of ${names} (or overrides.${cluster.name}.pool for this cluster only)`,
  );
  return undefined;
}

/**
 * A pool the model named must suit its GPUs: GPUs asked of a pool without any is an error at the
 * field to change (the pool when another pool has GPUs, else resources.gpu); a GPU pool chosen by
 * a model without GPUs is a warning. A pool already reported as broken stays quiet. False when
 * the model cannot run on the pool at all.
 */
function checkChosenPool(pool: PoolPlan, pools: readonly PoolPlan[], gpu: number, prov: Provenance, cluster: Spec<ClusterSpec>, diags: Diagnostics): boolean {
  if (pool.broken) return true;
  const list = (want: boolean) => pools.filter((p) => p.hasGpus === want && !p.broken).map((p) => p.spec.name);
  if (gpu > 0 && !pool.hasGpus) {
    const withGpus = list(true);
    const message = `the model asks for ${plural(gpu, "GPU")} but pool ${pool.spec.name} on cluster ${cluster.name} has none (${pool.spec.instanceType})`;
    if (withGpus.length > 0) diags.report("BERTH0606", prov.of("pool"), message, `choose a pool with GPUs (${withGpus.join(", ")}), or set resources.gpu: 0`);
    else diags.report("BERTH0606", prov.of("resources", "gpu"), message, `add a pool with gpu: true to ${cluster.file}, or set resources.gpu: 0`);
    return false;
  } else if (gpu === 0 && pool.hasGpus) {
    const without = list(false);
    diags.report(
      "BERTH0607",
      prov.of("pool"),
      `pool ${pool.spec.name} on cluster ${cluster.name} has GPUs (${pool.spec.instanceType}) but the model asks for none: its pods would hold GPU nodes without using them`,
      `${without.length > 0 ? `choose a pool without GPUs (${without.join(", ")})` : "choose a pool without GPUs"}, or set resources.gpu`,
    );
  }
  return true;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? "" : "s"}`;
}

function byName(a: { name: string }, b: { name: string }): number {
  return cmp(a.name, b.name);
}
