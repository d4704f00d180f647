// Proves, pod by pod, that a workload can load its model and nothing more: the ServiceAccount of
// every pod that reads an artifact has one Pod Identity association in the eksctl config, granting
// exactly the prefixes its pods read (from their MODEL_S3_URI, and a batch pod's BATCH_INPUT) and
// write (a batch pod's BATCH_OUTPUT) and no other action; no association
// grants a ServiceAccount no pod uses; and the pod's NetworkPolicies let it reach the Pod Identity
// agent and no other link-local address.
import type { Diagnostics } from "../diagnostics.js";
import { AUTOSCALER_SERVICE_ACCOUNT, LOAD_BALANCER_CONTROLLER_SERVICE_ACCOUNT } from "../emit/eksctl.js";
import type { Rendered } from "../emit/types.js";
import { LIST_ACTIONS, READ_ACTIONS, WRITE_ACTIONS } from "../plan/identity.js";
import type { Plan } from "../plan/types.js";
import { bucketArn, objectsArn, parseS3Uri, partitionOf } from "../base/s3.js";
import { linkLocalEgress, type PolicyRef } from "./egress.js";

type Obj = Record<string, unknown>;
const obj = (v: unknown): Obj => (v && typeof v === "object" && !Array.isArray(v) ? (v as Obj) : {});
const list = (v: unknown): Obj[] => (Array.isArray(v) ? v.map(obj) : []);
const strings = (v: unknown): string[] => (Array.isArray(v) ? v.map(String) : typeof v === "string" ? [v] : []);

/** The env var that carries a model version's artifact; what the pod reads. */
export const ARTIFACT_ENV = "MODEL_S3_URI";
/** What a batch pod reads besides its artifact, and where it writes. */
const READ_ENV = new Set([ARTIFACT_ENV, "BATCH_INPUT"]);
const WRITE_ENV = "BATCH_OUTPUT";
const ASSOCIATION_FIELDS = new Set(["namespace", "serviceAccountName", "permissionPolicy"]);
/** The cluster-autoscaler's association: the platform's, proven by nothing here. */
/** The platform's own identities: their pods come from the platform layer's charts, not from berth's objects. */
const PLATFORM_IDENTITIES = new Set([AUTOSCALER_SERVICE_ACCOUNT, LOAD_BALANCER_CONTROLLER_SERVICE_ACCOUNT].map((sa) => `${sa.namespace}/${sa.name}`));

interface Pod {
  readonly r: Rendered;
  /** The S3 URIs it reads: its artifact, and a batch pod's input. */
  readonly artifacts: string[];
  readonly writes: string[];
}

/** The pod template of a workload kind, if it has one. */
export function podTemplate(o: Obj): Obj | undefined {
  const spec = obj(o.spec);
  if (spec.template !== undefined) return obj(spec.template);
  const job = obj(obj(spec.jobTemplate).spec);
  return job.template !== undefined ? obj(job.template) : undefined;
}

export function verifyIdentity(plan: Plan, objects: readonly Rendered[], diags: Diagnostics): void {
  const byCluster = groupBy(objects, (r) => r.owner.cluster);
  for (const cluster of plan.clusters) {
    const mine = byCluster.get(cluster.name) ?? [];
    const config = mine.find((r) => r.object.kind === "ClusterConfig");
    if (!config) continue;
    const namespaces = new Set(cluster.tenants.map((t) => t.namespace));
    const policies = new Map<string, PolicyRef[]>();
    const accounts = new Map<string, Rendered>();
    const pods = new Map<string, Pod[]>();
    for (const r of mine) {
      const ns = r.object.metadata.namespace;
      if (!ns || !namespaces.has(ns)) continue;
      if (r.object.kind === "NetworkPolicy") push(policies, ns, { name: r.object.metadata.name, spec: obj(r.object.spec) });
      if (r.object.kind === "ServiceAccount") accounts.set(`${ns}/${r.object.metadata.name}`, r);
      const template = podTemplate(r.object as unknown as Obj);
      if (!template) continue;
      const spec = obj(template.spec);
      const key = `${ns}/${typeof spec.serviceAccountName === "string" ? spec.serviceAccountName : "default"}`;
      const env = [...list(spec.initContainers), ...list(spec.containers)].flatMap((c) => list(c.env));
      const artifacts = env.filter((e) => READ_ENV.has(String(e.name))).map((e) => String(e.value));
      const writes = env.filter((e) => e.name === WRITE_ENV).map((e) => String(e.value));
      push(pods, key, { r, artifacts, writes });
    }
    const associations = associationsOf(config, diags);
    const partition = partitionOf(String(obj(config.object.metadata).region));
    for (const [key, group] of pods) {
      const sa = accounts.get(key);
      const say = (what: string) =>
        diags.report(
          "BERTH1110",
          (sa ?? group[0]!.r).origin,
          `ServiceAccount ${key} on cluster ${cluster.name}: ${what}`,
          "this is a berth bug: every model ServiceAccount gets one association from compiler/emit/eksctl.ts",
        );
      compareGrant(associations.get(key), group, partition, say);
      checkEgress(group, policies.get(key.slice(0, key.indexOf("/"))) ?? [], cluster.name, diags);
    }
    for (const [key, a] of associations)
      if (namespaces.has(key.slice(0, key.indexOf("/"))) && !pods.has(key) && !PLATFORM_IDENTITIES.has(key))
        diags.report(
          "BERTH1110",
          accounts.get(key)?.origin ?? config.origin,
          `ServiceAccount ${key} on cluster ${cluster.name}: its Pod Identity association grants ${describeGrant(a)}, but no rendered pod runs as it`,
          "this is a berth bug: an association is rendered only for a workload that reads artifacts",
        );
  }
}

/** Associations by namespace/ServiceAccount; EKS allows one per ServiceAccount. */
function associationsOf(config: Rendered, diags: Diagnostics): Map<string, Obj> {
  const out = new Map<string, Obj>();
  for (const a of list(obj(config.object.iam).podIdentityAssociations)) {
    const key = `${String(a.namespace)}/${String(a.serviceAccountName)}`;
    if (out.has(key))
      diags.report(
        "BERTH1110",
        config.origin,
        `ServiceAccount ${key}: ${config.path} declares two Pod Identity associations; EKS accepts one per ServiceAccount`,
        "this is a berth bug: render one association per ServiceAccount",
      );
    out.set(key, a);
  }
  return out;
}

interface Grant {
  readonly objects: Set<string>;
  /** Object ARNs it may put. */
  readonly writes: Set<string>;
  /** Bucket ARN -> the s3:prefix patterns it may list ("*" alone: the whole bucket). */
  readonly lists: Map<string, Set<string>>;
  readonly other: string[];
}

function expectedGrant(pods: readonly Pod[], partition: string): Grant {
  const g: Grant = { objects: new Set(), writes: new Set(), lists: new Map(), other: [] };
  for (const p of pods)
    for (const uri of p.writes) {
      const loc = parseS3Uri(uri);
      if (loc) g.writes.add(objectsArn(partition, loc));
    }
  for (const p of pods)
    for (const uri of p.artifacts) {
      const loc = parseS3Uri(uri);
      if (!loc) continue;
      g.objects.add(objectsArn(partition, loc));
      const bucket = bucketArn(partition, loc.bucket);
      g.lists.set(bucket, (g.lists.get(bucket) ?? new Set()).add(`${loc.prefix}*`));
    }
  for (const [bucket, prefixes] of g.lists) if (prefixes.has("*")) g.lists.set(bucket, new Set(["*"]));
  return g;
}

function grantedBy(a: Obj): Grant {
  const g: Grant = { objects: new Set(), writes: new Set(), lists: new Map(), other: [] };
  for (const field of Object.keys(a)) if (!ASSOCIATION_FIELDS.has(field)) g.other.push(`${field} (a grant berth cannot check)`);
  for (const s of list(obj(a.permissionPolicy).Statement)) {
    const actions = strings(s.Action).sort();
    const resources = strings(s.Resource);
    if (s.Effect !== "Allow" || s.NotAction !== undefined || s.NotResource !== undefined)
      g.other.push(`statement ${String(s.Sid ?? "")} that is not a plain Allow`);
    else if (same(actions, [...READ_ACTIONS]) && s.Condition === undefined) for (const r of resources) g.objects.add(r);
    else if (same(actions, [...WRITE_ACTIONS].sort()) && s.Condition === undefined) for (const r of resources) g.writes.add(r);
    else if (same(actions, [...LIST_ACTIONS])) {
      const patterns = s.Condition === undefined ? ["*"] : strings(obj(obj(s.Condition).StringLike)["s3:prefix"]);
      if (s.Condition !== undefined && Object.keys(obj(s.Condition)).join() !== "StringLike")
        g.other.push(`a ListBucket condition other than StringLike on s3:prefix`);
      for (const r of resources) g.lists.set(r, new Set([...(g.lists.get(r) ?? []), ...patterns]));
    } else g.other.push(`${actions.join(", ")} on ${resources.join(", ")}`);
  }
  return g;
}

function compareGrant(a: Obj | undefined, pods: readonly Pod[], partition: string, say: (what: string) => void): void {
  const want = expectedGrant(pods, partition);
  const readers = (arn: string) =>
    pods
      .filter((p) =>
        p.artifacts.some((u) => {
          const l = parseS3Uri(u);
          return l !== undefined && objectsArn(partition, l) === arn;
        }),
      )
      .map((p) => `${p.r.object.kind} ${p.r.object.metadata.name}`)
      .join(", ");
  if (!a) {
    if (want.writes.size > 0 && want.objects.size === 0)
      say(
        `no Pod Identity association, so ${pods.map((p) => `${p.r.object.kind} ${p.r.object.metadata.name}`).join(", ")} cannot write ${[...want.writes].sort().join(", ")}`,
      );
    if (want.objects.size > 0)
      say(
        `no Pod Identity association, so ${pods.map((p) => `${p.r.object.kind} ${p.r.object.metadata.name}`).join(", ")} cannot read ${[...want.objects].sort().join(", ")}`,
      );
    return;
  }
  const have = grantedBy(a);
  for (const arn of [...want.objects].sort())
    if (!have.objects.has(arn)) say(`its Pod Identity association does not grant s3:GetObject on ${arn}, which ${readers(arn)} reads`);
  for (const arn of [...have.objects].sort())
    if (!want.objects.has(arn)) say(`its Pod Identity association grants s3:GetObject on ${arn}, which none of its pods reads`);
  for (const arn of [...want.writes].sort())
    if (!have.writes.has(arn)) say(`its Pod Identity association does not grant s3:PutObject on ${arn}, where its batch pods write`);
  for (const arn of [...have.writes].sort())
    if (!want.writes.has(arn)) say(`its Pod Identity association grants s3:PutObject on ${arn}, where none of its pods writes`);
  for (const [bucket, prefixes] of want.lists) {
    const granted = have.lists.get(bucket) ?? new Set<string>();
    for (const p of prefixes) if (!granted.has(p)) say(`its Pod Identity association does not let it list ${bucket} under ${p}`);
  }
  for (const [bucket, prefixes] of have.lists)
    for (const p of prefixes)
      if (!want.lists.get(bucket)?.has(p)) say(`its Pod Identity association lets it list ${bucket} under ${p}, where none of its artifacts is`);
  for (const o of have.other) say(`its Pod Identity association also grants ${o}`);
}

function describeGrant(a: Obj): string {
  const g = grantedBy(a);
  const parts = [...g.objects, ...[...g.writes].map((w) => `put ${w}`), ...[...g.lists.keys()].map((b) => `list ${b}`), ...g.other];
  return parts.length > 0 ? parts.join(", ") : "nothing";
}

function checkEgress(pods: readonly Pod[], policies: readonly PolicyRef[], cluster: string, diags: Diagnostics): void {
  const seen = new Map<string, ReturnType<typeof linkLocalEgress>>();
  for (const { r, artifacts } of pods) {
    const labels = obj(obj(podTemplate(r.object as unknown as Obj)).metadata).labels as Record<string, string> | undefined;
    const sig = JSON.stringify(labels ?? {});
    const view = seen.get(sig) ?? linkLocalEgress(labels ?? {}, policies);
    seen.set(sig, view);
    const who = `${r.object.kind} ${r.object.metadata.namespace}/${r.object.metadata.name} on cluster ${cluster}`;
    if (artifacts.length > 0 && !view.agentReachable)
      diags.report(
        "BERTH1111",
        r.origin,
        `${who}: no NetworkPolicy lets it reach the Pod Identity agent (169.254.170.23, TCP 80), so it gets no credentials to read its artifact`,
        "this is a berth bug: compiler/emit/network-policy.ts renders allow-pod-identity-agent for every tenant namespace",
      );
    for (const s of view.stray)
      diags.report(
        "BERTH1111",
        r.origin,
        `${who}: ${s}`,
        "pods reach the Pod Identity agent on TCP 80 and no other link-local address; keep 169.254.0.0/16 in every ipBlock's except list",
      );
  }
}

function push<T>(map: Map<string, T[]>, key: string, item: T): void {
  const bucket = map.get(key);
  if (bucket) bucket.push(item);
  else map.set(key, [item]);
}

export function groupBy<T>(items: readonly T[], key: (item: T) => string): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const item of items) push(out, key(item), item);
  return out;
}

function same(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}
