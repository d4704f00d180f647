// Enforcement declared, then proven: each test removes the component that makes a rendered
// feature real (or opens the eksctl config) and expects the verifier to say so.
import type { Code } from "../../compiler/codes/index.js";
import { Diagnostics, type Diagnostic } from "../../compiler/diagnostics.js";
import type { KubeObject, Rendered } from "../../compiler/emit/types.js";
import { verifyEnforcement } from "../../compiler/verify/enforcement.js";
import { CLUSTER, compileFiles, edit } from "../helpers/fixture.js";

const base = compileFiles();
const plan = base.plan!;

type Mutable = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const CONFIG = "clusters/prod/eksctl/cluster.yaml";
const GATEWAY_JWT = "clusters/prod/platform/requestauthentication-berth-ingress-jwt.yaml";
const POLICY = "clusters/prod/platform/cluster/validatingadmissionpolicy-berth-tenant-guardrails.yaml";

function run(objects: readonly Rendered[]): Diagnostic[] {
  const diags = new Diagnostics();
  verifyEnforcement(plan, objects, diags);
  return diags.items;
}

function change(mutate: (objects: Rendered[]) => void): Rendered[] {
  const objects = structuredClone(base.objects);
  mutate(objects);
  return objects;
}

const object = (objects: Rendered[], path: string): Mutable => {
  const r = objects.find((o) => o.path === path);
  if (!r) throw new Error(`no object at ${path}`);
  return r.object as Mutable;
};
const config = (objects: Rendered[]) => object(objects, CONFIG);
const withoutAddon = (name: string) => (objects: Rendered[]) => (config(objects).addons = config(objects).addons.filter((a: Mutable) => a.name !== name));
/** Drops the platform layer's Prometheus Operator Applications, so nothing installs the operator. */
const withoutOperator = (objects: Rendered[]) => {
  for (let i = objects.length - 1; i >= 0; i--) {
    const source = (objects[i]!.object as Mutable).spec?.source;
    if (objects[i]!.object.kind === "Application" && /prometheus/.test(String(source?.chart ?? ""))) objects.splice(i, 1);
  }
};
const extra = (kind: string, apiVersion: string, spec: Mutable = {}): Rendered => ({
  path: `clusters/prod/tenants/team-a/fraud/${kind.toLowerCase()}-x.yaml`,
  object: { apiVersion, kind, metadata: { name: "x", namespace: "team-a" }, spec } as KubeObject,
  sources: [],
  origin: { file: "models/team-a/fraud.yaml", path: [] },
  owner: { cluster: "prod", tenant: "team-a", model: "fraud" },
});

test("the rendered repository passes: every feature has what enforces it, and the cluster is closed", () => {
  expect(base.ok).toBe(true);
  expect(run(base.objects)).toEqual([]);
});

interface Rule {
  name: string;
  code: Code;
  mutate: (objects: Rendered[]) => void;
  message: RegExp;
}

const rules: Rule[] = [
  {
    name: "NetworkPolicy enforcement off",
    code: "BERTH1112",
    mutate: (o) => delete config(o).addons[0].configurationValues,
    message: /renders \d+ NetworkPolicies but its vpc-cni add-on does not set enableNetworkPolicy: "true"/,
  },
  {
    name: "NetworkPolicy enforcement set to false",
    code: "BERTH1112",
    mutate: (o) => (config(o).addons[0].configurationValues = '{"enableNetworkPolicy":"false"}'),
    message: /vpc-cni add-on does not set enableNetworkPolicy/,
  },
  {
    name: "unreadable CNI configuration",
    code: "BERTH1112",
    mutate: (o) => (config(o).addons[0].configurationValues = "{enableNetworkPolicy"),
    message: /vpc-cni add-on does not set enableNetworkPolicy/,
  },
  {
    name: "HPAs without metrics-server",
    code: "BERTH1112",
    mutate: withoutAddon("metrics-server"),
    message: /renders 2 HorizontalPodAutoscalers but no metrics-server add-on/,
  },
  {
    name: "associations without the Pod Identity agent",
    code: "BERTH1112",
    mutate: withoutAddon("eks-pod-identity-agent"),
    message: /declares \d+ Pod Identity associations but no eks-pod-identity-agent add-on/,
  },
  {
    name: "volumes without the EBS CSI driver",
    code: "BERTH1112",
    mutate: (o) => (withoutAddon("aws-ebs-csi-driver")(o), o.push(extra("PersistentVolumeClaim", "v1"))),
    message: /renders 1 objects that claim volumes but no aws-ebs-csi-driver add-on/,
  },
  {
    name: "claim routes without audiences at the gateway",
    code: "BERTH1112",
    mutate: (o) => delete object(o, GATEWAY_JWT).spec.jwtRules[0].audiences,
    message: /routes on JWT claims at the gateway in namespace istio-system, but no RequestAuthentication there verifies/,
  },
  {
    name: "claim routes without a gateway RequestAuthentication",
    code: "BERTH1112",
    mutate: (o) =>
      o.splice(
        o.findIndex((r) => r.path === GATEWAY_JWT),
        1,
      ),
    message: /routes on JWT claims at the gateway in namespace istio-system/,
  },
  {
    name: "a PodMonitor without the Prometheus Operator",
    code: "BERTH1112",
    mutate: (o) => {
      withoutOperator(o);
      o.push(extra("PodMonitor", "monitoring.coreos.com/v1"));
    },
    message: /renders \d+ Prometheus Operator objects but no Application installs the Prometheus Operator/,
  },
  {
    name: "tenant guardrails without the admission policy",
    code: "BERTH1112",
    mutate: (o) =>
      o.splice(
        o.findIndex((r) => r.path === POLICY),
        1,
      ),
    message: /renders tenant NetworkPolicies and RoleBindings but not the ValidatingAdmissionPolicy berth-tenant-guardrails/,
  },
  {
    name: "a node group in public subnets",
    code: "BERTH1114",
    mutate: (o) => (config(o).managedNodeGroups[0].privateNetworking = false),
    message: /node group general does not set privateNetworking/,
  },
  {
    name: "a node group whose pods reach IMDS",
    code: "BERTH1114",
    mutate: (o) => delete config(o).managedNodeGroups[1].disablePodIMDS,
    message: /node group gpu-inference does not set disablePodIMDS: pods could take the node's IAM role/,
  },
  { name: "IMDSv1 left on", code: "BERTH1114", mutate: (o) => delete config(o).managedNodeGroups[0].disableIMDSv1, message: /does not set disableIMDSv1/ },
  {
    name: "an unmanaged node group too",
    code: "BERTH1114",
    mutate: (o) => (config(o).nodeGroups = [{ name: "legacy" }]),
    message: /node group legacy does not set privateNetworking/,
  },
  {
    name: "a public endpoint the spec did not ask for",
    code: "BERTH1114",
    mutate: (o) => (config(o).vpc.clusterEndpoints.publicAccess = true),
    message: /the API endpoint is public, but the cluster spec lists no endpoint CIDRs/,
  },
  {
    name: "no endpoint settings at all (eksctl's public default)",
    code: "BERTH1114",
    mutate: (o) => delete config(o).vpc,
    message: /no private access.*|is public, but the cluster spec lists no endpoint CIDRs/,
  },
  {
    name: "private access off",
    code: "BERTH1114",
    mutate: (o) => (config(o).vpc.clusterEndpoints.privateAccess = false),
    message: /no private access: nodes would join through the internet/,
  },
  {
    name: "a CIDR the spec does not list",
    code: "BERTH1114",
    mutate: (o) => (config(o).vpc.publicAccessCIDRs = ["198.51.100.0/24"]),
    message: /publicAccessCIDRs 198\.51\.100\.0\/24 are not in the cluster spec/,
  },
  {
    name: "control-plane logs left out",
    code: "BERTH1114",
    mutate: (o) => (config(o).cloudWatch.clusterLogging.enableTypes = ["api"]),
    message: /control-plane logging leaves out audit, authenticator/,
  },
];

test.each(rules.map((r) => [r.name, r] as const))("%s", (_name, rule) => {
  const diags = run(change(rule.mutate));
  const hit = diags.find((d) => d.code === rule.code && rule.message.test(d.message));
  if (!hit) throw new Error(`expected ${rule.code} ${rule.message}; got:\n${diags.map((d) => `${d.code} ${d.message}`).join("\n") || "(nothing)"}`);
  expect(diags.every((d) => d.code === rule.code)).toBe(true);
});

test("a monitor is fine once an Application installs the Prometheus Operator chart", () => {
  const objects = change((o) => {
    o.push(extra("PodMonitor", "monitoring.coreos.com/v1"));
    o.push({
      ...extra("Application", "argoproj.io/v1alpha1", {
        source: { chart: "kube-prometheus-stack", repoURL: "https://prometheus-community.github.io/helm-charts" },
      }),
      path: "clusters/prod/apps/application-monitoring.yaml",
    });
  });
  expect(run(objects)).toEqual([]);
});

test("a public endpoint is fine when the spec lists exactly its CIDRs", () => {
  const cluster = compileFiles({ "platform/clusters/prod.yaml": edit(CLUSTER, "  pools:", "  endpoint: {publicAccessCIDRs: [203.0.113.0/24]}\n  pools:") });
  expect(cluster.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
  const diags = new Diagnostics();
  verifyEnforcement(cluster.plan!, cluster.objects, diags);
  expect(diags.items).toEqual([]);
});
