import { z } from "zod";
import { dnsLabel, fail, groupName, nonNegativeInt, owner, positiveInt, quantity, specDocument } from "./common.js";
import { closest } from "./suggest.js";

export const TENANT_ROLES = ["view", "edit", "admin"] as const;

/** What people write for a role, mapped to the tenant role that comes closest. */
const ROLE_ALIASES: Record<string, (typeof TENANT_ROLES)[number]> = {
  viewer: "view",
  read: "view",
  reader: "view",
  readonly: "view",
  "read-only": "view",
  editor: "edit",
  write: "edit",
  writer: "edit",
  developer: "edit",
  maintainer: "edit",
  owner: "admin",
  administrator: "admin",
  "cluster-admin": "admin",
};

/** One of the built-in ClusterRoles view, edit, admin, bound in the tenant's namespace only. */
const tenantRole = z
  .string()
  .superRefine((v, ctx) => {
    if ((TENANT_ROLES as readonly string[]).includes(v)) return;
    const near = ROLE_ALIASES[v.toLowerCase()] ?? closest(v, TENANT_ROLES);
    const scope = v.startsWith("cluster-") || v.startsWith("system:") ? "; cluster-wide roles are never granted to a tenant" : "";
    fail(
      ctx,
      "BERTH0202",
      `"${v}" is not a tenant role: write view, edit or admin${scope}`,
      `${near ? `did you mean \`${near}\`? ` : ""}view reads the namespace, edit also changes workloads, admin also manages RoleBindings; each is the built-in ClusterRole bound inside the tenant's namespace only`,
    );
  })
  .meta({ enum: [...TENANT_ROLES], description: "the built-in ClusterRole the group gets inside the tenant's namespace" });

const accessList = z.array(z.strictObject({ group: groupName, role: tenantRole })).superRefine((entries, ctx) => {
  const first = new Map<string, number>();
  entries.forEach((e, i) => {
    const at = first.get(e.group);
    if (at === undefined) first.set(e.group, i);
    else
      fail(
        ctx,
        "BERTH0501",
        `group ${e.group} is already granted ${entries[at]!.role} at spec.access[${at}]`,
        "give each group one entry with the widest role it needs",
        [i, "group"],
      );
  });
});

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
  access: accessList.optional(),
});

export const tenantDoc = specDocument(tenantSpec);

export type TenantSpec = z.infer<typeof tenantSpec>;
