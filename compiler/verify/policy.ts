// The policy verifier: over the rendered objects, the restricted Pod Security Standard on every
// pod (pod-security.ts) and tenant isolation: what lives in a tenant's folders stays in its
// namespace, RoleBindings grant only view/edit/admin to the tenant's own groups, NetworkPolicies
// open only towards the platform's namespaces and the internet, and every tenant namespace carries
// its guardrails. A violation points at the spec that produced the object (Rendered.origin).
import type { Code } from "../codes/index.js";
import type { Diagnostics } from "../diagnostics.js";
import { LINK_LOCAL, NAMESPACE_NAME_LABEL, platformPeers, POD_IDENTITY_AGENT, PRIVATE_RANGES } from "../emit/network-policy.js";
import { storePeerNamespaces } from "../emit/store-network.js";
import type { Rendered } from "../emit/types.js";
import type { Plan, TenantPlan } from "../plan/types.js";
import { TENANT_ROLES } from "../schema/tenant.js";
import { containsCidr, parseCidr } from "./cidr.js";
import { psaMinor } from "./admission/pod-security.js";
import { verifyPodSecurity } from "./pod-security.js";
import { verifyTenantGuardrails } from "./guardrails.js";

const ENFORCE_VERSION_LABEL = "pod-security.kubernetes.io/enforce-version";

type Obj = Record<string, unknown>;
const obj = (v: unknown): Obj => (v && typeof v === "object" && !Array.isArray(v) ? (v as Obj) : {});
const list = (v: unknown): Obj[] => (Array.isArray(v) ? v.map(obj) : []);

/** Kinds that have no namespace. A tenant gets none of them but its own Namespace. */
export const CLUSTER_SCOPED = new Set([
  "APIService",
  "CertificateSigningRequest",
  "ClusterIssuer",
  "ClusterRole",
  "ClusterRoleBinding",
  "CSIDriver",
  "CSINode",
  "CustomResourceDefinition",
  "FlowSchema",
  "IngressClass",
  "MutatingWebhookConfiguration",
  "Namespace",
  "Node",
  "PersistentVolume",
  "PodSecurityPolicy",
  "PriorityClass",
  "PriorityLevelConfiguration",
  "RuntimeClass",
  "StorageClass",
  "ValidatingAdmissionPolicy",
  "ValidatingAdmissionPolicyBinding",
  "ValidatingWebhookConfiguration",
  "VolumeAttachment",
]);

/** Identities that stand for more than the tenant's own groups. */
const WIDE_GROUPS = /^system:(authenticated|unauthenticated|anonymous|masters|serviceaccounts(:.*)?|nodes)$/;

export function verifyPolicy(plan: Plan, objects: readonly Rendered[], diags: Diagnostics): void {
  const tenants = new Map<string, TenantPlan>();
  for (const c of plan.clusters) for (const t of c.tenants) tenants.set(`${c.name}/${t.name}`, t);
  const versions = enforceVersions(plan, objects);
  for (const r of objects) {
    verifyPodSecurity(r, diags, versions.get(`${r.owner.cluster}/${r.object.metadata.namespace ?? ""}`));
    const scope = tenantScope(r, tenants);
    if (scope) verifyTenantObject(r, scope.tenant, scope.folder, plan, diags);
  }
  verifyTenantGuardrails(plan, objects, diags);
}

/**
 * The Pod Security version each namespace enforces, from its rendered `enforce-version` label;
 * a namespace berth does not render is held to its cluster's Kubernetes version.
 */
function enforceVersions(plan: Plan, objects: readonly Rendered[]): Map<string, number> {
  const out = new Map<string, number>();
  for (const c of plan.clusters) for (const t of c.tenants) out.set(`${c.name}/${t.namespace}`, psaMinor(`v${c.spec.kubernetesVersion}`));
  for (const r of objects)
    if (r.object.kind === "Namespace" && r.object.apiVersion === "v1")
      out.set(`${r.owner.cluster}/${r.object.metadata.name}`, psaMinor(r.object.metadata.labels?.[ENFORCE_VERSION_LABEL]));
  return out;
}

type Folder = "workloads" | "guardrails" | "elsewhere";

/**
 * The tenant an object belongs to: the one whose folder holds it (its workloads, or its guardrails
 * in the platform's folder), else its owner. Objects elsewhere that a tenant owns (Argo CD's
 * project and application for it live in the argocd namespace) are held to one rule only: not
 * cluster-scoped.
 */
function tenantScope(r: Rendered, tenants: ReadonlyMap<string, TenantPlan>): { tenant: TenantPlan; folder: Folder } | undefined {
  const m = /^clusters\/([^/]+)\/(platform\/)?tenants\/([^/]+)\//.exec(r.path);
  if (m) {
    const tenant = tenants.get(`${m[1]}/${m[3]}`);
    return tenant && { tenant, folder: m[2] ? "guardrails" : "workloads" };
  }
  const tenant = r.owner.tenant ? tenants.get(`${r.owner.cluster}/${r.owner.tenant}`) : undefined;
  return tenant && { tenant, folder: "elsewhere" };
}

function verifyTenantObject(r: Rendered, t: TenantPlan, folder: Folder, plan: Plan, diags: Diagnostics): void {
  const say = (code: Code, what: string, hint: string) => diags.report(code, r.origin, `${r.object.kind} ${r.object.metadata.name} (${r.path}): ${what}`, hint);
  const { kind, metadata } = r.object;
  if (CLUSTER_SCOPED.has(kind)) {
    // The tenant's own Namespace is the one exception, rendered into the platform's folder (synced by the platform's project).
    const ownNamespace = kind === "Namespace" && metadata.name === t.namespace && folder === "guardrails";
    if (!ownNamespace)
      say(
        "BERTH0530",
        `a cluster-scoped ${kind} is produced for tenant ${t.name}; a tenant's objects live in namespace ${t.namespace}`,
        "render it with the platform's objects, or make it a namespaced kind",
      );
    return;
  }
  if (folder === "elsewhere") return;
  if (metadata.namespace !== t.namespace) {
    const code: Code = kind === "RoleBinding" ? "BERTH0532" : kind === "NetworkPolicy" ? "BERTH0534" : "BERTH0531";
    const found = metadata.namespace === undefined ? "it has no namespace" : `its namespace is ${metadata.namespace}`;
    say(code, `${found}, not the tenant's namespace ${t.namespace}`, `set metadata.namespace: ${t.namespace}`);
    return;
  }
  if (kind === "RoleBinding") verifyRoleBinding(r.object as unknown as Obj, t, say);
  if (kind === "NetworkPolicy") verifyNetworkPolicy(r.object as unknown as Obj, t, plan, r.owner.cluster, say);
}

type Say = (code: Code, what: string, hint: string) => void;

function verifyRoleBinding(rb: Obj, t: TenantPlan, say: Say): void {
  const ref = obj(rb.roleRef);
  if (ref.kind !== "ClusterRole" || ref.apiGroup !== "rbac.authorization.k8s.io" || !(TENANT_ROLES as readonly string[]).includes(String(ref.name)))
    say(
      "BERTH0533",
      `roleRef ${String(ref.kind)} ${String(ref.name)}; tenant groups get the built-in view, edit or admin ClusterRole only`,
      "bind ClusterRole view, edit or admin",
    );
  for (const s of list(rb.subjects)) {
    const name = String(s.name);
    if (s.kind === "ServiceAccount" && s.namespace !== t.namespace)
      say(
        "BERTH0532",
        `subject ServiceAccount ${String(s.namespace)}/${name} belongs to another namespace`,
        `grant only identities of namespace ${t.namespace} or the tenant's groups`,
      );
    else if ((s.kind === "Group" || s.kind === "User") && WIDE_GROUPS.test(name))
      say("BERTH0532", `subject ${String(s.kind)} ${name} stands for identities far beyond the tenant`, "bind the tenant's own identity-provider groups");
    else if (s.kind === "User" && name.startsWith("system:serviceaccount:") && !name.startsWith(`system:serviceaccount:${t.namespace}:`))
      say("BERTH0532", `subject User ${name} is a service account of another namespace`, `grant only identities of namespace ${t.namespace}`);
  }
}

function verifyNetworkPolicy(np: Obj, t: TenantPlan, plan: Plan, cluster: string, say: Say): void {
  const peers = platformPeers(plan.world.platform);
  const allowed = new Set([t.namespace, peers.dns, peers.istio, peers.gateway, peers.monitoring]);
  // A store admits the namespaces of the models that use it, and they reach its namespace.
  const here = plan.clusters.find((c) => c.name === cluster);
  for (const ns of here ? storePeerNamespaces(here, t.namespace) : []) allowed.add(ns);
  const spec = obj(np.spec);
  const rules: { dir: "ingress from" | "egress to"; peers: unknown }[] = [
    ...list(spec.ingress).map((rule) => ({ dir: "ingress from" as const, peers: rule.from })),
    ...list(spec.egress).map((rule) => ({ dir: "egress to" as const, peers: rule.to })),
  ];
  for (const rule of rules) {
    if (!Array.isArray(rule.peers) || rule.peers.length === 0) {
      say(
        "BERTH0534",
        `a rule allows ${rule.dir} anywhere (no peers listed)`,
        "list the peers: pods of this namespace, a platform namespace, or an ipBlock outside the private ranges",
      );
      continue;
    }
    for (const peer of list(rule.peers)) {
      if (peer.ipBlock !== undefined) checkIpBlock(obj(peer.ipBlock), rule.dir, say);
      else if (peer.namespaceSelector !== undefined) {
        const ns = namespaceOf(obj(peer.namespaceSelector));
        if (ns === undefined)
          say(
            "BERTH0534",
            `${rule.dir} namespaces chosen by a selector berth cannot pin to one namespace`,
            `select one namespace with matchLabels {${NAMESPACE_NAME_LABEL}: <name>}`,
          );
        else if (!allowed.has(ns))
          say(
            "BERTH0534",
            `${rule.dir} namespace ${ns}, which is neither the tenant's nor a platform namespace (${[...allowed]
              .filter((n) => n !== t.namespace)
              .sort()
              .join(", ")})`,
            "tenants reach each other only through the mesh gateway, or a store that admits them",
          );
      } else if (peer.podSelector === undefined)
        say("BERTH0534", `a peer of ${rule.dir} selects nothing in particular`, "set podSelector, namespaceSelector or ipBlock");
    }
  }
}

/** `{matchLabels: {kubernetes.io/metadata.name: X}}` and nothing else names exactly one namespace. */
function namespaceOf(sel: Obj): string | undefined {
  const labels = obj(sel.matchLabels);
  if (list(sel.matchExpressions).length > 0 || Object.keys(labels).length !== 1) return undefined;
  const name = labels[NAMESPACE_NAME_LABEL];
  return typeof name === "string" ? name : undefined;
}

/** An ipBlock may cover the internet, never the VPC or cluster ranges unless it excepts them. */
function checkIpBlock(block: Obj, dir: string, say: Say): void {
  const cidr = parseCidr(String(block.cidr));
  if (!cidr) {
    say("BERTH0534", `${dir} ipBlock ${String(block.cidr)}: berth proves IPv4 blocks only`, "use an IPv4 CIDR");
    return;
  }
  const except = Array.isArray(block.except) ? block.except.map((e) => parseCidr(String(e))) : [];
  for (const range of PRIVATE_RANGES) {
    // The Pod Identity agent is the one link-local address allowed; verify/identity.ts proves its port.
    if (range === LINK_LOCAL && String(block.cidr) === POD_IDENTITY_AGENT.cidr) continue;
    const priv = parseCidr(range)!;
    const inner = containsCidr(cidr, priv) ? priv : containsCidr(priv, cidr) ? cidr : undefined;
    if (!inner) continue;
    if (!except.some((e) => e !== undefined && containsCidr(e, inner)))
      say(
        "BERTH0534",
        `${dir} ipBlock ${String(block.cidr)} reaches the private range ${range} (other tenants' pods, nodes, the VPC)`,
        `add ${range} to the ipBlock's except list`,
      );
  }
}
