// Enforcement declared, then proven: every feature berth renders has the component that makes it
// more than an object in etcd (NetworkPolicy -> the VPC CNI with enforcement on; HPA ->
// metrics-server; volumes -> the EBS CSI driver; Pod Identity associations -> the agent; routes on
// JWT claims -> a RequestAuthentication at the gateway; monitors -> the Prometheus Operator; tenant
// guardrails -> the admission policy that keeps them Argo CD's), and the eksctl config is closed
// by default (private nodes, no pod IMDS, a private or CIDR-bound endpoint, control-plane logs).
import { refAt, type Diagnostics } from "../diagnostics.js";
import { ADMISSION_POLICY_MINOR, GUARDRAIL_POLICY_NAME, hasAdmissionPolicies } from "../emit/admission.js";
import { ADDON, VPC_CNI_CONFIGURATION } from "../emit/eks-addons.js";
import { CONTROL_PLANE_LOGS } from "../emit/eksctl.js";
import type { Rendered } from "../emit/types.js";
import type { ClusterPlan, Plan } from "../plan/types.js";
import { groupBy } from "./identity.js";

type Obj = Record<string, unknown>;
const obj = (v: unknown): Obj => (v && typeof v === "object" && !Array.isArray(v) ? (v as Obj) : {});
const list = (v: unknown): Obj[] => (Array.isArray(v) ? v.map(obj) : []);

const CLAIM_HEADER = "@request.auth.claims.";
const MONITOR_KINDS = new Set(["PodMonitor", "ServiceMonitor", "PrometheusRule"]);
const PROMETHEUS_OPERATOR_CHART = /kube-prometheus-stack|prometheus-operator/;

export function verifyEnforcement(plan: Plan, objects: readonly Rendered[], diags: Diagnostics): void {
  const byCluster = groupBy(objects, (r) => r.owner.cluster);
  for (const cluster of plan.clusters) {
    const mine = byCluster.get(cluster.name) ?? [];
    const config = mine.find((r) => r.object.kind === "ClusterConfig");
    if (!config) continue;
    proveComponents(cluster, mine, config, diags);
    proveClosed(cluster, config, diags);
  }
}

function proveComponents(cluster: ClusterPlan, mine: readonly Rendered[], config: Rendered, diags: Diagnostics): void {
  const at = refAt(cluster.file, "metadata", "name");
  const missing = (what: string, hint: string) => diags.report("BERTH1112", at, `cluster ${cluster.name} ${what}`, hint);
  const addons = new Map(list(config.object.addons).map((a) => [String(a.name), a] as const));
  const count = (pred: (r: Rendered) => boolean) => mine.reduce((n, r) => n + (pred(r) ? 1 : 0), 0);
  const addonHint = (name: string) => `this is a berth bug: compiler/emit/eks-addons.ts must render the ${name} add-on`;

  const policies = count((r) => r.object.kind === "NetworkPolicy");
  if (policies > 0 && !enforcesNetworkPolicy(addons.get(ADDON.vpcCni)))
    missing(
      `renders ${policies} NetworkPolicies but its ${ADDON.vpcCni} add-on does not set enableNetworkPolicy: "true": the policies would be accepted and ignored`,
      addonHint(ADDON.vpcCni),
    );
  const hpas = count((r) => r.object.kind === "HorizontalPodAutoscaler");
  if (hpas > 0 && !addons.has(ADDON.metricsServer))
    missing(
      `renders ${hpas} HorizontalPodAutoscalers but no ${ADDON.metricsServer} add-on: they would never get a metric and never scale`,
      addonHint(ADDON.metricsServer),
    );
  const volumes = count((r) => r.object.kind === "PersistentVolumeClaim" || list(obj(r.object.spec).volumeClaimTemplates).length > 0);
  if (volumes > 0 && !addons.has(ADDON.ebsCsi))
    missing(`renders ${volumes} objects that claim volumes but no ${ADDON.ebsCsi} add-on: the claims would stay Pending`, addonHint(ADDON.ebsCsi));
  const associations = list(obj(config.object.iam).podIdentityAssociations).length;
  if (associations > 0 && !addons.has(ADDON.podIdentityAgent))
    missing(
      `declares ${associations} Pod Identity associations but no ${ADDON.podIdentityAgent} add-on: no pod would get credentials`,
      addonHint(ADDON.podIdentityAgent),
    );
  for (const ns of claimGatewayNamespaces(mine))
    if (!mine.some((r) => r.object.kind === "RequestAuthentication" && r.object.metadata.namespace === ns && verifiesAudiences(obj(r.object.spec))))
      missing(
        `routes on JWT claims at the gateway in namespace ${ns}, but no RequestAuthentication there verifies the tokens (issuer, keys and audiences): the claims would never be set and the routes never match`,
        "this is a berth bug: compiler/emit/traffic-policy.ts renders the gateway's RequestAuthentication",
      );
  const monitors = count((r) => MONITOR_KINDS.has(r.object.kind));
  if (monitors > 0 && !mine.some((r) => r.object.kind === "Application" && installsPrometheusOperator(obj(r.object.spec))))
    missing(
      `renders ${monitors} Prometheus Operator objects but no Application installs the Prometheus Operator: they would be rejected as unknown kinds`,
      "render the monitoring stack in the platform layer",
    );
  proveGuardrailAdmission(cluster, mine, diags);
}

function enforcesNetworkPolicy(addon: Obj | undefined): boolean {
  if (!addon || typeof addon.configurationValues !== "string") return false;
  try {
    return obj(JSON.parse(addon.configurationValues)).enableNetworkPolicy === VPC_CNI_CONFIGURATION.enableNetworkPolicy;
  } catch {
    return false;
  }
}

/**
 * Namespaces of the gateways that VirtualServices route on a JWT claim at: their own gateways, or
 * for a delegate (which names none) the gateways of the root routes that delegate to it.
 */
function claimGatewayNamespaces(mine: readonly Rendered[]): Set<string> {
  const services = mine.filter((r) => r.object.kind === "VirtualService");
  const gatewaysOf = (r: Rendered): string[] => {
    const spec = obj(r.object.spec);
    return (Array.isArray(spec.gateways) ? spec.gateways.map(String) : [])
      .filter((g) => g !== "mesh")
      .map((g) => (g.includes("/") ? g.slice(0, g.indexOf("/")) : (r.object.metadata.namespace ?? "")));
  };
  const viaRoots = new Map<string, string[]>();
  for (const r of services)
    for (const route of list(obj(r.object.spec).http)) {
      const d = obj(route.delegate);
      if (d.name === undefined) continue;
      const key = `${String(d.namespace ?? r.object.metadata.namespace)}/${String(d.name)}`;
      viaRoots.set(key, [...(viaRoots.get(key) ?? []), ...gatewaysOf(r)]);
    }
  const out = new Set<string>();
  for (const r of services) {
    const onClaims = list(obj(r.object.spec).http).some((route) =>
      list(route.match).some((m) => Object.keys(obj(m.headers)).some((h) => h.startsWith(CLAIM_HEADER))),
    );
    if (!onClaims) continue;
    const own = gatewaysOf(r);
    for (const ns of own.length > 0 ? own : (viaRoots.get(`${r.object.metadata.namespace}/${r.object.metadata.name}`) ?? [])) out.add(ns);
  }
  return out;
}

function verifiesAudiences(spec: Obj): boolean {
  const rules = list(spec.jwtRules);
  return rules.length > 0 && rules.every((rule) => Array.isArray(rule.audiences) && rule.audiences.length > 0);
}

function installsPrometheusOperator(spec: Obj): boolean {
  return [obj(spec.source), ...list(spec.sources)].some((s) => PROMETHEUS_OPERATOR_CHART.test(String(s.chart ?? "")));
}

/** NetworkPolicies and RoleBindings in tenant namespaces stay Argo CD's only with the admission policy in place. */
function proveGuardrailAdmission(cluster: ClusterPlan, mine: readonly Rendered[], diags: Diagnostics): void {
  const namespaces = new Set(cluster.tenants.map((t) => t.namespace));
  const guarded = mine.some((r) => (r.object.kind === "NetworkPolicy" || r.object.kind === "RoleBinding") && namespaces.has(r.object.metadata.namespace ?? ""));
  if (!guarded) return;
  const has = (kind: string) => mine.some((r) => r.object.kind === kind && r.object.metadata.name === GUARDRAIL_POLICY_NAME);
  if (has("ValidatingAdmissionPolicy") && has("ValidatingAdmissionPolicyBinding")) return;
  const version = cluster.spec.kubernetesVersion;
  if (!hasAdmissionPolicies(version))
    diags.report(
      "BERTH1113",
      refAt(cluster.file, "spec", "kubernetesVersion"),
      `Kubernetes ${version} on cluster ${cluster.name} has no ValidatingAdmissionPolicy (v1 from 1.${ADMISSION_POLICY_MINOR}): a tenant admin can add NetworkPolicies, Roles and RoleBindings that Argo CD does not revert`,
      `upgrade the cluster to 1.${ADMISSION_POLICY_MINOR} or later`,
    );
  else
    diags.report(
      "BERTH1112",
      refAt(cluster.file, "metadata", "name"),
      `cluster ${cluster.name} renders tenant NetworkPolicies and RoleBindings but not the ValidatingAdmissionPolicy ${GUARDRAIL_POLICY_NAME} and its binding that keep them Argo CD's`,
      "this is a berth bug: compiler/emit/admission.ts renders them for every cluster from 1.30",
    );
}

/** The eksctl config opens nothing the spec did not ask for. */
function proveClosed(cluster: ClusterPlan, config: Rendered, diags: Diagnostics): void {
  const say = (what: string) =>
    diags.report(
      "BERTH1114",
      config.origin,
      `ClusterConfig ${cluster.name} (${config.path}): ${what}`,
      "this is a berth bug: compiler/emit/eksctl.ts renders a closed cluster unless the spec opens it",
    );
  const o = config.object as unknown as Obj;
  for (const ng of [...list(o.managedNodeGroups), ...list(o.nodeGroups)]) {
    const name = String(ng.name);
    if (ng.privateNetworking !== true) say(`node group ${name} does not set privateNetworking: its nodes would get public addresses in public subnets`);
    if (ng.disablePodIMDS !== true)
      say(`node group ${name} does not set disablePodIMDS: pods could take the node's IAM role from the instance metadata service`);
    if (ng.disableIMDSv1 !== true) say(`node group ${name} does not set disableIMDSv1: IMDSv1 answers without a session token`);
  }
  const vpc = obj(o.vpc);
  const endpoints = obj(vpc.clusterEndpoints);
  const cidrs = Array.isArray(vpc.publicAccessCIDRs) ? vpc.publicAccessCIDRs.map(String) : [];
  const wanted = cluster.spec.endpoint?.publicAccessCIDRs.map((c) => c.trim()) ?? [];
  if (endpoints.privateAccess !== true) say("the API endpoint has no private access: nodes would join through the internet");
  if (endpoints.publicAccess !== false && wanted.length === 0) say("the API endpoint is public, but the cluster spec lists no endpoint CIDRs");
  if (endpoints.publicAccess === true && (cidrs.length === 0 || cidrs.some((c) => c.endsWith("/0"))))
    say(`the public API endpoint is open to ${cidrs.length === 0 ? "0.0.0.0/0 (eksctl's default without CIDRs)" : cidrs.join(", ")}`);
  const stray = cidrs.filter((c) => !wanted.includes(c));
  if (stray.length > 0) say(`publicAccessCIDRs ${stray.join(", ")} are not in the cluster spec`);
  const logs = new Set(list([obj(obj(o.cloudWatch).clusterLogging)]).flatMap((l) => (Array.isArray(l.enableTypes) ? l.enableTypes.map(String) : [])));
  const absent = CONTROL_PLANE_LOGS.filter((t) => !logs.has(t));
  if (absent.length > 0) say(`control-plane logging leaves out ${absent.join(", ")}`);
}
