// The API server's own rules on rendered objects (BERTH1010-1015): each case hand-breaks one object
// of a valid render, runs the admission stage, and expects the code at the spec the object came from.
import type { Rendered } from "../../compiler/emit/types.js";
import { admit, breakObject, codes, type Mutable } from "../helpers/admission.js";
import { CLUSTER, compileFiles, edit, MODEL } from "../helpers/fixture.js";

const base = compileFiles();
const plan = base.plan!;
const DIR = "clusters/prod/tenants/team-a/fraud";
const DEPLOYMENT = `${DIR}/deployment-fraud-v1-0-0.yaml`;
const SERVICE = `${DIR}/service-fraud.yaml`;
const NAMESPACE = "clusters/prod/platform/tenants/team-a/namespace-team-a.yaml";
const ROLE_BINDING = "clusters/prod/platform/tenants/team-a/rolebinding-edit-team-a.yaml";
const model = (o: Mutable): Mutable => o.spec.template.spec.containers[0];

test("a valid render is admitted", () => {
  expect(base.ok).toBe(true);
  expect(admit(plan, base.objects)).toEqual([]);
});

const cases: { name: string; path: string; mutate: (o: Mutable) => void; code: string; message: RegExp; also?: string[] }[] = [
  {
    name: "a Service name that is not a DNS-1035 label (ValidateServiceName)",
    path: SERVICE,
    mutate: (o) => (o.metadata.name = "9lives"),
    code: "BERTH1010",
    message:
      /name "9lives" is not a DNS-1035 label: a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character/,
    also: ["BERTH1027"],
  },
  {
    name: "a Namespace name that is not a DNS-1123 label (ValidateNamespaceName)",
    path: NAMESPACE,
    mutate: (o) => (o.metadata.name = "team.a"),
    code: "BERTH1010",
    message: /name "team.a" is not a DNS-1123 label: must not contain dots/,
  },
  {
    name: "a Deployment name over 253 bytes (NameIsDNSSubdomain)",
    path: DEPLOYMENT,
    mutate: (o) => (o.metadata.name = "a".repeat(254)),
    code: "BERTH1010",
    message: /is not a DNS-1123 subdomain: must be no more than 253 bytes/,
    also: ["BERTH1052"],
  },
  {
    name: "a RoleBinding name with a slash (ValidateRBACName)",
    path: ROLE_BINDING,
    mutate: (o) => (o.metadata.name = "edit/team-a"),
    code: "BERTH1010",
    message: /is not a path segment: may not contain '\/'/,
  },
  {
    name: "a namespace that is not a DNS-1123 label",
    path: SERVICE,
    mutate: (o) => (o.metadata.namespace = "Team-A"),
    code: "BERTH1010",
    message: /namespace "Team-A" is not a DNS-1123 label/,
    also: ["BERTH1027"],
  },
  {
    name: "a label value ending in a dash (IsLabelValue)",
    path: SERVICE,
    mutate: (o) => (o.metadata.labels["berth.dev/tenant"] = "team_a-"),
    code: "BERTH1011",
    message: /metadata: label berth.dev\/tenant value "team_a-" is not a valid label value/,
  },
  {
    name: "a label key with an uppercase prefix (IsLabelKey)",
    path: DEPLOYMENT,
    mutate: (o) => (o.spec.template.metadata.labels["Example.com/abc"] = "x"),
    code: "BERTH1011",
    message: /the pod template's metadata: label key "Example.com\/abc" is not valid: prefix part a lowercase RFC 1123 subdomain/,
  },
  {
    name: "an annotation key with two slashes (ValidateAnnotations)",
    path: DEPLOYMENT,
    mutate: (o) => (o.metadata.annotations["a/b/c"] = "x"),
    code: "BERTH1011",
    message: /annotation key "a\/b\/c" is not valid/,
  },
  {
    name: "annotations over 256 KiB (ValidateAnnotationsSize)",
    path: DEPLOYMENT,
    mutate: (o) => (o.metadata.annotations["berth.dev/big"] = "x".repeat(256 * 1024)),
    code: "BERTH1012",
    message: /metadata.annotations hold 26\d{4} bytes; the API server allows 262144/,
  },
  {
    name: "a port name over 15 characters (IsValidPortName)",
    path: DEPLOYMENT,
    mutate: (o) => (model(o).ports[0].name = "http-inference-api"),
    code: "BERTH1013",
    message: /port name "http-inference-api" is not an IANA_SVC_NAME: must be no more than 15 bytes/,
  },
  {
    name: "a port name without a letter",
    path: DEPLOYMENT,
    mutate: (o) => (model(o).ports[0].name = "8080"),
    code: "BERTH1013",
    message: /must contain at least one letter/,
  },
  {
    name: "two ports with one name (validateContainerPorts)",
    path: DEPLOYMENT,
    mutate: (o) => model(o).ports.push({ name: "http", containerPort: 9090 }),
    code: "BERTH1013",
    message: /container model names two ports http/,
  },
  {
    name: "a container port out of range",
    path: DEPLOYMENT,
    mutate: (o) => (model(o).ports[0].containerPort = 70000),
    code: "BERTH1013",
    message: /containerPort 70000 is not between 1 and 65535/,
  },
  {
    name: "an env name with '=' (IsRelaxedEnvVarName, 1.35)",
    path: DEPLOYMENT,
    mutate: (o) => model(o).env.push({ name: "A=B", value: "x" }),
    code: "BERTH1014",
    message: /env name "A=B" is not valid on Kubernetes 1.35/,
  },
  {
    name: "a selector that misses the template's labels (ValidateDeploymentSpec)",
    path: DEPLOYMENT,
    mutate: (o) => (o.spec.selector.matchLabels["app.kubernetes.io/version"] = "v9"),
    code: "BERTH1015",
    message: /spec.selector does not match the pod template's labels \(app.kubernetes.io\/version=v9 is missing\)/,
  },
  {
    name: "a selector expression the template does not meet",
    path: DEPLOYMENT,
    mutate: (o) => (o.spec.selector = { matchExpressions: [{ key: "tier", operator: "Exists" }] }),
    code: "BERTH1015",
    message: /tier Exists is not met/,
  },
];

test.each(cases.map((c) => [c.name, c] as const))("%s", (_name, c) => {
  const objects = breakObject(base.objects, c.path, c.mutate);
  const found = admit(plan, objects);
  // A broken name also breaks what refers to it (a route's host, an HPA's target): those say so too.
  expect([...new Set(codes(found))].sort()).toEqual([c.code, ...(c.also ?? [])].sort());
  const hit = found.find((d) => d.code === c.code && c.message.test(d.message));
  if (!hit) throw new Error(`no ${c.code} matching ${c.message}; found:\n${found.map((d) => d.message).join("\n") || "(nothing)"}`);
  if (c.code !== "BERTH1014") expect(hit.at).toEqual(objects.find((r) => r.path === c.path)!.origin);
});

test("CronJob names stop at 52 characters, Job names at 63 (ValidateCronJobCreate, the job-name label)", () => {
  const dep = base.objects.find((r) => r.path === DEPLOYMENT)!;
  const template = structuredClone((dep.object as Mutable).spec.template);
  const cron = (name: string): Rendered => ({
    ...dep,
    path: `${DIR}/cronjob-${name}.yaml`,
    object: {
      apiVersion: "batch/v1",
      kind: "CronJob",
      metadata: { name, namespace: "team-a" },
      spec: { schedule: "0 0 * * *", jobTemplate: { spec: { template } } },
    },
  });
  const job = (name: string): Rendered => ({
    ...dep,
    path: `${DIR}/job-${name}.yaml`,
    object: { apiVersion: "batch/v1", kind: "Job", metadata: { name, namespace: "team-a" }, spec: { template } },
  });
  expect(codes(admit(plan, [...base.objects, cron("a".repeat(52)), job("b".repeat(63))]))).toEqual([]);
  const found = admit(plan, [...base.objects, cron("a".repeat(53)), job("b".repeat(64))]);
  expect(found.map((d) => [d.code, /must be no more than (\d+) characters/.exec(d.message)?.[1]])).toEqual([
    ["BERTH1010", "52"],
    ["BERTH1010", "63"],
  ]);
});

test("env names follow the cluster's version: a name starting with a digit is refused before 1.32 only", () => {
  const files = { [`models/team-a/fraud.yaml`]: edit(MODEL, "traffic: 90}", "traffic: 90, env: {LOG_LEVEL: info}}") };
  const older = compileFiles(
    { ...files, "platform/clusters/prod.yaml": edit(CLUSTER, 'kubernetesVersion: "1.35"', 'kubernetesVersion: "1.31"') },
    undefined,
    "2025-06-01",
  );
  const rename = (o: Mutable) => (model(o).env.find((e: { name: string }) => e.name === "LOG_LEVEL").name = "1LOG_LEVEL");
  const old = admit(older.plan!, breakObject(older.objects, DEPLOYMENT, rename));
  expect(codes(old)).toEqual(["BERTH1014"]);
  expect(old[0]!.message).toMatch(
    /env name "1LOG_LEVEL" is not valid on Kubernetes 1.31: a valid environment variable name must consist of alphabetic characters/,
  );
  // The finding points at the version's env map, where the name is set.
  expect(old[0]!.at).toMatchObject({ file: "models/team-a/fraud.yaml", path: ["spec", "versions", 0, "env", "1LOG_LEVEL"], key: true });
  const current = compileFiles(files);
  expect(admit(current.plan!, breakObject(current.objects, DEPLOYMENT, rename))).toEqual([]);
});
