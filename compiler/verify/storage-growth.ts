// A store's storage may only grow. Kubernetes expands a PersistentVolumeClaim but never shrinks
// one (ValidatePersistentVolumeClaimUpdate: "spec.resources.requests.storage: field can not be
// less than previous value"), and a StatefulSet's volumeClaimTemplates cannot change in place
// (ValidateStatefulSetUpdate), so a smaller size would leave every sync failing. Compared with
// what was rendered before: the StatefulSet under clusters/ (render, check) or at the base
// revision (diff).
import type { Diagnostics } from "../diagnostics.js";
import { DATA_VOLUME, emitStores } from "../emit/store.js";
import type { KubeObject, Rendered } from "../emit/types.js";
import type { Plan } from "../plan/types.js";
import { formatQuantity, parseQuantity } from "../base/quantity.js";

/** What berth rendered before, by output path (write/previous.ts reads it from disk or from another render). */
export type PreviousObjects = (path: string) => KubeObject | undefined;

/**
 * All that verifyStorageGrowth asks `previous` for on a plan's clusters: their StatefulSets by
 * output path, emitted on their own. `diff` holds these of the base, not its whole cluster
 * (~200 MB at 5,000 models), while the working tree's cluster is verified.
 */
export function storageBaseline(plan: Plan): Map<string, KubeObject> {
  return new Map(emitStores(plan).flatMap((r) => (r.object.kind === "StatefulSet" ? [[r.path, r.object] as const] : [])));
}

type Obj = Record<string, unknown>;
const obj = (v: unknown): Obj => (v && typeof v === "object" && !Array.isArray(v) ? (v as Obj) : {});

/** The storage a rendered StatefulSet asks for per replica, as written. */
export function claimedStorage(o: KubeObject | undefined): string | undefined {
  const templates = obj(o?.spec).volumeClaimTemplates;
  if (!Array.isArray(templates)) return undefined;
  const data = templates.map(obj).find((t) => obj(t.metadata).name === DATA_VOLUME);
  const size = obj(obj(obj(data?.spec).resources).requests).storage;
  return typeof size === "string" || typeof size === "number" ? String(size) : undefined;
}

export function verifyStorageGrowth(plan: Plan, objects: readonly Rendered[], previous: PreviousObjects, diags: Diagnostics): void {
  for (const cluster of plan.clusters) {
    if (cluster.stores.length === 0) continue;
    for (const r of objects) {
      if (r.owner.cluster !== cluster.name || r.object.kind !== "StatefulSet") continue;
      const store = cluster.stores.find((s) => s.name === r.object.metadata.name && s.tenant.namespace === r.object.metadata.namespace);
      if (!store) continue;
      const before = previous(r.path);
      if (before?.kind !== "StatefulSet") continue;
      const was = claimedStorage(before);
      const wasBytes = was === undefined ? undefined : parseQuantity(was);
      if (wasBytes === undefined || store.storageBytes >= wasBytes) continue;
      diags.report(
        "BERTH1425",
        store.at("storage", "size"),
        `storage.size ${store.storage} is smaller than the ${was} ${store.name} has on cluster ${cluster.name} (${r.path}): a volume can only grow`,
        `Kubernetes expands a PersistentVolumeClaim but never shrinks one, and a StatefulSet's volumeClaimTemplates cannot change in place; keep ${formatQuantity("memory", wasBytes, { decimals: 1, padded: true })} or more, or create a new store and move the data`,
      );
    }
  }
}
