// Pod Security Admission's versioned check list (compiler/verify/admission/pod-security.ts),
// on cases from kubernetes/pod-security-admission's policy/check_*_test.go tables and the
// versions each check changed in; and the policy verifier reading the namespace's enforce-version.
import { Diagnostics } from "../../compiler/diagnostics.js";
import { evaluatePodSecurity, psaMinor } from "../../compiler/verify/admission/pod-security.js";
import { verifyPolicy } from "../../compiler/verify/policy.js";
import { breakObject, type Mutable } from "../helpers/admission.js";
import { compileFiles } from "../helpers/fixture.js";

/** A pod that passes restricted at every version: what berth renders, reduced. */
function pod(): Mutable {
  return {
    securityContext: { runAsNonRoot: true, seccompProfile: { type: "RuntimeDefault" } },
    containers: [{ name: "model", securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ["ALL"] } } }],
  };
}
const checks = (spec: Mutable, minor: number, metadata: Mutable = {}) => evaluatePodSecurity("restricted", minor, spec, metadata).map((f) => f.check);
const withSysctl = (name: string) => ({ ...pod(), securityContext: { ...pod().securityContext, sysctls: [{ name, value: "1" }] } });

test("the reduced berth pod passes restricted at every version", () => {
  for (const minor of [0, 8, 19, 22, 23, 25, 27, 29, 31, 32, 34, 35, 37, Infinity]) expect(checks(pod(), minor)).toEqual([]);
});

test("check_sysctls_test.go: sysctls join the safe set in 1.27, 1.29, 1.32 and 1.37", () => {
  expect(checks(withSysctl("a"), 35)).toEqual(["sysctls"]);
  expect(checks(withSysctl("net.ipv4.ip_local_reserved_ports"), 26)).toEqual(["sysctls"]);
  expect(checks(withSysctl("net.ipv4.ip_local_reserved_ports"), 27)).toEqual([]);
  expect(checks(withSysctl("net.ipv4.tcp_keepalive_time"), 28)).toEqual(["sysctls"]);
  expect(checks(withSysctl("net.ipv4.tcp_keepalive_time"), 29)).toEqual([]);
  expect(checks(withSysctl("net.ipv4.tcp_rmem"), 31)).toEqual(["sysctls"]);
  expect(checks(withSysctl("net.ipv4.tcp_rmem"), 32)).toEqual([]);
  expect(checks(withSysctl("net.ipv4.tcp_notsent_lowat"), 36)).toEqual(["sysctls"]);
  expect(checks(withSysctl("net.ipv4.tcp_notsent_lowat"), 37)).toEqual([]);
});

test("check_seLinuxOptions_test.go: container_engine_t is allowed from 1.31; user and role never", () => {
  const se = (o: Mutable) => ({ ...pod(), securityContext: { ...pod().securityContext, seLinuxOptions: o } });
  expect(checks(se({ type: "container_engine_t" }), 30)).toEqual(["seLinuxOptions"]);
  expect(checks(se({ type: "container_engine_t" }), 31)).toEqual([]);
  expect(checks(se({ type: "spc_t" }), 35)).toEqual(["seLinuxOptions"]);
  expect(checks(se({ user: "root" }), 35)).toEqual(["seLinuxOptions"]);
});

test("check_runAsUser_test.go: runAsUser 0 is refused from 1.23; a user-namespace pod is exempt from 1.35", () => {
  const root = { ...pod(), securityContext: { ...pod().securityContext, runAsUser: 0 } };
  expect(checks(root, 22)).toEqual([]);
  expect(checks(root, 23)).toEqual(["runAsUser"]);
  expect(checks({ ...root, hostUsers: false }, 34)).toEqual(["runAsUser"]);
  expect(checks({ ...root, hostUsers: false }, 35)).toEqual([]);
});

test("check_hostProbesAndhostLifecycle_test.go: a probe host is refused from 1.34", () => {
  const probing = pod();
  probing.containers[0].livenessProbe = { httpGet: { host: "10.0.0.1", port: 8080, path: "/health" } };
  expect(checks(probing, 33)).toEqual([]);
  expect(checks(probing, 34)).toEqual(["hostProbesAndHostLifecycle"]);
});

test("check_procMount_restricted: restricted holds procMount to Default from 1.35 even in a user namespace", () => {
  const unmasked = pod();
  unmasked.hostUsers = false;
  unmasked.containers[0].securityContext.procMount = "Unmasked";
  expect(evaluatePodSecurity("baseline", 35, unmasked, {}).map((f) => f.check)).toEqual([]);
  expect(checks(unmasked, 34)).toEqual(["procMount"]);
  expect(checks(unmasked, 35)).toEqual(["procMount_restricted"]);
});

test("Windows pods skip the Linux-only restricted checks from 1.25 (check_allowPrivilegeEscalation, capabilities, seccomp)", () => {
  const windows = { os: { name: "windows" }, containers: [{ name: "w" }] };
  expect(checks(windows, 24)).toEqual(["allowPrivilegeEscalation", "runAsNonRoot", "capabilities_restricted", "seccompProfile_restricted"]);
  expect(checks(windows, 25)).toEqual(["runAsNonRoot"]);
});

test("restricted checks override the baseline checks they tighten; the capability rule starts in 1.22", () => {
  const adding = pod();
  adding.containers[0].securityContext.capabilities = { drop: ["ALL"], add: ["SYS_ADMIN"] };
  expect(checks(adding, 21)).toEqual(["capabilities_baseline"]);
  expect(checks(adding, 22)).toEqual(["capabilities_restricted"]);
  const hostPath = { ...pod(), volumes: [{ name: "h", hostPath: { path: "/" } }] };
  expect(checks(hostPath, 35)).toEqual(["restrictedVolumes"]);
  expect(evaluatePodSecurity("baseline", 35, hostPath, {}).map((f) => f.check)).toEqual(["hostPathVolumes"]);
  const image = { ...pod(), volumes: [{ name: "i", image: { reference: "x" } }] };
  expect(checks(image, 35)).toEqual([]);
});

test("version labels: v1.x names a minor version, latest (or none) the newest checks", () => {
  expect(psaMinor("v1.35")).toBe(35);
  expect(psaMinor("latest")).toBe(Infinity);
  expect(psaMinor(undefined)).toBe(Infinity);
});

test("the policy verifier evaluates a pod at its namespace's enforce-version", () => {
  const base = compileFiles();
  const DEPLOYMENT = "clusters/prod/tenants/team-a/fraud/deployment-fraud-v1-0-0.yaml";
  const NAMESPACE = "clusters/prod/platform/tenants/team-a/namespace-team-a.yaml";
  let objects = breakObject(
    base.objects,
    DEPLOYMENT,
    (o) => (o.spec.template.spec.securityContext.sysctls = [{ name: "net.ipv4.tcp_keepalive_time", value: "60" }]),
  );
  const run = (list: typeof objects) => {
    const diags = new Diagnostics();
    verifyPolicy(base.plan!, list, diags);
    return diags.items.map((d) => d.code);
  };
  expect(run(objects)).toEqual([]);
  objects = breakObject(objects, NAMESPACE, (o) => (o.metadata.labels["pod-security.kubernetes.io/enforce-version"] = "v1.28"));
  expect(run(objects)).toEqual(["BERTH0518"]);
});
