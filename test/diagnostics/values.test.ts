// Table tests for values that parse but that Kubernetes, Istio or a container cannot use as meant
// (BERTH0230-0236), with the exact place each one points at. The regression cases of issue 22
// (finding 7) are named after it.
import { compileFiles, edit, MODEL, PLATFORM, TENANT } from "../helpers/fixture.js";
import { runTable, type Case } from "../helpers/table.js";

/** The 1-based line of the first occurrence of `needle`: fixture edits move lines, tables should not care. */
function lineOf(text: string, needle: string): number {
  return text.slice(0, text.indexOf(needle)).split("\n").length;
}

const M = "models/team-a/fraud.yaml";
const T = "tenants/team-a.yaml";
const P = "platform/platform.yaml";

/** The model with `env` added to its second version, on line 9. */
const withEnv = (env: string) => ({ [M]: edit(MODEL, "traffic: 10}", `traffic: 10, env: {${env}}}`) });
const ENV_LINE = edit(MODEL, "traffic: 10}", "traffic: 10, env: {").split("\n")[8]!;
/** The column on line 9 just after `prefix`, the start of the env mapping. */
const envColumn = (prefix: string) => ENV_LINE.length + prefix.length + 1;
/** The column of `needle` on line `line` of `text`. */
const columnOf = (text: string, line: number, needle: string) => text.split("\n")[line - 1]!.indexOf(needle) + 1;
const withAccess = (groups: string) => ({ [M]: edit(MODEL, "access: [team-a]", `access: [team-a, ${groups}]`) });

const tags: Case[] = [
  {
    name: "issue 22: a custom tag is an error, not silently dropped",
    files: withEnv("MODE: !custom fast"),
    expect: [{ code: "BERTH0230", file: M, line: 9, column: envColumn("MODE: "), message: /unknown YAML tag !custom/, hint: /remove the tag/ }],
  },
  {
    name: "a YAML 1.1 !!binary tag",
    files: withEnv("BLOB: !!binary aGVsbG8="),
    expect: [{ code: "BERTH0230", file: M, line: 9, column: envColumn("BLOB: "), message: /unknown YAML tag !!binary/ }],
  },
  {
    name: "a YAML 1.1 !!timestamp tag",
    files: withEnv("SINCE: !!timestamp 2001-12-14"),
    expect: [{ code: "BERTH0230", line: 9, column: envColumn("SINCE: "), message: /!!timestamp/ }],
  },
  {
    name: "a custom tag on a mapping",
    files: { [M]: edit(MODEL, "  resources: {", "  resources: !limits {") },
    expect: [{ code: "BERTH0230", line: 10, column: 14, message: /!limits/ }],
  },
  {
    name: "a verbatim tag outside the core schema",
    files: withEnv("X: !<tag:example.com,2000:thing> y"),
    expect: [{ code: "BERTH0230", line: 9, column: envColumn("X: "), message: /!<tag:example\.com,2000:thing>/ }],
  },
  {
    name: "a core tag that does not fit its value",
    files: { [M]: edit(MODEL, "minReplicas: 2", "minReplicas: !!map 2") },
    expect: [{ code: "BERTH0230", line: 11, column: 30, message: /!!map does not fit its value/ }],
  },
  { name: "core tags are fine: !!str keeps 0755 a string", files: withEnv("MODE: !!str 0755, N: !!int 3"), expect: [] },
  {
    name: "a %YAML 1.1 directive, under which 0755 is octal and yes is true",
    files: { [M]: `%YAML 1.1\n---\n${MODEL}` },
    expect: [{ code: "BERTH0101", file: M, line: 1, column: 1, message: /declares %YAML 1\.1; berth reads YAML 1\.2/ }],
  },
];

const quantities: Case[] = [
  {
    name: 'issue 22: memory "-1Gi" is an error at the field',
    files: { [M]: edit(MODEL, "memory: 1Gi}", 'memory: "-1Gi"}') },
    expect: [{ code: "BERTH0231", file: M, line: 10, column: 45, message: /requests\.memory: "-1Gi" is negative/ }],
  },
  {
    name: "a negative cpu limit written as a number",
    files: { [M]: edit(MODEL, 'cpu: "1"', "cpu: -1") },
    expect: [{ code: "BERTH0231", line: 10, column: columnOf(MODEL, 10, '"1"'), message: /limits\.cpu: -1 is negative/ }],
  },
  {
    name: 'issue 22: cpu "0" beside the HPA\'s CPU-utilization target',
    files: { [M]: edit(MODEL, "cpu: 500m", 'cpu: "0"') },
    expect: [{ code: "BERTH0231", line: 10, column: 31, message: /requests\.cpu: "0" is zero/, hint: /HPA measures utilization against it/ }],
  },
  {
    name: "memory 0 requested",
    files: { [M]: edit(MODEL, "memory: 1Gi}", "memory: 0}") },
    expect: [{ code: "BERTH0231", line: 10, column: 45, message: /requests\.memory: 0 is zero/ }],
  },
  {
    name: "a zero memory limit, which Kubernetes reads as none",
    files: { [M]: edit(MODEL, "memory: 2Gi}", "memory: 0Gi}") },
    expect: [{ code: "BERTH0231", line: 10, column: columnOf(MODEL, 10, "2Gi"), hint: /no limit at all/ }],
  },
  {
    name: "zero cpu in the platform defaults",
    files: { [P]: edit(PLATFORM, "requests: {cpu: 500m", 'requests: {cpu: "0m"') },
    expect: [
      { code: "BERTH0231", file: P, line: lineOf(PLATFORM, "requests: {cpu: 500m"), column: 23, message: /defaults\.resources\.requests\.cpu: "0m" is zero/ },
    ],
  },
  {
    name: "a negative tenant quota",
    files: { [T]: edit(TENANT, 'cpu: "40"', 'cpu: "-40"') },
    expect: [{ code: "BERTH0231", file: T, line: 10, column: columnOf(TENANT, 10, '"40"'), message: /quota\.cpu: "-40" is negative/ }],
  },
  {
    name: "a quantity too large to be a number",
    files: { [M]: edit(MODEL, "cpu: 500m", 'cpu: "1e400"') },
    expect: [{ code: "BERTH0208", line: 10, column: 31, message: /"1e400" is not a Kubernetes quantity/ }],
  },
];

const groups: Case[] = [
  {
    name: "issue 22: a group named * in access",
    files: withAccess('"*"'),
    expect: [
      {
        code: "BERTH0232",
        file: M,
        line: 14,
        column: 20,
        message: /group name "\*" contains \*, which Istio's AuthorizationPolicy reads as a wildcard \(every caller with any group\)/,
      },
    ],
  },
  {
    name: "issue 22: a group named data-* in routing",
    files: { [M]: edit(MODEL, "{group: team-a, version: v1.1.0}", '{group: "data-*", version: v1.1.0}') },
    expect: [{ code: "BERTH0232", line: 13, column: columnOf(MODEL, 13, "team-a"), message: /every group starting with data-/ }],
  },
  {
    name: "a suffix wildcard in a tenant's access",
    files: { [T]: edit(TENANT, "{group: team-a, role: edit}", '{group: "*-admins", role: edit}') },
    expect: [{ code: "BERTH0232", file: T, line: 12, column: 15, message: /every group ending with -admins/ }],
  },
  {
    name: "issue 22: NUL in a group name",
    files: withAccess('"a\\0b"'),
    expect: [{ code: "BERTH0232", line: 14, column: 20, message: /control or format character U\+0000/ }],
  },
  { name: "issue 22: CR in a group name", files: withAccess('"a\\rb"'), expect: [{ code: "BERTH0232", message: /U\+000D/ }] },
  { name: "issue 22: TAB in a group name", files: withAccess('"a\\tb"'), expect: [{ code: "BERTH0232", message: /U\+0009/ }] },
  { name: "a right-to-left override in a group name", files: withAccess('"admins\\u202Esrotide"'), expect: [{ code: "BERTH0232", message: /U\+202E/ }] },
  {
    name: "a character outside the allowed set",
    files: withAccess('"team;drop"'),
    expect: [{ code: "BERTH0232", message: /";" \(U\+003B\)/, hint: /letters, digits, spaces inside/ }],
  },
  {
    name: "a group name longer than identity providers allow",
    files: withAccess(`g${"x".repeat(256)}`),
    expect: [{ code: "BERTH0232", message: /257 characters; berth allows 256/ }],
  },
  {
    name: "group names identity providers send are accepted",
    files: withAccess(
      '"Data Science (EU)", "cn=ml,ou=groups,dc=example,dc=com", team@example.com, /org/team, Développeurs, 3f2504e0-4f89-11d3-9a0c-0305e82c3301, "R&D + ops"',
    ),
    expect: [],
  },
];

const replicas: Case[] = [
  {
    name: "issue 22: maxReplicas above the limit",
    files: { [M]: edit(MODEL, "maxReplicas: 4", "maxReplicas: 5000") },
    expect: [{ code: "BERTH0233", line: 11, column: 46, message: /maxReplicas: 5000 is above berth's limit of 1000 replicas per version/, hint: /Endpoints/ }],
  },
  {
    name: "maxReplicas above the limit in the platform defaults",
    files: { [P]: edit(PLATFORM, "maxReplicas: 10", "maxReplicas: 1001") },
    expect: [{ code: "BERTH0233", file: P, line: lineOf(PLATFORM, "maxReplicas: 10"), column: 20 }],
  },
  {
    name: "maxReplicas at the limit is fine",
    files: { [M]: edit(MODEL, "maxReplicas: 4", "maxReplicas: 1000") },
    expect: [{ code: "BERTH0610", severity: "warning" }],
    others: true,
  },
];

const env: Case[] = [
  {
    name: "issue 22: a 10 MB env value names the limit",
    files: withEnv(`BLOB: ${"x".repeat(10 * 1024 * 1024)}`),
    expect: [
      {
        code: "BERTH0234",
        line: 9,
        column: envColumn("BLOB: "),
        message: /BLOB=\.\.\. is 10485766 bytes; Linux refuses .* over 131072 bytes \(MAX_ARG_STRLEN\)/,
      },
    ],
  },
  { name: "an env value just under MAX_ARG_STRLEN is fine", files: withEnv(`BLOB: ${"x".repeat(131072 - 6)}`), expect: [] },
  {
    name: "an env value one byte over MAX_ARG_STRLEN",
    files: withEnv(`BLOB: ${"x".repeat(131072 - 5)}`),
    expect: [{ code: "BERTH0234", message: /131073 bytes/ }],
  },
  { name: "NUL in an env value", files: withEnv('X: "a\\0b"'), expect: [{ code: "BERTH0234", line: 9, column: envColumn("X: "), message: /NUL character/ }] },
  {
    name: "env ~ is null, not text: quotes asked for",
    files: withEnv("X: ~"),
    expect: [{ code: "BERTH0219", line: 9, column: envColumn("X: "), message: /env\.X: ~ was read as null/, hint: /quote it \("~"\)/ }],
  },
  { name: "an empty env value", files: withEnv("X: , Y: 1"), expect: [{ code: "BERTH0219", line: 9, message: /env\.X: has no value/, hint: /write ""/ }] },
  {
    name: "issue 22: a Deployment larger than 1 MiB names the limit and its largest field",
    files: withEnv(Array.from({ length: 10 }, (_, i) => `V${i}: ${"x".repeat(120_000)}`).join(", ")),
    expect: [
      {
        code: "BERTH0235",
        file: M,
        line: 9,
        column: 7,
        message:
          /Deployment fraud-v1-1-0 \(clusters\/prod\/tenants\/team-a\/fraud\/deployment-fraud-v1-1-0\.yaml\) is 1\.15 MiB as JSON; berth keeps every object within 1 MiB, below etcd's 1\.5 MiB request limit; largest field: spec\.template\.spec\.containers\[0\]\.env/,
      },
    ],
  },
];

const AWS_KEY = "AKIAIOSFODNN7EXAMPLE";
const credentials: Case[] = [
  {
    name: "issue 22: an AWS access key id in env",
    files: withEnv(`AWS_ACCESS_KEY_ID: ${AWS_KEY}`),
    expect: [
      {
        code: "BERTH0236",
        severity: "warning",
        line: 9,
        column: envColumn("AWS_ACCESS_KEY_ID: "),
        message: /env\.AWS_ACCESS_KEY_ID looks like an AWS access key id/,
        hint: /Secrets Manager .* Kubernetes Secret/,
      },
    ],
  },
  {
    name: "a GitHub token in an override's env",
    files: { [M]: `${MODEL}  overrides:\n    prod:\n      versions:\n        - {name: v1.1.0, env: {GH: ghp_${"a1B2".repeat(9)}}}\n` },
    expect: [{ code: "BERTH0236", severity: "warning", line: 18, column: 36, message: /overrides\.prod\.versions\[0\]\.env\.GH looks like a GitHub token/ }],
  },
  {
    name: "a credential's value is never printed",
    files: withEnv(`K: ${AWS_KEY}`),
    expect: [{ code: "BERTH0236", severity: "warning", message: /^(?!.*AKIAIOSFODNN7EXAMPLE)/ }],
  },
];

describe("YAML tags", () => runTable(tags));
describe("quantities", () => runTable(quantities));
describe("group names", () => runTable(groups));
describe("replicas", () => runTable(replicas));
describe("environment variables and object size", () => runTable(env));
describe("credentials", () => runTable(credentials));

test("issue 22: a credential warning does not stop the model from rendering", () => {
  const result = compileFiles(withEnv(`AWS_ACCESS_KEY_ID: ${AWS_KEY}`));
  expect(result.diagnostics.map((d) => d.code)).toEqual(["BERTH0236"]);
  expect(result.files.some((f) => f.path.endsWith("deployment-fraud-v1-1-0.yaml"))).toBe(true);
});
