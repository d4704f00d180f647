// Building blocks shared by the input kinds. A failed rule carries its berth code and a hint
// in the issue's params; schema/validate.ts turns issues into diagnostics.
import { z } from "zod";
import type { Code } from "../codes/index.js";
import { parseQuantity, quantityHint } from "../quantity.js";

export const API_VERSION = "berth.dev/v1alpha1";

export interface RuleParams {
  code: Code;
  hint?: string;
}

type Ctx = z.RefinementCtx;

export function fail(ctx: Ctx, code: Code, message: string, hint?: string, path?: (string | number)[]): void {
  ctx.addIssue({ code: "custom", message, params: { code, hint } satisfies RuleParams, path });
}

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

export function isDnsLabel(s: string): boolean {
  return s.length <= 63 && DNS_LABEL.test(s);
}

/** A DNS-1123 label: lowercase letters, digits and '-', at most 63 characters. */
export const dnsLabel = z.string().superRefine((v, ctx) => {
  if (!isDnsLabel(v))
    fail(ctx, "BERTH0204", `"${v}" is not a DNS-1123 label`, `use at most 63 lowercase letters, digits and '-', starting and ending with a letter or digit${/[A-Z_]/.test(v) ? `, e.g. "${suggestLabel(v)}"` : ""}`);
});

export function suggestLabel(v: string): string {
  return v.toLowerCase().replace(/[^a-z0-9-]+/g, "-").replace(/^-+|-+$/g, "").slice(0, 63);
}

/** A Kubernetes quantity written as a string or a plain number. */
export function quantity(kind: "cpu" | "memory" | "other") {
  return z.union([z.string(), z.number()]).superRefine((v, ctx) => {
    if (parseQuantity(v) === undefined || (typeof v === "number" && v < 0)) {
      fail(ctx, "BERTH0208", `${JSON.stringify(v)} is not a Kubernetes quantity`, quantityHint(String(v), kind));
      return;
    }
    if (kind === "memory" && typeof v === "string" && /^\d+(\.\d+)?m$/.test(v))
      fail(ctx, "BERTH0209", `memory "${v}" means ${parseQuantity(v)} bytes`, `write ${v.slice(0, -1)}Mi (mebibytes) or ${v.slice(0, -1)}M (megabytes)`);
    else if (kind === "memory" && (parseQuantity(v) ?? 0) > 0 && (parseQuantity(v) ?? 0) < 2 ** 20)
      fail(ctx, "BERTH0209", `memory ${JSON.stringify(v)} is less than 1Mi`, "memory is counted in bytes: write e.g. 512Mi or 4Gi");
    else if (kind === "cpu" && typeof v === "string" && /[KMGTPE]i?$/.test(v))
      fail(ctx, "BERTH0209", `cpu "${v}" uses a byte suffix`, "write cores (\"2\") or millicores (\"500m\")");
  });
}

export const positiveInt = z.number().int().min(1);
export const nonNegativeInt = z.number().int().min(0);

export const httpsUrl = z.string().superRefine((v, ctx) => {
  let ok = false;
  try {
    const u = new URL(v);
    ok = u.protocol === "https:" && u.hostname.length > 0;
  } catch {
    ok = false;
  }
  if (!ok) fail(ctx, "BERTH0220", `"${v}" is not an https URL`, "write a full https:// URL");
});

/** A CODEOWNERS owner: @user, @org/team, or an e-mail address. */
export const owner = z.string().superRefine((v, ctx) => {
  if (!/^@[A-Za-z0-9-]+(\/[A-Za-z0-9._-]+)?$/.test(v) && !/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(v))
    fail(ctx, "BERTH0202", `"${v}" is not a CODEOWNERS owner`, "write @user, @org/team or an e-mail address");
});

const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;
const LABEL_NAME = /^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\/)?[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/;

export const labelKey = z.string().superRefine((v, ctx) => {
  const name = v.includes("/") ? v.slice(v.indexOf("/") + 1) : v;
  if (!LABEL_NAME.test(v) || name.length > 63 || v.length > 253 + 64)
    fail(ctx, "BERTH0202", `"${v}" is not a valid label key`, "a label key is an optional DNS prefix and '/', then up to 63 letters, digits, '-', '_' or '.'");
});

export const labelValue = z.string().superRefine((v, ctx) => {
  if (!LABEL_VALUE.test(v) || v.length > 63)
    fail(ctx, "BERTH0202", `"${v}" is not a valid label value`, "up to 63 letters, digits, '-', '_' or '.', starting and ending with a letter or digit");
});

export const metadata = z.strictObject({ name: dnsLabel });

/** The envelope every spec shares; apiVersion and kind are checked with precise messages in validate.ts. */
export function specDocument<S extends z.ZodType>(spec: S) {
  return z.strictObject({ apiVersion: z.string(), kind: z.string(), metadata, spec });
}

/** An identity-provider group name as it appears in the JWT groups claim. */
export const groupName = z.string().superRefine((v, ctx) => {
  if (v.trim() === "") fail(ctx, "BERTH0202", "group name is empty", "name the identity-provider group exactly as it appears in the JWT groups claim");
  else if (v !== v.trim()) fail(ctx, "BERTH0202", `group name "${v}" has leading or trailing spaces`);
  else if (/["\\\n]/.test(v)) fail(ctx, "BERTH0202", `group name "${v}" contains a quote, backslash or newline`);
});

export const resources = z.strictObject({
  requests: z.strictObject({ cpu: quantity("cpu").optional(), memory: quantity("memory").optional() }).optional(),
  limits: z.strictObject({ cpu: quantity("cpu").optional(), memory: quantity("memory").optional() }).optional(),
  gpu: nonNegativeInt.optional(),
});

export const autoscaling = z.strictObject({
  minReplicas: positiveInt.optional(),
  maxReplicas: positiveInt.optional(),
  targetCPUUtilization: z.number().int().min(1).max(1000).optional(),
  targetMemoryUtilization: z.number().int().min(1).max(1000).optional(),
});

export type Resources = z.infer<typeof resources>;
export type Autoscaling = z.infer<typeof autoscaling>;
