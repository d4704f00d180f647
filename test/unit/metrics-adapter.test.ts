// The GPU scaling signal end to end (docs/rollouts.md, "Scaling signals"): the platform layer
// installs prometheus-adapter where the platform asks and GPUs run, pointed at the Prometheus
// kube-prometheus-stack creates, serving exactly the metric the HPA names, from DCGM series that
// keep their pod labels; without it no HPA names a metric nobody serves, and the verifiers notice
// when output or values would break that.
import { PROMETHEUS_SELECTOR } from "../../compiler/emit/meta.js";
import { Diagnostics } from "../../compiler/diagnostics.js";
import type { KubeObject, Rendered } from "../../compiler/emit/types.js";
import { GPU_ADAPTER_RULE, GPU_METRIC } from "../../compiler/plan/rollout.js";
import { capacityReport } from "../../compiler/verify/capacity.js";
import { verifyAddonContracts } from "../../compiler/verify/addon-contracts.js";
import { verifyInstalls } from "../../compiler/verify/installs.js";
import { CLUSTER, compileFiles, edit, MODEL, PLATFORM } from "../helpers/fixture.js";

type Any = any; // eslint-disable-line @typescript-eslint/no-explicit-any

const ADAPTER = edit(PLATFORM, "  defaults:", "  metricsAdapter: prometheus-adapter\n  defaults:");
const GPU_MODEL = edit(
  edit(MODEL, 'limits: {cpu: "1", memory: 2Gi}}', 'limits: {cpu: "1", memory: 2Gi}, gpu: 1}'),
  "minReplicas: 2, maxReplicas: 4",
  "minReplicas: 1, maxReplicas: 2",
);
const NO_GPU_POOL = edit(CLUSTER, "    - {name: gpu-inference, instanceType: g4dn.xlarge, minSize: 0, maxSize: 5, gpu: true}\n", "");
const HPA = "clusters/prod/tenants/team-a/fraud/horizontalpodautoscaler-fraud-v1-0-0.yaml";

function compileOk(changes: Record<string, string>) {
  const result = compileFiles(changes);
  expect(result.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
  const find = (pred: (r: Rendered) => boolean) => result.objects.find(pred)?.object as Any;
  return {
    result,
    app: (name: string) => find((r) => r.object.kind === "Application" && r.object.metadata.name === name),
    at: (path: string) => find((r) => r.path === path),
  };
}
const wave = (o: Any) => Number(o.metadata.annotations["argocd.argoproj.io/sync-wave"]);

describe("prometheus-adapter in the platform layer", () => {
  const gpu = compileOk({ "platform/platform.yaml": ADAPTER, "models/team-a/fraud.yaml": GPU_MODEL });
  const adapter = gpu.app("platform-prometheus-adapter");
  const values = adapter.spec.source.helm.valuesObject;

  test("a pinned chart from prometheus-community, in the monitoring namespace", () => {
    expect(adapter.spec.source).toMatchObject({
      repoURL: "https://prometheus-community.github.io/helm-charts",
      chart: "prometheus-adapter",
      targetRevision: "5.3.0",
    });
    expect(adapter.spec.destination.namespace).toBe("monitoring");
    expect(adapter.metadata.finalizers).toEqual(["resources-finalizer.argocd.argoproj.io"]);
  });

  test("the metric the HPA asks for is exactly the one the adapter's rule serves", () => {
    const hpa = gpu.at(HPA);
    const asked = hpa.spec.metrics.filter((m: Any) => m.type === "Pods").map((m: Any) => m.pods.metric.name);
    expect(asked).toEqual([GPU_METRIC]);
    expect(values.rules).toEqual({ default: false, custom: [GPU_ADAPTER_RULE] });
    expect(values.rules.custom.map((r: Any) => r.name.as)).toEqual(asked);
    // The series are DCGM's, mapped to the pod and namespace DCGM attributes each GPU to.
    expect(values.rules.custom[0].seriesQuery).toBe(`${GPU_METRIC}{namespace!="",pod!=""}`);
  });

  test("its Prometheus is the Service kube-prometheus-stack creates (<release>-prometheus:9090 in the monitoring namespace)", () => {
    const stack = gpu.app("platform-kube-prometheus-stack");
    expect(stack.spec.source.helm.releaseName).toBe("kube-prometheus-stack");
    expect(values.prometheus).toEqual({ url: `http://kube-prometheus-stack-prometheus.${stack.spec.destination.namespace}.svc`, port: 9090, path: "" });
  });

  test("a stack renamed or moved by platform.addons moves the adapter's URL with it", () => {
    const renamed = compileOk({
      "platform/platform.yaml": `${ADAPTER}  monitoring: {namespace: observability}\n  addons:\n    kube-prometheus-stack:\n      values: {fullnameOverride: kps, prometheus: {service: {port: 9091}}}\n`,
      "models/team-a/fraud.yaml": GPU_MODEL,
    });
    expect(renamed.app("platform-prometheus-adapter").spec.source.helm.valuesObject.prometheus).toEqual({
      url: "http://kps-prometheus.observability.svc",
      port: 9091,
      path: "",
    });
  });

  test("synced after Prometheus, before berth-platform and every model", () => {
    expect(wave(adapter)).toBeGreaterThan(wave(gpu.app("platform-kube-prometheus-stack")));
    expect(wave(adapter)).toBeLessThan(wave(gpu.app("berth-platform")));
    expect(wave(adapter)).toBeLessThan(wave(gpu.app("model-fraud")));
  });

  test("the platform layer's project admits its APIService", () => {
    const project = gpu.result.objects.find((r) => r.object.kind === "AppProject" && r.object.metadata.name === "berth-platform-layer")!.object as Any;
    expect(project.spec.clusterResourceWhitelist).toContainEqual({ group: "apiregistration.k8s.io", kind: "APIService" });
    // Its auth-reader RoleBinding lands in kube-system.
    expect(project.spec.destinations.map((d: Any) => d.namespace)).toContain("kube-system");
  });

  test("two replicas at the platform's priority, a PDB, spread over nodes", () => {
    expect(values).toMatchObject({ replicas: 2, priorityClassName: "berth-platform", podDisruptionBudget: { enabled: true, maxUnavailable: 1 } });
    expect(values.topologySpreadConstraints[0].labelSelector.matchLabels).toEqual({
      "app.kubernetes.io/name": "prometheus-adapter",
      "app.kubernetes.io/instance": "prometheus-adapter",
    });
  });

  test("DCGM's ServiceMonitor keeps the exported pod labels and carries the label the platform's Prometheus selects", () => {
    const monitor = gpu.app("platform-dcgm-exporter").spec.source.helm.valuesObject.serviceMonitor;
    expect(monitor).toEqual({ enabled: true, honorLabels: true, additionalLabels: PROMETHEUS_SELECTOR });
    const spec = gpu.app("platform-kube-prometheus-stack").spec.source.helm.valuesObject.prometheus.prometheusSpec;
    expect(spec.serviceMonitorSelector).toEqual({ matchLabels: monitor.additionalLabels });
  });

  test("not installed unless the platform asks, nor on a cluster without GPU pools; no APIService admitted then", () => {
    const plain = compileOk({});
    expect(plain.app("platform-prometheus-adapter")).toBeUndefined();
    const project = plain.result.objects.find((r) => r.object.kind === "AppProject" && r.object.metadata.name === "berth-platform-layer")!.object as Any;
    expect(project.spec.clusterResourceWhitelist.map((k: Any) => k.kind)).not.toContain("APIService");
    expect(compileOk({ "platform/platform.yaml": ADAPTER, "platform/clusters/prod.yaml": NO_GPU_POOL }).app("platform-prometheus-adapter")).toBeUndefined();
  });
});

describe("falling back cleanly", () => {
  test("without the adapter a GPU model's HPA names no custom metric, only CPU of the model container", () => {
    const hpa = compileOk({ "models/team-a/fraud.yaml": GPU_MODEL }).at(HPA);
    expect(hpa.spec.metrics).toEqual([
      { type: "ContainerResource", containerResource: { name: "cpu", container: "model", target: { type: "Utilization", averageUtilization: 70 } } },
    ]);
  });

  test("a model naming a GPU target without the adapter is BERTH1503 only: its HPA still names no unserved metric", () => {
    const r = compileFiles({ "models/team-a/fraud.yaml": edit(GPU_MODEL, "maxReplicas: 2", "maxReplicas: 2, targetGPUUtilization: 70") });
    expect(r.diagnostics.filter((d) => d.severity === "error").map((d) => d.code)).toEqual(["BERTH1503"]);
  });

  test("check shows the fallback next to the signals, and the GPU signal where the adapter serves it", () => {
    const signals = (changes: Record<string, string>) =>
      capacityReport(compileOk(changes).result.plan!)
        .data.flatMap((r) => r.models)
        .find((m) => m.model === "fraud")!.rollout!.signals;
    expect(signals({ "models/team-a/fraud.yaml": GPU_MODEL })).toEqual(["cpu 70%", "no gpu signal (no metricsAdapter)"]);
    expect(signals({ "platform/platform.yaml": ADAPTER, "models/team-a/fraud.yaml": GPU_MODEL })).toEqual(["cpu 70%", "gpu 80%"]);
  });
});

describe("the verifiers", () => {
  const gpu = compileOk({ "platform/platform.yaml": ADAPTER, "models/team-a/fraud.yaml": GPU_MODEL });
  const { objects, plan } = gpu.result;
  const installs = (list: readonly Rendered[]) => {
    const diags = new Diagnostics();
    verifyInstalls(plan!, list, diags);
    return diags.items.map((d) => `${d.code} ${d.message}`);
  };

  test("the example order holds", () => expect(installs(objects)).toEqual([]));

  test("BERTH1206 an HPA on a custom metric with the adapter's Application gone, or synced after it", () => {
    const without = installs(objects.filter((r) => r.object.metadata.name !== "platform-prometheus-adapter"));
    expect(without).toContain(
      "BERTH1206 HorizontalPodAutoscaler team-a/fraud-v1-0-0 (clusters/prod/tenants/team-a/fraud/horizontalpodautoscaler-fraud-v1-0-0.yaml), scaling on a metric of type Pods (custom.metrics.k8s.io), needs prometheus-adapter, which berth does not render on cluster prod",
    );
    const late = objects.map((r) =>
      r.object.metadata.name === "platform-prometheus-adapter"
        ? { ...r, object: { ...r.object, metadata: { ...r.object.metadata, annotations: { "argocd.argoproj.io/sync-wave": "5" } } } as KubeObject }
        : r,
    );
    expect(installs(late)).toEqual(
      expect.arrayContaining([
        expect.stringMatching(
          /scaling on a metric of type Pods \(custom\.metrics\.k8s\.io\), needs prometheus-adapter, which Application platform-prometheus-adapter syncs in wave 5, not before model-fraud/,
        ),
      ]),
    );
  });

  test("BERTH1206 an external metric, which nothing berth installs serves", () => {
    const external = objects.map((r) =>
      r.path === HPA
        ? {
            ...r,
            object: {
              ...r.object,
              spec: {
                ...(r.object.spec as Any),
                metrics: [{ type: "External", external: { metric: { name: "queue" }, target: { type: "Value", value: "1" } } }],
              },
            } as KubeObject,
          }
        : r,
    );
    expect(installs(external)).toEqual([
      expect.stringMatching(
        /fraud-v1-0-0 .* scales on a metric of type External \(external\.metrics\.k8s\.io\), which no component of the platform layer serves$/,
      ),
    ]);
  });

  test("the adapter's Application keeps its place among the chart dependencies (after kube-prometheus-stack)", () => {
    const early = objects.map((r) =>
      r.object.metadata.name === "platform-prometheus-adapter"
        ? { ...r, object: { ...r.object, metadata: { ...r.object.metadata, annotations: { "argocd.argoproj.io/sync-wave": "-7" } } } as KubeObject }
        : r,
    );
    expect(installs(early)).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^BERTH1206 Application platform-prometheus-adapter \(chart prometheus-adapter 5\.3\.0\) needs kube-prometheus-stack/),
      ]),
    );
  });

  test("contracts hold on the rendered example", () => {
    const diags = new Diagnostics();
    verifyAddonContracts(plan!, objects, diags);
    expect(diags.items).toEqual([]);
  });
});
