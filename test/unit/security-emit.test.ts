// What berth renders to close a cluster and give workloads an identity: the IAM policy as data,
// the admission policy for the tenants' guardrails, Argo CD's confirmations and revisions, the
// region a pod's SDK needs without IMDS, and the diff's identity and exposure risks.
import { diffRenders } from "../../compiler/diff/match.js";
import { assessRisks } from "../../compiler/diff/risks.js";
import { ARGOCD_CONTROLLER, NAMESPACE_CLEANERS } from "../../compiler/emit/admission.js";
import type { KubeObject, Rendered } from "../../compiler/emit/types.js";
import { grantOf, permissionPolicy, policySize } from "../../compiler/plan/identity.js";
import { parseBucketEntry, parseS3Uri, partitionOf, within } from "../../compiler/base/s3.js";
import { CLUSTER, compileFiles, edit, sharedStrict, strictTest } from "../helpers/fixture.js";

type Mutable = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const C = "platform/clusters/prod.yaml";
const POLICY = "clusters/prod/platform/cluster/validatingadmissionpolicy-berth-tenant-guardrails.yaml";
const BINDING = "clusters/prod/platform/cluster/validatingadmissionpolicybinding-berth-tenant-guardrails.yaml";

function compiled(changes = {}) {
  const result = compileFiles(changes);
  expect(result.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
  return result;
}

const at = (objects: readonly Rendered[], path: string): Mutable => {
  const r = objects.find((o) => o.path === path);
  if (!r) throw new Error(`nothing rendered at ${path}`);
  return r.object as Mutable;
};

describe("S3 locations and the IAM policy", () => {
  test("URIs, bucket entries and partitions", () => {
    expect(parseS3Uri("s3://ml-models/fraud/1.0/")).toEqual({ bucket: "ml-models", prefix: "fraud/1.0/" });
    expect(parseS3Uri("s3://ml-models")).toEqual({ bucket: "ml-models", prefix: "" });
    expect(parseS3Uri("s3://Bad_Bucket/x")).toBeUndefined();
    expect(parseBucketEntry("ml-models/serving/")).toEqual({ bucket: "ml-models", prefix: "serving/" });
    expect(parseBucketEntry("s3://ml-models")).toEqual({ bucket: "ml-models", prefix: "" });
    expect(within({ bucket: "b", prefix: "team/x/" }, { bucket: "b", prefix: "team/" })).toBe(true);
    expect(within({ bucket: "b", prefix: "teams/x/" }, { bucket: "b", prefix: "team/" })).toBe(false);
    expect(within({ bucket: "b", prefix: "teams/x/" }, { bucket: "b", prefix: "team" })).toBe(true); // a string prefix, as S3 reads it
    expect(within({ bucket: "c", prefix: "team/" }, { bucket: "b", prefix: "" })).toBe(false);
    expect([partitionOf("us-east-1"), partitionOf("cn-north-1"), partitionOf("us-gov-west-1")]).toEqual(["aws", "aws-cn", "aws-us-gov"]);
  });

  test("read, list conditioned on the prefixes (none for a whole bucket), and write for batch outputs", () => {
    const policy = permissionPolicy(grantOf(["s3://bkt/m/2/", "s3://bkt/m/1/", "s3://bkt/m/1/", "s3://whole"], ["s3://out/m/daily/"]), "aws");
    expect(policy).toEqual({
      Version: "2012-10-17",
      Statement: [
        {
          Sid: "ReadArtifacts",
          Effect: "Allow",
          Action: ["s3:GetObject"],
          Resource: ["arn:aws:s3:::bkt/m/1/*", "arn:aws:s3:::bkt/m/2/*", "arn:aws:s3:::whole/*"],
        },
        {
          Sid: "ListArtifacts1",
          Effect: "Allow",
          Action: ["s3:ListBucket"],
          Resource: ["arn:aws:s3:::bkt"],
          Condition: { StringLike: { "s3:prefix": ["m/1/*", "m/2/*"] } },
        },
        { Sid: "ListArtifacts2", Effect: "Allow", Action: ["s3:ListBucket"], Resource: ["arn:aws:s3:::whole"] },
        { Sid: "WriteOutputs", Effect: "Allow", Action: ["s3:AbortMultipartUpload", "s3:PutObject"], Resource: ["arn:aws:s3:::out/m/daily/*"] },
      ],
    });
    expect(policySize(policy)).toBe(JSON.stringify(policy).length);
  });

  test("the same grant whatever the order of the artifacts", () => {
    const a = permissionPolicy(grantOf(["s3://bbb/x/", "s3://aaa/y/", "s3://bbb/w/"]), "aws");
    const b = permissionPolicy(grantOf(["s3://bbb/w/", "s3://bbb/x/", "s3://aaa/y/"]), "aws");
    expect(a.Statement[0]!.Resource).toEqual(["arn:aws:s3:::aaa/y/*", "arn:aws:s3:::bbb/w/*", "arn:aws:s3:::bbb/x/*"]);
    expect(JSON.stringify(a)).toBe(JSON.stringify(b));
  });
});

describe("the admission policy for the tenants' guardrails", () => {
  const { objects } = compiled();

  test("only Argo CD's controller writes NetworkPolicies, Roles and RoleBindings in tenant namespaces", () => {
    const policy = at(objects, POLICY);
    expect(policy.spec.failurePolicy).toBe("Fail");
    expect(policy.spec.matchConstraints.resourceRules.map((r: Mutable) => r.resources).flat()).toEqual(["networkpolicies", "rolebindings", "roles"]);
    const [rule] = policy.spec.validations;
    expect(rule.expression).toContain(`request.userInfo.username == '${ARGOCD_CONTROLLER}'`);
    for (const cleaner of NAMESPACE_CLEANERS) expect(rule.expression).toContain(`'${cleaner}'`);
    expect(rule.expression).toMatch(/request\.operation == 'DELETE' && request\.userInfo\.username in \[/);
    const binding = at(objects, BINDING);
    expect(binding.spec).toEqual({
      policyName: "berth-tenant-guardrails",
      validationActions: ["Deny"],
      matchResources: { namespaceSelector: { matchExpressions: [{ key: "berth.dev/tenant", operator: "Exists" }] } },
    });
  });

  strictTest("both are valid against the strict schemas and synced by the platform project", () => {
    for (const path of [POLICY, BINDING]) {
      const o = at(objects, path);
      expect(sharedStrict()!.errorsOf(o.apiVersion, o.kind, o)).toEqual([]);
    }
    const project = at(objects, "clusters/prod/apps/appproject-berth-platform.yaml");
    expect(project.spec.clusterResourceWhitelist).toContainEqual({ group: "admissionregistration.k8s.io", kind: "ValidatingAdmissionPolicy" });
  });

  test("not rendered before Kubernetes 1.30, where the v1 API does not exist", () => {
    const result = compileFiles({ [C]: edit(CLUSTER, 'kubernetesVersion: "1.35"', 'kubernetesVersion: "1.29"') });
    expect(result.objects.some((r) => r.object.kind.startsWith("ValidatingAdmission"))).toBe(false);
  });
});

describe("Argo CD", () => {
  test("a production cluster's model Applications wait for a confirmed prune; staging's do not", () => {
    const prod = at(compiled().objects, "clusters/prod/apps/application-model-fraud.yaml");
    expect(prod.metadata.annotations["argocd.argoproj.io/sync-options"]).toBe("Prune=confirm");
    const staging = at(
      compiled({ [C]: edit(CLUSTER, "environment: production", "environment: staging") }).objects,
      "clusters/prod/apps/application-model-fraud.yaml",
    );
    expect(staging.metadata.annotations["argocd.argoproj.io/sync-options"]).toBeUndefined();
  });

  test("a cluster's targetRevision wins over the platform's, for every Application of the cluster", () => {
    const { objects } = compiled({ [C]: edit(CLUSTER, "  pools:", "  targetRevision: release/prod\n  pools:") });
    // Applications of the repository's own folders; the platform layer's chart Applications pin a chart version instead.
    const fromGit = (r: Rendered) => r.object.kind === "Application" && (r.object as Mutable).spec.source.path !== undefined;
    const apps = objects.filter(fromGit);
    expect(apps.length).toBeGreaterThanOrEqual(3);
    for (const a of apps) expect((a.object as Mutable).spec.source.targetRevision).toBe("release/prod");
    const defaults = compiled().objects.filter(fromGit);
    for (const a of defaults) expect((a.object as Mutable).spec.source.targetRevision).toBe("main");
  });

  test("tenant and platform projects warn on orphaned resources; the bootstrap project does not", () => {
    const { objects } = compiled();
    expect(at(objects, "clusters/prod/apps/appproject-tenant-team-a.yaml").spec.orphanedResources).toEqual({ warn: true });
    expect(at(objects, "clusters/prod/apps/appproject-berth-platform.yaml").spec.orphanedResources).toEqual({ warn: true });
    expect(at(objects, "clusters/prod/bootstrap/appproject-berth-bootstrap.yaml").spec.orphanedResources).toBeUndefined();
  });
});

describe("model pods without IMDS", () => {
  const deployment = (objects: readonly Rendered[]) => at(objects, "clusters/prod/tenants/team-a/fraud/deployment-fraud-v1-0-0.yaml").spec.template;

  test("the SDK's region comes from the cluster, the agent is reached around the proxy", () => {
    const template = deployment(compiled().objects);
    const env = template.spec.containers[0].env;
    expect(env).toContainEqual({ name: "AWS_REGION", value: "us-east-1" });
    expect(env).toContainEqual({ name: "AWS_DEFAULT_REGION", value: "us-east-1" });
    expect(template.metadata.annotations["traffic.sidecar.istio.io/excludeOutboundIPRanges"]).toBe("169.254.170.23/32");
  });

  test("a version that names its own region keeps it", () => {
    const text = `apiVersion: berth.dev/v1alpha1\nkind: Model\nmetadata:\n  name: fraud\nspec:\n  framework: sklearn\n  versions:\n    - {name: v1.0.0, artifact: "s3://models/fraud/1.0.0/", env: {AWS_REGION: eu-west-1}}\n  access: [team-a]\n`;
    const env = deployment(compiled({ "models/team-a/fraud.yaml": text }).objects).spec.containers[0].env;
    expect(env.filter((e: Mutable) => e.name === "AWS_REGION")).toEqual([{ name: "AWS_REGION", value: "eu-west-1" }]);
    expect(env).toContainEqual({ name: "AWS_DEFAULT_REGION", value: "us-east-1" });
  });
});

describe("diff: identity and exposure", () => {
  const config = (rest: Mutable): Rendered => ({
    path: "clusters/prod/eksctl/cluster.yaml",
    object: { apiVersion: "eksctl.io/v1alpha5", kind: "ClusterConfig", metadata: { name: "prod" }, ...rest } as KubeObject,
    sources: [],
    origin: { file: "x.yaml", path: [] },
    owner: { cluster: "prod" },
  });
  const closed = {
    vpc: { clusterEndpoints: { privateAccess: true, publicAccess: false } },
    managedNodeGroups: [{ name: "general", privateNetworking: true, disablePodIMDS: true, disableIMDSv1: true }],
    cloudWatch: { clusterLogging: { enableTypes: ["api", "audit"] } },
  };

  test("a node group that stops keeping pods off IMDS and a log type dropped are access risks", () => {
    const opened = { ...closed, managedNodeGroups: [{ name: "general", privateNetworking: true }], cloudWatch: { clusterLogging: { enableTypes: ["api"] } } };
    const risks = assessRisks(diffRenders([config(closed)], [config(opened)])).filter((r) => r.kind === "access");
    expect(risks.map((r) => `${r.subject}: ${r.message}`)).toEqual([
      "control-plane logging: stops logging audit",
      "node group general: no longer sets disablePodIMDS, disableIMDSv1",
    ]);
  });

  test("a new cluster with a public endpoint, and one without endpoint settings (eksctl opens it to all)", () => {
    const risks = assessRisks(
      diffRenders([], [config({ vpc: { clusterEndpoints: { privateAccess: true, publicAccess: true }, publicAccessCIDRs: ["203.0.113.0/24"] } })]),
    );
    expect(risks).toContainEqual(expect.objectContaining({ kind: "access", subject: "Kubernetes API endpoint", message: "public to 203.0.113.0/24" }));
    const open = assessRisks(diffRenders([config(closed)], [config({ ...closed, vpc: undefined })]));
    expect(open).toContainEqual(expect.objectContaining({ kind: "access", message: "opened to 0.0.0.0/0" }));
  });

  test("closing things is not a risk; a grant that only shrinks is not either", () => {
    const grant = (resources: string[]) => ({
      iam: {
        podIdentityAssociations: [
          {
            namespace: "a",
            serviceAccountName: "m",
            permissionPolicy: { Statement: [{ Sid: "ReadArtifacts", Action: ["s3:GetObject"], Resource: resources }] },
          },
        ],
      },
    });
    const before = config({ ...closed, ...grant(["arn:aws:s3:::b/1/*", "arn:aws:s3:::b/2/*"]) });
    const after = config({ ...closed, ...grant(["arn:aws:s3:::b/2/*"]) });
    expect(assessRisks(diffRenders([before], [after])).filter((r) => r.kind === "access")).toEqual([]);
    const widened = assessRisks(diffRenders([after], [before])).filter((r) => r.kind === "access");
    expect(widened).toEqual([expect.objectContaining({ subject: "ServiceAccount a/m", message: "AWS grant widened: s3:GetObject arn:aws:s3:::b/1/*" })]);
  });
});
