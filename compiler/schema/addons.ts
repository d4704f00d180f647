// platform.addons (overrides of the platform layer's pinned charts) and ingress.gatewaySelector.
import { z } from "zod";
import { ADDON_NAMES } from "../catalogue/addons.js";
import { fail, labelKey, labelValue } from "./common.js";

/** A Helm chart version as an index names one: semver, no range, no `latest`. */
const EXACT_VERSION = /^\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?(\+[0-9A-Za-z.-]+)?$/;

const chartVersion = z.string().superRefine((v, ctx) => {
  if (EXACT_VERSION.test(v)) return;
  const bare = v.replace(/^[v=]+/, "");
  const hint = EXACT_VERSION.test(bare)
    ? `write ${bare}: chart versions carry no prefix`
    : "pin one version, e.g. 1.29.6: a range or latest lets the cluster change without a pull request";
  fail(ctx, "BERTH1204", `"${v}" is not an exact chart version`, hint);
});

/** Helm values merged over berth's own: maps merge key by key, lists and scalars replace. */
const helmValues = z.record(z.string(), z.unknown());

export const addonOverride = z.strictObject({
  version: chartVersion.optional(),
  values: helmValues.optional(),
});

export const addonsSpec = z.strictObject(
  Object.fromEntries(ADDON_NAMES.map((n) => [n, addonOverride.optional()])) as Record<(typeof ADDON_NAMES)[number], z.ZodOptional<typeof addonOverride>>,
);

/** The labels of the ingress gateway's pods: the Gateway and the JWT check select them. */
export const gatewaySelector = z.record(labelKey, labelValue).superRefine((v, ctx) => {
  if (Object.keys(v).length === 0)
    fail(
      ctx,
      "BERTH0202",
      "gatewaySelector is empty: it would select every pod in the gateway's namespace",
      "name the gateway pods' labels, e.g. {istio: ingressgateway}, or leave the field out for that default",
    );
});

export type AddonsSpec = z.infer<typeof addonsSpec>;
export type AddonOverride = z.infer<typeof addonOverride>;
