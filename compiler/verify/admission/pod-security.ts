// Pod Security Admission's check list, versioned as upstream publishes it: each check applies
// from a minimum Kubernetes version, later versions replace earlier ones, and a restricted check
// overrides the baseline check it tightens. Ported from kubernetes/pod-security-admission
// policy/check_*.go (CheckHostNamespaces, CheckPrivileged, CheckCapabilitiesBaseline,
// CheckHostPathVolumes, CheckHostPorts, CheckAppArmorProfile, CheckSELinuxOptions,
// CheckProcMountBaseline, CheckSeccompBaseline, CheckSysctls, CheckWindowsHostProcess,
// CheckHostProbesAndHostLifecycle, CheckAllowPrivilegeEscalation, CheckRunAsNonRoot,
// CheckRunAsUser, CheckCapabilitiesRestricted, CheckRestrictedVolumes, CheckSeccompProfileRestricted,
// CheckProcMountRestricted) and policy/registry.go (which version and override apply).
import type { Code } from "../../codes/index.js";
import { list, obj, strings, type Obj } from "./object.js";

export type PsaLevel = "baseline" | "restricted";

export interface PsaFinding {
  /** The upstream check ID, e.g. `runAsNonRoot`. */
  readonly check: string;
  readonly code: Code;
  readonly what: string;
  readonly hint: string;
}

interface Pod {
  readonly spec: Obj;
  readonly metadata: Obj;
  readonly sc: Obj;
  readonly containers: readonly { readonly name: string; readonly raw: Obj; readonly sc: Obj }[];
  readonly windows: boolean;
  /** `hostUsers: false`: the pod runs in a user namespace, which 1.35 relaxes some checks for. */
  readonly userNamespace: boolean;
}

type Evaluate = (pod: Pod) => PsaFinding[];
interface Versioned {
  readonly since: number;
  readonly evaluate: Evaluate;
  readonly overrides?: readonly string[];
}
interface Check {
  readonly id: string;
  readonly level: PsaLevel;
  readonly versions: readonly Versioned[];
}

const ALLOWED_CAPABILITIES = new Set([
  "AUDIT_WRITE",
  "CHOWN",
  "DAC_OVERRIDE",
  "FOWNER",
  "FSETID",
  "KILL",
  "MKNOD",
  "NET_BIND_SERVICE",
  "SETFCAP",
  "SETGID",
  "SETPCAP",
  "SETUID",
  "SYS_CHROOT",
]);
const RESTRICTED_VOLUMES = new Set(["configMap", "csi", "downwardAPI", "emptyDir", "ephemeral", "image", "persistentVolumeClaim", "projected", "secret"]);
const SELINUX_1_0 = new Set(["", "container_t", "container_init_t", "container_kvm_t"]);
const SELINUX_1_31 = new Set([...SELINUX_1_0, "container_engine_t"]);
const SYSCTLS_1_0 = [
  "kernel.shm_rmid_forced",
  "net.ipv4.ip_local_port_range",
  "net.ipv4.tcp_syncookies",
  "net.ipv4.ping_group_range",
  "net.ipv4.ip_unprivileged_port_start",
];
const SYSCTLS_1_27 = [...SYSCTLS_1_0, "net.ipv4.ip_local_reserved_ports"];
const SYSCTLS_1_29 = [
  ...SYSCTLS_1_27,
  "net.ipv4.tcp_keepalive_time",
  "net.ipv4.tcp_fin_timeout",
  "net.ipv4.tcp_keepalive_intvl",
  "net.ipv4.tcp_keepalive_probes",
];
const SYSCTLS_1_32 = [...SYSCTLS_1_29, "net.ipv4.tcp_rmem", "net.ipv4.tcp_wmem"];
const SYSCTLS_1_37 = [...SYSCTLS_1_32, "net.ipv4.tcp_slow_start_after_idle", "net.ipv4.tcp_notsent_lowat"];
const APPARMOR_ANNOTATION = "container.apparmor.security.beta.kubernetes.io/";
const SECCOMP_POD_ANNOTATION = "seccomp.security.alpha.kubernetes.io/pod";
const SECCOMP_CONTAINER_ANNOTATION = "container.seccomp.security.alpha.kubernetes.io/";
const VALID_SECCOMP = new Set(["RuntimeDefault", "Localhost"]);

const finding = (check: string, code: Code, what: string, hint: string): PsaFinding => ({ check, code, what, hint });
const perContainer = (pod: Pod, f: (c: Pod["containers"][number]) => PsaFinding | PsaFinding[] | undefined): PsaFinding[] =>
  pod.containers.flatMap((c) => f(c) ?? []);
const unlessWindows =
  (e: Evaluate): Evaluate =>
  (pod) =>
    pod.windows ? [] : e(pod);
const unlessUserNamespace =
  (e: Evaluate): Evaluate =>
  (pod) =>
    pod.userNamespace ? [] : e(pod);

const hostNamespaces: Evaluate = (pod) =>
  ["hostNetwork", "hostPID", "hostIPC"]
    .filter((f) => pod.spec[f] === true)
    .map((f) => finding("hostNamespaces", "BERTH0510", `${f} is true; restricted pods share no host namespace`, `remove ${f}`));

const privileged: Evaluate = (pod) =>
  perContainer(pod, (c) =>
    c.sc.privileged === true ? finding("privileged", "BERTH0511", `container ${c.name} is privileged`, "remove privileged: true") : undefined,
  );

const capabilitiesBaseline: Evaluate = (pod) =>
  perContainer(pod, (c) =>
    strings(obj(c.sc.capabilities).add)
      .filter((cap) => !ALLOWED_CAPABILITIES.has(cap))
      .map((cap) =>
        finding("capabilities_baseline", "BERTH0515", `container ${c.name} adds capability ${cap}, beyond the default set`, "remove it from capabilities.add"),
      ),
  );

const capabilitiesRestricted: Evaluate = (pod) =>
  perContainer(pod, (c) => {
    const caps = obj(c.sc.capabilities);
    const out = strings(caps.drop).includes("ALL")
      ? []
      : [finding("capabilities_restricted", "BERTH0515", `container ${c.name} does not drop ALL capabilities`, "set securityContext.capabilities.drop: [ALL]")];
    for (const cap of strings(caps.add))
      if (cap !== "NET_BIND_SERVICE")
        out.push(
          finding(
            "capabilities_restricted",
            "BERTH0515",
            `container ${c.name} adds capability ${cap}; only NET_BIND_SERVICE may be added`,
            "remove it from capabilities.add",
          ),
        );
    return out;
  });

const volumeType = (v: Obj) => Object.keys(v).find((k) => k !== "name") ?? "unknown";
const hostPathVolumes: Evaluate = (pod) =>
  list(pod.spec.volumes)
    .filter((v) => v.hostPath !== undefined)
    .map((v) =>
      finding(
        "hostPathVolumes",
        "BERTH0516",
        `volume ${String(v.name)} is a hostPath volume`,
        "use an emptyDir, a PersistentVolumeClaim or a projected volume",
      ),
    );
const restrictedVolumes: Evaluate = (pod) =>
  list(pod.spec.volumes)
    .filter((v) => !RESTRICTED_VOLUMES.has(volumeType(v)))
    .map((v) =>
      finding(
        "restrictedVolumes",
        "BERTH0516",
        `volume ${String(v.name)} is a ${volumeType(v)} volume`,
        `restricted pods use only ${[...RESTRICTED_VOLUMES].join(", ")} volumes`,
      ),
    );

const hostPorts: Evaluate = (pod) =>
  perContainer(pod, (c) =>
    list(c.raw.ports)
      .filter((p) => p.hostPort !== undefined && p.hostPort !== 0)
      .map((p) =>
        finding(
          "hostPorts",
          "BERTH0517",
          `container ${c.name} binds host port ${String(p.hostPort)}`,
          "remove hostPort: models are reached through their Service",
        ),
      ),
  );

const appArmor: Evaluate = (pod) => {
  const out: PsaFinding[] = [];
  const bad = (type: unknown) => type !== undefined && type !== "RuntimeDefault" && type !== "Localhost";
  if (bad(obj(pod.sc.appArmorProfile).type))
    out.push(
      finding("appArmorProfile", "BERTH0518", `the pod sets AppArmor profile ${String(obj(pod.sc.appArmorProfile).type)}`, "use RuntimeDefault or Localhost"),
    );
  for (const c of pod.containers)
    if (bad(obj(c.sc.appArmorProfile).type))
      out.push(
        finding(
          "appArmorProfile",
          "BERTH0518",
          `container ${c.name} sets AppArmor profile ${String(obj(c.sc.appArmorProfile).type)}`,
          "use RuntimeDefault or Localhost",
        ),
      );
  for (const [k, v] of Object.entries(obj(pod.metadata.annotations)))
    if (k.startsWith(APPARMOR_ANNOTATION) && v !== "" && v !== "runtime/default" && !String(v).startsWith("localhost/"))
      out.push(
        finding(
          "appArmorProfile",
          "BERTH0518",
          `AppArmor profile ${String(v)} for container ${k.slice(APPARMOR_ANNOTATION.length)}`,
          "use runtime/default or a localhost/ profile",
        ),
      );
  return out;
};

const seLinux =
  (allowed: ReadonlySet<string>): Evaluate =>
  (pod) => {
    const check = (who: string, se: Obj): PsaFinding[] => {
      const out: PsaFinding[] = [];
      if (se.type !== undefined && !allowed.has(String(se.type)))
        out.push(
          finding(
            "seLinuxOptions",
            "BERTH0518",
            `${who} sets SELinux type ${String(se.type)}`,
            `use ${[...allowed].filter(Boolean).join(", ")}, or leave it unset`,
          ),
        );
      if ((se.user !== undefined && se.user !== "") || (se.role !== undefined && se.role !== ""))
        out.push(finding("seLinuxOptions", "BERTH0518", `${who} sets a custom SELinux user or role`, "remove seLinuxOptions.user and .role"));
      return out;
    };
    return [...check("the pod", obj(pod.sc.seLinuxOptions)), ...pod.containers.flatMap((c) => check(`container ${c.name}`, obj(c.sc.seLinuxOptions)))];
  };

const procMountAs =
  (check: string): Evaluate =>
  (pod) =>
    perContainer(pod, (c) =>
      c.sc.procMount !== undefined && c.sc.procMount !== "Default"
        ? finding(check, "BERTH0518", `container ${c.name} sets procMount ${String(c.sc.procMount)}`, "remove procMount or set it to Default")
        : undefined,
    );
const procMount = procMountAs("procMount");

const seccompAnnotations: Evaluate = (pod) => {
  const annotations = obj(pod.metadata.annotations);
  const ok = (v: unknown) => v === "runtime/default" || v === "docker/default" || String(v).startsWith("localhost/");
  const keys = [SECCOMP_POD_ANNOTATION, ...pod.containers.map((c) => SECCOMP_CONTAINER_ANNOTATION + c.name)];
  return keys
    .filter((k) => k in annotations && !ok(annotations[k]))
    .map((k) =>
      finding(
        "seccompProfile_baseline",
        "BERTH0514",
        `annotation ${k} sets seccomp profile ${String(annotations[k])}`,
        "use runtime/default or a localhost/ profile",
      ),
    );
};

const seccompBaseline: Evaluate = (pod) => {
  const out: PsaFinding[] = [];
  const type = obj(pod.sc.seccompProfile).type;
  if (type !== undefined && !VALID_SECCOMP.has(String(type)))
    out.push(
      finding(
        "seccompProfile_baseline",
        "BERTH0514",
        `the pod sets seccomp profile ${String(type)}`,
        "set securityContext.seccompProfile.type: RuntimeDefault",
      ),
    );
  return out.concat(
    perContainer(pod, (c) => {
      const t = obj(c.sc.seccompProfile).type;
      return t !== undefined && !VALID_SECCOMP.has(String(t))
        ? finding(
            "seccompProfile_baseline",
            "BERTH0514",
            `no RuntimeDefault or Localhost seccomp profile for container ${c.name} (found ${String(t)})`,
            "set securityContext.seccompProfile.type: RuntimeDefault",
          )
        : undefined;
    }),
  );
};

const seccompRestricted: Evaluate = (pod) => {
  const podType = obj(pod.sc.seccompProfile).type;
  const podSet = podType !== undefined && VALID_SECCOMP.has(String(podType));
  const out: PsaFinding[] =
    podType !== undefined && !podSet
      ? [
          finding(
            "seccompProfile_restricted",
            "BERTH0514",
            `the pod sets seccomp profile ${String(podType)}`,
            "set securityContext.seccompProfile.type: RuntimeDefault on the pod",
          ),
        ]
      : [];
  return out.concat(
    perContainer(pod, (c) => {
      const t = obj(c.sc.seccompProfile).type;
      if (t === undefined ? podSet : VALID_SECCOMP.has(String(t))) return undefined;
      return finding(
        "seccompProfile_restricted",
        "BERTH0514",
        `no RuntimeDefault or Localhost seccomp profile for container ${c.name}${t !== undefined ? ` (found ${String(t)})` : ""}`,
        "set securityContext.seccompProfile.type: RuntimeDefault on the pod",
      );
    }),
  );
};

const sysctls =
  (allowed: readonly string[]): Evaluate =>
  (pod) =>
    list(pod.sc.sysctls)
      .filter((s) => !allowed.includes(String(s.name)))
      .map((s) => finding("sysctls", "BERTH0518", `sysctl ${String(s.name)} is not in the safe set`, `allowed sysctls: ${allowed.join(", ")}`));

const windowsHostProcess: Evaluate = (pod) => {
  const who = [
    ...(obj(pod.sc.windowsOptions).hostProcess === true ? ["the pod"] : []),
    ...pod.containers.filter((c) => obj(c.sc.windowsOptions).hostProcess === true).map((c) => `container ${c.name}`),
  ];
  return who.map((w) => finding("windowsHostProcess", "BERTH0518", `${w} runs as a Windows host process`, "remove windowsOptions.hostProcess"));
};

const hostProbes: Evaluate = (pod) =>
  perContainer(pod, (c) => {
    const handlers = [c.raw.livenessProbe, c.raw.readinessProbe, c.raw.startupProbe, obj(c.raw.lifecycle).postStart, obj(c.raw.lifecycle).preStop].map(obj);
    const hosts = handlers.flatMap((h) => [obj(h.httpGet).host, obj(h.tcpSocket).host]).filter((h) => h !== undefined && h !== "");
    return hosts.length > 0
      ? finding(
          "hostProbesAndHostLifecycle",
          "BERTH0518",
          `container ${c.name} probes or hooks host ${hosts.map(String).join(", ")}`,
          "remove host from the probe: it probes the pod itself",
        )
      : undefined;
  });

const allowPrivilegeEscalation: Evaluate = (pod) =>
  perContainer(pod, (c) =>
    c.sc.allowPrivilegeEscalation !== false
      ? finding(
          "allowPrivilegeEscalation",
          "BERTH0512",
          `container ${c.name} does not set allowPrivilegeEscalation: false`,
          "set securityContext.allowPrivilegeEscalation: false",
        )
      : undefined,
  );

const runAsNonRoot: Evaluate = (pod) => {
  const podValue = pod.sc.runAsNonRoot;
  const out =
    podValue === false ? [finding("runAsNonRoot", "BERTH0513", "the pod sets runAsNonRoot: false", "set securityContext.runAsNonRoot: true on the pod")] : [];
  return out.concat(
    perContainer(pod, (c) =>
      (c.sc.runAsNonRoot ?? podValue) === true
        ? undefined
        : finding(
            "runAsNonRoot",
            "BERTH0513",
            `container ${c.name} may run as root (runAsNonRoot is not true)`,
            "set securityContext.runAsNonRoot: true on the pod",
          ),
    ),
  );
};

const runAsUser: Evaluate = (pod) => {
  const out = pod.sc.runAsUser === 0 ? [finding("runAsUser", "BERTH0513", "the pod runs as UID 0", "run as a non-root UID, e.g. runAsUser: 65532")] : [];
  return out.concat(
    perContainer(pod, (c) =>
      c.sc.runAsUser === 0 ? finding("runAsUser", "BERTH0513", `container ${c.name} runs as UID 0`, "run as a non-root UID, e.g. runAsUser: 65532") : undefined,
    ),
  );
};

/** The published check list (policy/check_*.go), each with the versions it changed in. */
export const PSA_CHECKS: readonly Check[] = [
  { id: "hostNamespaces", level: "baseline", versions: [{ since: 0, evaluate: hostNamespaces }] },
  { id: "privileged", level: "baseline", versions: [{ since: 0, evaluate: privileged }] },
  { id: "capabilities_baseline", level: "baseline", versions: [{ since: 0, evaluate: capabilitiesBaseline }] },
  { id: "hostPathVolumes", level: "baseline", versions: [{ since: 0, evaluate: hostPathVolumes }] },
  { id: "hostPorts", level: "baseline", versions: [{ since: 0, evaluate: hostPorts }] },
  { id: "appArmorProfile", level: "baseline", versions: [{ since: 0, evaluate: appArmor }] },
  {
    id: "seLinuxOptions",
    level: "baseline",
    versions: [
      { since: 0, evaluate: seLinux(SELINUX_1_0) },
      { since: 31, evaluate: seLinux(SELINUX_1_31) },
    ],
  },
  {
    id: "procMount",
    level: "baseline",
    versions: [
      { since: 0, evaluate: procMount },
      { since: 35, evaluate: unlessUserNamespace(procMount) },
    ],
  },
  {
    id: "seccompProfile_baseline",
    level: "baseline",
    versions: [
      { since: 0, evaluate: seccompAnnotations },
      { since: 19, evaluate: seccompBaseline },
    ],
  },
  {
    id: "sysctls",
    level: "baseline",
    versions: [0, 27, 29, 32, 37].map((since, i) => ({ since, evaluate: sysctls([SYSCTLS_1_0, SYSCTLS_1_27, SYSCTLS_1_29, SYSCTLS_1_32, SYSCTLS_1_37][i]!) })),
  },
  { id: "windowsHostProcess", level: "baseline", versions: [{ since: 0, evaluate: windowsHostProcess }] },
  { id: "hostProbesAndHostLifecycle", level: "baseline", versions: [{ since: 34, evaluate: hostProbes }] },
  {
    id: "allowPrivilegeEscalation",
    level: "restricted",
    versions: [
      { since: 8, evaluate: allowPrivilegeEscalation },
      { since: 25, evaluate: unlessWindows(allowPrivilegeEscalation) },
    ],
  },
  {
    id: "runAsNonRoot",
    level: "restricted",
    versions: [
      { since: 0, evaluate: runAsNonRoot },
      { since: 35, evaluate: unlessUserNamespace(runAsNonRoot) },
    ],
  },
  {
    id: "runAsUser",
    level: "restricted",
    versions: [
      { since: 23, evaluate: runAsUser },
      { since: 35, evaluate: unlessUserNamespace(runAsUser) },
    ],
  },
  {
    id: "capabilities_restricted",
    level: "restricted",
    versions: [
      { since: 22, evaluate: capabilitiesRestricted, overrides: ["capabilities_baseline"] },
      { since: 25, evaluate: unlessWindows(capabilitiesRestricted), overrides: ["capabilities_baseline"] },
    ],
  },
  { id: "restrictedVolumes", level: "restricted", versions: [{ since: 0, evaluate: restrictedVolumes, overrides: ["hostPathVolumes"] }] },
  {
    id: "seccompProfile_restricted",
    level: "restricted",
    versions: [
      { since: 19, evaluate: seccompRestricted, overrides: ["seccompProfile_baseline"] },
      { since: 25, evaluate: unlessWindows(seccompRestricted), overrides: ["seccompProfile_baseline"] },
    ],
  },
  { id: "procMount_restricted", level: "restricted", versions: [{ since: 35, evaluate: procMountAs("procMount_restricted"), overrides: ["procMount"] }] },
];

/** The minor version a `pod-security.kubernetes.io/*-version` label names: `latest` is every check's newest. */
export function psaMinor(label: string | undefined): number {
  const m = /^v1\.(\d+)$/.exec(label ?? "");
  return m ? Number(m[1]) : Number.POSITIVE_INFINITY;
}

/** What Pod Security Admission at `level` and version 1.`minor` finds wrong with a pod. */
export function evaluatePodSecurity(level: PsaLevel, minor: number, spec: Obj, metadata: Obj): PsaFinding[] {
  const sc = obj(spec.securityContext);
  const pod: Pod = {
    spec,
    metadata,
    sc,
    containers: [...list(spec.initContainers), ...list(spec.containers), ...list(spec.ephemeralContainers)].map((c) => ({
      name: String(c.name ?? "?"),
      raw: c,
      sc: obj(c.securityContext),
    })),
    windows: obj(spec.os).name === "windows",
    userNamespace: spec.hostUsers === false,
  };
  const applicable: { id: string; v: Versioned }[] = [];
  for (const check of PSA_CHECKS) {
    if (level === "baseline" && check.level === "restricted") continue;
    const v = [...check.versions].reverse().find((x) => x.since <= minor);
    if (v) applicable.push({ id: check.id, v });
  }
  const overridden = new Set(applicable.flatMap((a) => a.v.overrides ?? []));
  return applicable.filter((a) => !overridden.has(a.id)).flatMap((a) => a.v.evaluate(pod));
}
