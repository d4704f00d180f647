// The names berth derives from specs, made here once: rules check them and emitters use them.
import { createHash } from "node:crypto";

/** Kubernetes object names and label values: 63 characters at most. */
export const MAX_NAME = 63;

/** A version name made DNS-safe: v1.2.0 -> v1-2-0. */
export function dnsSafe(version: string): string {
  return version.replace(/\./g, "-");
}

/** `<model>-<dnsSafe(version)>`: the Deployment, HPA and PDB name of a version. */
export function workloadName(model: string, version: string): string {
  return `${model}-${dnsSafe(version)}`;
}

export function priorityClassName(priority: number): string {
  return `berth-tier-${priority}`;
}

/** The Argo CD Application of one model's folder (its serving objects and its batch Jobs). */
export function modelAppName(model: string): string {
  return `model-${model}`;
}

/** The Argo CD Application of one store's folder: a store's failing sync holds up no model. */
export function storeAppName(store: string): string {
  return `store-${store}`;
}

/** The Argo CD Application of a tenant's workloads. */
export function tenantAppName(tenant: string): string {
  return `tenant-${tenant}`;
}

/**
 * `<role>-<group>`, DNS-safe. The role is in the name because a RoleBinding's roleRef is
 * immutable: changing a group's role replaces the binding instead of failing the sync. A group
 * name that had to be rewritten (or shortened) gets a hash of the original, so two groups never
 * share a binding.
 */
export function roleBindingName(role: string, group: string): string {
  const slug = group
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, "-")
    .replace(/-+/g, "-")
    .replace(/^-+|-+$/g, "");
  const name = `${role}-${slug}`;
  if (slug === group && name.length <= MAX_NAME) return name;
  const hash = createHash("sha256").update(group).digest("hex").slice(0, 8);
  return `${name.slice(0, MAX_NAME - 9).replace(/-+$/, "")}-${hash}`;
}
