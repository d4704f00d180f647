// What Argo CD's sync engine reads from the objects it syncs, where a mistake is silent rather
// than rejected: a sync wave that is not an integer puts the object in wave 0
// (argoproj/gitops-engine pkg/sync/syncwaves/waves.go Wave, strconv.Atoi), and a sync option
// Argo CD does not know is ignored (the options are matched as exact strings:
// gitops-engine pkg/sync/common/types.go, argo-cd controller/sync.go SyncAppState). Which project
// admits an object's kind and namespace is proven in verify/gitops.ts (BERTH0801).
import type { Rendered } from "../../emit/types.js";
import { obj, strings, type Reject } from "./object.js";

export const SYNC_WAVE_ANNOTATION = "argocd.argoproj.io/sync-wave";
export const SYNC_OPTIONS_ANNOTATION = "argocd.argoproj.io/sync-options";

/** Every sync option Argo CD acts on, as the exact strings it compares. */
export const KNOWN_SYNC_OPTIONS: ReadonlySet<string> = new Set([
  // gitops-engine pkg/sync/common/types.go
  "SkipDryRunOnMissingResource=true",
  "Prune=false",
  "Prune=confirm",
  "Validate=false",
  "PruneLast=true",
  "Replace=true",
  "Replace=false",
  "Force=true",
  "ServerSideApply=true",
  "ServerSideApply=false",
  "Delete=false",
  "Delete=confirm",
  "ApplyOutOfSyncOnly=true",
  "ApplyOutOfSyncOnly=false",
  "ClientSideApplyMigration=true",
  "ClientSideApplyMigration=false",
  // argo-cd controller/sync.go and the Application's sync policy
  "CreateNamespace=true",
  "CreateNamespace=false",
  "RespectIgnoreDifferences=true",
  "FailOnSharedResource=true",
  "PrunePropagationPolicy=foreground",
  "PrunePropagationPolicy=background",
  "PrunePropagationPolicy=orphan",
]);

/** strconv.Atoi on a 64-bit build: an optional sign and decimal digits, within int64. */
function isGoInt(s: string): boolean {
  if (!/^[+-]?\d+$/.test(s)) return false;
  if (s.length < 19) return true;
  const n = BigInt(s);
  return n >= -(2n ** 63n) && n < 2n ** 63n;
}

export function verifyArgoAnnotations(r: Rendered, reject: Reject): void {
  const annotations = r.object.metadata.annotations ?? {};
  const wave = annotations[SYNC_WAVE_ANNOTATION];
  if (wave !== undefined && !isGoInt(wave))
    reject(
      "BERTH1040",
      r,
      `${SYNC_WAVE_ANNOTATION} ${JSON.stringify(wave)} is not an integer: Argo CD would silently sync it in wave 0`,
      "sync waves are whole numbers such as -2 or 1",
    );
  const options = annotations[SYNC_OPTIONS_ANNOTATION];
  if (options !== undefined) for (const o of options.split(",").map((s) => s.trim())) checkOption(r, o, reject);
  if (r.object.kind === "Application" && r.object.apiVersion.startsWith("argoproj.io/"))
    for (const o of strings(obj(obj(r.object.spec).syncPolicy).syncOptions)) checkOption(r, o, reject);
}

function checkOption(r: Rendered, option: string, reject: Reject): void {
  if (!KNOWN_SYNC_OPTIONS.has(option))
    reject(
      "BERTH1041",
      r,
      `sync option ${JSON.stringify(option)} is not one Argo CD knows; it is silently ignored`,
      `known options: ${[...KNOWN_SYNC_OPTIONS].join(", ")}`,
    );
}
