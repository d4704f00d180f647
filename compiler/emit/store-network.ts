// The network guardrails of stores, beside each tenant's others in the platform's folder: in the
// store's namespace, ingress to its replicas from exactly the model pods that use it (and from
// each other); in each namespace of those models, egress from exactly them to the store's port.
// Everything else stays under the tenant's default-deny.
import type { INetworkPolicy } from "kubernetes-models/networking.k8s.io/v1/NetworkPolicy";
import type { INetworkPolicyPeer } from "kubernetes-models/networking.k8s.io/v1/NetworkPolicyPeer";
import { refAt } from "../diagnostics.js";
import type { ClusterPlan, Plan, StorePlan, TenantPlan } from "../plan/types.js";
import { LABEL_NAME, paths, tenantLabels, WAVE, waveAnnotation } from "./meta.js";
import { NAMESPACE_NAME_LABEL } from "./network-policy.js";
import { clientModels, storeSelector, type Client } from "./store.js";
import { fileName, type KubeObject, type Rendered } from "./types.js";

export const storePolicyNames = {
  store: (store: string) => `store-${store}`,
  uses: (store: string) => `uses-${store}`,
};

export function emitStoreNetwork(plan: Plan): Rendered[] {
  const out: Rendered[] = [];
  for (const cluster of plan.clusters) {
    const tenantOf = new Map(cluster.tenants.map((t) => [t.namespace, t]));
    for (const s of cluster.stores) {
      const clients = clientModels(cluster, s);
      const add = (t: TenantPlan, object: INetworkPolicy, sources: readonly string[], origin = refAt(s.file, "spec", "clients")) =>
        out.push({
          path: `${paths.tenantPlatform(cluster.name, t.name)}/${fileName("NetworkPolicy", object.metadata!.name!)}`,
          object: object as unknown as KubeObject,
          sources: [...new Set(sources)].sort(),
          origin,
          owner: { cluster: cluster.name, tenant: t.name },
        });
      add(s.tenant, storeIngress(s, clients), [s.file, ...clients.map((c) => c.file)]);
      for (const [namespace, mine] of byNamespace(clients)) {
        const t = tenantOf.get(namespace)!;
        add(t, usesEgress(s, t, mine), [s.file, ...mine.map((c) => c.file)], refAt(mine[0]!.file, "spec", "uses"));
      }
    }
  }
  return out;
}

function byNamespace(clients: readonly Client[]): Map<string, Client[]> {
  const out = new Map<string, Client[]>();
  for (const c of clients) out.set(c.namespace, [...(out.get(c.namespace) ?? []), c]);
  return out;
}

function modelsIn(clients: readonly Client[]) {
  return { matchExpressions: [{ key: LABEL_NAME, operator: "In", values: clients.map((c) => c.name) }] };
}

function policy(name: string, t: TenantPlan, spec: INetworkPolicy["spec"]): INetworkPolicy {
  return {
    apiVersion: "networking.k8s.io/v1",
    kind: "NetworkPolicy",
    metadata: { name, namespace: t.namespace, labels: tenantLabels(t), annotations: waveAnnotation(WAVE.guardrails) },
    spec,
  };
}

/** An empty `from` would admit every pod: the clients' rule renders only when there are clients. */
function storeIngress(s: StorePlan, clients: readonly Client[]): INetworkPolicy {
  const replicas: INetworkPolicyPeer = { podSelector: { matchLabels: storeSelector(s) } };
  const from: INetworkPolicyPeer[] = [...byNamespace(clients)].map(([ns, mine]) =>
    ns === s.tenant.namespace
      ? { podSelector: modelsIn(mine) }
      : { namespaceSelector: { matchLabels: { [NAMESPACE_NAME_LABEL]: ns } }, podSelector: modelsIn(mine) },
  );
  return policy(storePolicyNames.store(s.name), s.tenant, {
    podSelector: { matchLabels: storeSelector(s) },
    policyTypes: ["Ingress", "Egress"],
    ingress: [...(from.length > 0 ? [{ from, ports: [{ protocol: "TCP" as const, port: s.engine.port }] }] : []), { from: [replicas] }],
    egress: [{ to: [replicas] }],
  });
}

function usesEgress(s: StorePlan, t: TenantPlan, mine: readonly Client[]): INetworkPolicy {
  const to: INetworkPolicyPeer =
    t.namespace === s.tenant.namespace
      ? { podSelector: { matchLabels: storeSelector(s) } }
      : { namespaceSelector: { matchLabels: { [NAMESPACE_NAME_LABEL]: s.tenant.namespace } }, podSelector: { matchLabels: storeSelector(s) } };
  return policy(storePolicyNames.uses(s.name), t, {
    podSelector: modelsIn(mine),
    policyTypes: ["Egress"],
    egress: [{ to: [to], ports: [{ protocol: "TCP", port: s.engine.port }] }],
  });
}

/** Namespaces a tenant's guardrails may name because of stores on the cluster: its stores' clients, and the stores its models use. */
export function storePeerNamespaces(cluster: ClusterPlan, namespace: string): Set<string> {
  const out = new Set<string>();
  for (const s of cluster.stores) {
    const clients = clientModels(cluster, s);
    if (s.tenant.namespace === namespace) for (const c of clients) out.add(c.namespace);
    if (clients.some((c) => c.namespace === namespace)) out.add(s.tenant.namespace);
  }
  return out;
}

/** Stores in other namespaces that models of `namespace` use on the cluster, by name. */
export function storesReachedFrom(cluster: ClusterPlan, namespace: string): StorePlan[] {
  return cluster.stores.filter((s) => s.tenant.namespace !== namespace && cluster.models.some((m) => m.tenant.namespace === namespace && m.uses.includes(s)));
}

/** A store's headless Service as a Sidecar egress host: <namespace>/<fqdn>. */
export function storeHost(s: StorePlan): string {
  return `${s.tenant.namespace}/${s.name}.${s.tenant.namespace}.svc.cluster.local`;
}
