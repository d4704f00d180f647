// Bad input for rollouts and scaling, each reported at the field to change: a timeout no drain can
// honour, a GPU signal nothing can measure, a zone spread the pool cannot hold, zones outside the
// region, and per-model scaling targets hidden in the platform defaults.
import { Diagnostics, refAt } from "../diagnostics.js";
import type { Spec } from "../link.js";
import type { ModelPlan, PoolPlan } from "./types.js";
import { howManyFit, podRequests } from "./pod-requests.js";
import { hasMetricsAdapter, MAX_GRACE_SECONDS, MAX_TIMEOUT_SECONDS, spread, timing } from "./rollout.js";
import type { ClusterSpec } from "../schema/cluster.js";
import type { PlatformSpec } from "../schema/platform.js";

/** Targets that describe one model's load: in the defaults they would apply to every model. */
const MODEL_ONLY_TARGETS = {
  targetMemoryUtilization: "would scale every model on memory; a loaded model's memory does not fall with more replicas, so the HPA would sit at maxReplicas",
  targetGPUUtilization: "would scale every model on GPU utilization, including models without GPUs, which never report it",
} as const;

export function checkPlatformDefaults(platform: Spec<PlatformSpec>, diags: Diagnostics): void {
  const a = platform.spec.defaults?.autoscaling;
  for (const [key, why] of Object.entries(MODEL_ONLY_TARGETS)) {
    if (a?.[key as keyof typeof MODEL_ONLY_TARGETS] === undefined) continue;
    diags.report(
      "BERTH1507",
      refAt(platform.file, "spec", "defaults", "autoscaling", key),
      `defaults.autoscaling.${key} ${why}`,
      `remove it from the defaults and set it on the models whose load it measures`,
    );
  }
}

export function checkPoolZones(cluster: Spec<ClusterSpec>, diags: Diagnostics): void {
  cluster.spec.pools.forEach((pool, i) => {
    (pool.zones ?? []).forEach((zone, j) => {
      if (zone.slice(0, -1) !== cluster.spec.region)
        diags.report(
          "BERTH1506",
          refAt(cluster.file, "spec", "pools", i, "zones", j),
          `pool ${pool.name} lists zone ${zone}, which is not in the cluster's region ${cluster.spec.region}`,
          `list zones of ${cluster.spec.region}, e.g. ${cluster.spec.region}a`,
        );
    });
  });
}

export function checkRollout(m: ModelPlan, platform: PlatformSpec, diags: Diagnostics): void {
  const t = timing(m);
  if (t.terminationGracePeriodSeconds > MAX_GRACE_SECONDS)
    diags.report(
      "BERTH1501",
      m.prov.of("timeout"),
      `timeout ${t.timeoutSeconds}s needs a termination grace period of ${t.terminationGracePeriodSeconds}s so an in-flight request can finish, but the cluster-autoscaler waits at most ${MAX_GRACE_SECONDS}s for a pod to end when it removes a node (--max-graceful-termination-sec)`,
      `lower timeout to at most ${MAX_TIMEOUT_SECONDS}s, or serve requests this long as batch jobs`,
    );

  if (m.model.autoscaling.targetGPUUtilization !== undefined) {
    const at = m.prov.of("autoscaling", "targetGPUUtilization");
    if (m.model.resources.gpu === 0)
      diags.report(
        "BERTH1504",
        at,
        `autoscaling.targetGPUUtilization is set but the model asks for no GPUs on cluster ${m.cluster}, so no GPU utilization is ever reported`,
        "remove targetGPUUtilization, or set resources.gpu",
      );
    else if (!hasMetricsAdapter(platform))
      diags.report(
        "BERTH1503",
        at,
        `autoscaling.targetGPUUtilization needs a custom-metrics adapter, but the platform installs none on cluster ${m.cluster}, so the HPA could never read the signal`,
        "set spec.metricsAdapter: prometheus-adapter in the platform spec, or remove targetGPUUtilization to scale on CPU",
      );
  }

  if (m.pool) checkSpread(m, m.pool, diags);
}

/**
 * Hard zone spread at maxSkew 1 puts ceil(N / Z) pods of each version in the fullest zone, and
 * every version keeps minReplicas N (one Deployment and HPA each), so a zone may need V × ceil(N / Z)
 * of the model's pods; an Auto Scaling group balances its nodes over its zones, so the emptiest
 * zone has floor(maxSize / Z) nodes at most.
 */
function checkSpread(m: ModelPlan, pool: PoolPlan, diags: Diagnostics): void {
  const s = spread(m);
  if (!s.hardZones || !pool.node || pool.broken) return;
  const n = m.model.autoscaling.minReplicas;
  const versions = Math.max(1, m.versions.length);
  const perVersion = Math.ceil(n / s.zones);
  const perZone = versions * perVersion;
  const nodesPerZone = Math.floor(pool.spec.maxSize / s.zones);
  const perNode = howManyFit(podRequests(m.model), pool.node);
  if (perNode === 0 || nodesPerZone * perNode >= perZone) return;
  const plural = (k: number, what: string) => `${k} ${what}${k === 1 ? "" : "s"}`;
  const pods =
    versions === 1
      ? `${plural(perVersion, "pod")} of ${m.name}`
      : `${plural(perVersion, "pod")} of each of ${m.name}'s ${versions} versions (${perZone} in all)`;
  const why =
    nodesPerZone === 0 ? `at maxSize ${pool.spec.maxSize} some zone has no node` : `${plural(nodesPerZone, "node")} per zone hold ${nodesPerZone * perNode}`;
  // The largest N whose V × ceil(N / Z) still fits the emptiest zone.
  const fitting = Math.floor((nodesPerZone * perNode) / versions) * s.zones;
  diags.report(
    "BERTH1505",
    m.prov.of("autoscaling", "minReplicas"),
    `at minReplicas ${n} the zone spread puts ${pods} in each of pool ${pool.spec.name}'s ${s.zones} zones, but ${why}`,
    `lower minReplicas to at most ${fitting || 1}, raise the pool's maxSize to at least ${Math.ceil(perZone / perNode) * s.zones}, or list fewer zones`,
  );
}
