// Table tests for the traffic and access diagnostics (07xx), and the older codes they lean on
// (BERTH0211, BERTH0304) where per-cluster overrides move the position.
import { edit, MODEL, PLATFORM, TENANT } from "../helpers/fixture.js";
import { runTable } from "../helpers/table.js";

const MODEL_FILE = "models/team-a/fraud.yaml";
const withOverride = (override: string) => `${MODEL}  overrides:\n    prod:\n${override}`;

const TENANT_B = edit(edit(TENANT, "name: team-a", "name: team-b"), "namespace: team-a", "namespace: team-b");

runTable([
  {
    name: "BERTH0305 two tenants' models claim the same model-id, naming both files",
    files: { "tenants/team-b.yaml": TENANT_B, "models/team-b/fraud.yaml": MODEL },
    expect: [
      {
        code: "BERTH0305",
        file: "models/team-b/fraud.yaml",
        line: 4,
        column: 9,
        message: /model name fraud is also used by models\/team-a\/fraud.yaml; the name is the model-id on the shared host/,
      },
    ],
  },
  {
    name: "BERTH0701 ingress host with a scheme",
    files: { "platform/platform.yaml": edit(PLATFORM, "host: models.example.internal", "host: https://models.example.internal") },
    expect: [
      {
        code: "BERTH0701",
        file: "platform/platform.yaml",
        line: 17,
        column: 11,
        message: /ingress host "https:\/\/models.example.internal" is not a fully qualified DNS name/,
        hint: /bare host name: models\.example\.internal/,
      },
    ],
  },
  {
    name: "BERTH0701 ingress host that is a single label",
    files: { "platform/platform.yaml": edit(PLATFORM, "host: models.example.internal", "host: models") },
    expect: [{ code: "BERTH0701", line: 17, column: 11, message: /"models" is not a fully qualified DNS name/ }],
  },
  {
    name: "BERTH0701 wildcard ingress host",
    files: { "platform/platform.yaml": edit(PLATFORM, "host: models.example.internal", 'host: "*.example.internal"') },
    expect: [{ code: "BERTH0701", line: 17, column: 11, hint: /without a wildcard/ }],
  },
  {
    name: "BERTH0702 gateway without its namespace",
    files: { "platform/platform.yaml": edit(PLATFORM, "gateway: istio-system/models-gateway", "gateway: models-gateway") },
    expect: [
      {
        code: "BERTH0702",
        file: "platform/platform.yaml",
        line: 18,
        column: 14,
        message: /gateway "models-gateway" is not <namespace>\/<name>/,
        hint: /istio-system\/models-gateway/,
      },
    ],
  },
  {
    name: "BERTH0702 gateway with two slashes",
    files: { "platform/platform.yaml": edit(PLATFORM, "gateway: istio-system/models-gateway", "gateway: istio-system/gw/extra") },
    expect: [{ code: "BERTH0702", line: 18, column: 14 }],
  },
  {
    name: "BERTH0703 the same group routed twice: the second rule can never match",
    files: {
      [MODEL_FILE]: edit(MODEL, "    - {group: team-a, version: v1.1.0}\n", "    - {group: team-a, version: v1.1.0}\n    - {group: team-a, version: v1.0.0}\n"),
    },
    expect: [
      {
        code: "BERTH0703",
        file: MODEL_FILE,
        line: 14,
        column: 7,
        message:
          /route fraud-group-team-a-1 \(routing\[1\] \(group team-a\), models\/team-a\/fraud.yaml\) can never match on cluster prod: fraud-group-team-a \(routing\[0\] \(group team-a\), models\/team-a\/fraud.yaml\) comes first/,
      },
    ],
  },
  {
    name: "BERTH0703 an identical group rule listed twice",
    files: {
      [MODEL_FILE]: edit(MODEL, "    - {group: team-a, version: v1.1.0}\n", "    - {group: team-a, version: v1.1.0}\n    - {group: team-a, version: v1.1.0}\n"),
    },
    expect: [{ code: "BERTH0703", line: 14, column: 7 }],
  },
  {
    name: "BERTH0705 routing group outside access",
    files: { [MODEL_FILE]: edit(MODEL, "{group: team-a, version: v1.1.0}", "{group: beta-testers, version: v1.1.0}") },
    expect: [
      {
        code: "BERTH0705",
        file: MODEL_FILE,
        line: 13,
        column: 15,
        message: /routing sends group beta-testers to v1.1.0, but beta-testers is not in access \(team-a\)/,
        hint: /add beta-testers to access/,
      },
    ],
  },
  {
    name: "BERTH0705 access overridden on one cluster leaves a routing group out",
    files: { [MODEL_FILE]: withOverride("      access: [team-b]\n") },
    expect: [{ code: "BERTH0705", line: 13, column: 15, message: /team-a to v1.1.0 on cluster prod, but team-a is not in access \(team-b\)/ }],
  },
  {
    name: "BERTH0706 empty access is a warning",
    files: { [MODEL_FILE]: edit(MODEL, "access: [team-a]", "access: []") },
    expect: [
      {
        code: "BERTH0706",
        severity: "warning",
        file: MODEL_FILE,
        line: 14,
        column: 11,
        message: /access is empty: the model's AuthorizationPolicy denies every caller/,
      },
    ],
  },
  {
    name: "BERTH0706 no access at all is a warning",
    files: { [MODEL_FILE]: edit(MODEL, "  access: [team-a]\n", "") },
    expect: [{ code: "BERTH0706", severity: "warning", file: MODEL_FILE }],
  },
  {
    name: "BERTH0211 traffic overridden per cluster points at the override",
    files: { [MODEL_FILE]: withOverride("      versions:\n        - {name: v1.0.0, traffic: 60}\n") },
    expect: [{ code: "BERTH0211", file: MODEL_FILE, line: 18, column: 35, message: /sums to 70, not 100 \(v1.0.0=60, v1.1.0=10\) on cluster prod/ }],
  },
  {
    name: "BERTH0304 routing overridden per cluster to an unknown version",
    files: { [MODEL_FILE]: withOverride("      routing:\n        - {group: team-a, version: v9}\n") },
    expect: [{ code: "BERTH0304", file: MODEL_FILE, line: 18, column: 36, message: /version v9, which the model does not declare/ }],
  },
]);
