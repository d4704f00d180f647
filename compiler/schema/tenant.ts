import { z } from "zod";
import { dnsLabel, groupName, specDocument, nonNegativeInt, owner, positiveInt, quantity } from "./common.js";

export const tenantSpec = z.strictObject({
  namespace: dnsLabel.optional(),
  owners: z.array(owner).min(1),
  clusters: z.array(dnsLabel).min(1),
  priority: z.number().int().min(0).max(100).optional(),
  quota: z.strictObject({
    cpu: quantity("cpu"),
    memory: quantity("memory"),
    gpu: nonNegativeInt.optional(),
    pods: positiveInt,
  }),
  access: z.array(z.strictObject({ group: groupName, role: z.enum(["view", "edit", "admin"]) })).optional(),
});

export const tenantDoc = specDocument(tenantSpec);

export type TenantSpec = z.infer<typeof tenantSpec>;
