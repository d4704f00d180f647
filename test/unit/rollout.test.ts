// Rollout timing, sidecar lifecycle, scaling signals and spread as rendered (rollout.ts,
// docs/rollouts.md): every derived value checked against its formula.
import fc from "fast-check";
import { MESH_SIDECAR } from "../../compiler/catalogue/allocatable.js";
import type { KubeObject } from "../../compiler/emit/types.js";
import type { ModelPlan } from "../../compiler/plan/types.js";
import { sidecarAnnotations } from "../../compiler/plan/pod-requests.js";
import { GPU_ADAPTER_RULE, GPU_METRIC, MAX_GRACE_SECONDS, MAX_TIMEOUT_SECONDS, preStop, STARTUP_BUDGET_SECONDS, timing } from "../../compiler/plan/rollout.js";
import { CLUSTER, compileFiles, edit, MODEL, PLATFORM } from "../helpers/fixture.js";

type Any = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
const DIR = "clusters/prod/tenants/team-a/fraud";
/** The model's gateway-bound routes, in the gateway's namespace (exported only there). */
const ROUTES = "clusters/prod/platform/routes/virtualservice-model-fraud.yaml";
const DEPLOYMENT = `${DIR}/deployment-fraud-v1-0-0.yaml`;
const HPA = `${DIR}/horizontalpodautoscaler-fraud-v1-0-0.yaml`;
const GENERAL = "    - {name: general, instanceType: m5.large, minSize: 2, maxSize: 10, desiredCapacity: 3}";
const ADAPTER = edit(PLATFORM, "  defaults:", "  metricsAdapter: prometheus-adapter\n  defaults:");
const GPU_MODEL = edit(MODEL, 'limits: {cpu: "1", memory: 2Gi}}', 'limits: {cpu: "1", memory: 2Gi}, gpu: 1}');

function rendered(changes: Record<string, string | null> = {}) {
  const result = compileFiles(changes);
  expect(result.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
  const at = (path: string): Any => {
    const r = result.objects.find((o) => o.path === path);
    if (!r) throw new Error(`no object at ${path}`);
    return r.object as KubeObject as Any;
  };
  return { result, at };
}

describe("rollout timing", () => {
  test("a CPU model on a pool that can grow: node + image + startup + ready + slack, rounded up to a minute", () => {
    const d = rendered().at(DEPLOYMENT);
    // 10 scan + 180 node + 120 image + 600 startup + 5 ready + 60 slack = 975 -> 1020.
    expect(d.spec.progressDeadlineSeconds).toBe(1020);
    const c = d.spec.template.spec.containers[0];
    expect(c.startupProbe.periodSeconds * c.startupProbe.failureThreshold).toBe(STARTUP_BUDGET_SECONDS);
    expect(STARTUP_BUDGET_SECONDS).toBeLessThan(d.spec.progressDeadlineSeconds);
  });

  test("a GPU model waits for a GPU node from zero, its device plugin and a multi-GB image", () => {
    const d = rendered({ "models/team-a/fraud.yaml": edit(GPU_MODEL, "maxReplicas: 4", "maxReplicas: 2") }).at(DEPLOYMENT);
    // 10 + 180 + 120 GPU plugin + 300 image + 600 + 5 + 60 = 1275 -> 1320.
    expect(d.spec.progressDeadlineSeconds).toBe(1320);
  });

  test("a fixed-size pool never waits for a node", () => {
    const d = rendered({ "platform/clusters/prod.yaml": edit(CLUSTER, GENERAL, "    - {name: general, instanceType: m5.large, minSize: 4, maxSize: 4}") }).at(
      DEPLOYMENT,
    );
    // 120 + 600 + 5 + 60 = 785 -> 840.
    expect(d.spec.progressDeadlineSeconds).toBe(840);
  });

  test("timeout drives the route timeout, the preStop sleep, the proxy's drain and the grace period", () => {
    const { at } = rendered({ "models/team-a/fraud.yaml": MODEL + "  timeout: 2m\n" });
    const routes = at(ROUTES).spec.http.filter((r: Any) => r.route);
    expect(routes.length).toBeGreaterThan(0);
    for (const r of routes) expect(r.timeout).toBe("120s");
    const pod = at(DEPLOYMENT).spec.template;
    expect(pod.spec.containers[0].lifecycle).toEqual({ preStop: { sleep: { seconds: 125 } } });
    expect(JSON.parse(pod.metadata.annotations["proxy.istio.io/config"])).toEqual({ holdApplicationUntilProxyStarts: true, terminationDrainDuration: "130s" });
    expect(pod.spec.terminationGracePeriodSeconds).toBe(135);
  });

  test("the gateway's proxy drains past the longest timeout on the cluster, and is killed after that", () => {
    const gw = (changes: Record<string, string>) =>
      rendered(changes).at("clusters/prod/apps/application-platform-istio-gateway.yaml").spec.source.helm.valuesObject;
    const long = gw({ "models/team-a/fraud.yaml": MODEL + "  timeout: 2m\n" });
    expect(JSON.parse(long.podAnnotations["proxy.istio.io/config"])).toEqual({ terminationDrainDuration: "130s" });
    expect(long.terminationGracePeriodSeconds).toBe(135);
    // Nothing longer than the default: 5 + 60 + 5.
    expect(gw({}).terminationGracePeriodSeconds).toBe(75);
  });

  test("the default timeout is SPEC's 60s", () => {
    const { at } = rendered();
    expect(at(ROUTES).spec.http.find((r: Any) => r.name === "fraud-split").timeout).toBe("60s");
    expect(at(DEPLOYMENT).spec.template.spec.terminationGracePeriodSeconds).toBe(75);
  });

  test("before Kubernetes 1.30 the preStop hook sleeps with the image's sleep", () => {
    const t = { preStopSeconds: 65 } as ReturnType<typeof timing>;
    expect(preStop(t, { spec: { kubernetesVersion: "1.29" } } as Parameters<typeof preStop>[1])).toEqual({ exec: { command: ["sleep", "65"] } });
    expect(preStop(t, { spec: { kubernetesVersion: "1.30" } } as Parameters<typeof preStop>[1])).toEqual({ sleep: { seconds: 65 } });
  });

  test("property: an accepted request always finishes before the proxy exits, and the proxy before SIGKILL", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: MAX_TIMEOUT_SECONDS }), fc.boolean(), fc.boolean(), (timeoutSeconds, gpu, grows) => {
        const m = {
          model: { timeoutSeconds, resources: { gpu: gpu ? 1 : 0 } },
          pool: { spec: { minSize: 1, maxSize: grows ? 5 : 1 } },
        } as unknown as ModelPlan;
        const t = timing(m);
        // A request accepted just before the endpoint is withdrawn ends by propagation + timeout = preStop.
        expect(t.preStopSeconds).toBeGreaterThanOrEqual(timeoutSeconds + 5);
        expect(t.drainSeconds).toBeGreaterThan(t.preStopSeconds);
        expect(t.terminationGracePeriodSeconds).toBeGreaterThan(t.drainSeconds);
        expect(t.terminationGracePeriodSeconds).toBeLessThanOrEqual(MAX_GRACE_SECONDS);
        expect(t.progressDeadlineSeconds).toBeGreaterThan(STARTUP_BUDGET_SECONDS + t.deadline.imageSeconds + t.deadline.nodeSeconds);
        expect(t.progressDeadlineSeconds % 60).toBe(0);
      }),
    );
  });
});

describe("scaling signals", () => {
  test("CPU of the model container alone, no memory unless asked", () => {
    expect(rendered().at(HPA).spec.metrics).toEqual([
      { type: "ContainerResource", containerResource: { name: "cpu", container: "model", target: { type: "Utilization", averageUtilization: 70 } } },
    ]);
    const asked = rendered({ "models/team-a/fraud.yaml": edit(MODEL, "maxReplicas: 4}", "maxReplicas: 4, targetMemoryUtilization: 75}") }).at(HPA);
    expect(asked.spec.metrics.map((m: Any) => m.containerResource.name)).toEqual(["cpu", "memory"]);
  });

  test("a GPU model scales on DCGM's GPU utilization through the adapter, by default at 80", () => {
    const hpa = rendered({
      "platform/platform.yaml": ADAPTER,
      "models/team-a/fraud.yaml": edit(GPU_MODEL, "minReplicas: 2, maxReplicas: 4", "minReplicas: 1, maxReplicas: 2"),
    }).at(HPA);
    expect(hpa.spec.metrics[1]).toEqual({
      type: "Pods",
      pods: { metric: { name: "DCGM_FI_DEV_GPU_UTIL" }, target: { type: "AverageValue", averageValue: "80" } },
    });
  });

  test("the adapter rule the platform layer installs serves exactly the metric the HPA names, per pod", () => {
    expect(GPU_ADAPTER_RULE.name.as).toBe(GPU_METRIC);
    expect(GPU_ADAPTER_RULE.seriesQuery.startsWith(`${GPU_METRIC}{`)).toBe(true);
    expect(Object.keys(GPU_ADAPTER_RULE.resources.overrides)).toEqual(["namespace", "pod"]);
  });

  test("without the adapter a GPU model falls back to CPU alone", () => {
    const hpa = rendered({ "models/team-a/fraud.yaml": edit(GPU_MODEL, "minReplicas: 2, maxReplicas: 4", "minReplicas: 1, maxReplicas: 2") }).at(HPA);
    expect(hpa.spec.metrics.map((m: Any) => m.type)).toEqual(["ContainerResource"]);
  });
});

describe("spread, mesh scope and one source for the sidecar", () => {
  test("two replicas over known zones must spread over them; nodes are always a preference", () => {
    const zoned = rendered({ "platform/clusters/prod.yaml": edit(CLUSTER, "desiredCapacity: 3}", "desiredCapacity: 3, zones: [us-east-1a, us-east-1b]}") }).at(
      DEPLOYMENT,
    );
    const [zone, node] = zoned.spec.template.spec.topologySpreadConstraints;
    expect(zone).toMatchObject({
      topologyKey: "topology.kubernetes.io/zone",
      maxSkew: 1,
      whenUnsatisfiable: "DoNotSchedule",
      matchLabelKeys: ["pod-template-hash"],
    });
    expect(zone.labelSelector.matchLabels).toEqual({ "app.kubernetes.io/name": "fraud", "app.kubernetes.io/version": "v1.0.0" });
    expect(node).toMatchObject({ topologyKey: "kubernetes.io/hostname", whenUnsatisfiable: "ScheduleAnyway" });
    const unknown = rendered().at(DEPLOYMENT).spec.template.spec.topologySpreadConstraints;
    expect(unknown[0].whenUnsatisfiable).toBe("ScheduleAnyway");
  });

  test("VirtualService and DestinationRule are exported only where they are used", () => {
    const { at } = rendered();
    expect(at(ROUTES).spec.exportTo).toEqual(["."]);
    expect(at(`${DIR}/destinationrule-fraud.yaml`).spec.exportTo).toEqual([".", "istio-system"]);
  });

  test("the proxy's requests in the pod annotations are the ones the quota and the proof count", () => {
    const annotations = rendered().at(DEPLOYMENT).spec.template.metadata.annotations;
    expect(annotations).toMatchObject(sidecarAnnotations());
    expect(annotations["sidecar.istio.io/proxyCPU"]).toBe(`${MESH_SIDECAR.cpuMilli}m`);
    expect(annotations["sidecar.istio.io/proxyMemory"]).toBe(`${MESH_SIDECAR.memoryMiB}Mi`);
  });
});
