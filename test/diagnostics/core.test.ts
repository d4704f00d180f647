// One table row (at least) per spine diagnostic code: the input, and the exact place it points at.
import { CLUSTER, edit, MODEL, PLATFORM, TENANT } from "../helpers/fixture.js";
import { runTable, type Case } from "../helpers/table.js";

const M = "models/team-a/fraud.yaml";
const T = "tenants/team-a.yaml";
const C = "platform/clusters/prod.yaml";
const P = "platform/platform.yaml";

const files: Case[] = [
  {
    name: "invalid UTF-8",
    files: { [M]: Buffer.concat([Buffer.from("apiVersion: berth.dev/v1alpha1\nkind: Model\n"), Buffer.from([0xff, 0xfe, 0x0a])]) },
    expect: [{ code: "BERTH0002", file: M, line: 3, column: 1 }],
  },
  {
    name: "model file outside a tenant folder",
    files: { "models/fraud.yaml": MODEL },
    expect: [{ code: "BERTH0004", file: "models/fraud.yaml", line: 1, column: 1, message: /models\/<tenant>\/<model>\.yaml/ }],
  },
  { name: "platform spec missing", files: { [P]: null }, expect: [{ code: "BERTH0005", file: P, line: 1 }] },
];

const yaml: Case[] = [
  { name: "syntax error", files: { [M]: "apiVersion: berth.dev/v1alpha1\nkind: Model\nmetadata: {name: fraud\n" }, expect: [{ code: "BERTH0101", file: M }] },
  {
    name: "tab in indentation",
    files: { [M]: edit(MODEL, "  framework: sklearn", "\tframework: sklearn") },
    expect: [{ code: "BERTH0102", file: M, line: 6, column: 1 }],
  },
  {
    name: "duplicate key",
    files: { [M]: MODEL + "  framework: xgboost\n" },
    expect: [{ code: "BERTH0103", file: M, line: 15, column: 3, message: /duplicate key framework \(first at line 6\)/ }],
  },
  { name: "empty file", files: { [T]: "" }, expect: [{ code: "BERTH0104", file: T, line: 1, column: 1 }] },
  { name: "comment-only file", files: { [T]: "# nothing here yet\n# really\n" }, expect: [{ code: "BERTH0104", file: T, line: 1 }] },
  { name: "several documents", files: { [T]: TENANT + "---\n" + TENANT }, expect: [{ code: "BERTH0105", file: T, line: 13, message: /2 documents/ }] },
  {
    name: "alias bomb",
    files: {
      [M]: 'a: &a ["x","x","x","x","x","x","x","x","x"]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]\ne: [*d,*d,*d,*d,*d,*d,*d,*d,*d]\n',
    },
    expect: [{ code: "BERTH0106", file: M, line: 2 }],
  },
  {
    name: "YAML 1.1 boolean word as a string",
    files: { [T]: edit(TENANT, "{group: team-a, role: edit}", "{group: on, role: edit}") },
    expect: [{ code: "BERTH0107", file: T, line: 12, column: 15, severity: "warning" }],
  },
];

const fields: Case[] = [
  {
    name: "missing required field",
    files: { [M]: edit(MODEL, "  framework: sklearn\n", "") },
    expect: [{ code: "BERTH0200", file: M, line: 5, column: 1, message: /spec\.framework is required/ }],
  },
  {
    name: "unknown top-level field with suggestion",
    files: { [M]: edit(MODEL, "  autoscaling:", "  autoscale:") },
    expect: [{ code: "BERTH0201", file: M, line: 11, column: 3, hint: /did you mean `autoscaling`/ }],
  },
  {
    name: "unknown nested field",
    files: { [M]: edit(MODEL, "{minReplicas: 2, maxReplicas: 4}", "{minReplica: 2, maxReplicas: 4}") },
    expect: [{ code: "BERTH0201", file: M, line: 11, column: 17, message: /spec\.autoscaling\.minReplica$/, hint: /minReplicas/ }],
  },
  {
    name: "unknown field in a list item",
    files: { [M]: edit(MODEL, "traffic: 10}", "trafic: 10}") },
    expect: [{ code: "BERTH0201", file: M, line: 9, hint: /traffic/ }],
    others: true,
  },
  {
    name: "wrong type",
    files: { [M]: edit(MODEL, "minReplicas: 2", "minReplicas: two") },
    expect: [{ code: "BERTH0202", file: M, line: 11, column: 30, message: /expected a number, found the string "two"/ }],
  },
  {
    name: "a single value where a list is wanted",
    files: { [M]: edit(MODEL, "access: [team-a]", "access: team-a") },
    expect: [{ code: "BERTH0202", file: M, line: 14, column: 11, message: /expected a list, found the string "team-a"/, hint: /\[team-a\]/ }],
  },
  {
    name: "role outside view/edit/admin",
    files: { [T]: edit(TENANT, "role: edit", "role: editor") },
    expect: [
      { code: "BERTH0202", file: T, line: 12, column: 29, message: /"editor" is not a tenant role: write view, edit or admin/, hint: /did you mean `edit`/ },
    ],
  },
  {
    name: "minReplicas above maxReplicas",
    files: { [M]: edit(MODEL, "{minReplicas: 2, maxReplicas: 4}", "{minReplicas: 5, maxReplicas: 3}") },
    expect: [{ code: "BERTH0203", file: M, line: 11, column: 30, message: /minReplicas \(5\) is greater than maxReplicas \(3\)/ }],
  },
  {
    name: "metadata.name not DNS-1123",
    files: { "models/team-a/Fraud_Model.yaml": edit(MODEL, "name: fraud", "name: Fraud_Model"), [M]: null },
    expect: [{ code: "BERTH0204", line: 4, column: 9, hint: /fraud-model/ }],
  },
  {
    name: "wrong apiVersion",
    files: { [M]: edit(MODEL, "berth.dev/v1alpha1", "berth.dev/v1") },
    expect: [{ code: "BERTH0205", file: M, line: 1, column: 13 }],
  },
  {
    name: "kind in the wrong folder",
    files: { [T]: edit(TENANT, "kind: Tenant", "kind: Model") },
    expect: [{ code: "BERTH0206", file: T, line: 2, column: 7, message: /kind Model does not belong in tenants\// }],
    others: true,
  },
  {
    name: "unknown kind",
    files: { [T]: edit(TENANT, "kind: Tenant", "kind: Team") },
    expect: [{ code: "BERTH0206", file: T, line: 2, message: /unknown kind "Team"/ }],
  },
  {
    name: "file name differs from metadata.name",
    files: { [M]: edit(MODEL, "name: fraud", "name: fraud-detection") },
    expect: [{ code: "BERTH0207", file: M, line: 4, column: 9 }],
  },
  {
    name: "quantity with a byte unit",
    files: { [M]: edit(MODEL, "memory: 1Gi}", "memory: 1GB}") },
    expect: [{ code: "BERTH0208", file: M, line: 10, column: 45, hint: /1G .* 1Gi/ }],
  },
  {
    name: "quantity in words",
    files: { [M]: edit(MODEL, "cpu: 500m", "cpu: 2 cores") },
    expect: [{ code: "BERTH0208", file: M, line: 10, column: 31, hint: /"2" \(cores\) or "2000m"/ }],
  },
  {
    name: "memory in millibytes",
    files: { [M]: edit(MODEL, "memory: 1Gi}", "memory: 512m}") },
    expect: [{ code: "BERTH0209", severity: "warning", file: M, line: 10, hint: /512Mi/ }],
    others: true,
  },
  {
    name: "request above limit",
    files: { [M]: edit(MODEL, "cpu: 500m", "cpu: 1500m") },
    expect: [{ code: "BERTH0210", file: M, line: 10, column: 31, message: /requests\.cpu \(1500m\) is above resources\.limits\.cpu \(1\)/ }],
  },
  {
    name: "traffic does not sum to 100",
    files: { [M]: edit(MODEL, "traffic: 10}", "traffic: 5}") },
    expect: [{ code: "BERTH0211", file: M, line: 8, column: 5, message: /sums to 95/ }],
  },
  {
    name: "duplicate version name",
    files: { [M]: edit(MODEL, "name: v1.1.0", "name: v1.0.0") },
    expect: [{ code: "BERTH0212", file: M, line: 9, column: 14, message: /declared twice/ }],
    others: true,
  },
  {
    name: "version names that collide when DNS-safe",
    files: { [M]: edit(MODEL, "name: v1.1.0", "name: v1-0-0") },
    expect: [{ code: "BERTH0212", file: M, line: 9, message: /collides with v1\.0\.0/ }],
    others: true,
  },
  {
    name: "invalid version name",
    files: { [M]: edit(MODEL, "name: v1.1.0", "name: V1_1") },
    expect: [{ code: "BERTH0213", file: M, line: 9, column: 14, hint: /v1-1/ }],
  },
  {
    name: "image tagged latest",
    files: { [M]: edit(MODEL, "traffic: 10}", 'traffic: 10, image: "123456789012.dkr.ecr.us-east-1.amazonaws.com/x:latest"}') },
    expect: [{ code: "BERTH0214", file: M, line: 9, message: /other than latest/ }],
  },
  {
    name: "image without a tag",
    files: { [M]: edit(MODEL, "traffic: 10}", 'traffic: 10, image: "123456789012.dkr.ecr.us-east-1.amazonaws.com/x"}') },
    expect: [{ code: "BERTH0214", file: M, line: 9 }],
  },
  {
    name: "runtime image tagged latest",
    files: { [P]: edit(PLATFORM, "serving/sklearn:1.4.2", "serving/sklearn:latest") },
    expect: [{ code: "BERTH0214", file: P, line: 14, column: 14 }],
  },
  {
    name: "runtime image outside the allowed registries",
    files: { [P]: edit(PLATFORM, "123456789012.dkr.ecr.us-east-1.amazonaws.com/serving/sklearn:1.4.2", "ghcr.io/acme/sklearn:1.4.2") },
    expect: [{ code: "BERTH0215", file: P, line: 14 }],
  },
  {
    name: "image outside the allowed registries",
    files: { [M]: edit(MODEL, "traffic: 10}", 'traffic: 10, image: "docker.io/library/python:3.12"}') },
    expect: [{ code: "BERTH0215", file: M, line: 9, hint: /123456789012/ }],
  },
  {
    name: "env name not a C identifier",
    files: { [M]: edit(MODEL, "traffic: 10}", "traffic: 10, env: {LOG-LEVEL: info}}") },
    expect: [{ code: "BERTH0216", file: M, line: 9, hint: /LOG_LEVEL/ }],
  },
  {
    name: "env overriding a reserved name",
    files: { [M]: edit(MODEL, "traffic: 10}", "traffic: 10, env: {MODEL_ID: other}}") },
    expect: [{ code: "BERTH0217", file: M, line: 9 }],
  },
  {
    name: "unknown framework without an image",
    files: { [M]: edit(MODEL, "framework: sklearn", "framework: onnx") },
    expect: [{ code: "BERTH0218", file: M, line: 6, column: 14, hint: /sklearn/ }],
  },
  {
    name: "YAML reads 1.30 as a number",
    files: { [C]: edit(CLUSTER, 'kubernetesVersion: "1.35"', "kubernetesVersion: 1.30") },
    expect: [{ code: "BERTH0219", file: C, line: 8, column: 22, message: /1\.30 was read as a number/, hint: /"1\.30"/ }],
  },
  {
    name: "YAML 1.2 reads yes as a string where a boolean is wanted",
    files: { [C]: edit(CLUSTER, "gpu: true", "gpu: yes") },
    expect: [{ code: "BERTH0219", file: C, line: 11, hint: /write true/ }],
  },
  {
    name: "auth issuer over http",
    files: { [P]: edit(PLATFORM, "issuer: https://auth.example.com", "issuer: http://auth.example.com") },
    expect: [{ code: "BERTH0220", file: P, line: 20, column: 13 }],
  },
  {
    name: "override names an unknown version",
    files: { [M]: MODEL + "  overrides:\n    prod:\n      versions:\n        - {name: v9, traffic: 100}\n" },
    expect: [{ code: "BERTH0221", file: M, line: 18, column: 18 }],
  },
];

const references: Case[] = [
  {
    name: "model folder names no tenant",
    files: { "models/nobody/fraud.yaml": MODEL, [M]: null },
    expect: [{ code: "BERTH0301", file: "models/nobody/fraud.yaml", line: 1, column: 1 }],
  },
  {
    name: "tenant on an unknown cluster",
    files: { [T]: edit(TENANT, "clusters: [prod]", "clusters: [prod, prod-eu]") },
    expect: [{ code: "BERTH0302", file: T, line: 8, column: 20, message: /no cluster named prod-eu/ }],
  },
  {
    name: "model on an unknown pool",
    files: { [M]: MODEL + "  pool: gpu\n" },
    expect: [{ code: "BERTH0303", file: M, line: 15, column: 9, message: /no pool named gpu/ }],
  },
  {
    name: "routing to an unknown version",
    files: { [M]: edit(MODEL, "version: v1.1.0", "version: v2.0.0") },
    expect: [{ code: "BERTH0304", file: M, line: 13, column: 32 }],
  },
  {
    name: "model name used by another tenant",
    files: {
      "tenants/team-b.yaml": edit(edit(TENANT, "name: team-a", "name: team-b"), "namespace: team-a", "namespace: team-b"),
      "models/team-b/fraud.yaml": MODEL,
    },
    expect: [{ code: "BERTH0305", file: "models/team-b/fraud.yaml", line: 4, message: /also used by models\/team-a\/fraud\.yaml/ }],
  },
  {
    name: "namespace used by two tenants",
    files: { "tenants/team-b.yaml": edit(TENANT, "name: team-a", "name: team-b") },
    expect: [{ code: "BERTH0306", file: "tenants/team-b.yaml", line: 6, column: 14, message: /also used by tenants\/team-a\.yaml/ }],
  },
  {
    name: "reserved namespace",
    files: { [T]: edit(TENANT, "namespace: team-a", "namespace: kube-system") },
    expect: [{ code: "BERTH0307", file: T, line: 6, column: 14 }],
    others: true,
  },
  {
    name: "model on a cluster its tenant is not on",
    files: { "platform/clusters/dev.yaml": edit(CLUSTER, "name: prod", "name: dev"), [M]: MODEL + "  clusters: [prod, dev]\n" },
    expect: [{ code: "BERTH0308", file: M, line: 15, column: 20 }],
  },
  {
    name: "override for a cluster the model is not on",
    files: { [M]: MODEL + "  overrides:\n    staging:\n      autoscaling: {maxReplicas: 2}\n" },
    expect: [{ code: "BERTH0309", file: M, line: 16, column: 5 }],
  },
  {
    name: "derived name too long",
    files: { [M]: edit(MODEL, "name: v1.1.0", `name: v1.1.0-${"a".repeat(55)}`) },
    expect: [{ code: "BERTH0401", file: M, line: 9, message: /characters/ }],
    others: true,
  },
  {
    name: "model name starting with a digit",
    files: { "models/team-a/9fraud.yaml": edit(MODEL, "name: fraud", "name: 9fraud"), [M]: null },
    expect: [{ code: "BERTH0401", file: "models/team-a/9fraud.yaml", line: 4 }],
  },
];

describe("files", () => runTable(files));
describe("YAML", () => runTable(yaml));
describe("fields and values", () => runTable(fields));
describe("references", () => runTable(references));
