// Fields the API server refuses to change on update, flagged by `diff` as immutable-field risks
// (kubernetes/kubernetes ValidateStatefulSetUpdate, ValidateDaemonSetUpdate, ValidateJobSpecUpdate,
// ValidateRoleBindingUpdate, ValidateDeploymentUpdate).
import { diffRenders } from "../../compiler/diff/match.js";
import { assessRisks } from "../../compiler/diff/risks.js";
import type { KubeObject, Rendered } from "../../compiler/emit/types.js";

const at = (object: KubeObject): Rendered => ({
  path: `clusters/prod/x/${object.kind}.yaml`,
  object,
  sources: [],
  origin: { file: "x.yaml", path: [] },
  owner: { cluster: "prod", tenant: "team-a", model: "fraud" },
});
const risks = (a: KubeObject, b: KubeObject) =>
  assessRisks(diffRenders([at(a)], [at(b)]))
    .filter((r) => r.kind === "immutable")
    .map((r) => r.message.split(":")[0]);
const kube = (apiVersion: string, kind: string, rest: object): KubeObject => ({ apiVersion, kind, metadata: { name: "fraud", namespace: "team-a" }, ...rest });

test("a Deployment or StatefulSet selector, a StatefulSet's serviceName and claim templates", () => {
  const sts = (app: string, svc: string, size: string) =>
    kube("apps/v1", "StatefulSet", {
      spec: {
        selector: { matchLabels: { app } },
        serviceName: svc,
        volumeClaimTemplates: [{ metadata: { name: "data" }, spec: { resources: { requests: { storage: size } } } }],
      },
    });
  expect(risks(sts("a", "s", "1Gi"), sts("b", "t", "2Gi"))).toEqual([
    "spec.selector is immutable on a StatefulSet",
    "spec.serviceName is immutable on a StatefulSet",
    // A claim template's storage growing gets the expansion runbook (docs/stores.md).
    "volumeClaimTemplates cannot change in place, so the sync fails until you act",
  ]);
  const dep = (v: string) => kube("apps/v1", "Deployment", { spec: { selector: { matchLabels: { v } } } });
  expect(risks(dep("1"), dep("2"))).toEqual(["spec.selector is immutable"]);
});

test("a Job's template and a RoleBinding's roleRef", () => {
  const job = (image: string) => kube("batch/v1", "Job", { spec: { template: { spec: { containers: [{ name: "c", image }] } } } });
  expect(risks(job("a:1"), job("a:2"))).toEqual(["spec.template is immutable on a Job"]);
  const rb = (role: string) =>
    kube("rbac.authorization.k8s.io/v1", "RoleBinding", { roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: role } });
  expect(risks(rb("view"), rb("edit"))).toEqual(["roleRef is immutable"]);
});

test("mutable fields are not flagged", () => {
  const sts = (replicas: number) => kube("apps/v1", "StatefulSet", { spec: { replicas, selector: { matchLabels: { app: "a" } } } });
  expect(risks(sts(1), sts(3))).toEqual([]);
});
