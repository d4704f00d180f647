import type { CodeInfo } from "./info.js";

/** Argo CD delivery and diff (08xx). */
export const gitopsCodes = {
  // 080x: the rendered Argo CD objects admit exactly what berth renders
  BERTH0801: {
    severity: "error",
    title: "object not admitted by its Argo CD project",
    example:
      "models/a/b.yaml:3:9: error BERTH0801: Deployment team-a/b-v1 (clusters/prod/tenants/a/b/deployment-b-v1.yaml): kind apps/Deployment is not in AppProject tenant-a's namespaceResourceWhitelist",
  },
  BERTH0802: {
    severity: "error",
    title: "object synced by no Argo CD Application, or by two",
    example:
      "models/a/b.yaml:3:9: error BERTH0802: ConfigMap team-a/x (clusters/prod/extra/configmap-x.yaml) is synced by no Application: Argo CD would never apply it",
  },
  BERTH0803: {
    severity: "error",
    title: "tenant project reaches beyond its namespace",
    example:
      'tenants/a.yaml:3:9: error BERTH0803: AppProject tenant-a (clusters/prod/apps/appproject-tenant-a.yaml): destination namespace "*" is not the tenant\'s namespace team-a',
  },
  // 081x: diff
  BERTH0810: {
    severity: "error",
    title: "git revision not found",
    example:
      "--base:1:1: error BERTH0810: git revision origin/mian is not a commit in /repo: unknown revision\n  hint: name an existing branch, tag or commit; in CI fetch the base branch (actions/checkout with fetch-depth: 0) and pass origin/<base>",
  },
  BERTH0811: {
    severity: "error",
    title: "not a git repository",
    example: "--base:1:1: error BERTH0811: /tmp/specs is not inside a git work tree (git: fatal: not a git repository)",
  },
} as const satisfies Record<string, CodeInfo>;
