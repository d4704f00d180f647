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
  [
    "a pod no monitor selects",
    (o: Rendered[]) =>
      o.splice(
        o.findIndex((r) => r.path === MONITOR),
        1,
      ),
    /its pods are selected by 0 PodMonitors on cluster prod, not exactly one/,
  ],
  [
    "a pod two monitors select",
    (o: Rendered[]) => {
      const copy = structuredClone(o.find((r) => r.path === MONITOR)!);
      copy.object.metadata.name = "copy";
      o.push({ ...copy, path: MONITOR.replace("berth-workloads", "copy") });
    },
    /selected by 2 PodMonitors .*team-a\/berth-workloads, team-a\/copy/,
  ],
  [
    "a monitor on a port the pod does not declare",
    (o: Rendered[]) => (at(o, MONITOR).spec.podMetricsEndpoints[0].port = "metrics"),
    /scrapes port metrics, which no container of the pod declares/,
  ],
  [
    "a pod without the workload label",
    (o: Rendered[]) => delete at(o, DEPLOYMENT).spec.template.metadata.labels["berth.dev/workload"],
    /selected by 0 PodMonitors/,
  ],
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
    o.push({
      ...d,
      path: DEPLOYMENT.replace("deployment-", "statefulset-"),
      object: { apiVersion: "apps/v1", kind: "StatefulSet", metadata: d.object.metadata, spec: { serviceName: "x", selector: {}, template } },
    });
  });
  expect(diags).toEqual([]);
});

test("a batch pod (no sidecar) is not the meshed monitor's: without the batch monitor it is uncovered", () => {
  const diags = run((o) => {
    const d = structuredClone(o.find((r) => r.path === DEPLOYMENT)!);
    const template = (d.object as Mutable).spec.template;
    template.metadata.labels["berth.dev/workload"] = "batch";
    o.push({
      ...d,
      path: DEPLOYMENT.replace("deployment-", "cronjob-"),
      object: { apiVersion: "batch/v1", kind: "CronJob", metadata: d.object.metadata, spec: { schedule: "0 2 * * *", jobTemplate: { spec: { template } } } },
    });
  });
  expect(diags.map((d) => d.code)).toEqual(["BERTH1605"]);
  expect(diags[0]!.message).toMatch(/CronJob .* selected by 0 PodMonitors/);
});

test.each([
  ["a rule that does not parse", (o: Rendered[]) => (firstRule(o).expr = "sum(rate(istio_requests_total[5m])"), /does not parse as PromQL/],
  [
    "a metric nothing scrapes",
    (o: Rendered[]) => (firstRule(o).expr = 'rate(model_inference_seconds_count{model="fraud"}[5m])'),
    /names metric model_inference_seconds_count, which no rendered monitor, Telemetry or recording rule produces/,
  ],
  [
    "a label nothing produces",
    (o: Rendered[]) => (firstRule(o).expr = 'rate(istio_requests_total{caller_grop="x"}[5m])'),
    /names label caller_grop of istio_requests_total/,
  ],
  [
    "a grouping label none of the series carries",
    (o: Rendered[]) => (firstRule(o).expr = "sum by (user_group) (rate(istio_requests_total[5m]))"),
    /groups by label user_group/,
  ],
  [
    "a caller-group panel once the Telemetry is gone",
    (o: Rendered[]) =>
      o.splice(
        o.findIndex((r) => r.object.kind === "Telemetry"),
        1,
      ),
    /names label caller_group of istio_requests_total/,
  ],
  [
    "a recorded series no rule records",
    (o: Rendered[]) =>
      (at(o, RULE).spec.groups[0].rules = at(o, RULE).spec.groups[0].rules.filter((r: Mutable) => r.record !== "model:istio_request_errors:ratio_rate1h")),
    /names metric model:istio_request_errors:ratio_rate1h/,
  ],
])("BERTH1604: %s", (_name, mutate, message) => {
  const diags = run(mutate as (o: Rendered[]) => void);
  expect(diags.some((d) => d.code === "BERTH1604" && message.test(d.message))).toBe(true);
});

test("the platform's Prometheus selects exactly the label on berth's monitors and rules", () => {
  const stack = base.objects.find((r) => r.object.kind === "Application" && (r.object as Mutable).spec.source.chart === "kube-prometheus-stack")!;
  const values = (stack.object as Mutable).spec.source.helm.valuesObject;
  for (const key of ["podMonitorSelector", "serviceMonitorSelector", "ruleSelector"])
    expect(values.prometheus.prometheusSpec[key]).toEqual({ matchLabels: PROMETHEUS_SELECTOR });
  expect(values.commonLabels).toEqual(PROMETHEUS_SELECTOR);
  for (const r of base.objects.filter((o) => ["PodMonitor", "PrometheusRule"].includes(o.object.kind)))
    expect(r.object.metadata.labels).toMatchObject(PROMETHEUS_SELECTOR);
});

describe("the caller group at the gateway", () => {
  test("only the groups the platform knows, else other, in one flat list", () => {
    const expr = callerGroupExpression(["a", "b"], "groups");
    expect(expr).toContain('["a", "b"].filter(g, g in metadata.filter_metadata["envoy.filters.http.jwt_authn"]["payload"]["groups"])[0]');
    expect(expr.endsWith(`: "${OTHER_GROUP}"`)).toBe(true);
    expect(callerGroupExpression([], "groups")).toBe(`"${OTHER_GROUP}"`);
  });
  test("a group with quotes stays one CEL string", () => {
    expect(callerGroupExpression(['we"ird\\'], "groups")).toContain('["we\\"ird\\\\"]');
  });
  test("the rendered Telemetry lists every group of the cluster once, sorted", () => {
    const t = base.objects.find((r) => r.object.kind === "Telemetry")!.object as Mutable;
    const value: string = t.spec.metrics[0].overrides[0].tagOverrides.caller_group.value;
    expect(value.match(/\[("[^\]]*")\]\.filter/)![1]).toBe('"team-a"');
  });
});

describe("PromQL", () => {
  test("the latency bucket matches both Prometheus 2 and 3 spellings of le", () => {
    const re = (ms: number) => new RegExp(`^(?:${JSON.parse(bucketMatcher(ms).slice(4))})$`);
    expect(re(250).test("250") && re(250).test("250.0") && !re(250).test("2500")).toBe(true);
    expect(re(0.5).test("0.5") && !re(0.5).test("005")).toBe(true);
  });
  test("budgets carry no float noise", () => expect([budgetOf(99.9), budgetOf(99.95), budgetOf(99)]).toEqual([0.001, 0.0005, 0.01]));
  test("label values do not change the shape that is parsed once", () => {
    expect(namesOf('x{a="1"}')).toBe(namesOf('x{a="2"}'));
    expect(checkExpr('x{a="}"}', new Map([["x", new Set(["a"])]]))).toBeUndefined();
  });
});

test("the RE2 inline flags of CRD patterns become RegExp flags", () => {
  const re = goRegExp("^(?i)(abort|warn)?$", "u");
  expect(re.test("ABORT") && re.test("") && !re.test("x")).toBe(true);
  expect(goRegExp("^a$", "u").test("A")).toBe(false);
});

test(`1,000 models of one tenant: dashboards of ${MODELS_PER_DASHBOARD} models each, every ConfigMap far under etcd's limit`, () => {
  const cluster = plan.clusters[0]!;
  const m = cluster.models[0]!;
  const models: ModelPlan[] = Array.from({ length: 1000 }, (_, i) => ({ ...m, name: `model-with-a-long-name-${String(i).padStart(4, "0")}` }));
  const maps = tenantDashboards({ ...cluster, models }, m.tenant, "monitoring");
  expect(maps).toHaveLength(Math.ceil(1000 / MODELS_PER_DASHBOARD));
  const biggest = Math.max(...maps.map((c) => Buffer.byteLength(JSON.stringify(c))));
  expect(biggest).toBeLessThan(MAX_OBJECT_BYTES / 4);
  expect(new Set(maps.map((c) => JSON.parse(Object.values(c.data as Record<string, string>)[0]!).uid)).size).toBe(maps.length);
});
