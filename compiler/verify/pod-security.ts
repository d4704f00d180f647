// The Kubernetes "restricted" Pod Security Standard (v1.28), checked on every rendered pod
// template, plus berth's own hardening: a read-only root filesystem with /tmp on an emptyDir, and
// no service account token. Each rule has its own code; a violation points at the spec that
// produced the object (Rendered.origin). The namespace's Pod Security Admission label
// enforces the same standard again in the cluster; berth catches it before a sync.
import type { Code } from "../codes/index.js";
import type { Diagnostics } from "../diagnostics.js";
import type { KubeObject, Rendered } from "../emit/types.js";

type Obj = Record<string, unknown>;

/** Volume types the restricted standard allows. */
const ALLOWED_VOLUMES = new Set(["configMap", "csi", "downwardAPI", "emptyDir", "ephemeral", "persistentVolumeClaim", "projected", "secret"]);
/** Sysctls the baseline standard allows (v1.28). */
const SAFE_SYSCTLS = new Set(["kernel.shm_rmid_forced", "net.ipv4.ip_local_port_range", "net.ipv4.ip_local_reserved_ports", "net.ipv4.ip_unprivileged_port_start", "net.ipv4.tcp_syncookies", "net.ipv4.ping_group_range"]);
const SELINUX_TYPES = new Set(["", "container_t", "container_init_t", "container_kvm_t"]);
const SECCOMP_TYPES = new Set(["RuntimeDefault", "Localhost"]);
const APPARMOR_PREFIX = "container.apparmor.security.beta.kubernetes.io/";
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

interface Container {
  readonly name: string;
  readonly raw: Obj;
  readonly sc: Obj;
}

function containersOf(pod: Obj): Container[] {
  return [...list(pod.initContainers), ...list(pod.containers), ...list(pod.ephemeralContainers)].map((c) => ({ name: String(c.name ?? "?"), raw: c, sc: obj(c.securityContext) }));
}

/** Checks one rendered object's pods; reports each violated rule once per finding. */
export function verifyPodSecurity(r: Rendered, diags: Diagnostics): void {
  const pod = podOf(r.object);
  if (!pod) return;
  const say = (code: Code, what: string, hint: string) =>
    diags.report(code, r.origin, `${r.object.kind} ${r.object.metadata.name} (${r.path}): ${what}`, hint);
  const spec = pod.spec;
  const psc = obj(spec.securityContext);
  const containers = containersOf(spec);

  for (const field of ["hostNetwork", "hostPID", "hostIPC"])
    if (spec[field] === true) say("BERTH0510", `${field} is true; restricted pods share no host namespace`, `remove ${field}`);

  for (const c of containers) {
    if (c.sc.privileged === true) say("BERTH0511", `container ${c.name} is privileged`, "remove privileged: true");
    if (c.sc.allowPrivilegeEscalation !== false)
      say("BERTH0512", `container ${c.name} does not set allowPrivilegeEscalation: false`, "set securityContext.allowPrivilegeEscalation: false");
    checkRoot(c, psc, say);
    const seccomp = obj(c.sc.seccompProfile).type ?? obj(psc.seccompProfile).type;
    if (!SECCOMP_TYPES.has(String(seccomp)))
      say("BERTH0514", `no RuntimeDefault or Localhost seccomp profile for container ${c.name}${seccomp ? ` (found ${String(seccomp)})` : ""}`, "set securityContext.seccompProfile.type: RuntimeDefault on the pod");
    checkCapabilities(c, say);
    for (const p of list(c.raw.ports))
      if (p.hostPort !== undefined && p.hostPort !== 0) say("BERTH0517", `container ${c.name} binds host port ${String(p.hostPort)}`, "remove hostPort: models are reached through their Service");
    checkOptions(`container ${c.name}`, c.sc, say);
    if (c.sc.readOnlyRootFilesystem !== true)
      say("BERTH0519", `container ${c.name} has a writable root filesystem`, "set readOnlyRootFilesystem: true and mount an emptyDir at /tmp");
  }
  checkOptions("the pod", psc, say);
  for (const sysctl of list(psc.sysctls))
    if (!SAFE_SYSCTLS.has(String(sysctl.name))) say("BERTH0518", `sysctl ${String(sysctl.name)} is not in the safe set`, `allowed sysctls: ${[...SAFE_SYSCTLS].join(", ")}`);
  for (const [key, value] of Object.entries(obj(pod.metadata.annotations)))
    if (key.startsWith(APPARMOR_PREFIX) && value !== "runtime/default" && !String(value).startsWith("localhost/"))
      say("BERTH0518", `AppArmor profile ${String(value)} for container ${key.slice(APPARMOR_PREFIX.length)}`, "use runtime/default or a localhost/ profile");

  const volumes = list(spec.volumes);
  for (const v of volumes) {
    const type = Object.keys(v).find((k) => k !== "name");
    if (type && !ALLOWED_VOLUMES.has(type)) say("BERTH0516", `volume ${String(v.name)} is a ${type} volume`, `restricted pods use only ${[...ALLOWED_VOLUMES].join(", ")} volumes`);
  }
  checkTmp(list(spec.containers), volumes, say);

  if (spec.automountServiceAccountToken !== false)
    say("BERTH0520", "the pod mounts its service account token, which no model needs", "set automountServiceAccountToken: false on the pod");
}

type Say = (code: Code, what: string, hint: string) => void;

/** runAsNonRoot true on the pod or the container (and not undone by the container); never UID 0. */
function checkRoot(c: Container, psc: Obj, say: Say): void {
  const nonRoot = c.sc.runAsNonRoot ?? psc.runAsNonRoot;
  if (nonRoot !== true) say("BERTH0513", `container ${c.name} may run as root (runAsNonRoot is not true)`, "set securityContext.runAsNonRoot: true on the pod");
  const uid = c.sc.runAsUser ?? psc.runAsUser;
  if (uid === 0) say("BERTH0513", `container ${c.name} runs as UID 0`, "run as a non-root UID, e.g. runAsUser: 65532");
}

/** Drop ALL; add nothing but NET_BIND_SERVICE. */
function checkCapabilities(c: Container, say: Say): void {
  const caps = obj(c.sc.capabilities);
  const drop = Array.isArray(caps.drop) ? caps.drop.map(String) : [];
  if (!drop.includes("ALL")) say("BERTH0515", `container ${c.name} does not drop ALL capabilities`, "set securityContext.capabilities.drop: [ALL]");
  for (const cap of Array.isArray(caps.add) ? caps.add.map(String) : [])
    if (cap !== "NET_BIND_SERVICE") say("BERTH0515", `container ${c.name} adds capability ${cap}; only NET_BIND_SERVICE may be added`, "remove it from capabilities.add");
}

/** SELinux, /proc mount and Windows host-process options the baseline standard forbids. */
function checkOptions(who: string, sc: Obj, say: Say): void {
  const se = obj(sc.seLinuxOptions);
  if (se.type !== undefined && !SELINUX_TYPES.has(String(se.type))) say("BERTH0518", `${who} sets SELinux type ${String(se.type)}`, "use container_t, container_init_t or container_kvm_t, or leave it unset");
  if (se.user !== undefined || se.role !== undefined) say("BERTH0518", `${who} sets a custom SELinux user or role`, "remove seLinuxOptions.user and .role");
  if (sc.procMount !== undefined && sc.procMount !== "Default") say("BERTH0518", `${who} sets procMount ${String(sc.procMount)}`, "remove procMount or set it to Default");
  if (obj(sc.windowsOptions).hostProcess === true) say("BERTH0518", `${who} runs as a Windows host process`, "remove windowsOptions.hostProcess");
}

/** With a read-only root, a server needs scratch space: /tmp on an emptyDir in every main container. */
function checkTmp(containers: Obj[], volumes: Obj[], say: Say): void {
  const emptyDirs = new Set(volumes.filter((v) => v.emptyDir !== undefined).map((v) => String(v.name)));
  for (const c of containers) {
    const tmp = list(c.volumeMounts).find((m) => m.mountPath === "/tmp");
    if (!tmp || !emptyDirs.has(String(tmp.name)) || tmp.readOnly === true)
      say("BERTH0519", `container ${String(c.name ?? "?")} has no writable emptyDir at /tmp`, "mount an emptyDir volume at /tmp");
  }
}
