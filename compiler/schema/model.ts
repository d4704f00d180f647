import { z } from "zod";
import { batchList } from "./batch.js";
import { autoscaling, dnsLabel, duration, fail, groupName, specDocument, resources } from "./common.js";
import { slo } from "./slo.js";

/** Lowercase letters, digits, '.' and '-', starting and ending with a letter or digit. */
const VERSION_NAME = /^[a-z0-9]([a-z0-9.-]*[a-z0-9])?$/;
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
export const RESERVED_ENV = ["MODEL_S3_URI", "MODEL_ID", "MODEL_VERSION", "FRAMEWORK", "BATCH_INPUT", "BATCH_OUTPUT", "BATCH_SHARD", "BATCH_SHARDS"] as const;

export const versionName = z
  .string()
  .superRefine((v, ctx) => {
    if (!VERSION_NAME.test(v) || v.length > 63)
      fail(
        ctx,
        "BERTH0213",
        `version name "${v}" must use lowercase letters, digits, '.' and '-', start and end with a letter or digit, and stay within 63 characters`,
        /[A-Z_]/.test(v) ? `e.g. "${v.toLowerCase().replace(/_/g, "-")}"` : undefined,
      );
  })
  .meta({ pattern: VERSION_NAME.source, maxLength: 63, examples: ["v1.2.0"] });

/**
 * Linux's MAX_ARG_STRLEN: execve fails with E2BIG when one `NAME=value` string, with its NUL,
 * is longer, so the container would never start.
 */
export const MAX_ENV_STRING = 131_072;

/** Values are strings by the time the schema sees them: schema/env-values.ts keeps the source text. */
const env = z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])).superRefine((rec, ctx) => {
  for (const [name, value] of Object.entries(rec)) {
    if (!ENV_NAME.test(name))
      fail(
        ctx,
        "BERTH0216",
        `env name "${name}" is not a C identifier`,
        `use letters, digits and '_', not starting with a digit, e.g. ${name.replace(/[^A-Za-z0-9_]/g, "_").replace(/^(\d)/, "_$1")}`,
        [name],
      );
    else if ((RESERVED_ENV as readonly string[]).includes(name))
      fail(ctx, "BERTH0217", `env ${name} is set by berth and cannot be overridden`, `berth sets ${RESERVED_ENV.join(", ")} itself; choose another name`, [
        name,
      ]);
    if (typeof value !== "string") continue;
    const bytes = Buffer.byteLength(name) + 1 + Buffer.byteLength(value) + 1;
    if (value.includes("\0"))
      fail(
        ctx,
        "BERTH0234",
        `${name}'s value holds a NUL character (U+0000): a process environment ends each string at NUL, so the container would see a different value`,
        "remove the NUL character",
        [name],
      );
    else if (bytes > MAX_ENV_STRING)
      fail(
        ctx,
        "BERTH0234",
        `${name}=... is ${bytes} bytes; Linux refuses to start a process with one environment string over ${MAX_ENV_STRING} bytes (MAX_ARG_STRLEN)`,
        "pass large data as a file: put it in the model artifact, or read it at start-up from S3",
        [name],
      );
  }
});

const ARTIFACT = /^s3:\/\/[a-z0-9][a-z0-9.-]{1,61}[a-z0-9](\/.*)?$/;

const artifact = z
  .string()
  .superRefine((v, ctx) => {
    if (!ARTIFACT.test(v)) fail(ctx, "BERTH0202", `artifact "${v}" is not an s3:// URI`, "write s3://bucket/path/");
  })
  .meta({ pattern: ARTIFACT.source, examples: ["s3://ml-models/fraud-detection/1.2.0/"] });

export const version = z.strictObject({
  name: versionName,
  artifact,
  traffic: z.number().int().min(0).max(100).optional(),
  image: z.string().min(1).optional(),
  env: env.optional(),
});

/** What a per-cluster override may change: every field but version names and placement. */
const versionOverride = z.strictObject({
  name: versionName,
  artifact: artifact.optional(),
  traffic: z.number().int().min(0).max(100).optional(),
  image: z.string().min(1).optional(),
  env: env.optional(),
});

const routing = z.array(z.strictObject({ group: groupName, version: versionName }));

export const modelOverride = z.strictObject({
  framework: dnsLabel.optional(),
  versions: z.array(versionOverride).optional(),
  resources: resources.optional(),
  pool: dnsLabel.optional(),
  autoscaling: autoscaling.optional(),
  routing: routing.optional(),
  access: z.array(groupName).optional(),
  timeout: duration.optional(),
  uses: z.array(dnsLabel).optional(),
  batch: batchList.optional(),
  slo: slo.optional(),
});

export const modelSpec = z.strictObject({
  framework: dnsLabel,
  versions: z.array(version).min(1),
  resources: resources.optional(),
  pool: dnsLabel.optional(),
  autoscaling: autoscaling.optional(),
  routing: routing.optional(),
  access: z.array(groupName).optional(),
  clusters: z.array(dnsLabel).min(1).optional(),
  timeout: duration.optional(),
  uses: z.array(dnsLabel).optional(),
  batch: batchList.optional(),
  slo: slo.optional(),
  overrides: z.record(dnsLabel, modelOverride).optional(),
});

export const modelDoc = specDocument(modelSpec);

export type ModelSpec = z.infer<typeof modelSpec>;
export type ModelOverride = z.infer<typeof modelOverride>;
