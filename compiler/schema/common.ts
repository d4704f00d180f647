// Building blocks shared by the input kinds. A failed rule carries its berth code and a hint
// in the issue's params; schema/validate.ts turns issues into diagnostics.
import { z } from "zod";
import type { Code } from "../codes/index.js";
import { parseQuantity, quantityHint } from "../base/quantity.js";

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

/**
 * What editors check as the user types (editor.ts): the rules above and below stay the judge, with
 * berth's codes and hints; these only mirror them in JSON Schema. A non-negative quantity as
 * base/quantity.ts parses it: `2 cores` and `1GB` fail.
 */
export const EDITOR_PATTERN = {
  dnsLabel: DNS_LABEL.source,
  quantity: "^(\\d+(\\.\\d*)?|\\.\\d+)([eE][+-]?\\d+|m|k|M|G|T|P|E|Ki|Mi|Gi|Ti|Pi|Ei)?$",
  duration: "^(?=\\d)(\\d+h)?(\\d+m)?(\\d+s)?$",
  owner: "^(@[A-Za-z0-9-]+(/[A-Za-z0-9._-]+)?|[^@\\s]+@[^@\\s]+\\.[^@\\s]+)$",
  httpsUrl: "^https://[^/\\s]+",
} as const;

export function isDnsLabel(s: string): boolean {
  return s.length <= 63 && DNS_LABEL.test(s);
}

/** A DNS-1123 label: lowercase letters, digits and '-', at most 63 characters. */
export const dnsLabel = z
  .string()
  .superRefine((v, ctx) => {
    if (!isDnsLabel(v))
      fail(
        ctx,
        "BERTH0204",
        `"${v}" is not a DNS-1123 label`,
        `use at most 63 lowercase letters, digits and '-', starting and ending with a letter or digit${/[A-Z_]/.test(v) ? `, e.g. "${suggestLabel(v)}"` : ""}`,
      );
  })
  .meta({ pattern: EDITOR_PATTERN.dnsLabel, maxLength: 63 });

export function suggestLabel(v: string): string {
  return v
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 63);
}

/** What a quantity is used for: zero means something else in a request or a limit than in a quota. */
export type QuantityUse = "request" | "limit" | "quota";

/** A Kubernetes quantity written as a string or a plain number. */
export function quantity(kind: "cpu" | "memory" | "other", use: QuantityUse = "quota") {
  const editor = { pattern: EDITOR_PATTERN.quantity, minimum: 0, examples: QUANTITY_EXAMPLES[kind] };
  return z
    .union([z.string(), z.number()])
    .meta(editor)
    .superRefine((v, ctx) => {
      const value = parseQuantity(v);
      if (value === undefined || !Number.isFinite(value)) {
        fail(ctx, "BERTH0208", `${JSON.stringify(v)} is not a Kubernetes quantity`, quantityHint(String(v), kind));
        return;
      }
      if (value < 0) {
        fail(
          ctx,
          "BERTH0231",
          `${JSON.stringify(v)} is negative`,
          `resources are counted up from zero: write a positive quantity such as ${kind === "cpu" ? '"500m"' : "512Mi"}`,
        );
        return;
      }
      if (value === 0 && use !== "quota") {
        fail(ctx, "BERTH0231", `${JSON.stringify(v)} is zero`, ZERO_HINT[use]);
        return;
      }
      if (kind === "memory" && typeof v === "string" && /^\d+(\.\d+)?m$/.test(v))
        fail(ctx, "BERTH0209", `memory "${v}" means ${value} bytes`, `write ${v.slice(0, -1)}Mi (mebibytes) or ${v.slice(0, -1)}M (megabytes)`);
      else if (kind === "memory" && value > 0 && value < 2 ** 20)
        fail(ctx, "BERTH0209", `memory ${JSON.stringify(v)} is less than 1Mi`, "memory is counted in bytes: write e.g. 512Mi or 4Gi");
      else if (kind === "cpu" && typeof v === "string" && /[KMGTPE]i?$/.test(v))
        fail(ctx, "BERTH0209", `cpu "${v}" uses a byte suffix`, 'write cores ("2") or millicores ("500m")');
    });
}

const QUANTITY_EXAMPLES = { cpu: ["500m", "2"], memory: ["512Mi", "4Gi"], other: ["100Gi"] };

const ZERO_HINT: Record<Exclude<QuantityUse, "quota">, string> = {
  request:
    "a zero request is never counted: the HPA measures utilization against it (and cannot divide by zero), the tenant's quota and berth's scheduling proof see a pod that takes nothing; write what one pod needs",
  limit: "Kubernetes reads a zero limit as no limit at all; write the most one pod may use, or leave the limit out",
};

export const positiveInt = z.number().int().min(1);
export const nonNegativeInt = z.number().int().min(0);

export const httpsUrl = z
  .string()
  .superRefine((v, ctx) => {
    let ok = false;
    try {
      const u = new URL(v);
      ok = u.protocol === "https:" && u.hostname.length > 0;
    } catch {
      ok = false;
    }
    if (!ok) fail(ctx, "BERTH0220", `"${v}" is not an https URL`, "write a full https:// URL");
  })
  .meta({ pattern: EDITOR_PATTERN.httpsUrl, examples: ["https://auth.example.com"] });

/** A CODEOWNERS owner: @user, @org/team, or an e-mail address. */
export const owner = z
  .string()
  .superRefine((v, ctx) => {
    if (!/^@[A-Za-z0-9-]+(\/[A-Za-z0-9._-]+)?$/.test(v) && !/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(v))
      fail(ctx, "BERTH0202", `"${v}" is not a CODEOWNERS owner`, "write @user, @org/team or an e-mail address");
  })
  .meta({ pattern: EDITOR_PATTERN.owner, examples: ["@example/data-science"] });

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

/**
 * An identity-provider group name as it appears in the JWT groups claim: letters and digits of
 * any script, spaces inside, and . _ - @ / : + = , ( ) & ' — enough for Okta and Entra ID display
 * names, Entra object ids, Keycloak group paths (/org/team), Google group e-mail addresses and
 * LDAP DNs (cn=ml,ou=groups). Not `*`: Istio's AuthorizationPolicy reads `*`, `x*` and `*x` in a
 * claim value as wildcards while berth's routes match the group exactly, so `data-*` would admit
 * every data- group to the model. Not quotes, backslashes or control and format characters (NUL,
 * CR, TAB, bidi overrides), which hide what a name says.
 */
const GROUP_CHARACTERS = /^[\p{L}\p{M}\p{N} ._@/:+=,()&'-]*$/u;
const GROUP_CHARACTER = /[\p{L}\p{M}\p{N} ._@/:+=,()&'-]/u;
export const MAX_GROUP_NAME = 256;

export const groupName = z.string().superRefine((v, ctx) => {
  const shown = JSON.stringify(v);
  if (v.trim() === "") fail(ctx, "BERTH0202", "group name is empty", "name the identity-provider group exactly as it appears in the JWT groups claim");
  else if (v !== v.trim()) fail(ctx, "BERTH0202", `group name ${shown} has leading or trailing spaces`);
  else if (v.includes("*"))
    fail(
      ctx,
      "BERTH0232",
      `group name ${shown} contains *, which Istio's AuthorizationPolicy reads as a wildcard${wildcardReach(v)} while routes match it exactly`,
      "name one identity-provider group exactly; list each group that may call the model",
    );
  else if (!GROUP_CHARACTERS.test(v)) {
    const bad = [...v].find((c) => !GROUP_CHARACTER.test(c))!;
    fail(
      ctx,
      "BERTH0232",
      `group name ${shown} contains ${describeCharacter(bad)}`,
      `a group name holds letters, digits, spaces inside and . _ - @ / : + = , ( ) & ' — write the name exactly as the identity provider sends it`,
    );
  } else if (v.length > MAX_GROUP_NAME)
    fail(
      ctx,
      "BERTH0232",
      `group name is ${v.length} characters; berth allows ${MAX_GROUP_NAME}, as identity providers do`,
      "use the group's name or id as the identity provider sends it",
    );
});

function wildcardReach(v: string): string {
  if (v === "*") return " (every caller with any group)";
  if (v.endsWith("*") && !v.slice(0, -1).includes("*")) return ` (every group starting with ${v.slice(0, -1)})`;
  if (v.startsWith("*") && !v.slice(1).includes("*")) return ` (every group ending with ${v.slice(1)})`;
  return "";
}

function describeCharacter(c: string): string {
  const code = `U+${c.codePointAt(0)!.toString(16).toUpperCase().padStart(4, "0")}`;
  if (/[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/u.test(c)) return `the control or format character ${code}`;
  return `${JSON.stringify(c)} (${code})`;
}

export const resources = z.strictObject({
  requests: z.strictObject({ cpu: quantity("cpu", "request").optional(), memory: quantity("memory", "request").optional() }).optional(),
  limits: z.strictObject({ cpu: quantity("cpu", "limit").optional(), memory: quantity("memory", "limit").optional() }).optional(),
  gpu: nonNegativeInt.optional(),
});

/**
 * berth's ceiling on one version's replicas. Above 1,000 ready pods Kubernetes truncates a
 * Service's Endpoints object (annotation endpoints.kubernetes.io/over-capacity), so tools that
 * still read Endpoints see a partial backend set; and the quota and scheduling proofs at
 * maxReplicas stop meaning anything once a typo adds a zero or two.
 */
export const MAX_REPLICAS = 1000;

const replicas = positiveInt.superRefine((v, ctx) => {
  if (v > MAX_REPLICAS)
    fail(
      ctx,
      "BERTH0233",
      `${v} is above berth's limit of ${MAX_REPLICAS} replicas per version`,
      `Kubernetes truncates a Service's Endpoints at ${MAX_REPLICAS} pods; scale out with more versions, clusters or larger pods, or check the number for a typo`,
    );
});

export const autoscaling = z.strictObject({
  minReplicas: replicas.optional(),
  maxReplicas: replicas.optional(),
  targetCPUUtilization: z.number().int().min(1).max(1000).optional(),
  targetMemoryUtilization: z.number().int().min(1).max(1000).optional(),
  /** Average GPU utilization (percent) per pod, read from DCGM through the platform's metrics adapter. */
  targetGPUUtilization: z.number().int().min(1).max(100).optional(),
});

/** A duration as Istio and Go write it, in whole seconds or more: 500ms is refused, 30s, 2m, 1m30s. */
const DURATION = /^(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?$/;

export function durationSeconds(v: string): number | undefined {
  const m = DURATION.exec(v);
  if (!m || v === "") return undefined;
  return Number(m[1] ?? 0) * 3600 + Number(m[2] ?? 0) * 60 + Number(m[3] ?? 0);
}

export const duration = z
  .string()
  .superRefine((v, ctx) => {
    const s = durationSeconds(v);
    if (s === undefined || s < 1)
      fail(ctx, "BERTH1502", `timeout "${v}" is not a duration of at least one second`, "write whole seconds, minutes or hours, e.g. 60s, 2m or 1m30s");
  })
  .meta({ pattern: EDITOR_PATTERN.duration, examples: ["60s", "2m", "1m30s"] });

export type Resources = z.infer<typeof resources>;
export type Autoscaling = z.infer<typeof autoscaling>;
