// A model's batch inference entries: an Indexed Job (one-off, or on a cron schedule) that runs one
// of the model's versions over an S3 input prefix and writes an S3 output prefix.
import { z } from "zod";
import { cronProblem, parseDeadline } from "../base/cron.js";
import { dnsLabel, fail, nonNegativeInt, positiveInt, resources } from "./common.js";

/** Lowercase letters, digits, '.' and '-', as version names are (schema/model.ts checks the rest). */
const versionRef = z.string().min(1);

export const s3Prefix = z.string().superRefine((v, ctx) => {
  if (!/^s3:\/\/[a-z0-9][a-z0-9.-]{1,61}[a-z0-9](\/.*)?$/.test(v)) fail(ctx, "BERTH0202", `"${v}" is not an s3:// URI`, "write s3://bucket/prefix/");
});

const schedule = z.string().superRefine((v, ctx) => {
  const problem = cronProblem(v);
  if (problem)
    fail(
      ctx,
      "BERTH1402",
      `${JSON.stringify(v)} is not a cron expression: ${problem}`,
      'write five fields, minute hour day-of-month month day-of-week (UTC), e.g. "0 2 * * *", or a macro such as @daily',
    );
});

const deadline = z.string().superRefine((v, ctx) => {
  if (parseDeadline(v) === undefined)
    fail(ctx, "BERTH1404", `${JSON.stringify(v)} is not a duration`, "write a number and a unit: 90s, 45m, 4h or 2d (combined as 1h30m)");
});

export const batchJob = z.strictObject({
  name: dnsLabel,
  version: versionRef,
  schedule: schedule.optional(),
  input: s3Prefix,
  output: s3Prefix,
  shards: positiveInt.max(100_000).optional(),
  parallelism: positiveInt.max(10_000).optional(),
  deadline: deadline.optional(),
  retries: nonNegativeInt.max(100).optional(),
  resources: resources.optional(),
});

/** Batch entries of one model (or one override): names are unique, as they name the CronJob or Job. */
export const batchList = z.array(batchJob).superRefine((entries, ctx) => {
  const first = new Map<string, number>();
  entries.forEach((e, i) => {
    const at = first.get(e.name);
    if (at === undefined) first.set(e.name, i);
    else
      fail(ctx, "BERTH1405", `batch ${e.name} is already declared at batch[${at}]`, "every batch of a model needs its own name: it names the CronJob or Job", [
        i,
        "name",
      ]);
  });
});

export type BatchSpec = z.infer<typeof batchJob>;
