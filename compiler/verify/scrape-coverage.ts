// Proves every pod berth runs is scraped exactly once: on each cluster, each pod template of a
// rendered workload (Deployment, StatefulSet, Job, CronJob) is selected by exactly one
// PodMonitor that can see its namespace, and that monitor's port is declared by one of the pod's
// containers (the Prometheus Operator drops a target whose port the pod does not declare).
// Twice would store every series twice; never would leave the SLO alerts silent.
import type { Diagnostics } from "../diagnostics.js";
import { MANAGED_BY } from "../emit/meta.js";
import type { Rendered } from "../emit/types.js";

type Obj = Record<string, unknown>;
const obj = (v: unknown): Obj => (v && typeof v === "object" && !Array.isArray(v) ? (v as Obj) : {});
const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);

interface Monitor {
  readonly r: Rendered;
  readonly namespace: string;
  readonly anyNamespace: boolean;
  readonly namespaces: readonly string[];
  readonly matchLabels: Readonly<Record<string, string>>;
  readonly expressions: readonly { key: string; operator: string; values: readonly string[] }[];
  readonly ports: readonly (string | number)[];
}

function toMonitor(r: Rendered): Monitor {
  const spec = obj(r.object.spec);
  const ns = obj(spec.namespaceSelector);
  const selector = obj(spec.selector);
  return {
    r,
    namespace: r.object.metadata.namespace ?? "",
    anyNamespace: ns.any === true,
    namespaces: list(ns.matchNames).map(String),
    matchLabels: obj(selector.matchLabels) as Record<string, string>,
    expressions: list(selector.matchExpressions).map((e) => ({
      key: String(obj(e).key),
      operator: String(obj(e).operator),
      values: list(obj(e).values).map(String),
    })),
    ports: list(spec.podMetricsEndpoints).map((e) => (obj(e).port as string | undefined) ?? (obj(e).portNumber as number)),
  };
}

function selects(m: Monitor, namespace: string, labels: Readonly<Record<string, string>>): boolean {
  const inNamespace = m.anyNamespace || (m.namespaces.length > 0 ? m.namespaces.includes(namespace) : m.namespace === namespace);
  if (!inNamespace) return false;
  if (!Object.entries(m.matchLabels).every(([k, v]) => labels[k] === v)) return false;
  return m.expressions.every((e) => {
    const has = Object.prototype.hasOwnProperty.call(labels, e.key);
    switch (e.operator) {
      case "Exists":
        return has;
      case "DoesNotExist":
        return !has;
      case "In":
        return has && e.values.includes(labels[e.key]!);
      case "NotIn":
        return !has || !e.values.includes(labels[e.key]!);
      default:
        return false;
    }
  });
}

/** The pod template of a workload kind, or undefined for anything else. */
export function podTemplate(object: Rendered["object"]): Obj | undefined {
  const spec = obj(object.spec);
  switch (object.kind) {
    case "Deployment":
    case "StatefulSet":
    case "DaemonSet":
    case "Job":
      return obj(spec.template);
    case "CronJob":
      return obj(obj(obj(spec.jobTemplate).spec).template);
    default:
      return undefined;
  }
}

/** `scraped`: the clusters whose plan installs the Prometheus Operator (elsewhere BERTH1203 already said why nothing is). */
export function verifyScrapeCoverage(objects: readonly Rendered[], scraped: ReadonlySet<string>, diags: Diagnostics): void {
  const monitors = new Map<string, Monitor[]>();
  for (const r of objects) {
    if (r.object.kind !== "PodMonitor" || !r.object.apiVersion.startsWith("monitoring.coreos.com/")) continue;
    const mine = monitors.get(r.owner.cluster) ?? [];
    mine.push(toMonitor(r));
    monitors.set(r.owner.cluster, mine);
  }
  const isBerth = (labels: Obj) => Object.entries(MANAGED_BY).every(([k, v]) => labels[k] === v);
  for (const r of objects) {
    const template = podTemplate(r.object);
    if (!template || !scraped.has(r.owner.cluster)) continue;
    const labels = obj(obj(template.metadata).labels) as Record<string, string>;
    if (!isBerth(labels)) continue;
    const namespace = r.object.metadata.namespace ?? "";
    // One identity is one object on the cluster: two tenants rendering the same namespace's
    // monitor is a collision reported as such (BERTH0306, BERTH0404), not two scrapes.
    const picked = [
      ...new Map(
        (monitors.get(r.owner.cluster) ?? []).filter((m) => selects(m, namespace, labels)).map((m) => [`${m.namespace}/${m.r.object.metadata.name}`, m]),
      ).values(),
    ];
    const what = `${r.object.kind} ${r.object.metadata.name} (${r.path})`;
    const hint =
      "this is a berth bug: every workload pod carries berth.dev/workload and the port istio-metrics, and its namespace gets one PodMonitor (compiler/emit/observability.ts)";
    if (picked.length !== 1) {
      diags.report(
        "BERTH1605",
        r.origin,
        `${what}: its pods are selected by ${picked.length} PodMonitors on cluster ${r.owner.cluster}${picked.length ? ` (${picked.map((m) => `${m.namespace}/${m.r.object.metadata.name}`).join(", ")})` : ""}, not exactly one`,
        hint,
      );
      continue;
    }
    const declared = list(obj(template.spec).containers).flatMap((c) => list(obj(c).ports).map(obj));
    for (const port of picked[0]!.ports) {
      if (!declared.some((p) => (typeof port === "number" ? p.containerPort === port : p.name === port)))
        diags.report(
          "BERTH1605",
          r.origin,
          `${what}: PodMonitor ${picked[0]!.namespace}/${picked[0]!.r.object.metadata.name} scrapes port ${port}, which no container of the pod declares, so Prometheus drops the target`,
          hint,
        );
    }
  }
}
