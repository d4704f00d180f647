// A model's service level objective: the share of requests that succeed and the latency 99 % of
// them stay under, as Istio measures them at the model's sidecar. The latency must be a bucket
// boundary of Istio's request-duration histogram: only there does a series count the requests
// under it (a bucket between boundaries would be interpolated, and alerts must count).
import { z } from "zod";
import { ISTIO_DURATION_BUCKETS_MS } from "../catalogue/metrics.js";
import { fail } from "./common.js";

const LATENCY = /^(\d+(?:\.\d+)?)(ms|s)$/;

/** Milliseconds of `300ms` or `2.5s`; undefined for anything else. */
export function latencyMs(v: string): number | undefined {
  const m = LATENCY.exec(v);
  if (!m) return undefined;
  const n = Number(m[1]) * (m[2] === "s" ? 1000 : 1);
  return Number.isFinite(n) ? Math.round(n * 1000) / 1000 : undefined;
}

function formatMs(ms: number): string {
  return ms >= 1000 && ms % 1000 === 0 ? `${ms / 1000}s` : `${ms}ms`;
}

/** The buckets on either side of a latency that is not one. */
export function nearestBuckets(ms: number): string {
  const below = [...ISTIO_DURATION_BUCKETS_MS].reverse().find((b) => b < ms);
  const above = ISTIO_DURATION_BUCKETS_MS.find((b) => b > ms);
  return [below, above]
    .filter((b): b is number => b !== undefined)
    .map(formatMs)
    .join(" or ");
}

const availability = z.number().superRefine((v, ctx) => {
  if (!(v > 0 && v < 100))
    fail(
      ctx,
      "BERTH1601",
      `slo.availability ${v} is not a percentage strictly between 0 and 100`,
      v >= 100
        ? "no service meets 100 %: its error budget is zero, so every failed request would page; write e.g. 99.9"
        : "write the share of requests that must succeed as a percentage, e.g. 99.9",
    );
});

const latencyP99 = z.string().superRefine((v, ctx) => {
  const ms = latencyMs(v);
  if (ms === undefined) {
    fail(ctx, "BERTH1602", `slo.latencyP99 "${v}" is not a duration in ms or s`, "write e.g. 250ms or 1s");
    return;
  }
  if (!ISTIO_DURATION_BUCKETS_MS.includes(ms))
    fail(
      ctx,
      "BERTH1602",
      `slo.latencyP99 ${v} is not a bucket boundary of istio_request_duration_milliseconds, so no series counts the requests faster than it`,
      `use a bucket boundary: ${nearestBuckets(ms)} (Istio's buckets: ${ISTIO_DURATION_BUCKETS_MS.map(formatMs).join(", ")})`,
    );
});

export const slo = z.strictObject({ availability, latencyP99: latencyP99.optional() });

export type SloSpec = z.infer<typeof slo>;
