import { z } from "zod";
import { autoscaling, dnsLabel, fail, groupName, httpsUrl, specDocument, owner, positiveInt, resources } from "./common.js";

const IMAGE_PREFIX = /^[a-z0-9]([a-z0-9.-]*[a-z0-9])?(:\d+)?(\/[a-z0-9._-]+)*\/?$/;

export const registryPrefix = z.string().superRefine((v, ctx) => {
  if (!IMAGE_PREFIX.test(v) || !v.includes("/"))
    fail(ctx, "BERTH0202", `"${v}" is not a registry prefix`, "write a registry host and path ending in '/', e.g. 123456789012.dkr.ecr.us-east-1.amazonaws.com/");
});

export const runtime = z.strictObject({
  image: z.string(),
  port: positiveInt.max(65535).optional(),
});

const gatewayRef = z.string().superRefine((v, ctx) => {
  const [ns, name, ...rest] = v.split("/");
  const label = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
  if (rest.length > 0 || !ns || !name || !label.test(ns) || !label.test(name))
    fail(ctx, "BERTH0202", `gateway "${v}" is not <namespace>/<name>`, "write the Istio Gateway as namespace/name, e.g. istio-system/models-gateway");
});

const hostname = z.string().superRefine((v, ctx) => {
  const ok = v.length <= 253 && v.split(".").every((l) => /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(l) && l.length <= 63) && v.includes(".");
  if (!ok) fail(ctx, "BERTH0202", `ingress host "${v}" is not a fully qualified DNS name`, "write a lowercase host name such as models.example.internal (no scheme, port, path or wildcard)");
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
  ingress: z.strictObject({ host: hostname, gateway: gatewayRef }),
  auth: z.strictObject({
    issuer: httpsUrl,
    jwksUri: httpsUrl,
    groupsClaim: z.string().regex(/^[A-Za-z0-9_.:/-]+$/).optional(),
    audiences: z.array(z.string().min(1)).optional(),
  }),
  defaults: z
    .strictObject({ resources: resources.optional(), autoscaling: autoscaling.optional() })
    .optional(),
  monitoring: z
    .strictObject({ namespace: dnsLabel.optional(), serviceAccount: z.string().optional(), groups: z.array(groupName).optional() })
    .optional(),
});

export const platformDoc = specDocument(platformSpec);

export type PlatformSpec = z.infer<typeof platformSpec>;
