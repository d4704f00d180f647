// One table case (at least) per 06xx code, and the refined BERTH0303; each asserts the position
// a user must change and that no cascade of other errors follows.
import { CLUSTER, TENANT, MODEL, edit } from "../helpers/fixture.js";
import { runTable } from "../helpers/table.js";

const C = "platform/clusters/prod.yaml";
const M = "models/team-a/fraud.yaml";
const GENERAL = "    - {name: general, instanceType: m5.large, minSize: 2, maxSize: 10, desiredCapacity: 3}";
const GPU_POOL = "    - {name: gpu-inference, instanceType: g4dn.xlarge, minSize: 0, maxSize: 5, gpu: true}";
const RESOURCES = `  resources: {requests: {cpu: 500m, memory: 1Gi}, limits: {cpu: "1", memory: 2Gi}}`;
const AUTOSCALING = "  autoscaling: {minReplicas: 2, maxReplicas: 4}";

const cluster = (from: string, to: string) => ({ [C]: edit(CLUSTER, from, to) });
/** A tenant quota large enough that only the pool diagnostics under test fire. */
const bigQuota = {
  "tenants/team-a.yaml": edit(TENANT, 'quota: {cpu: "40", memory: 160Gi, gpu: 4, pods: 100}', 'quota: {cpu: "400", memory: 1600Gi, gpu: 40, pods: 1000}'),
};
const model = (...edits: [string, string][]) => ({ [M]: edits.reduce((text, [from, to]) => edit(text, from, to), MODEL) });

describe("pool diagnostics", () => {
  runTable([
    {
      name: "BERTH0601 unknown instance type, with did-you-mean",
      files: cluster("instanceType: m5.large", "instanceType: m5.larg"),
      expect: [
        {
          code: "BERTH0601",
          file: C,
          line: 10,
          column: 37,
          message: /pool general: instance type m5\.larg is not in berth's catalogue/,
          hint: /did you mean `m5\.large`/,
        },
      ],
    },
    {
      name: "BERTH0601 unknown instance type far from any known one lists the families",
      files: cluster("instanceType: m5.large", "instanceType: t3.medium"),
      expect: [{ code: "BERTH0601", file: C, line: 10, column: 37, hint: /families c5, c6i, g4dn, g5, g6, m5, m6i, m7i, p3, p4d, r5, r6i/ }],
    },
    {
      name: "BERTH0602 minSize above maxSize",
      files: cluster("minSize: 2, maxSize: 10, desiredCapacity: 3", "minSize: 12, maxSize: 10, desiredCapacity: 3"),
      expect: [{ code: "BERTH0602", file: C, line: 10, column: 56, message: /pool general: minSize \(12\) is greater than maxSize \(10\)/ }],
    },
    {
      name: "BERTH0602 desiredCapacity outside minSize..maxSize",
      files: cluster("desiredCapacity: 3", "desiredCapacity: 11"),
      expect: [{ code: "BERTH0602", file: C, line: 10, column: 89, message: /desiredCapacity \(11\) is outside minSize\.\.maxSize \(2\.\.10\)/ }],
    },
    {
      name: "BERTH0603 duplicate pool name",
      files: cluster(GPU_POOL, `${GPU_POOL}\n    - {name: general, instanceType: r5.large, minSize: 1, maxSize: 2}`),
      expect: [{ code: "BERTH0603", file: C, line: 12, column: 14, message: /pool name general is declared twice \(first at pools\[0\]\)/ }],
    },
    {
      name: "BERTH0604 gpu: true on an instance type without GPUs",
      files: cluster("instanceType: g4dn.xlarge", "instanceType: m5.xlarge"),
      expect: [{ code: "BERTH0604", file: C, line: 11, column: 83, message: /pool gpu-inference declares gpu: true but m5\.xlarge has no GPUs/ }],
    },
    {
      name: "BERTH0605 GPU instance type in a pool not marked gpu",
      files: cluster(GPU_POOL, `${GPU_POOL}\n    - {name: inference, instanceType: g5.xlarge, minSize: 0, maxSize: 2}`),
      expect: [
        {
          code: "BERTH0605",
          severity: "warning",
          file: C,
          line: 12,
          column: 39,
          message: /pool inference uses g5\.xlarge \(1 NVIDIA A10G\) but does not declare gpu: true/,
        },
      ],
    },
    {
      name: "BERTH0606 GPUs asked on a cluster without a GPU pool point at resources.gpu",
      files: { ...cluster(`\n${GPU_POOL}`, ""), ...model([RESOURCES, RESOURCES.replace("}}", "}, gpu: 1}")]) },
      expect: [{ code: "BERTH0606", file: M, line: 10, column: 89, message: /asks for 1 GPU but cluster prod has no GPU pool \(pools: general\)/ }],
    },
    {
      name: "BERTH0606 GPUs asked of a chosen pool without GPUs point at pool when another has them",
      files: model([RESOURCES, `${RESOURCES.replace("}}", "}, gpu: 1}")}\n  pool: general`]),
      expect: [
        {
          code: "BERTH0606",
          file: M,
          line: 11,
          column: 9,
          message: /pool general on cluster prod has none \(m5\.large\)/,
          hint: /choose a pool with GPUs \(gpu-inference\)/,
        },
      ],
    },
    {
      name: "BERTH0606 from an override points at the override",
      files: { ...bigQuota, ...model([AUTOSCALING, `${AUTOSCALING}\n  overrides:\n    prod:\n      resources: {gpu: 2}\n      pool: general`]) },
      expect: [{ code: "BERTH0606", file: M, line: 15, column: 13, message: /asks for 2 GPUs but pool general/ }],
    },
    {
      name: "BERTH0607 GPU pool chosen by a model without GPUs",
      files: model([RESOURCES, `${RESOURCES}\n  pool: gpu-inference`]),
      expect: [
        {
          code: "BERTH0607",
          severity: "warning",
          file: M,
          line: 11,
          column: 9,
          message: /pool gpu-inference on cluster prod has GPUs \(g4dn\.xlarge\) but the model asks for none/,
          hint: /general/,
        },
      ],
    },
    {
      name: "BERTH0608 a pod whose memory fits no node points at requests.memory with the numbers",
      files: model([RESOURCES, `  resources: {requests: {cpu: 500m, memory: 30Gi}, limits: {cpu: "1", memory: 32Gi}}`]),
      expect: [
        {
          code: "BERTH0608",
          file: M,
          line: 10,
          column: 45,
          message:
            /a pod of fraud \(cpu 600m, memory 30\.1Gi, 0 GPUs, mesh sidecar included\) fits no node of pool general on cluster prod: one m5\.large node leaves cpu 1605m, memory 6\.9Gi, 0 GPUs .*; memory 30\.1Gi > 6\.9Gi/,
          hint: /lower resources\.requests\.memory to at most 6954Mi/,
        },
      ],
    },
    {
      name: "BERTH0608 more GPUs than a node has points at resources.gpu",
      files: { ...bigQuota, ...model([RESOURCES, RESOURCES.replace("}}", "}, gpu: 2}")]) },
      expect: [
        {
          code: "BERTH0608",
          file: M,
          line: 10,
          column: 89,
          message: /fits no node of pool gpu-inference .* gpu 2 GPUs > 1 GPU/,
          hint: /lower resources\.gpu to at most 1/,
        },
      ],
    },
    {
      name: "BERTH0608 from an override points at the override and names a pool that fits",
      files: {
        ...cluster(GPU_POOL, `${GPU_POOL}\n    - {name: big, instanceType: m5.2xlarge, minSize: 0, maxSize: 2}`),
        ...model([AUTOSCALING, `${AUTOSCALING}\n  overrides:\n    prod:\n      resources: {requests: {cpu: "3"}, limits: {cpu: "4"}}`]),
      },
      expect: [{ code: "BERTH0608", file: M, line: 14, column: 35, message: /cpu 3100m > 1605m/, hint: /choose a pool whose nodes fit it \(big\)/ }],
    },
    {
      name: "BERTH0609 minReplicas overflow the pool at maxSize: error at the pool, naming the largest",
      files: {
        ...cluster(GENERAL, GENERAL.replace("minSize: 2, maxSize: 10, desiredCapacity: 3", "minSize: 1, maxSize: 2")),
        ...model([AUTOSCALING, "  autoscaling: {minReplicas: 3, maxReplicas: 6}"]),
      },
      expect: [
        {
          code: "BERTH0609",
          file: C,
          line: 10,
          column: 7,
          message:
            /pool general on cluster prod cannot hold its models at minReplicas: 6 pods need 3 m5\.large nodes by first-fit packing, maxSize is 2 \(requests cpu 3\.6 of 3\.21 cores, .*\); largest: fraud 6 pods \(3\.6 cores\)/,
          hint: /raise maxSize to at least 3/,
        },
      ],
    },
    {
      name: "BERTH0610 maxReplicas overflow the pool at maxSize: a warning",
      files: model([AUTOSCALING, "  autoscaling: {minReplicas: 2, maxReplicas: 20}"]),
      expect: [
        {
          code: "BERTH0610",
          severity: "warning",
          file: C,
          line: 10,
          column: 7,
          message: /at maxReplicas: 40 pods need 20 m5\.large nodes .* maxSize is 10/,
          hint: /lower maxReplicas/,
        },
      ],
    },
    {
      name: "BERTH0303 unknown pool, with did-you-mean",
      files: model([RESOURCES, `${RESOURCES}\n  pool: genral`]),
      expect: [
        {
          code: "BERTH0303",
          file: M,
          line: 11,
          column: 9,
          message: /cluster prod has no pool named genral \(pools: general, gpu-inference\)/,
          hint: /did you mean `general`/,
        },
      ],
    },
    {
      name: "BERTH0303 no general pool for a model that names none",
      files: cluster("name: general", "name: standard"),
      expect: [{ code: "BERTH0303", file: M, line: 6, column: 3, message: /no pool named general, the default \(pools: standard, gpu-inference\)/ }],
    },
    {
      name: "a pool with an unknown type reports once: its models are not also unschedulable",
      files: {
        ...bigQuota,
        ...cluster("instanceType: m5.large", "instanceType: m5.huge"),
        ...model([AUTOSCALING, "  autoscaling: {minReplicas: 50, maxReplicas: 60}"]),
      },
      expect: [{ code: "BERTH0601", file: C, line: 10 }],
    },
  ]);
});
