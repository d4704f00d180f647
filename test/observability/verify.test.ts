// The observability verifiers on mutated output (BERTH1604, BERTH1605 are berth bugs: no spec can
// cause them), and the properties the rendered configuration must keep: one monitor per pod, the
// platform's Prometheus selecting exactly berth's label, bounded caller groups, PromQL that
// Prometheus parses, dashboards that stay small at 1,000 models.
import { Diagnostics, type Diagnostic } from "../../compiler/diagnostics.js";
import { PROMETHEUS_SELECTOR } from "../../compiler/emit/meta.js";
import { callerGroupExpression, OTHER_GROUP } from "../../compiler/emit/observability.js";
import { MODELS_PER_DASHBOARD, tenantDashboards } from "../../compiler/emit/observability-dashboards.js";
import { bucketMatcher, budgetOf } from "../../compiler/emit/observability-rules.js";
import type { Rendered } from "../../compiler/emit/types.js";
import type { ModelPlan } from "../../compiler/plan/types.js";
import { verifyObservability } from "../../compiler/verify/observability.js";
import { checkExpr, namesOf } from "../../compiler/verify/promql.js";
import { MAX_OBJECT_BYTES } from "../../compiler/verify/size.js";
import { goRegExp } from "../../compiler/verify/strict.js";
import { compileFiles, MODEL } from "../helpers/fixture.js";

type Mutable = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const base = compileFiles({ "models/team-a/fraud.yaml": MODEL + "  slo: {availability: 99.9, latencyP99: 250ms}\n" });
const plan = base.plan!;
const MONITOR = "clusters/prod/platform/tenants/team-a/podmonitor-berth-workloads.yaml";
const RULE = "clusters/prod/tenants/team-a/fraud/prometheusrule-fraud-slo.yaml";
const DEPLOYMENT = "clusters/prod/tenants/team-a/fraud/deployment-fraud-v1-0-0.yaml";

function run(mutate: (objects: Rendered[]) => void): Diagnostic[] {
  const objects = structuredClone(base.objects) as Rendered[];
  mutate(objects);
  const diags = new Diagnostics();
  verifyObservability(plan, objects, diags);
  return diags.items;
}
const at = (objects: Rendered[], path: string): Mutable => {
  const r = objects.find((o) => o.path === path);
  if (!r) throw new Error(`no object at ${path}`);
  return r.object as Mutable;
};
const firstRule = (o: Rendered[]) => at(o, RULE).spec.groups[0].rules[0];

test("the fixture renders a rule, a monitor and dashboards, and nothing to report", () => {
  expect(base.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
  expect(run(() => {})).toEqual([]);
});

test.each([
  ["a pod no monitor selects", (o: Rendered[]) => o.splice(o.findIndex((r) => r.path === MONITOR), 1), /its pods are selected by 0 PodMonitors on cluster prod, not exactly one/],
  ["a pod two monitors select", (o: Rendered[]) => {
    const copy = structuredClone(o.find((r) => r.path === MONITOR)!);
    copy.object.metadata.name = "copy";
    o.push({ ...copy, path: MONITOR.replace("berth-workloads", "copy") });
  }, /selected by 2 PodMonitors .*team-a\/berth-workloads, team-a\/copy/],
  ["a monitor on a port the pod does not declare", (o: Rendered[]) => (at(o, MONITOR).spec.podMetricsEndpoints[0].port = "metrics"), /scrapes port metrics, which no container of the pod declares/],
  ["a pod without the workload label", (o: Rendered[]) => delete at(o, DEPLOYMENT).spec.template.metadata.labels["berth.dev/workload"], /selected by 0 PodMonitors/],
])("BERTH1605: %s", (_name, mutate, message) => {
  const diags = run(mutate as (o: Rendered[]) => void);
  expect(diags.some((d) => d.code === "BERTH1605" && message.test(d.message))).toBe(true);
  // Without its monitor the pods' series lose their labels too, so the rules over them fail (BERTH1604).
  expect(diags.every((d) => d.code === "BERTH1605" || d.code === "BERTH1604")).toBe(true);
});

test("a store pod with berth's workload label is covered by the same monitor", () => {
  const diags = run((o) => {
    const d = structuredClone(o.find((r) => r.path === DEPLOYMENT)!);
    const template = (d.object as Mutable).spec.template;
    template.metadata.labels["berth.dev/workload"] = "store";
    o.push({ ...d, path: DEPLOYMENT.replace("deployment-", "statefulset-"), object: { apiVersion: "apps/v1", kind: "StatefulSet", metadata: d.object.metadata, spec: { serviceName: "x", selector: {}, template } } });
  });
  expect(diags).toEqual([]);
});

test("a batch pod (no sidecar) is not the meshed monitor's: without the batch monitor it is uncovered", () => {
  const diags = run((o) => {
    const d = structuredClone(o.find((r) => r.path === DEPLOYMENT)!);
    const template = (d.object as Mutable).spec.template;
    template.metadata.labels["berth.dev/workload"] = "batch";
    o.push({ ...d, path: DEPLOYMENT.replace("deployment-", "cronjob-"), object: { apiVersion: "batch/v1", kind: "CronJob", metadata: d.object.metadata, spec: { schedule: "0 2 * * *", jobTemplate: { spec: { template } } } } });
  });
  expect(diags.map((d) => d.code)).toEqual(["BERTH1605"]);
  expect(diags[0]!.message).toMatch(/CronJob .* selected by 0 PodMonitors/);
});
