// Every tenant namespace on every cluster carries its guardrails: restricted Pod Security
// Admission and sidecar injection on the Namespace, a quota, container defaults, a default-deny
// NetworkPolicy, strict mTLS and a namespace-scoped Sidecar. Without any one of them, isolation
// silently degrades.
import type { Diagnostics } from "../diagnostics.js";
import { namespaceRef, PSA_LEVEL } from "../emit/tenancy.js";
import type { Rendered } from "../emit/types.js";
import type { Plan, TenantPlan } from "../plan/types.js";

type Obj = Record<string, unknown>;
const obj = (v: unknown): Obj => (v && typeof v === "object" && !Array.isArray(v) ? (v as Obj) : {});
const list = (v: unknown): Obj[] => (Array.isArray(v) ? v.map(obj) : []);

const REQUIRED_LABELS: Record<string, string | undefined> = {
  "istio-injection": "enabled",
  "pod-security.kubernetes.io/enforce": PSA_LEVEL,
  "pod-security.kubernetes.io/enforce-version": undefined, // any pinned version
};
const QUOTA_KEYS = ["pods", "requests.cpu", "requests.memory", "requests.nvidia.com/gpu"];

export function verifyTenantGuardrails(plan: Plan, objects: readonly Rendered[], diags: Diagnostics): void {
  // Objects by cluster and namespace (cluster-scoped ones under ""), so each tenant looks at its own only.
  const index = new Map<string, Rendered[]>();
  for (const r of objects) {
    // The platform's own namespaces are not a tenant's, even when a tenant (wrongly, BERTH0307) claims one's name.
    if (r.owner.tenant === undefined) continue;
    const key = `${r.owner.cluster}/${r.object.kind === "Namespace" ? r.object.metadata.name : ""}/${r.object.metadata.namespace ?? ""}`;
    const bucket = index.get(key);
    if (bucket) bucket.push(r);
    else index.set(key, [r]);
  }
  for (const cluster of plan.clusters)
    for (const t of cluster.tenants) {
      const ns = index.get(`${cluster.name}/${t.namespace}/`)?.find((r) => r.object.kind === "Namespace");
      checkNamespace(t, cluster.name, ns, index.get(`${cluster.name}//${t.namespace}`) ?? [], diags);
    }
}

/** A namespace with only its default-deny is isolated; a missing or narrowed deny leaves pods open. */
function isDefaultDeny(np: Obj): boolean {
  const spec = obj(np.spec);
  const sel = obj(spec.podSelector);
  const types = Array.isArray(spec.policyTypes) ? spec.policyTypes : [];
  return (
    Object.keys(obj(sel.matchLabels)).length === 0 &&
    list(sel.matchExpressions).length === 0 &&
    types.includes("Ingress") &&
    types.includes("Egress") &&
    list(spec.ingress).length === 0 &&
    list(spec.egress).length === 0
  );
}

function checkNamespace(t: TenantPlan, cluster: string, ns: Rendered | undefined, inNs: readonly Rendered[], diags: Diagnostics): void {
  const say = (what: string, hint: string, r?: Rendered) =>
    diags.report(
      "BERTH0535",
      r?.origin ?? namespaceRef(t),
      `namespace ${t.namespace} of tenant ${t.name} on cluster ${cluster}${r ? ` (${r.path})` : ""}: ${what}`,
      hint,
    );
  if (!ns) say("no Namespace object is rendered", "render the tenant's Namespace with its Pod Security and mesh labels");
  else {
    const labels = ns.object.metadata.labels ?? {};
    for (const [key, want] of Object.entries(REQUIRED_LABELS)) {
      const have = labels[key];
      if (have === undefined) say(`label ${key} is missing`, want ? `set ${key}: ${want}` : `set ${key} to the cluster's Kubernetes version`, ns);
      else if (want !== undefined && have !== want) say(`label ${key} is ${have}, not ${want}`, `set ${key}: ${want}`, ns);
    }
  }
  const quota = inNs.find((r) => r.object.kind === "ResourceQuota");
  const hard = obj(obj(quota?.object.spec).hard);
  const missingKeys = QUOTA_KEYS.filter((k) => hard[k] === undefined);
  if (!quota) say("no ResourceQuota", "render the tenant's quota");
  else if (missingKeys.length > 0)
    say(`the ResourceQuota does not bound ${missingKeys.join(", ")}`, "bound requests.cpu, requests.memory, requests.nvidia.com/gpu and pods", quota);
  const limitRange = inNs.find((r) => r.object.kind === "LimitRange");
  const containerItem = list(obj(limitRange?.object.spec).limits).find((l) => l.type === "Container");
  const defaults = obj(containerItem?.defaultRequest);
  if (!limitRange || defaults.cpu === undefined || defaults.memory === undefined)
    say(
      "no LimitRange gives containers a default cpu and memory request, so a container that states none is refused by the quota",
      "render the LimitRange from the platform defaults",
      limitRange,
    );
  if (!inNs.some((r) => r.object.kind === "NetworkPolicy" && isDefaultDeny(r.object as unknown as Obj)))
    say("no default-deny NetworkPolicy (empty podSelector, Ingress and Egress, no rules)", "render default-deny so that only the listed allows open traffic");
  const peer = inNs.filter((r) => r.object.kind === "PeerAuthentication" && obj(r.object.spec).selector === undefined);
  if (peer.length === 0)
    say("no namespace-wide PeerAuthentication, so its pods accept plaintext from outside the mesh", "render PeerAuthentication default with mtls.mode STRICT");
  for (const r of peer)
    if (isWeakened(obj(r.object.spec)))
      say("its PeerAuthentication does not hold every port to mtls.mode STRICT", "set mtls.mode: STRICT and no portLevelMtls", r);
  if (!inNs.some((r) => r.object.kind === "Sidecar" && obj(r.object.spec).workloadSelector === undefined))
    say(
      "no namespace-wide Sidecar, so its proxies are sent every service of the mesh",
      "render the Sidecar default scoped to the namespace and the mesh's own",
    );
}

function isWeakened(spec: Obj): boolean {
  return obj(spec.mtls).mode !== "STRICT" || Object.keys(obj(spec.portLevelMtls)).length > 0;
}
