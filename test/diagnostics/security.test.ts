// One table row (at least) per bad-input code of the security family (BERTH110x, BERTH1113): the
// input, and the exact place it points at. The verifier codes (BERTH1110-1112, 1114) are covered
// rule by rule in test/unit/identity-verify.test.ts and test/unit/enforcement.test.ts.
import { CLUSTER, edit, MODEL, PLATFORM } from "../helpers/fixture.js";
import { runTable, type Case } from "../helpers/table.js";

const M = "models/team-a/fraud.yaml";
const C = "platform/clusters/prod.yaml";
const P = "platform/platform.yaml";

const withEndpoint = (cidrs: string) => edit(CLUSTER, "  pools:", `  endpoint:\n    publicAccessCIDRs: [${cidrs}]\n  pools:`);
const withBuckets = (list: string) => edit(PLATFORM, "  defaults:", `  artifactBuckets: [${list}]\n  defaults:`);

/** A model whose versions' artifacts (one per version, long prefixes) outgrow one IAM inline policy. */
function manyVersions(count: number): string {
  const versions = Array.from(
    { length: count },
    (_, i) => `    - {name: v${i + 1}, artifact: "s3://models/fraud/${"x".repeat(200)}/${i + 1}/"${i === 0 ? ", traffic: 100" : ""}}`,
  );
  return `apiVersion: berth.dev/v1alpha1
kind: Model
metadata:
  name: fraud
spec:
  framework: sklearn
  versions:
${versions.join("\n")}
  resources: {requests: {cpu: 50m, memory: 64Mi}, limits: {cpu: 100m, memory: 128Mi}}
  autoscaling: {minReplicas: 1, maxReplicas: 1}
  access: [team-a]
`;
}

const cases: Case[] = [
  {
    name: "auth without audiences",
    files: { [P]: edit(PLATFORM, "    audiences: [models-api]\n", "") },
    expect: [{ code: "BERTH1101", file: P, line: 20, column: 5, message: /^spec\.auth: audiences is missing/, hint: /audiences: \[models-api\]/ }],
  },
  {
    name: "auth with an empty audiences list",
    files: { [P]: edit(PLATFORM, "audiences: [models-api]", "audiences: []") },
    expect: [{ code: "BERTH1101", file: P, line: 23, column: 16, message: /audiences is empty/ }],
  },
  {
    name: "artifact outside every allowed bucket",
    files: { [P]: withBuckets("ml-models, shared/public/") },
    expect: [
      {
        code: "BERTH1102",
        file: M,
        line: 8,
        column: 32,
        message: /s3:\/\/models\/fraud\/1\.0\.0\/ of version v1\.0\.0 is in none of the platform's artifactBuckets \(ml-models, shared\/public\/\)/,
        hint: /spec\.artifactBuckets in platform\/platform\.yaml/,
      },
      { code: "BERTH1102", file: M, line: 9, column: 32 },
    ],
  },
  {
    name: "artifact in the allowed bucket but outside the allowed prefix, set by a cluster override",
    files: {
      [P]: withBuckets("s3://models/fraud/1.0.0/, models/fraud/1.1.0/"),
      [M]: MODEL + '  overrides:\n    prod:\n      versions:\n        - {name: v1.1.0, artifact: "s3://models/other/"}\n',
    },
    expect: [{ code: "BERTH1102", file: M, line: 18, column: 36, message: /s3:\/\/models\/other\// }],
  },
  {
    name: "artifactBuckets entry that is not a bucket",
    files: { [P]: withBuckets('"Models_Bucket"') },
    expect: [{ code: "BERTH0202", file: P, line: 24, message: /"Models_Bucket" is not an S3 bucket or bucket\/prefix/ }],
  },
  {
    name: "endpoint CIDR that is not a CIDR",
    files: { [C]: withEndpoint("10.0.0.300/32") },
    expect: [{ code: "BERTH1103", file: C, line: 10, column: 25, message: /"10\.0\.0\.300\/32" is not an IPv4 CIDR/ }],
  },
  {
    name: "endpoint CIDR without a prefix length",
    files: { [C]: withEndpoint("203.0.113.7") },
    expect: [{ code: "BERTH1103", file: C, line: 10, message: /is not an IPv4 CIDR/, hint: /203\.0\.113\.7\/32/ }],
  },
  {
    name: "endpoint CIDR with host bits set",
    files: { [C]: withEndpoint("203.0.113.0/24, 198.51.100.7/24") },
    expect: [{ code: "BERTH1103", file: C, line: 10, column: 41, message: /has host bits set/, hint: /198\.51\.100\.0\/24/ }],
  },
  {
    name: "endpoint open to the internet",
    files: { [C]: withEndpoint("0.0.0.0/0") },
    expect: [{ code: "BERTH1104", file: C, line: 10, column: 25, message: /0\.0\.0\.0\/0 opens the Kubernetes API endpoint to the whole internet/ }],
  },
  { name: "endpoint /0 written another way", files: { [C]: withEndpoint("0.0.0.0/0, 10.1.0.0/16") }, expect: [{ code: "BERTH1104", file: C, line: 10 }] },
  {
    name: "more public access CIDRs than EKS accepts",
    files: { [C]: withEndpoint(Array.from({ length: 41 }, (_, i) => `203.0.${i}.0/24`).join(", ")) },
    expect: [{ code: "BERTH1105", file: C, line: 10, column: 24, message: /41 CIDRs; EKS accepts at most 40/ }],
  },
  {
    name: "endpoint with no CIDRs",
    files: { [C]: withEndpoint("") },
    expect: [{ code: "BERTH0202", file: C, line: 10, message: /publicAccessCIDRs: must be at least 1 item/ }],
  },
  {
    name: "targetRevision with a space",
    files: { [C]: edit(CLUSTER, "  pools:", "  targetRevision: release prod\n  pools:") },
    expect: [{ code: "BERTH0202", file: C, line: 9, column: 19, message: /not a git revision/ }],
  },
  {
    name: "artifact that is a whole bucket",
    files: { [M]: edit(MODEL, '"s3://models/fraud/1.0.0/"', '"s3://models/"') },
    expect: [
      {
        code: "BERTH1106",
        file: M,
        line: 8,
        column: 32,
        severity: "warning",
        message: /s3:\/\/models\/ is a whole bucket/,
        hint: /s3:\/\/models\/fraud\/v1\.0\.0\//,
      },
    ],
  },
  {
    name: "S3 permission policy too large for IAM",
    files: { [M]: manyVersions(30) },
    expect: [{ code: "BERTH1107", file: M, line: 7, column: 3, message: /policy of fraud on cluster prod is \d{5} characters; IAM allows 10240/ }],
  },
  {
    name: "a cluster older than 1.30 has no admission policy for the guardrails",
    files: { [C]: edit(CLUSTER, 'kubernetesVersion: "1.35"', 'kubernetesVersion: "1.29"') },
    expect: [
      {
        code: "BERTH1113",
        file: C,
        line: 8,
        column: 22,
        severity: "warning",
        message: /Kubernetes 1\.29 on cluster prod has no ValidatingAdmissionPolicy/,
        hint: /1\.30 or later/,
      },
    ],
    // 1.29 is also past EKS's extended support on the tables' day (BERTH1001).
    others: true,
  },
];

describe("identity and exposure in the specs", () => runTable(cases));
