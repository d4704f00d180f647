// Identity and exposure changes in an eksctl ClusterConfig, read from the two configs rather than
// field by field: an S3 grant that appears or widens, an API endpoint that opens, a node group or
// log setting that stops keeping something closed. Each is an access risk for the reviewer.
import type { ObjectChange } from "./diff.js";

type Obj = Record<string, unknown>;
const obj = (v: unknown): Obj => (v && typeof v === "object" && !Array.isArray(v) ? (v as Obj) : {});
const list = (v: unknown): Obj[] => (Array.isArray(v) ? v.map(obj) : []);
const strings = (v: unknown): string[] => (Array.isArray(v) ? v.map(String) : typeof v === "string" ? [v] : []);

export interface Exposure {
  readonly subject: string;
  readonly message: string;
}

/** What a ClusterConfig change opens; nothing for a change that only closes or keeps. */
export function exposureOf(c: ObjectChange): Exposure[] {
  if (c.kind !== "ClusterConfig" || !c.after) return [];
  const before = obj(c.before);
  const after = obj(c.after);
  return [...grantChanges(before, after), ...endpointChanges(before, after, c.change === "added"), ...hardeningChanges(before, after)];
}

/** Every action on every resource an association grants, one line each ("s3:GetObject arn:...", "s3:ListBucket arn:... under p*"). */
function grants(a: Obj): Set<string> {
  const out = new Set<string>();
  for (const s of list(obj(a.permissionPolicy).Statement)) {
    const prefixes = strings(obj(obj(s.Condition).StringLike)["s3:prefix"]);
    for (const action of strings(s.Action))
      for (const resource of strings(s.Resource)) {
        if (prefixes.length === 0) out.add(`${action} ${resource}`);
        for (const p of prefixes) out.add(`${action} ${resource} under ${p}`);
      }
  }
  for (const [field, value] of Object.entries(a))
    if (!["namespace", "serviceAccountName", "permissionPolicy"].includes(field)) out.add(`${field} ${JSON.stringify(value)}`);
  return out;
}

function associations(config: Obj): Map<string, Obj> {
  return new Map(list(obj(config.iam).podIdentityAssociations).map((a) => [`${String(a.namespace)}/${String(a.serviceAccountName)}`, a] as const));
}

function grantChanges(before: Obj, after: Obj): Exposure[] {
  const was = associations(before);
  const out: Exposure[] = [];
  for (const [sa, a] of associations(after)) {
    const old = was.get(sa);
    const had = old ? grants(old) : new Set<string>();
    const added = [...grants(a)].filter((g) => !had.has(g)).sort();
    if (added.length === 0) continue;
    out.push({ subject: `ServiceAccount ${sa}`, message: `${old ? "AWS grant widened" : "new AWS identity"}: ${added.join("; ")}` });
  }
  return out;
}

function publicCidrs(config: Obj): string[] {
  const vpc = obj(config.vpc);
  const endpoints = obj(vpc.clusterEndpoints);
  if (endpoints.publicAccess === false) return [];
  // eksctl's defaults: a public endpoint, open to every address unless CIDRs are listed.
  const cidrs = strings(vpc.publicAccessCIDRs);
  return cidrs.length > 0 ? cidrs : ["0.0.0.0/0"];
}

function endpointChanges(before: Obj, after: Obj, created: boolean): Exposure[] {
  const had = new Set(created ? [] : publicCidrs(before));
  const opened = publicCidrs(after).filter((c) => !had.has(c));
  if (opened.length === 0) return [];
  return [{ subject: "Kubernetes API endpoint", message: `${created ? "public" : "opened"} to ${opened.join(", ")}` }];
}

const HARDENING = ["privateNetworking", "disablePodIMDS", "disableIMDSv1"] as const;

function hardeningChanges(before: Obj, after: Obj): Exposure[] {
  const out: Exposure[] = [];
  const was = new Map(list(before.managedNodeGroups).map((ng) => [String(ng.name), ng] as const));
  for (const ng of list(after.managedNodeGroups)) {
    const old = was.get(String(ng.name));
    if (!old) continue;
    const lost = HARDENING.filter((f) => old[f] === true && ng[f] !== true);
    if (lost.length > 0) out.push({ subject: `node group ${String(ng.name)}`, message: `no longer sets ${lost.join(", ")}` });
  }
  const logs = (c: Obj) => new Set(strings(obj(obj(c.cloudWatch).clusterLogging).enableTypes));
  const kept = logs(after);
  const dropped = [...logs(before)].filter((t) => !kept.has(t));
  if (dropped.length > 0) out.push({ subject: "control-plane logging", message: `stops logging ${dropped.join(", ")}` });
  return out;
}
