// What the HPA controller can reach and measure (BERTH1050-1052). The target is the field to
// change, so an unreachable target is reported at autoscaling.target*Utilization of the spec.
import { admit, breakObject, codes } from "../helpers/admission.js";
import { CLUSTER, compileFiles, edit, MODEL, PLATFORM } from "../helpers/fixture.js";
import { runTable } from "../helpers/table.js";

const M = "models/team-a/fraud.yaml";
const withAutoscaling = (a: string) => edit(MODEL, "autoscaling: {minReplicas: 2, maxReplicas: 4}", `autoscaling: {minReplicas: 2, maxReplicas: 4, ${a}}`);
const column = (text: string, needle: string) =>
  text
    .split("\n")
    .find((l) => l.includes(needle))!
    .indexOf(needle) + 1;

// The fixture model requests cpu 500m with a limit of 1 (200% at most) and memory 1Gi with 2Gi.
runTable([
  {
    name: "BERTH1050 a CPU target the limit makes unreachable (the HPA scales up only past target + 10%)",
    files: { [M]: withAutoscaling("targetCPUUtilization: 190") },
    expect: [
      {
        code: "BERTH1050",
        file: M,
        line: 11,
        column: column(withAutoscaling("targetCPUUtilization: 190"), "190"),
        message:
          /targetCPUUtilization 190 can never trigger a scale-up: the limit \(1\) caps container model at 200% of its request \(500m\), and the HPA scales up only above 209% \(target \+ 10% tolerance\)/,
        hint: /lower targetCPUUtilization to at most 181, or raise resources.limits.cpu/,
      },
    ],
  },
  {
    name: "BERTH1050 a memory target the limit makes unreachable",
    files: { [M]: withAutoscaling("targetMemoryUtilization: 200") },
    expect: [
      {
        code: "BERTH1050",
        file: M,
        line: 11,
        message: /targetMemoryUtilization 200 can never trigger a scale-up: the limit \(2Gi\) caps container model at 200% of its request \(1Gi\)/,
      },
    ],
  },
  {
    name: "BERTH1050 a platform default target that a model's limit makes unreachable points at the default",
    files: { "platform/platform.yaml": edit(PLATFORM, "targetCPUUtilization: 70", "targetCPUUtilization: 185") },
    expect: [{ code: "BERTH1050", file: "platform/platform.yaml", message: /targetCPUUtilization 185 can never trigger a scale-up/ }],
  },
]);

test("a target just below the limit's reach is accepted", () => {
  const result = compileFiles({ [M]: withAutoscaling("targetCPUUtilization: 181") });
  expect(result.diagnostics).toEqual([]);
});

test("BERTH1050 and BERTH1001 together: every error at once, nothing rendered", () => {
  const result = compileFiles({
    [M]: withAutoscaling("targetCPUUtilization: 190"),
    "platform/clusters/prod.yaml": edit(CLUSTER, 'kubernetesVersion: "1.35"', 'kubernetesVersion: "1.28"'),
  });
  expect([...new Set(result.diagnostics.filter((d) => d.severity === "error").map((d) => d.code))].sort()).toEqual(["BERTH1001", "BERTH1050"]);
  expect(result.files).toEqual([]);
});

describe("on rendered objects", () => {
  const base = compileFiles({ [M]: withAutoscaling("targetMemoryUtilization: 80") });
  const plan = base.plan!;
  const HPA = "clusters/prod/tenants/team-a/fraud/horizontalpodautoscaler-fraud-v1-0-0.yaml";
  const DEPLOYMENT = "clusters/prod/tenants/team-a/fraud/deployment-fraud-v1-0-0.yaml";
  const LIMITS = "clusters/prod/platform/tenants/team-a/limitrange-container-defaults.yaml";

  test("a memory target on pods without a memory request can never be measured (BERTH1051), unless the LimitRange fills one in", () => {
    const noRequest = breakObject(base.objects, DEPLOYMENT, (o) => delete o.spec.template.spec.containers[0].resources.requests.memory);
    expect(admit(plan, noRequest)).toEqual([]);
    const found = admit(
      plan,
      noRequest.filter((r) => r.path !== LIMITS),
    );
    expect(codes(found)).toEqual(["BERTH1051"]);
    expect(found[0]!.message).toMatch(
      /targetMemoryUtilization needs a memory request on every container, but container model has none: the HPA reports FailedGetResourceMetric and never scales/,
    );
    expect(found[0]!.at).toMatchObject({ file: M, path: ["spec", "resources", "requests", "memory"] });
  });

  test("a ContainerResource metric on a container the pods do not run (BERTH1051)", () => {
    const objects = breakObject(
      base.objects,
      HPA,
      (o) =>
        (o.spec.metrics = [
          { type: "ContainerResource", containerResource: { name: "cpu", container: "server", target: { type: "Utilization", averageUtilization: 70 } } },
        ]),
    );
    expect(admit(plan, objects).map((d) => [d.code, /names container server/.test(d.message)])).toEqual([["BERTH1051", true]]);
  });

  test("an AverageValue target above what the limits let a pod use (BERTH1050)", () => {
    const objects = breakObject(
      base.objects,
      HPA,
      (o) => (o.spec.metrics = [{ type: "Resource", resource: { name: "cpu", target: { type: "AverageValue", averageValue: "950m" } } }]),
    );
    expect(admit(plan, objects).map((d) => d.code)).toEqual(["BERTH1050"]);
  });

  test("a scale target that is not rendered (BERTH1052)", () => {
    const objects = breakObject(base.objects, HPA, (o) => (o.spec.scaleTargetRef.name = "fraud-v9"));
    const found = admit(plan, objects);
    expect(codes(found)).toEqual(["BERTH1052"]);
    expect(found[0]!.message).toMatch(/scaleTargetRef apps\/v1 Deployment fraud-v9 is not rendered on cluster prod: the HPA reports FailedGetScale/);
  });
});
