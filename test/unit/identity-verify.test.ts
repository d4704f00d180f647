// The identity verifier, rule by rule: each test hand-breaks the rendered eksctl config or a
// NetworkPolicy of a valid repository, calls the verifier directly, and expects the rule's code.
import type { Code } from "../../compiler/codes/index.js";
import { Diagnostics, type Diagnostic } from "../../compiler/diagnostics.js";
import type { Rendered } from "../../compiler/emit/types.js";
import { verifyIdentity } from "../../compiler/verify/identity.js";
import { compileFiles } from "../helpers/fixture.js";

const base = compileFiles();
const plan = base.plan!;

type Mutable = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const CONFIG = "clusters/prod/eksctl/cluster.yaml";
const GUARDS = "clusters/prod/platform/tenants/team-a";
const AGENT_POLICY = `${GUARDS}/networkpolicy-allow-pod-identity-agent.yaml`;
const HTTPS_POLICY = `${GUARDS}/networkpolicy-allow-external-https.yaml`;

function run(objects: readonly Rendered[]): Diagnostic[] {
  const diags = new Diagnostics();
  verifyIdentity(plan, objects, diags);
  return diags.items;
}

function breakObject(path: string, mutate: (o: Mutable, objects: Rendered[]) => void): Rendered[] {
  const objects = structuredClone(base.objects);
  const target = objects.find((r) => r.path === path);
  if (!target) throw new Error(`no object at ${path}`);
  mutate(target.object as Mutable, objects);
  return objects;
}

const fraud = (o: Mutable): Mutable => o.iam.podIdentityAssociations.find((a: Mutable) => a.serviceAccountName === "fraud");
const statements = (o: Mutable): Mutable[] => fraud(o).permissionPolicy.Statement;

test("the rendered repository passes: every pod can get its credentials and read exactly its artifacts", () => {
  expect(base.ok).toBe(true);
  expect(run(base.objects)).toEqual([]);
});

interface Rule {
  name: string;
  code: Code;
  path: string;
  mutate: (o: Mutable, objects: Rendered[]) => void;
  message: RegExp;
}

const rules: Rule[] = [
  {
    name: "no association for a model's ServiceAccount",
    code: "BERTH1110",
    path: CONFIG,
    mutate: (o) => (o.iam.podIdentityAssociations = o.iam.podIdentityAssociations.filter((a: Mutable) => a.serviceAccountName !== "fraud")),
    message: /ServiceAccount team-a\/fraud on cluster prod: no Pod Identity association, so Deployment fraud-v1-0-0, Deployment fraud-v1-1-0 cannot read/,
  },
  {
    name: "a version's prefix missing",
    code: "BERTH1110",
    path: CONFIG,
    mutate: (o) => statements(o)[0]!.Resource.pop(),
    message: /does not grant s3:GetObject on arn:aws:s3:::models\/fraud\/1\.1\.0\/\*, which Deployment fraud-v1-1-0 reads/,
  },
  {
    name: "a prefix no pod reads",
    code: "BERTH1110",
    path: CONFIG,
    mutate: (o) => statements(o)[0]!.Resource.push("arn:aws:s3:::models/other/*"),
    message: /grants s3:GetObject on arn:aws:s3:::models\/other\/\*, which none of its pods reads/,
  },
  {
    name: "the whole bucket instead of the prefixes",
    code: "BERTH1110",
    path: CONFIG,
    mutate: (o) => (statements(o)[0]!.Resource = ["arn:aws:s3:::models/*"]),
    message: /grants s3:GetObject on arn:aws:s3:::models\/\*, which none of its pods reads/,
  },
  {
    name: "listing without the prefix condition",
    code: "BERTH1110",
    path: CONFIG,
    mutate: (o) => delete statements(o)[1]!.Condition,
    message: /lets it list arn:aws:s3:::models under \*, where none of its artifacts is/,
  },
  {
    name: "listing a prefix it does not read",
    code: "BERTH1110",
    path: CONFIG,
    mutate: (o) => statements(o)[1]!.Condition.StringLike["s3:prefix"].push("secrets/*"),
    message: /list arn:aws:s3:::models under secrets\/\*/,
  },
  {
    name: "a listing prefix missing",
    code: "BERTH1110",
    path: CONFIG,
    mutate: (o) => statements(o)[1]!.Condition.StringLike["s3:prefix"].pop(),
    message: /does not let it list arn:aws:s3:::models under fraud\/1\.1\.0\/\*/,
  },
  {
    name: "another action",
    code: "BERTH1110",
    path: CONFIG,
    mutate: (o) => statements(o).push({ Sid: "More", Effect: "Allow", Action: ["s3:*"], Resource: ["*"] }),
    message: /also grants s3:\* on \*/,
  },
  {
    name: "a Deny or NotAction statement",
    code: "BERTH1110",
    path: CONFIG,
    mutate: (o) => statements(o).push({ Sid: "Odd", Effect: "Allow", NotAction: ["iam:*"], Resource: ["*"] }),
    message: /also grants statement Odd that is not a plain Allow/,
  },
  {
    name: "a managed policy beside the inline one",
    code: "BERTH1110",
    path: CONFIG,
    mutate: (o) => (fraud(o).permissionPolicyARNs = ["arn:aws:iam::aws:policy/AmazonS3FullAccess"]),
    message: /also grants permissionPolicyARNs \(a grant berth cannot check\)/,
  },
  {
    name: "two associations for one ServiceAccount",
    code: "BERTH1110",
    path: CONFIG,
    mutate: (o) => o.iam.podIdentityAssociations.push(structuredClone(fraud(o))),
    message: /declares two Pod Identity associations; EKS accepts one per ServiceAccount/,
  },
  {
    name: "an association for a ServiceAccount no pod runs as",
    code: "BERTH1110",
    path: CONFIG,
    mutate: (o) => o.iam.podIdentityAssociations.push({ ...structuredClone(fraud(o)), serviceAccountName: "ghost" }),
    message:
      /ServiceAccount team-a\/ghost on cluster prod: its Pod Identity association grants arn:aws:s3:::models\/fraud\/1\.0\.0\/\*.*but no rendered pod runs as it/,
  },
  {
    name: "the agent policy removed",
    code: "BERTH1111",
    path: AGENT_POLICY,
    mutate: (o) => (o.spec.egress = []),
    message: /Deployment team-a\/fraud-v1-0-0 on cluster prod: no NetworkPolicy lets it reach the Pod Identity agent/,
  },
  {
    name: "the agent on every port",
    code: "BERTH1111",
    path: AGENT_POLICY,
    mutate: (o) => delete o.spec.egress[0].ports,
    message: /opens the Pod Identity agent 169\.254\.170\.23 on every port, not only TCP 80/,
  },
  {
    name: "the agent on another port too",
    code: "BERTH1111",
    path: AGENT_POLICY,
    mutate: (o) => o.spec.egress[0].ports.push({ protocol: "UDP", port: 53 }),
    message: /on TCP 80, UDP 53, not only TCP 80/,
  },
  {
    name: "link-local opened beside the agent",
    code: "BERTH1111",
    path: AGENT_POLICY,
    mutate: (o) => (o.spec.egress[0].to[0].ipBlock.cidr = "169.254.170.0/24"),
    message: /opens link-local 169\.254\.170\.0-169\.254\.170\.255 on TCP 80/,
  },
  {
    name: "IMDS left out of the except list",
    code: "BERTH1111",
    path: HTTPS_POLICY,
    mutate: (o) => (o.spec.egress[0].to[0].ipBlock.except = o.spec.egress[0].to[0].ipBlock.except.filter((e: string) => e !== "169.254.0.0/16")),
    message: /allow-external-https opens link-local 169\.254\.169\.254 \(the instance metadata service\) on TCP 443/,
  },
  {
    name: "egress to every address",
    code: "BERTH1111",
    path: HTTPS_POLICY,
    mutate: (o) => delete o.spec.egress[0].to,
    message: /allow-external-https opens link-local 169\.254\.169\.254 \(the instance metadata service\)/,
  },
  {
    name: "no policy restricts egress at all",
    code: "BERTH1111",
    path: HTTPS_POLICY,
    mutate: (_o, objects) => objects.forEach((r) => r.object.kind === "NetworkPolicy" && ((r.object.spec as Mutable).policyTypes = ["Ingress"])),
    message: /no NetworkPolicy restricts its egress, so every link-local address is reachable/,
  },
];

test.each(rules.map((r) => [r.name, r] as const))("%s", (_name, rule) => {
  const diags = run(breakObject(rule.path, rule.mutate));
  const hit = diags.find((d) => d.code === rule.code && rule.message.test(d.message));
  if (!hit) throw new Error(`expected ${rule.code} ${rule.message}; got:\n${diags.map((d) => `${d.code} ${d.message}`).join("\n") || "(nothing)"}`);
  expect(diags.every((d) => d.code === rule.code)).toBe(true);
});

test("a policy that selects other pods does not open the agent for these", () => {
  const diags = run(
    breakObject(AGENT_POLICY, (o) => (o.spec.podSelector = { matchExpressions: [{ key: "app.kubernetes.io/name", operator: "NotIn", values: ["fraud"] }] })),
  );
  expect(diags.map((d) => d.code)).toEqual(["BERTH1111", "BERTH1111"]);
});

test("an identity error points at the model's ServiceAccount, its spec's metadata.name", () => {
  const [d] = run(breakObject(CONFIG, (o) => statements(o)[0]!.Resource.pop()));
  expect(d!.at).toEqual({ file: "models/team-a/fraud.yaml", path: ["metadata", "name"] });
});
