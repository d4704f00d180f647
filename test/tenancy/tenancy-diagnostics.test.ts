// Table tests for the tenant checks: roles, groups, namespaces and quota fit.
import { CLUSTER, MODEL, PLATFORM, TENANT, edit } from "../helpers/fixture.js";
import { runTable } from "../helpers/table.js";

const T = "tenants/team-a.yaml";
const quota = (q: string) => ({ [T]: edit(TENANT, 'quota: {cpu: "40", memory: 160Gi, gpu: 4, pods: 100}', `quota: ${q}`) });
const access = (lines: string) => ({ [T]: edit(TENANT, "    - {group: team-a, role: edit}\n", lines) });
const tenantB = (namespaceLine: string, name = "team-b") => ({
  [`tenants/${name}.yaml`]: edit(edit(TENANT, "name: team-a", `name: ${name}`), "  namespace: team-a\n", namespaceLine),
});
const STAGING = edit(CLUSTER, "name: prod", "name: staging");

describe("roles and groups", () => {
  runTable([
    {
      name: "a role outside view/edit/admin names the three roles and the nearest",
      files: access("    - {group: team-a, role: viewer}\n"),
      expect: [
        {
          code: "BERTH0202",
          file: T,
          line: 12,
          column: 29,
          message: /spec\.access\[0\]\.role: "viewer" is not a tenant role: write view, edit or admin$/,
          hint: /did you mean `view`\? view reads the namespace/,
        },
      ],
    },
    {
      name: "a cluster-wide role is refused as such",
      files: access("    - {group: team-a, role: cluster-admin}\n"),
      expect: [
        {
          code: "BERTH0202",
          file: T,
          line: 12,
          message: /"cluster-admin" is not a tenant role.*cluster-wide roles are never granted to a tenant/,
          hint: /bound inside the tenant's namespace only/,
        },
      ],
    },
    {
      name: "a role word people use for admin",
      files: access("    - {group: team-a, role: owner}\n"),
      expect: [{ code: "BERTH0202", file: T, line: 12, hint: /did you mean `admin`\?/ }],
    },
    {
      name: "an empty group is rejected",
      files: access('    - {group: "", role: view}\n'),
      expect: [{ code: "BERTH0202", file: T, line: 12, column: 15, message: /spec\.access\[0\]\.group: group name is empty/ }],
    },
    {
      name: "a blank group is rejected",
      files: access('    - {group: "  ", role: view}\n'),
      expect: [{ code: "BERTH0202", file: T, line: 12, message: /group name is empty/ }],
    },
    {
      name: "BERTH0501: a group listed twice points at the second entry",
      files: access("    - {group: team-a, role: edit}\n    - {group: ops, role: view}\n    - {group: team-a, role: admin}\n"),
      expect: [
        {
          code: "BERTH0501",
          file: T,
          line: 14,
          column: 15,
          message: /group team-a is already granted edit at spec\.access\[0\]/,
          hint: /one entry with the widest role/,
        },
      ],
    },
  ]);
});

describe("namespaces", () => {
  runTable([
    {
      name: "BERTH0306: two tenants claim one namespace",
      files: tenantB("  namespace: team-a\n"),
      expect: [{ code: "BERTH0306", file: "tenants/team-b.yaml", line: 6, column: 14, message: /namespace team-a is also used by tenants\/team-a\.yaml/ }],
    },
    {
      name: "BERTH0306: a defaulted namespace collides with another tenant's explicit one",
      files: { ...tenantB("  namespace: team-b\n"), [T]: edit(TENANT, "namespace: team-a", "namespace: team-b") },
      expect: [{ code: "BERTH0306", file: "tenants/team-b.yaml", line: 6, message: /namespace team-b is also used by tenants\/team-a\.yaml/ }],
    },
    ...["default", "kube-system", "kube-public", "istio-system", "argocd", "monitoring", "ai-platform", "amazon-cloudwatch"].map((ns) => ({
      name: `BERTH0307: ${ns} is reserved`,
      files: { [T]: edit(TENANT, "namespace: team-a", `namespace: ${ns}`) },
      expect: [{ code: "BERTH0307" as const, file: T, line: 6, column: 14, message: new RegExp(`namespace ${ns} is reserved`) }],
    })),
    {
      name: "BERTH0307: the ingress gateway's namespace is reserved",
      files: {
        "platform/platform.yaml": edit(PLATFORM, "gateway: istio-system/models-gateway", "gateway: mesh-gw/models"),
        [T]: edit(TENANT, "namespace: team-a", "namespace: mesh-gw"),
      },
      expect: [{ code: "BERTH0307", file: T, line: 6, message: /namespace mesh-gw is reserved/ }],
    },
    {
      name: "BERTH0307: a namespace defaulted from the tenant name points at metadata.name",
      files: tenantB("", "monitoring"),
      expect: [{ code: "BERTH0307", file: "tenants/monitoring.yaml", line: 4, column: 9, message: /namespace monitoring is reserved/ }],
    },
  ]);
});

// fraud: 2 versions x 2..4 replicas of 500m/1Gi, each pod plus the sidecar's 100m/128Mi.
describe("quota fit", () => {
  runTable([
    {
      name: "BERTH0502: cpu at minimum replicas, sidecar included, at quota.cpu",
      files: quota('{cpu: "2", memory: 160Gi, gpu: 4, pods: 100}'),
      expect: [
        {
          code: "BERTH0502",
          file: T,
          line: 10,
          column: 16,
          message:
            /^on cluster prod the models of tenant team-a request 2\.4 cpu at minimum replicas; quota\.cpu is 2 \(each pod includes the Istio sidecar's 100m cpu and 128Mi memory\); largest: fraud 2\.4 \(4 pods × 600m\)$/,
          hint: /raise quota\.cpu to at least 2\.4/,
        },
      ],
    },
    {
      name: "BERTH0502: memory at minimum replicas",
      files: quota('{cpu: "40", memory: 4Gi, gpu: 4, pods: 100}'),
      expect: [
        {
          code: "BERTH0502",
          file: T,
          line: 10,
          column: 30,
          message: /request 4\.5Gi memory at minimum replicas; quota\.memory is 4Gi.*fraud 4\.5Gi \(4 pods × 1\.125Gi\)/,
        },
      ],
    },
    {
      name: "BERTH0502: pods at minimum replicas",
      files: quota('{cpu: "40", memory: 160Gi, gpu: 4, pods: 3}'),
      expect: [
        {
          code: "BERTH0502",
          file: T,
          line: 10,
          column: 51,
          message: /request 4 pods at minimum replicas; quota\.pods is 3; largest: fraud 4$/,
          hint: /lower minReplicas/,
        },
      ],
    },
    {
      name: "BERTH0502: GPUs against an unset quota.gpu point at quota",
      files: {
        ...quota('{cpu: "40", memory: 160Gi, pods: 100}'),
        "models/team-a/fraud.yaml": edit(MODEL, 'limits: {cpu: "1", memory: 2Gi}}', 'limits: {cpu: "1", memory: 2Gi}, gpu: 1}'),
      },
      expect: [
        {
          code: "BERTH0502",
          file: T,
          line: 10,
          column: 10,
          message: /request 4 GPUs at minimum replicas; quota\.gpu \(unset, so 0\) is 0/,
          hint: /resources\.gpu/,
        },
      ],
    },
    {
      name: "BERTH0502: the largest models come first",
      files: {
        ...quota('{cpu: "5", memory: 160Gi, gpu: 4, pods: 100}'),
        "models/team-a/scorer.yaml": edit(edit(MODEL, "name: fraud", "name: scorer"), "cpu: 500m, memory: 1Gi}", "cpu: 900m, memory: 1Gi}"),
      },
      expect: [
        { code: "BERTH0502", file: T, line: 10, column: 16, message: /request 6\.4 cpu .*largest: scorer 4 \(4 pods × 1\), fraud 2\.4 \(4 pods × 600m\)$/ },
      ],
    },
    {
      name: "BERTH0502: checked per cluster, where the override lands",
      files: {
        "platform/clusters/staging.yaml": STAGING,
        [T]: edit(edit(TENANT, "clusters: [prod]", "clusters: [prod, staging]"), 'cpu: "40"', 'cpu: "4"'),
        "models/team-a/fraud.yaml": MODEL + "  overrides:\n    staging: {autoscaling: {minReplicas: 4, maxReplicas: 4}}\n",
      },
      expect: [{ code: "BERTH0502", file: T, line: 10, column: 16, message: /^on cluster staging the models of tenant team-a request 4\.8 cpu/ }],
    },
    {
      name: "BERTH0503: cpu at maximum replicas is a warning",
      files: quota('{cpu: "4", memory: 160Gi, gpu: 4, pods: 100}'),
      expect: [
        {
          code: "BERTH0503",
          severity: "warning",
          file: T,
          line: 10,
          column: 16,
          message: /may request 4\.8 cpu at maximum replicas; quota\.cpu is 4, so autoscaling stops short/,
          hint: /raise quota\.cpu to 4\.8/,
        },
      ],
    },
    {
      name: "BERTH0503: pods at maximum replicas",
      files: quota('{cpu: "40", memory: 160Gi, gpu: 4, pods: 6}'),
      expect: [{ code: "BERTH0503", severity: "warning", file: T, line: 10, column: 51, message: /may request 8 pods at maximum replicas; quota\.pods is 6/ }],
    },
  ]);
});

describe("an invalid tenant or cluster is reported once, not again by each reference", () => {
  runTable([
    {
      name: "the models of an invalid tenant do not add 'names no tenant'",
      files: access("    - {group: team-a, role: owner}\n"),
      expect: [{ code: "BERTH0202", file: T, line: 12 }],
    },
    {
      name: "the tenants of an invalid cluster do not add 'no cluster named'",
      files: { "platform/clusters/prod.yaml": edit(CLUSTER, "region: us-east-1", "region: 5") },
      expect: [{ code: "BERTH0219", file: "platform/clusters/prod.yaml", line: 7 }],
    },
  ]);
});
