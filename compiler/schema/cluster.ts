import { z } from "zod";
import { endpoint, targetRevision } from "./cluster-access.js";
import { dnsLabel, fail, labelKey, labelValue, specDocument, nonNegativeInt, positiveInt } from "./common.js";

export const taint = z.strictObject({
  key: labelKey,
  value: labelValue.optional(),
  effect: z.enum(["NoSchedule", "PreferNoSchedule", "NoExecute"]),
});

export const pool = z.strictObject({
  name: dnsLabel,
  instanceType: z.string(),
  minSize: nonNegativeInt,
  maxSize: positiveInt,
  desiredCapacity: nonNegativeInt.optional(),
  gpu: z.boolean().optional(),
  labels: z.record(labelKey, labelValue).optional(),
  taints: z.array(taint).optional(),
  volumeSize: positiveInt.optional(),
  /** Availability zones of the node group; the zone spread of its pods is proven against them. */
  zones: z
    .array(z.string().regex(/^[a-z]{2}(-gov)?-[a-z]+-\d[a-z]$/))
    .min(1)
    .optional(),
});

export const clusterSpec = z.strictObject({
  environment: z.string().min(1),
  region: z
    .string()
    .superRefine((v, ctx) => {
      if (!/^[a-z]{2}(-gov)?-[a-z]+-\d$/.test(v)) fail(ctx, "BERTH0202", `"${v}" is not an AWS region`, "write a region such as us-east-1 or eu-west-1");
    })
    .meta({ pattern: "^[a-z]{2}(-gov)?-[a-z]+-\\d$", examples: ["us-east-1"] }),
  kubernetesVersion: z
    .string()
    .superRefine((v, ctx) => {
      if (!/^1\.\d{2}$/.test(v)) fail(ctx, "BERTH0202", `kubernetesVersion "${v}" is not a minor version`, 'write it as a quoted string, e.g. "1.35"');
      else if (Number(v.split(".")[1]) < 28) fail(ctx, "BERTH0202", `kubernetesVersion ${v} is older than 1.28, the oldest berth renders for`);
    })
    .meta({ pattern: "^1\\.\\d{2}$", examples: ["1.35"] }),
  pools: z.array(pool).min(1),
  targetRevision: targetRevision.optional(),
  endpoint: endpoint.optional(),
});

export const clusterDoc = specDocument(clusterSpec);

export type ClusterSpec = z.infer<typeof clusterSpec>;
export type PoolSpec = z.infer<typeof pool>;
