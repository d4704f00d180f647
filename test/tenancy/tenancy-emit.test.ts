// The tenant guardrails berth renders: what each object says, where it goes, and the choices
// documented in docs/tenancy.md.
import { priorityValue } from "../../compiler/emit/tenancy.js";
import { roleBindingName } from "../../compiler/plan/names.js";
import { PLATFORM_PRIORITY } from "../../compiler/emit/platform-tiers.js";
import type { Rendered } from "../../compiler/emit/types.js";
import { CLUSTER, MODEL, PLATFORM, TENANT, compileFiles, edit } from "../helpers/fixture.js";

type Mutable = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const GUARDS = "clusters/prod/platform/tenants/team-a";
const at = (objects: readonly Rendered[], path: string): Mutable => {
  const r = objects.find((o) => o.path === path);
  if (!r) throw new Error(`nothing rendered at ${path}; rendered:\n${objects.map((o) => o.path).join("\n")}`);
  return r.object as Mutable;
};

function compileOk(changes = {}) {
  const result = compileFiles(changes);
  const errors = result.diagnostics.filter((d) => d.severity === "error");
  expect(errors).toEqual([]);
  return result;
}

describe("per tenant and cluster", () => {
  const { objects } = compileOk();

  test("the guardrails land in the tenant's platform folder, one object per file", () => {
    expect(objects.filter((r) => r.path.startsWith(`${GUARDS}/`)).map((r) => r.path.slice(GUARDS.length + 1))).toEqual([
      "limitrange-container-defaults.yaml",
      "namespace-team-a.yaml",
      "networkpolicy-allow-dns.yaml",
      "networkpolicy-allow-external-https.yaml",
      "networkpolicy-allow-ingress-gateway.yaml",
      "networkpolicy-allow-istiod.yaml",
      "networkpolicy-allow-monitoring.yaml",
      "networkpolicy-allow-pod-identity-agent.yaml",
      "networkpolicy-default-deny.yaml",
      "peerauthentication-default.yaml",
      "podmonitor-berth-workloads.yaml",
      "requestauthentication-berth-jwt.yaml",
      "resourcequota-tenant-quota.yaml",
      "rolebinding-edit-team-a.yaml",
      "sidecar-default.yaml",
    ]);
    for (const r of objects.filter((o) => o.path.startsWith(`${GUARDS}/`))) expect(r.owner).toEqual({ cluster: "prod", tenant: "team-a" });
  });

  test("Namespace: restricted pod security pinned to the cluster's version, sidecar injection, confirm before prune", () => {
    const ns = at(objects, `${GUARDS}/namespace-team-a.yaml`);
    expect(ns.metadata.labels).toEqual({
      "app.kubernetes.io/managed-by": "berth",
      "berth.dev/tenant": "team-a",
      "istio-injection": "enabled",
      "pod-security.kubernetes.io/audit": "restricted",
      "pod-security.kubernetes.io/audit-version": "latest",
      "pod-security.kubernetes.io/enforce": "restricted",
      "pod-security.kubernetes.io/enforce-version": "v1.35",
      "pod-security.kubernetes.io/warn": "restricted",
      "pod-security.kubernetes.io/warn-version": "latest",
    });
    expect(ns.metadata.annotations).toEqual({ "argocd.argoproj.io/sync-wave": "-3", "argocd.argoproj.io/sync-options": "Prune=confirm" });
  });

  test("ResourceQuota: requests, GPUs and pods from quota; no LoadBalancer or NodePort", () => {
    const q = at(objects, `${GUARDS}/resourcequota-tenant-quota.yaml`);
    expect(q.metadata.namespace).toBe("team-a");
    expect(q.spec.hard).toEqual({
      pods: "100",
      "requests.cpu": "40",
      "requests.memory": "160Gi",
      "requests.nvidia.com/gpu": "4",
      "services.loadbalancers": "0",
      "services.nodeports": "0",
    });
  });

  test("LimitRange: container defaults are the platform defaults", () => {
    expect(at(objects, `${GUARDS}/limitrange-container-defaults.yaml`).spec.limits).toEqual([
      { type: "Container", default: { cpu: "2", memory: "4Gi" }, defaultRequest: { cpu: "500m", memory: "1Gi" } },
    ]);
  });

  test("RoleBinding: the group to the built-in ClusterRole, in the namespace", () => {
    const rb = at(objects, `${GUARDS}/rolebinding-edit-team-a.yaml`);
    expect(rb.metadata.namespace).toBe("team-a");
    expect(rb.roleRef).toEqual({ apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: "edit" });
    expect(rb.subjects).toEqual([{ apiGroup: "rbac.authorization.k8s.io", kind: "Group", name: "team-a" }]);
  });

  test("NetworkPolicies: default deny, then DNS, istiod, the gateway's namespace, monitoring and HTTPS out", () => {
    expect(at(objects, `${GUARDS}/networkpolicy-default-deny.yaml`).spec).toEqual({ podSelector: {}, policyTypes: ["Ingress", "Egress"] });
    expect(at(objects, `${GUARDS}/networkpolicy-allow-dns.yaml`).spec.egress).toEqual([
      {
        to: [{ namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "kube-system" } }, podSelector: { matchLabels: { "k8s-app": "kube-dns" } } }],
        ports: [
          { protocol: "UDP", port: 53 },
          { protocol: "TCP", port: 53 },
        ],
      },
    ]);
    expect(at(objects, `${GUARDS}/networkpolicy-allow-istiod.yaml`).spec.egress[0].ports).toEqual([{ protocol: "TCP", port: 15012 }]);
    expect(at(objects, `${GUARDS}/networkpolicy-allow-ingress-gateway.yaml`).spec.ingress).toEqual([
      { from: [{ namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "istio-system" } } }], ports: [{ protocol: "TCP", port: 8080 }] },
    ]);
    const monitoring = at(objects, `${GUARDS}/networkpolicy-allow-monitoring.yaml`).spec.ingress[0];
    expect(monitoring.from).toEqual([{ namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "monitoring" } } }]);
    expect(monitoring.ports.map((p: Mutable) => p.port)).toEqual([8080, 15020, 15090]);
    const https = at(objects, `${GUARDS}/networkpolicy-allow-external-https.yaml`).spec.egress[0];
    expect(https.to[0].ipBlock.except).toContain("169.254.0.0/16");
    expect(at(objects, `${GUARDS}/networkpolicy-allow-pod-identity-agent.yaml`).spec).toEqual({
      podSelector: {},
      policyTypes: ["Egress"],
      egress: [{ to: [{ ipBlock: { cidr: "169.254.170.23/32" } }], ports: [{ protocol: "TCP", port: 80 }] }],
    });
  });

  test("strict mTLS and a Sidecar scoped to what the namespace's models call: the namespace itself", () => {
    expect(at(objects, `${GUARDS}/peerauthentication-default.yaml`)).toMatchObject({
      apiVersion: "security.istio.io/v1beta1",
      metadata: { name: "default", namespace: "team-a" },
      spec: { mtls: { mode: "STRICT" } },
    });
    expect(at(objects, `${GUARDS}/sidecar-default.yaml`).spec).toEqual({ egress: [{ hosts: ["./*"] }], outboundTrafficPolicy: { mode: "ALLOW_ANY" } });
    const elsewhere = compileOk({
      "platform/platform.yaml": edit(PLATFORM, "gateway: istio-system/models-gateway", "gateway: mesh-gw/models-gateway"),
    }).objects;
    expect(at(elsewhere, `${GUARDS}/sidecar-default.yaml`).spec.egress[0].hosts).toEqual(["./*"]);
  });

  test("PriorityClass: one per tier, cluster-scoped, below the system classes, never preempting", () => {
    const pc = at(objects, "clusters/prod/platform/cluster/priorityclass-berth-tier-5.yaml");
    expect(pc).toMatchObject({ value: 105000, globalDefault: false, preemptionPolicy: "Never" });
    expect(pc.metadata.namespace).toBeUndefined();
    expect(priorityValue(100)).toBeLessThan(1_000_000_000);
  });

  test("every pod names a PriorityClass rendered on its cluster", () => {
    const classes = new Set(objects.filter((r) => r.object.kind === "PriorityClass").map((r) => `${r.owner.cluster}/${r.object.metadata.name}`));
    const pods = objects.filter((r) => r.object.kind === "Deployment");
    expect(pods.length).toBeGreaterThan(0);
    for (const d of pods) expect(classes).toContain(`${d.owner.cluster}/${(d.object as Mutable).spec.template.spec.priorityClassName}`);
  });
});

describe("choices at the edges", () => {
  test("tenants sharing a tier share one PriorityClass; a tier nobody uses on a cluster is not rendered", () => {
    const staging = edit(CLUSTER, "name: prod", "name: staging");
    const { objects } = compileOk({
      "platform/clusters/staging.yaml": staging,
      "tenants/team-b.yaml": edit(edit(TENANT, "name: team-a", "name: team-b"), "namespace: team-a", "namespace: team-b"),
      "tenants/team-c.yaml": edit(
        edit(edit(TENANT, "name: team-a", "name: team-c"), "namespace: team-a", "namespace: team-c"),
        "clusters: [prod]\n  priority: 5",
        "clusters: [staging]\n  priority: 7",
      ),
    });
    const classes = objects.filter((r) => r.object.kind === "PriorityClass" && r.object.metadata.name.startsWith("berth-tier-"));
    expect(classes.map((r) => r.path)).toEqual([
      "clusters/prod/platform/cluster/priorityclass-berth-tier-5.yaml",
      "clusters/staging/platform/cluster/priorityclass-berth-tier-7.yaml",
    ]);
    expect(classes[0]!.sources).toEqual(["tenants/team-a.yaml", "tenants/team-b.yaml"]);
  });

  test("a tenant without priority gets tier 0, pointing at its name", () => {
    const { objects } = compileOk({ "tenants/team-a.yaml": edit(TENANT, "  priority: 5\n", "") });
    const pc = objects.find((r) => r.object.kind === "PriorityClass" && r.object.metadata.name.startsWith("berth-tier-"))!;
    expect(pc.object.metadata.name).toBe("berth-tier-0");
    expect((pc.object as Mutable).value).toBe(100000);
    expect(pc.origin).toEqual({ file: "tenants/team-a.yaml", path: ["metadata", "name"] });
  });

  test("the platform's PriorityClass sits above every tenant tier, below the user ceiling, on every cluster", () => {
    const { objects } = compileOk({ "tenants/team-a.yaml": edit(TENANT, "  priority: 5\n", "  priority: 100\n") });
    const platform = objects.find((r) => r.object.kind === "PriorityClass" && r.object.metadata.name === PLATFORM_PRIORITY.name)!.object as Mutable;
    expect(platform).toMatchObject({ kind: "PriorityClass", value: 1_000_000, globalDefault: false, preemptionPolicy: "PreemptLowerPriority" });
    expect(platform.value).toBeGreaterThan(priorityValue(100));
    expect(platform.value).toBeLessThan(1_000_000_000);
  });

  test("an unset quota.gpu is a zero GPU quota; numeric cpu is written as a quantity", () => {
    const { objects } = compileOk({
      "tenants/team-a.yaml": edit(TENANT, 'quota: {cpu: "40", memory: 160Gi, gpu: 4, pods: 100}', "quota: {cpu: 40.5, memory: 160Gi, pods: 100}"),
    });
    expect(at(objects, `${GUARDS}/resourcequota-tenant-quota.yaml`).spec.hard).toMatchObject({ "requests.cpu": "40500m", "requests.nvidia.com/gpu": "0" });
  });

  test("without platform defaults the LimitRange still gives every container a request, and no limit", () => {
    const platform = PLATFORM.slice(0, PLATFORM.indexOf("  defaults:"));
    const { objects } = compileOk({ "platform/platform.yaml": platform, "models/team-a/fraud.yaml": MODEL });
    expect(at(objects, `${GUARDS}/limitrange-container-defaults.yaml`).spec.limits).toEqual([
      { type: "Container", defaultRequest: { cpu: "100m", memory: "128Mi" } },
    ]);
  });

  test("a default request never exceeds the default limit", () => {
    const platform = edit(
      PLATFORM,
      '      requests: {cpu: 500m, memory: 1Gi}\n      limits: {cpu: "2", memory: 4Gi}\n',
      "      limits: {cpu: 50m, memory: 64Mi}\n",
    );
    const model = edit(
      MODEL,
      'resources: {requests: {cpu: 500m, memory: 1Gi}, limits: {cpu: "1", memory: 2Gi}}',
      "resources: {requests: {cpu: 40m, memory: 60Mi}}",
    );
    const { objects } = compileOk({ "platform/platform.yaml": platform, "models/team-a/fraud.yaml": model });
    expect(at(objects, `${GUARDS}/limitrange-container-defaults.yaml`).spec.limits[0]).toEqual({
      type: "Container",
      default: { cpu: "50m", memory: "64Mi" },
      defaultRequest: { cpu: "50m", memory: "64Mi" },
    });
  });

  test("a tenant with no models and no access still gets its namespace and guardrails, and no RoleBinding", () => {
    const { objects } = compileOk({ "tenants/team-a.yaml": TENANT.slice(0, TENANT.indexOf("  access:")), "models/team-a/fraud.yaml": null });
    const kinds = objects.filter((r) => r.path.startsWith(`${GUARDS}/`)).map((r) => r.object.kind);
    expect(new Set(kinds)).toEqual(
      new Set(["Namespace", "ResourceQuota", "LimitRange", "NetworkPolicy", "RequestAuthentication", "PeerAuthentication", "Sidecar", "PodMonitor"]),
    );
  });

  test("the gateway and monitoring namespaces follow the platform spec", () => {
    const platform = edit(PLATFORM, "gateway: istio-system/models-gateway", "gateway: mesh-gw/models") + "  monitoring:\n    namespace: observability\n";
    const { objects } = compileOk({ "platform/platform.yaml": platform });
    const from = (p: string) => at(objects, `${GUARDS}/${p}`).spec.ingress[0].from[0].namespaceSelector.matchLabels["kubernetes.io/metadata.name"];
    expect(from("networkpolicy-allow-ingress-gateway.yaml")).toBe("mesh-gw");
    expect(from("networkpolicy-allow-monitoring.yaml")).toBe("observability");
  });
});

describe("roleBindingName", () => {
  test.each([
    ["edit", "ml-engineers", "edit-ml-engineers"],
    ["view", "sre", "view-sre"],
    ["admin", "CN=Search Admins,OU=Groups", "admin-cn-search-admins-ou-groups-67ad9a02"],
  ])("%s %s -> %s", (role, group, name) => expect(roleBindingName(role, group)).toBe(name));

  test("a rewritten group never shares a name with the group it resembles", () => {
    expect(roleBindingName("edit", "ML-Engineers")).not.toBe(roleBindingName("edit", "ml-engineers"));
    expect(roleBindingName("edit", "ml engineers")).not.toBe(roleBindingName("edit", "ml_engineers"));
  });

  test("long names stay within 63 characters and distinct", () => {
    const a = roleBindingName("admin", "x".repeat(80) + "a");
    const b = roleBindingName("admin", "x".repeat(80) + "b");
    expect(a.length).toBeLessThanOrEqual(63);
    expect(a).toMatch(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/);
    expect(a).not.toBe(b);
  });
});
