import { z } from "zod";
import { parseBucketEntry } from "../base/s3.js";
import { addonsSpec, gatewaySelector } from "./addons.js";
import { storeEngine } from "./store.js";
import { autoscaling, dnsLabel, fail, groupName, httpsUrl, specDocument, owner, positiveInt, resources } from "./common.js";

const IMAGE_PREFIX = /^[a-z0-9]([a-z0-9.-]*[a-z0-9])?(:\d+)?(\/[a-z0-9._-]+)*\/?$/;

export const registryPrefix = z.string().superRefine((v, ctx) => {
  if (!IMAGE_PREFIX.test(v) || !v.includes("/"))
    fail(
      ctx,
      "BERTH0202",
      `"${v}" is not a registry prefix`,
      "write a registry host and path ending in '/', e.g. 123456789012.dkr.ecr.us-east-1.amazonaws.com/",
    );
});

export const runtime = z.strictObject({
  image: z.string(),
  port: positiveInt.max(65535).optional(),
});

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

function isSubdomain(v: string): boolean {
  return v.length <= 253 && v.split(".").every((l) => l.length <= 63 && DNS_LABEL.test(l));
}

/** `<namespace>/<name>` of the Istio Gateway the shared host is bound to (traffic, BERTH0702). */
const gatewayRef = z.string().superRefine((v, ctx) => {
  const parts = v.split("/");
  const [ns, name] = parts;
  if (parts.length === 2 && ns && name && ns.length <= 63 && DNS_LABEL.test(ns) && isSubdomain(name)) return;
  const hint =
    parts.length === 1 && DNS_LABEL.test(v)
      ? `name the Gateway with its namespace, e.g. istio-system/${v}`
      : "write the Istio Gateway as <namespace>/<name> with one slash, lowercase, e.g. istio-system/models-gateway";
  fail(ctx, "BERTH0702", `gateway "${v}" is not <namespace>/<name>`, hint);
});

/** The shared host every model is reached on: a bare, lowercase, fully qualified name (BERTH0701). */
const hostname = z.string().superRefine((v, ctx) => {
  if (v.includes(".") && isSubdomain(v)) return;
  const bare = v
    .replace(/^[a-z]+:\/\//i, "")
    .replace(/[:/].*$/, "")
    .toLowerCase();
  const hint =
    bare !== v && bare.includes(".") && isSubdomain(bare)
      ? `write the bare host name: ${bare}`
      : v.startsWith("*")
        ? "berth binds one exact host; write it without a wildcard, e.g. models.example.internal"
        : "write a lowercase, fully qualified host name such as models.example.internal (no scheme, port, path or wildcard)";
  fail(ctx, "BERTH0701", `ingress host "${v}" is not a fully qualified DNS name`, hint);
});

/** An artifactBuckets entry: a bucket, or a bucket and a key prefix, where model artifacts may live. */
const artifactBucket = z.string().superRefine((v, ctx) => {
  if (!parseBucketEntry(v))
    fail(
      ctx,
      "BERTH0202",
      `"${v}" is not an S3 bucket or bucket/prefix`,
      "write a bucket name such as ml-models, or a bucket and prefix such as ml-models/serving/",
    );
});

export const platformSpec = z.strictObject({
  owners: z.array(owner).min(1),
  gitops: z.strictObject({
    repoURL: z.string().superRefine((v, ctx) => {
      if (!/^(https:\/\/[^\s]+|ssh:\/\/[^\s]+|git@[^\s:]+:[^\s]+)$/.test(v))
        fail(ctx, "BERTH0220", `"${v}" is not a Git repository URL`, "write an https://, ssh:// or git@host:path URL");
    }),
    targetRevision: z.string().min(1).optional(),
  }),
  registries: z.array(registryPrefix).min(1),
  runtimes: z.record(dnsLabel, runtime),
  stores: z.record(dnsLabel, storeEngine).optional(),
  ingress: z.strictObject({ host: hostname, gateway: gatewayRef, gatewaySelector: gatewaySelector.optional() }),
  auth: z
    .strictObject({
      issuer: httpsUrl,
      jwksUri: httpsUrl,
      groupsClaim: z
        .string()
        .regex(/^[A-Za-z0-9_.:/-]+$/)
        .optional(),
      audiences: z.array(z.string().min(1)).optional(),
    })
    .superRefine((auth, ctx) => {
      // Istio checks no audience when none is listed: any token of the issuer, for any application, would pass.
      const hint = "list the aud values of tokens meant for the model API, e.g. audiences: [models-api]";
      if (auth.audiences === undefined)
        fail(ctx, "BERTH1101", "audiences is missing, so any token the issuer signs for any application would be accepted", hint);
      else if (auth.audiences.length === 0)
        fail(ctx, "BERTH1101", "audiences is empty, so any token the issuer signs for any application would be accepted", hint, ["audiences"]);
    }),
  artifactBuckets: z.array(artifactBucket).min(1).optional(),
  defaults: z.strictObject({ resources: resources.optional(), autoscaling: autoscaling.optional() }).optional(),
  /** The custom-metrics adapter the platform layer installs: GPU autoscaling signals need one. */
  metricsAdapter: z.enum(["prometheus-adapter", "none"]).optional(),
  monitoring: z.strictObject({ namespace: dnsLabel.optional(), serviceAccount: z.string().optional(), groups: z.array(groupName).optional() }).optional(),
  addons: addonsSpec.optional(),
});

export const platformDoc = specDocument(platformSpec);

export type PlatformSpec = z.infer<typeof platformSpec>;
