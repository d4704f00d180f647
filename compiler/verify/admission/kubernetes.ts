// What the Kubernetes API server validates on create beyond the OpenAPI schemas: names per kind,
// label and annotation syntax and size, container port names, environment variable names, and
// workload selectors that select their own pods. Ported from kubernetes/kubernetes
// pkg/apis/core/validation/validation.go (ValidateNamespaceName, ValidateServiceName,
// validateContainerPorts, ValidateEnv), pkg/apis/apps/validation/validation.go
// (ValidateDeploymentSpec, ValidateStatefulSetSpec), pkg/apis/batch/validation/validation.go
// (ValidateCronJobCreate), pkg/apis/rbac/validation (ValidateRBACName) and kubernetes/apimachinery
// (ValidateLabels, ValidateAnnotations, ValidateAnnotationsSize).
import type { SpecRef } from "../../diagnostics.js";
import type { Rendered } from "../../emit/types.js";
import { podOf } from "../pod-security.js";
import {
  envVarNameProblems,
  isDns1035Label,
  isDns1123Label,
  isDns1123Subdomain,
  isLabelKey,
  isLabelValue,
  isPathSegmentName,
  isValidPortName,
} from "./names.js";
import { list, obj, record, strings, type Obj, type Reject } from "./object.js";

/** apimachinery pkg/api/validation/objectmeta.go TotalAnnotationSizeLimitB. */
export const ANNOTATIONS_LIMIT = 256 * 1024;

type NameRule = { readonly check: (v: string) => string[]; readonly what: string };

const DNS_LABEL: NameRule = { check: isDns1123Label, what: "a DNS-1123 label" };
const DNS_SUBDOMAIN: NameRule = { check: isDns1123Subdomain, what: "a DNS-1123 subdomain" };
const RBAC: NameRule = { check: isPathSegmentName, what: "a path segment" };
const NAME_RULES: Record<string, NameRule> = {
  Namespace: DNS_LABEL,
  Service: { check: isDns1035Label, what: "a DNS-1035 label" },
  Role: RBAC,
  RoleBinding: RBAC,
  ClusterRole: RBAC,
  ClusterRoleBinding: RBAC,
  // The controller names each Job `<cronjob>-<11 characters>`, and a Job's name is a label value.
  CronJob: { check: (v) => [...isDns1123Subdomain(v), ...(v.length > 52 ? ["must be no more than 52 characters"] : [])], what: "a CronJob name" },
  Job: { check: (v) => [...isDns1123Subdomain(v), ...(v.length > 63 ? ["must be no more than 63 characters"] : [])], what: "a Job name" },
};

const WORKLOADS = new Set(["Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "Job"]);

/** One object as the API server of Kubernetes 1.`minor` would validate it on create. */
export function verifyKubernetesObject(r: Rendered, minor: number, reject: Reject): void {
  const o = r.object;
  // eksctl's ClusterConfig is read by eksctl, never applied to the API server.
  if (o.apiVersion.startsWith("eksctl.io/")) return;
  const rule = NAME_RULES[o.kind] ?? DNS_SUBDOMAIN;
  const nameErrors = rule.check(o.metadata.name);
  if (nameErrors.length > 0)
    reject(
      "BERTH1010",
      r,
      `name ${JSON.stringify(o.metadata.name)} is not ${rule.what}: ${nameErrors.join("; ")}`,
      "shorten or rename the spec name it is derived from",
    );
  if (o.metadata.namespace !== undefined && !validNamespaces.has(o.metadata.namespace)) {
    const nsErrors = isDns1123Label(o.metadata.namespace);
    if (nsErrors.length > 0)
      reject(
        "BERTH1010",
        r,
        `namespace ${JSON.stringify(o.metadata.namespace)} is not a DNS-1123 label: ${nsErrors.join("; ")}`,
        "namespaces are DNS-1123 labels: at most 63 lowercase letters, digits and '-'",
      );
    else validNamespaces.add(o.metadata.namespace);
  }
  checkMetadata(r, "metadata", o.metadata as unknown as Obj, reject);
  const pod = podOf(o);
  if (pod) {
    checkMetadata(r, "the pod template's metadata", pod.metadata, reject);
    checkContainers(r, pod.spec, minor, reject);
  }
  if (WORKLOADS.has(o.kind)) checkSelector(r, reject);
}

/** Label keys and values already found valid: a fleet repeats a few dozen keys on every object. */
const validKeys = new Set<string>();
const validValues = new Set<string>();
const validNamespaces = new Set<string>();

function checkMetadata(r: Rendered, where: string, meta: Obj, reject: Reject): void {
  const labels = obj(meta.labels);
  for (const k in labels) {
    const v = String(labels[k]);
    if (!validKeys.has(k)) {
      const keyErrors = isLabelKey(k);
      if (keyErrors.length > 0)
        reject(
          "BERTH1011",
          r,
          `${where}: label key ${JSON.stringify(k)} is not valid: ${keyErrors.join("; ")}`,
          "label keys are an optional DNS prefix and '/', then up to 63 letters, digits, '-', '_' or '.'",
        );
      else validKeys.add(k);
    }
    if (!validValues.has(v)) {
      const valueErrors = isLabelValue(v);
      if (valueErrors.length > 0)
        reject(
          "BERTH1011",
          r,
          `${where}: label ${k} value ${JSON.stringify(v)} is not a valid label value: ${valueErrors.join("; ")}`,
          "label values are at most 63 letters, digits, '-', '_' or '.', starting and ending with a letter or digit",
        );
      else validValues.add(v);
    }
  }
  const annotations = obj(meta.annotations);
  let size = 0;
  for (const k in annotations) {
    const v = String(annotations[k]);
    size += k.length + v.length;
    // ValidateAnnotations reads keys case-insensitively.
    if (validKeys.has(k)) continue;
    const keyErrors = isLabelKey(k.toLowerCase());
    if (keyErrors.length > 0)
      reject(
        "BERTH1011",
        r,
        `${where}: annotation key ${JSON.stringify(k)} is not valid: ${keyErrors.join("; ")}`,
        "annotation keys are an optional DNS prefix and '/', then up to 63 letters, digits, '-', '_' or '.'",
      );
    else validKeys.add(k);
  }
  // Characters count as bytes until the total nears the limit; then count bytes exactly.
  if (size > ANNOTATIONS_LIMIT / 4) {
    size = 0;
    for (const k in annotations) size += Buffer.byteLength(k) + Buffer.byteLength(String(annotations[k]));
  }
  if (size > ANNOTATIONS_LIMIT)
    reject(
      "BERTH1012",
      r,
      `${where}.annotations hold ${size} bytes; the API server allows ${ANNOTATIONS_LIMIT}`,
      "keep large data out of annotations (a ConfigMap holds up to 1 MiB)",
    );
}

function checkContainers(r: Rendered, pod: Obj, minor: number, reject: Reject): void {
  for (const c of [...list(pod.initContainers), ...list(pod.containers), ...list(pod.ephemeralContainers)]) {
    const name = String(c.name ?? "?");
    const seen = new Set<string>();
    list(c.ports).forEach((p, i) => {
      const portName = p.name === undefined ? undefined : String(p.name);
      if (portName !== undefined && portName !== "") {
        const errs = isValidPortName(portName);
        if (errs.length > 0)
          reject(
            "BERTH1013",
            r,
            `container ${name} port name ${JSON.stringify(portName)} is not an IANA_SVC_NAME: ${errs.join("; ")}`,
            "port names are at most 15 lowercase letters, digits and single hyphens, with at least one letter",
          );
        else if (seen.has(portName)) reject("BERTH1013", r, `container ${name} names two ports ${portName}`, "give each port of a container its own name");
        seen.add(portName);
      }
      const number = Number(p.containerPort);
      if (!Number.isInteger(number) || number < 1 || number > 65535)
        reject(
          "BERTH1013",
          r,
          `container ${name} ports[${i}].containerPort ${String(p.containerPort)} is not between 1 and 65535`,
          "set the runtime's port to a number between 1 and 65535",
        );
    });
    for (const e of list(c.env)) {
      const env = String(e.name ?? "");
      const errs = envVarNameProblems(env, minor);
      if (errs.length > 0)
        reject(
          "BERTH1014",
          r,
          `container ${name} env name ${JSON.stringify(env)} is not valid on Kubernetes 1.${minor}: ${errs.join("; ")}`,
          "name environment variables as C identifiers, e.g. LOG_LEVEL",
          envAt(r.origin, env),
        );
    }
  }
}

/** A version's env entry, when the object came from a version (`spec.versions[i]`). */
function envAt(origin: SpecRef, name: string): SpecRef | undefined {
  const n = origin.path.length;
  return n >= 3 && origin.path[n - 2] === "versions" && typeof origin.path[n - 1] === "number"
    ? { ...origin, path: [...origin.path, "env", name], key: true }
    : undefined;
}

/** A selector must select the pods of its own template, or the controller never owns them. */
function checkSelector(r: Rendered, reject: Reject): void {
  const spec = obj(r.object.spec);
  const template = obj(spec.template);
  const selector = spec.selector === undefined ? undefined : obj(spec.selector);
  // A Job without a selector gets one generated from its own uid.
  if (!selector) return;
  const labels = record(obj(template.metadata).labels);
  const misses = unmatched(selector, labels);
  if (misses.length > 0 || (Object.keys(record(selector.matchLabels)).length === 0 && list(selector.matchExpressions).length === 0))
    reject(
      "BERTH1015",
      r,
      `spec.selector does not match the pod template's labels (${misses.join(", ") || "the selector is empty"}): the API server rejects it`,
      "select the pods by labels the template sets (this is a berth bug if the spec is valid)",
    );
}

/** The requirements of a label selector that `labels` does not meet. */
export function unmatched(selector: Obj, labels: Record<string, string>): string[] {
  const misses: string[] = [];
  for (const [k, v] of Object.entries(record(selector.matchLabels))) if (labels[k] !== v) misses.push(`${k}=${v} is missing`);
  for (const e of list(selector.matchExpressions)) {
    const key = String(e.key);
    const values = strings(e.values);
    const has = Object.prototype.hasOwnProperty.call(labels, key);
    const ok =
      e.operator === "In"
        ? has && values.includes(labels[key]!)
        : e.operator === "NotIn"
          ? !has || !values.includes(labels[key]!)
          : e.operator === "Exists"
            ? has
            : e.operator === "DoesNotExist"
              ? !has
              : false;
    if (!ok) misses.push(`${key} ${String(e.operator)}${values.length > 0 ? ` ${values.join(",")}` : ""} is not met`);
  }
  return misses;
}
