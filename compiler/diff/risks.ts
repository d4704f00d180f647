// The risk summary of a diff: what a reviewer must not miss. Deletions, immutable fields,
// capacity, access and traffic come from the changed objects; traffic weights come from the two
// plans (the effective split per cluster after overrides), whatever object encodes them.
import { cmp } from "../base/order.js";
import { LABEL_VERSION, paths } from "../emit/meta.js";
import { exposureOf } from "./exposure.js";
import { inline, inlinePair, type FieldChange, type ObjectChange } from "./match.js";
import type { Plan } from "../plan/types.js";

export const RISK_KINDS = ["deletion", "immutable", "access", "capacity", "traffic", "schedule", "manual", "platform-upgrade"] as const;
export type RiskKind = (typeof RISK_KINDS)[number];

export interface Risk {
  readonly kind: RiskKind;
  readonly cluster: string;
  readonly tenant?: string;
  readonly model?: string;
  /** The object or model the risk is about. */
  readonly subject: string;
  readonly message: string;
}

const ACCESS_KINDS = new Set([
  "RoleBinding",
  "Role",
  "ClusterRole",
  "ClusterRoleBinding",
  "AuthorizationPolicy",
  "RequestAuthentication",
  "PeerAuthentication",
  "NetworkPolicy",
  "AppProject",
  "ValidatingAdmissionPolicy",
  "ValidatingAdmissionPolicyBinding",
]);
const MESH_ROUTING_KINDS = new Set(["VirtualService", "DestinationRule", "Gateway", "Sidecar"]);

export function subjectOf(c: ObjectChange): string {
  return `${c.kind} ${c.namespace ? `${c.namespace}/` : ""}${c.name}`;
}

export function assessRisks(changes: readonly ObjectChange[], before?: Plan, after?: Plan): Risk[] {
  const risks: Risk[] = [];
  const add = (kind: RiskKind, c: Pick<ObjectChange, "owner">, subject: string, message: string) =>
    risks.push({
      kind,
      cluster: c.owner.cluster,
      ...(c.owner.tenant ? { tenant: c.owner.tenant } : {}),
      ...(c.owner.model ? { model: c.owner.model } : {}),
      subject,
      message,
    });
  const gone = goneModels(changes, after);
  const inGoneModel = (c: ObjectChange) => c.owner.model !== undefined && gone.has(modelKey(c));

  deletions(changes, gone, add);
  for (const c of changes) {
    if (isManual(c)) add("manual", c, subjectOf(c), manualNote(c));
    for (const e of exposureOf(c)) add("access", c, e.subject, e.message);
    if (c.change === "changed") {
      immutable(c, add);
      workloadImmutable(c, add);
      scheduleOfChange(c, add);
      capacityOfChange(c, add);
      accessOfChange(c, add);
      routingOfChange(c, add);
      platformUpgrade(c, add);
    } else if (c.change === "added") {
      if (chartOf(c.after)) add("platform-upgrade", c, subjectOf(c), `new platform component: chart ${chartOf(c.after)}`);
      if (c.kind === "Deployment") add("capacity", c, subjectOf(c), newWorkload(c, changes));
      if (c.kind === "StatefulSet" || c.kind === "CronJob" || c.kind === "Job") add("capacity", c, subjectOf(c), newBatchOrStore(c));
      if (ACCESS_KINDS.has(c.kind)) add("access", c, subjectOf(c), `new ${c.kind}${grantSummary(c.after)}`);
    } else if (ACCESS_KINDS.has(c.kind) && c.kind !== "AppProject" && !inGoneModel(c)) {
      add(
        "access",
        c,
        subjectOf(c),
        c.kind === "AuthorizationPolicy" ? "removed: where no ALLOW policy selects a workload, Istio admits every caller" : `removed${grantSummary(c.before)}`,
      );
    }
  }
  if (before && after) trafficShifts(before, after, risks);
  return risks.sort(byRisk);
}

type Add = (kind: RiskKind, c: Pick<ObjectChange, "owner">, subject: string, message: string) => void;

const modelKey = (c: ObjectChange) => `${c.owner.cluster}\u0000${c.owner.model ?? ""}`;

/**
 * Models that no longer exist on a cluster. The new plan says so exactly; without one, a model
 * is gone when its ServiceAccount went and nothing of it was added or changed.
 */
function goneModels(changes: readonly ObjectChange[], after?: Plan): Set<string> {
  const removed = changes.filter((c) => c.change === "removed" && c.owner.model);
  if (after) {
    const live = new Set(after.clusters.flatMap((cl) => [...cl.models, ...cl.stores].map((m) => `${cl.name}\u0000${m.name}`)));
    return new Set(removed.map(modelKey).filter((k) => !live.has(k)));
  }
  const kept = new Set(changes.filter((c) => c.change !== "removed" && c.owner.model).map(modelKey));
  return new Set(
    removed
      .filter((c) => c.kind === "ServiceAccount")
      .map(modelKey)
      .filter((k) => !kept.has(k)),
  );
}

/** One line per removed model or version; other removals one by one. */
function deletions(changes: readonly ObjectChange[], gone: ReadonlySet<string>, add: Add): void {
  const removed = changes.filter((c) => c.change === "removed");
  const reported = new Set<string>();
  const versionKey = (c: ObjectChange, version: string) => `${modelKey(c)}\u0000${c.namespace}\u0000${version}`;
  const versionsGone = new Set(
    removed
      .filter((c) => c.kind === "Deployment" && c.before?.metadata.labels?.[LABEL_VERSION])
      .map((c) => versionKey(c, c.before!.metadata.labels![LABEL_VERSION]!)),
  );
  for (const c of removed) {
    const version = c.before?.metadata.labels?.[LABEL_VERSION];
    if (c.owner.model && gone.has(modelKey(c))) {
      if (reported.has(modelKey(c))) continue;
      reported.add(modelKey(c));
      const mine = removed.filter((r) => modelKey(r) === modelKey(c));
      const deployments = mine.filter((r) => r.kind === "Deployment").map((r) => r.name);
      const statefulSet = mine.find((r) => r.kind === "StatefulSet");
      if (statefulSet) add("deletion", c, `store ${c.owner.model}`, storeRemoval(statefulSet, mine.length));
      else
        add(
          "deletion",
          c,
          `model ${c.owner.model}`,
          `model removed from ${c.owner.cluster}: ${mine.length} objects deleted${deployments.length ? ` (Deployments ${deployments.join(", ")})` : ""}`,
        );
    } else if (c.kind === "Deployment" && version) {
      add(
        "deletion",
        c,
        subjectOf(c),
        `version ${version} of ${c.owner.model} removed: its pods stop serving once Argo CD prunes the Deployment (with PruneLast, after the rest of the sync is healthy)`,
      );
    } else if (!(version && versionsGone.has(versionKey(c, version)))) {
      add("deletion", c, subjectOf(c), removalNote(c)); // a removed version's HPA and PDB go with it
    }
  }
}

function removalNote(c: ObjectChange): string {
  if (c.kind === "Namespace")
    return "namespace deleted: Argo CD holds the prune until someone confirms it (Prune=confirm); confirming deletes everything left in it";
  if (c.kind === "Application") return "Application deleted: Argo CD deletes every object it synced (cascade finalizer)";
  if (c.kind === "AppProject") return "project deleted: Argo CD keeps it until no Application names it";
  return "deleted";
}

/**
 * Fields the API server refuses to change on update (kubernetes/kubernetes
 * pkg/apis/apps/validation/validation.go ValidateDeploymentUpdate, ValidateStatefulSetUpdate,
 * ValidateDaemonSetUpdate; pkg/apis/batch/validation/validation.go ValidateJobSpecUpdate;
 * pkg/apis/rbac/validation/validation.go ValidateRoleBindingUpdate; pkg/apis/core/validation
 * ValidateServiceUpdate): a render that changes one fails the sync until the object is replaced.
 */
const IMMUTABLE: Record<string, { prefix: string; why: string }[]> = {
  Deployment: [
    {
      prefix: "spec.selector",
      why: "spec.selector is immutable: the sync fails until the Deployment is deleted and re-created, and this version serves nothing meanwhile",
    },
  ],
  StatefulSet: ["spec.selector", "spec.serviceName", "spec.volumeClaimTemplates", "spec.podManagementPolicy"].map((prefix) => ({
    prefix,
    why: `${prefix} is immutable on a StatefulSet: the sync fails until it is deleted and re-created (its volumes stay, its pods restart)`,
  })),
  DaemonSet: [{ prefix: "spec.selector", why: "spec.selector is immutable: the sync fails until the DaemonSet is deleted and re-created" }],
  Job: ["spec.selector", "spec.template", "spec.completionMode"].map((prefix) => ({
    prefix,
    why: `${prefix} is immutable on a Job: the sync fails until the Job is deleted and re-created`,
  })),
  RoleBinding: [{ prefix: "roleRef", why: "roleRef is immutable: the sync fails until the RoleBinding is deleted and re-created" }],
  Service: [
    { prefix: "spec.clusterIP", why: "spec.clusterIP is immutable: the Service must be re-created, and clients holding the old IP break" },
    { prefix: "spec.type", why: "spec.type changes how the Service is reached (and releases or allocates node ports or load balancers)" },
  ],
  PodDisruptionBudget: [
    { prefix: "spec.selector", why: "spec.selector changes which pods the budget protects; until the new pods carry the labels, none are" },
  ],
};

function immutable(c: ObjectChange, add: Add): void {
  for (const rule of IMMUTABLE[c.kind] ?? []) {
    const hits = c.fields.filter((f) => f.path === rule.prefix || f.path.startsWith(rule.prefix + ".") || f.path.startsWith(rule.prefix + "["));
    if (hits.length === 0 || explainedByWorkload(c, rule.prefix, hits)) continue;
    add("immutable", c, subjectOf(c), `${rule.why} (${hits.map(describeField).join("; ")})`);
  }
}

const isStorageChange = (f: FieldChange) => /^spec\.volumeClaimTemplates\[[^\]]+\]\.spec\.resources\.requests\.storage$/.test(f.path);

/** A Job berth renders for a one-off batch: Argo CD replaces it rather than failing the sync. */
const replacedByArgo = (c: ObjectChange) => /\bReplace=true\b/.test(c.after?.metadata.annotations?.["argocd.argoproj.io/sync-options"] ?? "");

/** Changes workloadImmutable says more about: a store's storage growth, a one-off batch's Job. */
function explainedByWorkload(c: ObjectChange, prefix: string, hits: readonly FieldChange[]): boolean {
  if (c.kind === "StatefulSet") return prefix === "spec.volumeClaimTemplates" && hits.every(isStorageChange);
  return c.kind === "Job" && replacedByArgo(c);
}

/** Job fields Kubernetes lets change in place (ValidateJobSpecUpdate, pkg/apis/batch/validation). */
const JOB_MUTABLE = new Set(["parallelism", "activeDeadlineSeconds", "suspend"]);

function workloadImmutable(c: ObjectChange, add: Add): void {
  if (c.kind === "StatefulSet") {
    const claims = c.fields.filter((f) => f.path.startsWith("spec.volumeClaimTemplates"));
    if (claims.length === 0 || !claims.every(isStorageChange)) return;
    const ns = c.namespace ? `-n ${c.namespace} ` : "";
    const why = `volumeClaimTemplates cannot change in place, so the sync fails until you act: grow each replica's claim (kubectl ${ns}patch pvc data-${c.name}-<ordinal> -p '{"spec":{"resources":{"requests":{"storage":"${String(claims[0]!.new)}"}}}}'), then delete the StatefulSet with --cascade=orphan so Argo CD re-creates it; pods and claims stay`;
    add("immutable", c, subjectOf(c), `${why} (${claims.map(describeField).join("; ")})`);
  } else if (c.kind === "Job" && replacedByArgo(c)) {
    const hits = c.fields.filter((f) => /^spec\.([A-Za-z]+)/.test(f.path) && !JOB_MUTABLE.has(/^spec\.([A-Za-z]+)/.exec(f.path)![1]!));
    if (hits.length > 0)
      add(
        "immutable",
        c,
        subjectOf(c),
        `a Job's pod template and completions are immutable: Argo CD deletes and re-creates it (Force, Replace), which runs the batch again (${hits.map(describeField).join("; ")})`,
      );
  }
}

/** A batch that runs at other times, or stops running on a schedule, is worth its own line. */
function scheduleOfChange(c: ObjectChange, add: Add): void {
  if (c.kind !== "CronJob") return;
  const hits = c.fields.filter((f) => f.path === "spec.schedule" || f.path === "spec.timeZone" || f.path === "spec.suspend");
  if (hits.length > 0) add("schedule", c, subjectOf(c), hits.map(describeField).join("; "));
}

function newBatchOrStore(c: ObjectChange): string {
  type Pod = { containers?: { resources?: { requests?: Record<string, string> } }[] };
  type JobSpec = { parallelism?: number; completions?: number; template?: { spec?: Pod } };
  const spec = c.after?.spec as
    | (JobSpec & {
        schedule?: string;
        jobTemplate?: { spec?: JobSpec };
        replicas?: number;
        volumeClaimTemplates?: { spec?: { resources?: { requests?: { storage?: string } } } }[];
      })
    | undefined;
  const requests = (pod?: Pod) =>
    Object.entries(pod?.containers?.[0]?.resources?.requests ?? {})
      .map(([k, v]) => `${k} ${v}`)
      .join(", ") || "no requests";
  if (c.kind === "StatefulSet") {
    const storage = spec?.volumeClaimTemplates?.[0]?.spec?.resources?.requests?.storage;
    return `new store: ${spec?.replicas ?? 1} replicas × (${requests(spec?.template?.spec)})${storage ? `, ${storage} of encrypted gp3 per replica` : ""}`;
  }
  const job = c.kind === "CronJob" ? spec?.jobTemplate?.spec : spec;
  const when = c.kind === "CronJob" ? `on schedule ${spec?.schedule} (UTC)` : "once";
  return `new batch, runs ${when}: ${job?.completions ?? 1} shards, ${job?.parallelism ?? 1} at a time × (${requests(job?.template?.spec)})`;
}

function storeRemoval(c: ObjectChange, objects: number): string {
  return `store removed from ${c.owner.cluster}: ${objects} objects deleted (StatefulSet ${c.name}); its claims stay (retention Retain) and keep the data until someone deletes them, which releases the volumes only by hand (reclaim policy Retain)`;
}

const CAPACITY_FIELDS: Record<string, RegExp> = {
  Deployment: /^spec\.replicas$|\.resources\.(requests|limits)\b/,
  StatefulSet: /^spec\.replicas$|\.resources\.(requests|limits)\b/,
  CronJob: /\.(parallelism|completions)$|\.resources\.(requests|limits)\b/,
  Job: /^spec\.(parallelism|completions)$|\.resources\.(requests|limits)\b/,
  HorizontalPodAutoscaler: /^spec\.(minReplicas|maxReplicas)$/,
  ResourceQuota: /^spec\.hard\b/,
  LimitRange: /^spec\.limits\b/,
  PriorityClass: /^value$|^preemptionPolicy$/,
  ClusterConfig:
    /^(nodeGroups|managedNodeGroups)\b.*\.(minSize|maxSize|desiredCapacity|instanceType|instanceTypes)$|^(nodeGroups|managedNodeGroups)\[[^\]]+\]$/,
};

function capacityOfChange(c: ObjectChange, add: Add): void {
  const pattern = CAPACITY_FIELDS[c.kind];
  if (!pattern) return;
  const hits = c.fields.filter((f) => pattern.test(f.path));
  if (hits.length === 0) return;
  const lostReplicas = c.kind === "Deployment" && hits.some((f) => f.path === "spec.replicas" && f.op === "removed");
  const note = lostReplicas
    ? "; spec.replicas leaves the manifest as the HPA takes over: if only Argo CD owned the field, Kubernetes resets it to 1 until the HPA scales back up"
    : "";
  add("capacity", c, subjectOf(c), hits.map(describeField).join("; ") + note);
}

/** Namespace labels carry Pod Security admission and mesh injection: changing them changes who is held to what. */
function accessOfChange(c: ObjectChange, add: Add): void {
  const relevant = ACCESS_KINDS.has(c.kind)
    ? c.fields.filter((f) => !f.path.startsWith("metadata."))
    : c.kind === "Application"
      ? c.fields.filter((f) => /^spec\.(project|destination)\b/.test(f.path))
      : c.kind === "Namespace"
        ? c.fields.filter((f) => f.path.startsWith("metadata.labels"))
        : [];
  if (relevant.length > 0) add("access", c, subjectOf(c), relevant.map(describeField).join("; "));
}

function routingOfChange(c: ObjectChange, add: Add): void {
  const relevant = MESH_ROUTING_KINDS.has(c.kind)
    ? c.fields.filter((f) => !f.path.startsWith("metadata.") && !/\.weight$/.test(f.path))
    : c.kind === "Service"
      ? c.fields.filter((f) => /^spec\.(selector|ports)\b/.test(f.path))
      : [];
  if (relevant.length > 0) add("traffic", c, subjectOf(c), relevant.map(describeField).join("; "));
}

/** A chart Application's source: `<chart> <version> from <repo>`. */
function chartOf(o: ObjectChange["after"]): string | undefined {
  const source =
    o?.kind === "Application" ? (o.spec as { source?: { chart?: string; targetRevision?: string; repoURL?: string } } | undefined)?.source : undefined;
  return source?.chart ? `${source.chart} ${source.targetRevision ?? "?"} from ${source.repoURL ?? "?"}` : undefined;
}

/**
 * A platform component's chart moving to another version (or its values changing), and the
 * cluster's Kubernetes version: each upgrades what every tenant on the cluster runs on.
 */
function platformUpgrade(c: ObjectChange, add: Add): void {
  if (c.kind === "ClusterConfig") {
    const v = c.fields.find((f) => f.path === "metadata.version");
    if (v)
      add(
        "platform-upgrade",
        c,
        subjectOf(c),
        `Kubernetes ${String(v.old)} → ${String(v.new)}: run eksctl upgrade cluster with this config, then upgrade each node group; on merge Argo CD moves the platform charts to the releases pinned for ${String(v.new)} (docs/bootstrap.md)`,
      );
    return;
  }
  if (c.kind !== "Application" || !chartOf(c.after)) return;
  const source = (o: ObjectChange["after"]) => (o?.spec as { source?: { chart?: string; targetRevision?: string } }).source;
  const before = source(c.before);
  const after = source(c.after);
  if (before?.targetRevision !== after?.targetRevision || before?.chart !== after?.chart)
    add(
      "platform-upgrade",
      c,
      subjectOf(c),
      `chart ${before?.chart ?? "?"} ${before?.targetRevision ?? "?"} → ${after?.chart ?? "?"} ${after?.targetRevision ?? "?"}: Argo CD upgrades the release on sync; read the chart's upgrade notes`,
    );
  const values = c.fields.filter((f) => f.path.startsWith("spec.source.helm."));
  if (values.length > 0) add("platform-upgrade", c, subjectOf(c), `values: ${values.map(describeField).join("; ")}`);
}

/** Effective traffic split and group routes per cluster and model, compared across the two plans. */
function trafficShifts(before: Plan, after: Plan, risks: Risk[]): void {
  const index = (plan: Plan) => new Map(plan.clusters.flatMap((c) => c.models.map((m) => [`${c.name}\u0000${m.name}`, m] as const)));
  const was = index(before);
  for (const [key, m] of index(after)) {
    const old = was.get(key);
    if (!old) continue;
    const weights = (mp: typeof m) => new Map(mp.versions.map((v) => [v.version.name, v.version.traffic]));
    const w0 = weights(old);
    const w1 = weights(m);
    const names = [...new Set([...w0.keys(), ...w1.keys()])];
    const moved = names.filter((n) => w0.get(n) !== w1.get(n));
    const base = { kind: "traffic" as const, cluster: m.cluster, tenant: m.tenant.name, model: m.name, subject: `model ${m.name}` };
    if (moved.length > 0 && names.some((n) => (w0.get(n) ?? 0) > 0 || (w1.get(n) ?? 0) > 0))
      risks.push({ ...base, message: `weights ${names.map((n) => `${n} ${w0.get(n) ?? "—"} → ${w1.get(n) ?? "—"}`).join(", ")}` });
    const routes = (mp: typeof m) => mp.model.routing.map((r) => `${r.group} → ${r.version}`).sort();
    const r0 = routes(old);
    const r1 = routes(m);
    if (r0.join("\n") !== r1.join("\n")) risks.push({ ...base, message: `group routes [${r0.join(", ")}] → [${r1.join(", ")}]` });
  }
}

function newWorkload(c: ObjectChange, changes: readonly ObjectChange[]): string {
  const spec = c.after?.spec as
    | { replicas?: number; template?: { spec?: { containers?: { resources?: { requests?: Record<string, string>; limits?: Record<string, string> } }[] } } }
    | undefined;
  const res = spec?.template?.spec?.containers?.[0]?.resources;
  const req = Object.entries(res?.requests ?? {}).map(([k, v]) => `${k} ${v}`);
  const gpu = res?.limits?.["nvidia.com/gpu"];
  const hpa = changes.find(
    (o) => o.owner.cluster === c.owner.cluster && o.kind === "HorizontalPodAutoscaler" && o.namespace === c.namespace && o.name === c.name,
  )?.after?.spec as { minReplicas?: number; maxReplicas?: number } | undefined;
  const replicas = hpa ? `${hpa.minReplicas ?? 1}–${hpa.maxReplicas} replicas` : `${spec?.replicas ?? 1} replicas`;
  return `new workload: ${replicas} × (${[...req, ...(gpu ? [`nvidia.com/gpu ${gpu}`] : [])].join(", ") || "no requests"})`;
}

/** What an access object grants, in one line: groups allowed, subjects bound, namespaces reached. */
function grantSummary(o: ObjectChange["after"]): string {
  if (!o) return "";
  const spec = o.spec as Record<string, unknown> | undefined;
  if (o.kind === "AuthorizationPolicy") {
    const values = new Set<string>();
    for (const rule of (spec?.rules as { when?: { values?: string[] }[] }[] | undefined) ?? [])
      for (const w of rule.when ?? []) for (const v of w.values ?? []) values.add(v);
    return values.size ? `: allows ${[...values].sort().join(", ")}` : "";
  }
  if (o.kind === "RoleBinding" || o.kind === "ClusterRoleBinding") {
    const subjects = ((o as { subjects?: { kind: string; name: string }[] }).subjects ?? []).map((s) => `${s.kind} ${s.name}`);
    const role = (o as { roleRef?: { kind: string; name: string } }).roleRef;
    return subjects.length ? `: binds ${subjects.join(", ")}${role ? ` to ${role.kind} ${role.name}` : ""}` : "";
  }
  if (o.kind === "AppProject") {
    const dests = ((spec?.destinations as { namespace?: string }[] | undefined) ?? []).map((d) => d.namespace ?? "");
    return dests.length ? `: destinations ${dests.join(", ")}` : "";
  }
  return "";
}

function isManual(c: ObjectChange): boolean {
  const dirs = [paths.bootstrap(c.owner.cluster), paths.eksctl(c.owner.cluster)];
  return dirs.some((d) => c.file.startsWith(d + "/"));
}

function manualNote(c: ObjectChange): string {
  return c.file.startsWith(paths.eksctl(c.owner.cluster) + "/")
    ? `${c.change}: Argo CD never applies the eksctl config; run eksctl against ${c.file} after merge`
    : `${c.change}: Argo CD does not sync bootstrap/; re-apply it by hand (kubectl apply -n argocd -f ${paths.bootstrap(c.owner.cluster)}/)`;
}

/** One field change in a risk line; a whole list item or map added or removed is named, not dumped. */
export function describeField(f: FieldChange): string {
  const whole = (v: unknown) => typeof v === "object" && v !== null && /\[[^\]=]+=[^\]]+\]$/.test(f.path);
  if (f.op === "added") return whole(f.new) ? `${f.path} added` : `${f.path}: + ${inline(f.new, 80)}`;
  if (f.op === "removed") return whole(f.old) ? `${f.path} removed` : `${f.path}: − ${inline(f.old, 80)}`;
  const [was, now] = inlinePair(f.old, f.new, 80);
  return `${f.path}: ${was} → ${now}`;
}

function byRisk(a: Risk, b: Risk): number {
  return (
    RISK_KINDS.indexOf(a.kind) - RISK_KINDS.indexOf(b.kind) ||
    cmp(a.cluster, b.cluster) ||
    cmp(a.tenant, b.tenant) ||
    cmp(a.model, b.model) ||
    cmp(a.subject, b.subject) ||
    cmp(a.message, b.message)
  );
}
