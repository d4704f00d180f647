// Labels and annotations shared by every object berth renders.
import type { ModelPlan, TenantPlan } from "../plan/types.js";

export const MANAGED_BY = { "app.kubernetes.io/managed-by": "berth" } as const;
export const LABEL_NAME = "app.kubernetes.io/name";
export const LABEL_VERSION = "app.kubernetes.io/version";
export const LABEL_TENANT = "berth.dev/tenant";
export const SYNC_WAVE = "argocd.argoproj.io/sync-wave";
/**
 * On every pod berth runs (`serving` for a model version; stores and batch jobs name theirs): the
 * tenant's PodMonitor selects pods by it, so a new kind of workload is scraped once it carries it.
 */
export const LABEL_WORKLOAD = "berth.dev/workload";
/** The model a batch pod runs (batch pods leave out app.kubernetes.io/name, which the model's Service selects). */
export const LABEL_MODEL = "berth.dev/model";
/** On every monitor and rule berth renders, and on the charts' own: the platform's Prometheus selects exactly these. */
export const PROMETHEUS_SELECTOR = { "berth.dev/prometheus": "platform" } as const;

/** Argo CD sync waves: namespaces, then guardrails (quota, RBAC, policies), then workloads. */
export const WAVE = { namespace: "-3", guardrails: "-2", identity: "-1", workload: "0", traffic: "1" } as const;

export function tenantLabels(t: TenantPlan): Record<string, string> {
  return { ...MANAGED_BY, [LABEL_TENANT]: t.name };
}

export function modelLabels(m: ModelPlan): Record<string, string> {
  return { ...MANAGED_BY, [LABEL_NAME]: m.name, [LABEL_TENANT]: m.tenant.name };
}

export function versionLabels(m: ModelPlan, version: string): Record<string, string> {
  return { ...MANAGED_BY, [LABEL_NAME]: m.name, [LABEL_VERSION]: version, [LABEL_TENANT]: m.tenant.name };
}

/** The labels a version's pods are selected by (immutable once deployed). */
export function versionSelector(m: ModelPlan, version: string): Record<string, string> {
  return { [LABEL_NAME]: m.name, [LABEL_VERSION]: version };
}

export function waveAnnotation(wave: string): Record<string, string> {
  return { [SYNC_WAVE]: wave };
}

/** Output folders: one per cluster, platform objects apart from each tenant's workloads. */
export const paths = {
  cluster: (c: string) => `clusters/${c}`,
  platform: (c: string) => `clusters/${c}/platform`,
  /** The models' gateway-bound VirtualServices, in the gateway's namespace. */
  routes: (c: string) => `clusters/${c}/platform/routes`,
  tenantPlatform: (c: string, tenant: string) => `clusters/${c}/platform/tenants/${tenant}`,
  model: (c: string, tenant: string, model: string) => `clusters/${c}/tenants/${tenant}/${model}`,
  tenantWorkloads: (c: string, tenant: string) => `clusters/${c}/tenants/${tenant}`,
  apps: (c: string) => `clusters/${c}/apps`,
  bootstrap: (c: string) => `clusters/${c}/bootstrap`,
  eksctl: (c: string) => `clusters/${c}/eksctl`,
};

/** The one generated file outside clusters/. */
export const CODEOWNERS_PATH = ".github/CODEOWNERS";
