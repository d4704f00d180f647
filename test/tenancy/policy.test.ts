// The policy verifier, rule by rule: each test hand-breaks one rendered object of a valid
// repository, calls the verifier directly, and expects exactly that rule's code, pointing at the
// spec that produced the object.
import type { Code } from "../../compiler/codes/index.js";
import { Diagnostics, type Diagnostic } from "../../compiler/diagnostics.js";
import type { KubeObject, Rendered } from "../../compiler/emit/types.js";
import { verifyPolicy } from "../../compiler/verify/policy.js";
import { compileFiles } from "../helpers/fixture.js";

const base = compileFiles();
const plan = base.plan!;

type Mutable = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const DEPLOYMENT = "clusters/prod/tenants/team-a/fraud/deployment-fraud-v1-0-0.yaml";
const SERVICE = "clusters/prod/tenants/team-a/fraud/service-fraud.yaml";
const GUARDS = "clusters/prod/platform/tenants/team-a";
const NAMESPACE = `${GUARDS}/namespace-team-a.yaml`;
const ROLE_BINDING = `${GUARDS}/rolebinding-edit-team-a.yaml`;
const GATEWAY_POLICY = `${GUARDS}/networkpolicy-allow-ingress-gateway.yaml`;
const HTTPS_POLICY = `${GUARDS}/networkpolicy-allow-external-https.yaml`;

function run(objects: readonly Rendered[]): Diagnostic[] {
  const diags = new Diagnostics();
  verifyPolicy(plan, objects, diags);
  return diags.items;
}

/** The base objects with the one at `path` changed by `mutate` (on a deep copy). */
function breakObject(path: string, mutate: (o: Mutable) => void): Rendered[] {
  const objects = structuredClone(base.objects);
  const target = objects.find((r) => r.path === path);
  if (!target) throw new Error(`no object at ${path}`);
  mutate(target.object as Mutable);
  return objects;
}

const pod = (o: Mutable): Mutable => o.spec.template.spec;
const model = (o: Mutable): Mutable => pod(o).containers[0];

test("the rendered repository passes every policy rule", () => {
  expect(base.ok).toBe(true);
  expect(run(base.objects)).toEqual([]);
});

interface Rule {
  name: string;
  code: Code;
  path: string;
  mutate: (o: Mutable) => void;
  message: RegExp;
}

const rules: Rule[] = [
  // restricted Pod Security Standard
  { name: "hostNetwork", code: "BERTH0510", path: DEPLOYMENT, mutate: (o) => (pod(o).hostNetwork = true), message: /hostNetwork is true/ },
  { name: "hostPID", code: "BERTH0510", path: DEPLOYMENT, mutate: (o) => (pod(o).hostPID = true), message: /hostPID is true/ },
  { name: "hostIPC", code: "BERTH0510", path: DEPLOYMENT, mutate: (o) => (pod(o).hostIPC = true), message: /hostIPC is true/ },
  {
    name: "privileged",
    code: "BERTH0511",
    path: DEPLOYMENT,
    mutate: (o) => (model(o).securityContext.privileged = true),
    message: /container model is privileged/,
  },
  {
    name: "allowPrivilegeEscalation unset",
    code: "BERTH0512",
    path: DEPLOYMENT,
    mutate: (o) => delete model(o).securityContext.allowPrivilegeEscalation,
    message: /does not set allowPrivilegeEscalation: false/,
  },
  {
    name: "runAsNonRoot unset on pod and container",
    code: "BERTH0513",
    path: DEPLOYMENT,
    mutate: (o) => {
      delete pod(o).securityContext.runAsNonRoot;
      delete model(o).securityContext.runAsNonRoot;
    },
    message: /may run as root/,
  },
  {
    name: "runAsNonRoot undone by the container",
    code: "BERTH0513",
    path: DEPLOYMENT,
    mutate: (o) => (model(o).securityContext.runAsNonRoot = false),
    message: /may run as root/,
  },
  { name: "UID 0", code: "BERTH0513", path: DEPLOYMENT, mutate: (o) => (model(o).securityContext.runAsUser = 0), message: /runs as UID 0/ },
  {
    name: "seccomp Unconfined",
    code: "BERTH0514",
    path: DEPLOYMENT,
    mutate: (o) => (model(o).securityContext.seccompProfile = { type: "Unconfined" }),
    message: /seccomp profile for container model \(found Unconfined\)/,
  },
  {
    name: "no seccomp profile at all",
    code: "BERTH0514",
    path: DEPLOYMENT,
    mutate: (o) => {
      delete pod(o).securityContext.seccompProfile;
      delete model(o).securityContext.seccompProfile;
    },
    message: /no RuntimeDefault or Localhost seccomp profile/,
  },
  {
    name: "capabilities not dropped",
    code: "BERTH0515",
    path: DEPLOYMENT,
    mutate: (o) => (model(o).securityContext.capabilities = {}),
    message: /does not drop ALL capabilities/,
  },
  {
    name: "capability added",
    code: "BERTH0515",
    path: DEPLOYMENT,
    mutate: (o) => (model(o).securityContext.capabilities.add = ["NET_ADMIN"]),
    message: /adds capability NET_ADMIN/,
  },
  {
    name: "hostPath volume",
    code: "BERTH0516",
    path: DEPLOYMENT,
    mutate: (o) => pod(o).volumes.push({ name: "host", hostPath: { path: "/var/run" } }),
    message: /volume host is a hostPath volume/,
  },
  { name: "host port", code: "BERTH0517", path: DEPLOYMENT, mutate: (o) => (model(o).ports[0].hostPort = 8080), message: /binds host port 8080/ },
  {
    name: "unsafe sysctl",
    code: "BERTH0518",
    path: DEPLOYMENT,
    mutate: (o) => (pod(o).securityContext.sysctls = [{ name: "kernel.msgmax", value: "1" }]),
    message: /sysctl kernel\.msgmax is not in the safe set/,
  },
  {
    name: "SELinux type",
    code: "BERTH0518",
    path: DEPLOYMENT,
    mutate: (o) => (model(o).securityContext.seLinuxOptions = { type: "spc_t" }),
    message: /SELinux type spc_t/,
  },
  { name: "procMount", code: "BERTH0518", path: DEPLOYMENT, mutate: (o) => (model(o).securityContext.procMount = "Unmasked"), message: /procMount Unmasked/ },
  {
    name: "AppArmor unconfined",
    code: "BERTH0518",
    path: DEPLOYMENT,
    mutate: (o) => (o.spec.template.metadata.annotations["container.apparmor.security.beta.kubernetes.io/model"] = "unconfined"),
    message: /AppArmor profile unconfined/,
  },
  {
    name: "writable root filesystem",
    code: "BERTH0519",
    path: DEPLOYMENT,
    mutate: (o) => (model(o).securityContext.readOnlyRootFilesystem = false),
    message: /writable root filesystem/,
  },
  { name: "no emptyDir at /tmp", code: "BERTH0519", path: DEPLOYMENT, mutate: (o) => (model(o).volumeMounts = []), message: /no writable emptyDir at \/tmp/ },
  {
    name: "service account token mounted",
    code: "BERTH0520",
    path: DEPLOYMENT,
    mutate: (o) => (pod(o).automountServiceAccountToken = true),
    message: /mounts its service account token/,
  },
  // tenant isolation
  {
    name: "a cluster-scoped object among a tenant's workloads",
    code: "BERTH0530",
    path: SERVICE,
    mutate: (o) => {
      o.apiVersion = "rbac.authorization.k8s.io/v1";
      o.kind = "ClusterRoleBinding";
      delete o.metadata.namespace;
    },
    message: /a cluster-scoped ClusterRoleBinding is produced for tenant team-a/,
  },
  {
    name: "a Service in another namespace",
    code: "BERTH0531",
    path: SERVICE,
    mutate: (o) => (o.metadata.namespace = "team-b"),
    message: /its namespace is team-b, not the tenant's namespace team-a/,
  },
  { name: "a Service with no namespace", code: "BERTH0531", path: SERVICE, mutate: (o) => delete o.metadata.namespace, message: /it has no namespace/ },
  {
    name: "a RoleBinding in another namespace",
    code: "BERTH0532",
    path: ROLE_BINDING,
    mutate: (o) => (o.metadata.namespace = "kube-system"),
    message: /its namespace is kube-system/,
  },
  {
    name: "a RoleBinding to another namespace's service account",
    code: "BERTH0532",
    path: ROLE_BINDING,
    mutate: (o) => o.subjects.push({ kind: "ServiceAccount", name: "ci", namespace: "team-b" }),
    message: /subject ServiceAccount team-b\/ci belongs to another namespace/,
  },
  {
    name: "a RoleBinding to every authenticated user",
    code: "BERTH0532",
    path: ROLE_BINDING,
    mutate: (o) => (o.subjects[0].name = "system:authenticated"),
    message: /subject Group system:authenticated stands for identities far beyond the tenant/,
  },
  {
    name: "a RoleBinding to cluster-admin",
    code: "BERTH0533",
    path: ROLE_BINDING,
    mutate: (o) => (o.roleRef.name = "cluster-admin"),
    message: /roleRef ClusterRole cluster-admin/,
  },
  { name: "a RoleBinding to a namespaced Role", code: "BERTH0533", path: ROLE_BINDING, mutate: (o) => (o.roleRef.kind = "Role"), message: /roleRef Role edit/ },
  {
    name: "a NetworkPolicy in another namespace",
    code: "BERTH0534",
    path: GATEWAY_POLICY,
    mutate: (o) => (o.metadata.namespace = "team-b"),
    message: /its namespace is team-b/,
  },
  {
    name: "ingress from every namespace",
    code: "BERTH0534",
    path: GATEWAY_POLICY,
    mutate: (o) => (o.spec.ingress[0].from = [{ namespaceSelector: {} }]),
    message: /namespaces chosen by a selector berth cannot pin/,
  },
  {
    name: "ingress from another tenant",
    code: "BERTH0534",
    path: GATEWAY_POLICY,
    mutate: (o) => (o.spec.ingress[0].from[0].namespaceSelector.matchLabels["kubernetes.io/metadata.name"] = "team-b"),
    message: /ingress from namespace team-b, which is neither the tenant's nor a platform namespace/,
  },
  {
    name: "ingress from anywhere",
    code: "BERTH0534",
    path: GATEWAY_POLICY,
    mutate: (o) => delete o.spec.ingress[0].from,
    message: /allows ingress from anywhere/,
  },
  {
    name: "egress into the VPC",
    code: "BERTH0534",
    path: HTTPS_POLICY,
    mutate: (o) => (o.spec.egress[0].to[0].ipBlock.except = ["169.254.0.0/16"]),
    message: /ipBlock 0\.0\.0\.0\/0 reaches the private range 10\.0\.0\.0\/8/,
  },
  {
    name: "egress to a block inside a private range",
    code: "BERTH0534",
    path: HTTPS_POLICY,
    mutate: (o) => (o.spec.egress[0].to[0].ipBlock = { cidr: "10.1.2.0/24" }),
    message: /ipBlock 10\.1\.2\.0\/24 reaches the private range 10\.0\.0\.0\/8/,
  },
  {
    name: "the namespace enforces baseline",
    code: "BERTH0535",
    path: NAMESPACE,
    mutate: (o) => (o.metadata.labels["pod-security.kubernetes.io/enforce"] = "baseline"),
    message: /label pod-security\.kubernetes\.io\/enforce is baseline, not restricted/,
  },
  {
    name: "the namespace has no sidecar injection",
    code: "BERTH0535",
    path: NAMESPACE,
    mutate: (o) => delete o.metadata.labels["istio-injection"],
    message: /label istio-injection is missing/,
  },
  {
    name: "the default-deny is narrowed",
    code: "BERTH0535",
    path: `${GUARDS}/networkpolicy-default-deny.yaml`,
    mutate: (o) => (o.spec.policyTypes = ["Ingress"]),
    message: /no default-deny NetworkPolicy/,
  },
  {
    name: "the quota leaves GPUs unbounded",
    code: "BERTH0535",
    path: `${GUARDS}/resourcequota-tenant-quota.yaml`,
    mutate: (o) => delete o.spec.hard["requests.nvidia.com/gpu"],
    message: /does not bound requests\.nvidia\.com\/gpu/,
  },
  {
    name: "the LimitRange gives no default request",
    code: "BERTH0535",
    path: `${GUARDS}/limitrange-container-defaults.yaml`,
    mutate: (o) => delete o.spec.limits[0].defaultRequest,
    message: /no LimitRange gives containers a default cpu and memory request/,
  },
];

test.each(rules.map((r) => [`${r.code} ${r.name}`, r] as const))("%s", (_name, rule) => {
  const objects = breakObject(rule.path, rule.mutate);
  const found = run(objects);
  const origin = objects.find((r) => r.path === rule.path)!.origin;
  expect(found.map((d) => d.code)).toEqual(found.map(() => rule.code));
  const hit = found.find((d) => rule.message.test(d.message));
  if (!hit) throw new Error(`no ${rule.code} matching ${rule.message}; found:\n${found.map((d) => `${d.code}: ${d.message}`).join("\n") || "(nothing)"}`);
  expect(hit.at).toEqual(origin);
});

test("a missing guardrail points at the tenant's namespace field", () => {
  const objects = base.objects.filter((r) => !r.path.endsWith("/resourcequota-tenant-quota.yaml"));
  const found = run(objects);
  expect(found).toHaveLength(1);
  expect(found[0]).toMatchObject({ code: "BERTH0535", at: { file: "tenants/team-a.yaml", path: ["spec", "namespace"] } });
  expect(found[0]!.message).toMatch(/namespace team-a of tenant team-a on cluster prod: no ResourceQuota/);
});

test("a workload violation names the object and points at its model version", () => {
  const found = run(breakObject(DEPLOYMENT, (o) => (pod(o).hostNetwork = true)));
  expect(found[0]).toMatchObject({ code: "BERTH0510", at: { file: "models/team-a/fraud.yaml", path: ["spec", "versions", 0] } });
  expect(found[0]!.message).toBe(`Deployment fraud-v1-0-0 (${DEPLOYMENT}): hostNetwork is true; restricted pods share no host namespace`);
});

test("the tenant's own Namespace is the one cluster-scoped object allowed, and only in the platform's folder", () => {
  const moved = structuredClone(base.objects).map((r) => (r.path === NAMESPACE ? { ...r, path: "clusters/prod/tenants/team-a/namespace-team-a.yaml" } : r));
  expect(run(moved).map((d) => d.code)).toEqual(["BERTH0530"]);
});

test("a PriorityClass owned by a tenant is cluster-scoped for it", () => {
  const pc = base.objects.find((r) => r.object.kind === "PriorityClass")!;
  const stray: Rendered = {
    ...structuredClone(pc),
    path: "clusters/prod/tenants/team-a/fraud/priorityclass-mine.yaml",
    owner: { cluster: "prod", tenant: "team-a", model: "fraud" },
  };
  expect(run([...base.objects, stray]).map((d) => d.code)).toEqual(["BERTH0530"]);
});

test("a CronJob's pods are checked too", () => {
  const dep = base.objects.find((r) => r.path === DEPLOYMENT)!;
  const template = structuredClone((dep.object as Mutable).spec.template);
  template.spec.hostPID = true;
  const cron: KubeObject = {
    apiVersion: "batch/v1",
    kind: "CronJob",
    metadata: { name: "nightly", namespace: "team-a" },
    spec: { schedule: "0 0 * * *", jobTemplate: { spec: { template } } },
  };
  const found = run([...base.objects, { ...dep, path: "clusters/prod/tenants/team-a/fraud/cronjob-nightly.yaml", object: cron }]);
  expect(found.map((d) => d.code)).toEqual(["BERTH0510"]);
});

test("an object a tenant owns outside its folders (Argo CD's project for it) may live in another namespace, but is never cluster-scoped", () => {
  const svc = base.objects.find((r) => r.path === SERVICE)!;
  const project: Rendered = { ...structuredClone(svc), path: "clusters/prod/apps/appproject-team-a.yaml", owner: { cluster: "prod", tenant: "team-a" } };
  (project.object as Mutable).metadata.namespace = "argocd";
  expect(run([...base.objects, project])).toEqual([]);
  const clusterRole = structuredClone(project);
  Object.assign(clusterRole.object, { apiVersion: "rbac.authorization.k8s.io/v1", kind: "ClusterRole" });
  delete (clusterRole.object as Mutable).metadata.namespace;
  expect(run([...base.objects, clusterRole]).map((d) => d.code)).toEqual(["BERTH0530"]);
});
