// The Kubernetes "restricted" Pod Security Standard, checked on every rendered pod template by
// Pod Security Admission's own versioned check list (admission/pod-security.ts) at the version the
// namespace's enforce-version label names, plus berth's own hardening: a read-only root filesystem
// with /tmp on an emptyDir, and no service account token. Each rule has its own code; a violation
// points at the spec that produced the object (Rendered.origin). The namespace's label enforces
// the same standard again in the cluster; berth catches it before a sync.
import type { Code } from "../codes/index.js";
import type { Diagnostics } from "../diagnostics.js";
import type { KubeObject, Rendered } from "../emit/types.js";
import { evaluatePodSecurity } from "./admission/pod-security.js";

type Obj = Record<string, unknown>;

const POD_TEMPLATE_KINDS = new Set(["Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "ReplicationController", "Job"]);

const obj = (v: unknown): Obj => (v && typeof v === "object" && !Array.isArray(v) ? (v as Obj) : {});
const list = (v: unknown): Obj[] => (Array.isArray(v) ? v.map(obj) : []);

/** The pod spec and pod metadata an object runs, if it runs pods. */
export function podOf(o: KubeObject): { spec: Obj; metadata: Obj } | undefined {
  const spec = obj(o.spec);
  if (o.kind === "Pod") return { spec, metadata: obj(o.metadata) };
  let template: Obj | undefined;
  if (POD_TEMPLATE_KINDS.has(o.kind)) template = obj(spec.template);
  else if (o.kind === "CronJob") template = obj(obj(obj(spec.jobTemplate).spec).template);
  return template ? { spec: obj(template.spec), metadata: obj(template.metadata) } : undefined;
}

/**
 * Checks one rendered object's pods: the restricted standard as Pod Security Admission of
 * Kubernetes 1.`minor` evaluates it (the namespace's enforce-version; `latest` by default), then
 * berth's own hardening. Reports each finding once.
 */
export function verifyPodSecurity(r: Rendered, diags: Diagnostics, minor = Number.POSITIVE_INFINITY): void {
  const pod = podOf(r.object);
  if (!pod) return;
  const say = (code: Code, what: string, hint: string) => diags.report(code, r.origin, `${r.object.kind} ${r.object.metadata.name} (${r.path}): ${what}`, hint);
  for (const f of evaluatePodSecurity("restricted", minor, pod.spec, pod.metadata)) say(f.code, f.what, f.hint);

  const spec = pod.spec;
  for (const c of list(spec.initContainers).concat(list(spec.containers), list(spec.ephemeralContainers)))
    if (obj(c.securityContext).readOnlyRootFilesystem !== true)
      say("BERTH0519", `container ${String(c.name ?? "?")} has a writable root filesystem`, "set readOnlyRootFilesystem: true and mount an emptyDir at /tmp");
  checkTmp(list(spec.containers), list(spec.volumes), say);

  if (spec.automountServiceAccountToken !== false)
    say("BERTH0520", "the pod mounts its service account token, which no model needs", "set automountServiceAccountToken: false on the pod");
}

type Say = (code: Code, what: string, hint: string) => void;

/** With a read-only root, a server needs scratch space: /tmp on an emptyDir in every main container. */
function checkTmp(containers: Obj[], volumes: Obj[], say: Say): void {
  const emptyDirs = new Set(volumes.filter((v) => v.emptyDir !== undefined).map((v) => String(v.name)));
  for (const c of containers) {
    const tmp = list(c.volumeMounts).find((m) => m.mountPath === "/tmp");
    if (!tmp || !emptyDirs.has(String(tmp.name)) || tmp.readOnly === true)
      say("BERTH0519", `container ${String(c.name ?? "?")} has no writable emptyDir at /tmp`, "mount an emptyDir volume at /tmp");
  }
}
