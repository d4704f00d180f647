// One table row (at least) per code of the rollouts family (BERTH15xx): the input, and the exact
// place the diagnostic points at, which is the field to change.
import { CLUSTER, edit, MODEL, PLATFORM } from "../helpers/fixture.js";
import { runTable, type Case } from "../helpers/table.js";

const M = "models/team-a/fraud.yaml";
const C = "platform/clusters/prod.yaml";
const P = "platform/platform.yaml";

const GENERAL = "    - {name: general, instanceType: m5.large, minSize: 2, maxSize: 10, desiredCapacity: 3}";
const withTimeout = (t: string) => MODEL + `  timeout: ${t}\n`;
const withAdapter = edit(PLATFORM, "  defaults:", "  metricsAdapter: prometheus-adapter\n  defaults:");
const gpuModel = (autoscaling: string) =>
  edit(
    edit(MODEL, 'limits: {cpu: "1", memory: 2Gi}}', 'limits: {cpu: "1", memory: 2Gi}, gpu: 1}'),
    "autoscaling: {minReplicas: 2, maxReplicas: 4}",
    `autoscaling: {${autoscaling}}`,
  );
const generalPool = (rest: string) => edit(CLUSTER, GENERAL, `    - {name: general, instanceType: m5.large, ${rest}}`);

const cases: Case[] = [
  {
    name: "a timeout no drain can honour",
    files: { [M]: withTimeout("10m") },
    expect: [
      {
        code: "BERTH1501",
        file: M,
        line: 15,
        column: 12,
        message: /timeout 600s needs a termination grace period of 615s .* at most 600s .*--max-graceful-termination-sec/,
        hint: /at most 585s/,
      },
    ],
  },
  {
    name: "a timeout one second past the limit, from a cluster override",
    files: { [M]: MODEL + "  overrides:\n    prod:\n      timeout: 586s\n" },
    expect: [{ code: "BERTH1501", file: M, line: 17, column: 16, message: /timeout 586s needs a termination grace period of 601s/ }],
  },
  { name: "the longest timeout the drain allows is fine", files: { [M]: withTimeout("9m45s") }, expect: [] },
  {
    name: "a timeout in words",
    files: { [M]: withTimeout('"1 minute"') },
    expect: [{ code: "BERTH1502", file: M, line: 15, column: 12, message: /timeout "1 minute" is not a duration/, hint: /60s, 2m or 1m30s/ }],
  },
  { name: "a timeout below a second", files: { [M]: withTimeout("500ms") }, expect: [{ code: "BERTH1502", file: M, line: 15 }] },
  { name: "a zero timeout", files: { [M]: withTimeout("0s") }, expect: [{ code: "BERTH1502", file: M, line: 15 }] },
  {
    name: "a GPU signal on a cluster without the metrics adapter",
    files: { [M]: gpuModel("minReplicas: 1, maxReplicas: 4, targetGPUUtilization: 70") },
    expect: [
      {
        code: "BERTH1503",
        file: M,
        line: 11,
        column: 71,
        message: /needs a custom-metrics adapter, but the platform installs none on cluster prod/,
        hint: /metricsAdapter: prometheus-adapter/,
      },
    ],
  },
  {
    name: "a GPU signal with the adapter is fine",
    files: { [P]: withAdapter, [M]: gpuModel("minReplicas: 1, maxReplicas: 4, targetGPUUtilization: 70") },
    expect: [],
  },
  {
    name: "a GPU signal on a model without GPUs",
    files: {
      [P]: withAdapter,
      [M]: edit(MODEL, "autoscaling: {minReplicas: 2, maxReplicas: 4}", "autoscaling: {minReplicas: 2, maxReplicas: 4, targetGPUUtilization: 70}"),
    },
    expect: [{ code: "BERTH1504", file: M, line: 11, column: 71, message: /asks for no GPUs on cluster prod/, hint: /set resources\.gpu/ }],
  },
  {
    name: "a zone spread whose pool has fewer nodes than zones at maxSize",
    files: { [C]: generalPool("minSize: 1, maxSize: 2, zones: [us-east-1a, us-east-1b, us-east-1c]") },
    expect: [
      {
        code: "BERTH1505",
        file: M,
        line: 11,
        column: 30,
        message:
          /^at minReplicas 2 the zone spread puts 1 pod of each of fraud's 2 versions \(2 in all\) in each of pool general's 3 zones, but at maxSize 2 some zone has no node$/,
        hint: /maxSize to at least 3/,
      },
    ],
  },
  {
    name: "a zone spread whose zones hold too few pods each",
    files: {
      [C]: generalPool("minSize: 1, maxSize: 2, zones: [us-east-1a, us-east-1b]"),
      [M]: edit(MODEL, "minReplicas: 2, maxReplicas: 4", "minReplicas: 6, maxReplicas: 6"),
    },
    expect: [
      {
        code: "BERTH1505",
        file: M,
        line: 11,
        message: /puts 3 pods of each of fraud's 2 versions \(6 in all\) .* 1 node per zone hold 2/,
        hint: /lower minReplicas to at most 2,/,
      },
    ],
    others: true,
  },
  {
    // One version alone would fit (2 pods per zone on a node that holds 2); both versions keep minReplicas.
    name: "a zone spread that fits one version but not every version at minReplicas",
    files: {
      [C]: generalPool("minSize: 1, maxSize: 2, zones: [us-east-1a, us-east-1b]"),
      [M]: edit(MODEL, "minReplicas: 2, maxReplicas: 4", "minReplicas: 4, maxReplicas: 4"),
    },
    expect: [
      {
        code: "BERTH1505",
        file: M,
        line: 11,
        column: 30,
        message: /puts 2 pods of each of fraud's 2 versions \(4 in all\) in each of pool general's 2 zones, but 1 node per zone hold 2$/,
        hint: /lower minReplicas to at most 2, raise the pool's maxSize to at least 4/,
      },
    ],
    others: true,
  },
  {
    name: "one replica never needs a hard zone spread",
    files: { [C]: generalPool("minSize: 1, maxSize: 2, zones: [us-east-1a, us-east-1b, us-east-1c]"), [M]: edit(MODEL, "minReplicas: 2", "minReplicas: 1") },
    expect: [],
  },
  {
    name: "a pool zone in another region",
    files: { [C]: generalPool("minSize: 2, maxSize: 10, zones: [us-east-1a, eu-west-1b]") },
    expect: [
      {
        code: "BERTH1506",
        file: C,
        line: 10,
        column: 92,
        message: /pool general lists zone eu-west-1b, which is not in the cluster's region us-east-1/,
        hint: /us-east-1a/,
      },
    ],
  },
  {
    name: "a memory target in the platform defaults",
    files: { [P]: edit(PLATFORM, "      targetCPUUtilization: 70\n", "      targetCPUUtilization: 70\n      targetMemoryUtilization: 80\n") },
    expect: [{ code: "BERTH1507", file: P, line: 32, column: 32, message: /defaults\.autoscaling\.targetMemoryUtilization would scale every model on memory/ }],
  },
  {
    name: "a GPU target in the platform defaults",
    files: { [P]: edit(withAdapter, "      targetCPUUtilization: 70\n", "      targetCPUUtilization: 70\n      targetGPUUtilization: 80\n") },
    expect: [{ code: "BERTH1507", file: P, line: 33, message: /targetGPUUtilization would scale every model on GPU utilization/ }],
  },
];

describe("rollouts (BERTH15xx)", () => runTable(cases));
