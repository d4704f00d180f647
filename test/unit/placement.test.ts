// Where a model's pods land: the pool's node selector, exactly the tolerations its taints need,
// and the nvidia.com/gpu limit for GPU models.
import type { IDeployment } from "kubernetes-models/apps/v1/Deployment";
import { CLUSTER, MODEL, compileFiles, edit } from "../helpers/fixture.js";

const RESOURCES = `  resources: {requests: {cpu: 500m, memory: 1Gi}, limits: {cpu: "1", memory: 2Gi}}`;
const M = "models/team-a/fraud.yaml";
const C = "platform/clusters/prod.yaml";

function podSpecOf(files: Record<string, string>) {
  const result = compileFiles(files);
  expect(result.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
  const deployment = result.objects.find((r) => r.object.kind === "Deployment" && r.object.metadata.name === "fraud-v1-0-0")!.object as unknown as IDeployment;
  return deployment.spec!.template.spec!;
}

describe("placement", () => {
  test("a GPU model lands on the GPU pool: selector, GPU toleration and nvidia.com/gpu limit", () => {
    const pod = podSpecOf({ [M]: edit(MODEL, RESOURCES, RESOURCES.replace("}}", "}, gpu: 1}")) });
    expect(pod.nodeSelector).toEqual({ "workload-type": "gpu-inference" });
    expect(pod.tolerations).toEqual([{ key: "nvidia.com/gpu", operator: "Equal", value: "true", effect: "NoSchedule" }]);
    expect(pod.containers[0]!.resources!.limits).toEqual({ cpu: "1", memory: "2Gi", "nvidia.com/gpu": "1" });
    expect(pod.containers[0]!.resources!.requests).toEqual({ cpu: "500m", memory: "1Gi" });
  });

  test("a CPU model lands on general with no tolerations and no GPU limit", () => {
    const pod = podSpecOf({});
    expect(pod.nodeSelector).toEqual({ "workload-type": "general" });
    expect(pod.tolerations).toBeUndefined();
    expect(pod.containers[0]!.resources!.limits).not.toHaveProperty("nvidia.com/gpu");
  });

  test("declared labels replace workload-type; declared taints are tolerated exactly", () => {
    const pool =
      "    - {name: memory-optimized, instanceType: r5.2xlarge, minSize: 1, maxSize: 3, labels: {workload-type: memory-intensive}, taints: [{key: dedicated, value: memory, effect: NoSchedule}, {key: spot, effect: PreferNoSchedule}]}";
    const pod = podSpecOf({
      [C]: `${CLUSTER}${pool}\n`,
      [M]: edit(MODEL, RESOURCES, `${RESOURCES}\n  pool: memory-optimized`),
    });
    expect(pod.nodeSelector).toEqual({ "workload-type": "memory-intensive" });
    expect(pod.tolerations).toEqual([
      { key: "dedicated", operator: "Equal", value: "memory", effect: "NoSchedule" },
      { key: "spot", operator: "Exists", effect: "PreferNoSchedule" },
    ]);
  });

  test("a per-cluster override of pool moves the model on that cluster", () => {
    const pod = podSpecOf({
      [M]: edit(
        MODEL,
        "  autoscaling: {minReplicas: 2, maxReplicas: 4}",
        "  autoscaling: {minReplicas: 2, maxReplicas: 4}\n  overrides:\n    prod: {pool: gpu-inference, resources: {gpu: 1}}",
      ),
    });
    expect(pod.nodeSelector).toEqual({ "workload-type": "gpu-inference" });
    expect(pod.containers[0]!.resources!.limits).toMatchObject({ "nvidia.com/gpu": "1" });
  });
});
