// What the HorizontalPodAutoscaler controller can and cannot do with a rendered HPA: find its
// target (kubernetes/kubernetes pkg/controller/podautoscaler/horizontal.go reconcileAutoscaler,
// FailedGetScale), measure a resource metric — every container needs a request for it
// (replica_calculator.go calculatePodRequests, "missing request for"; a namespace LimitRange's
// defaultRequest fills one in at admission) — and reach the target: a container never uses more
// than its limit, so its utilization never exceeds limit/request, and the controller scales up
// only when the usage ratio passes 1 + tolerance (GetResourceReplicas; the controller's
// --horizontal-pod-autoscaler-tolerance, 0.1 by default). A target beyond that never scales up.
// The mesh sidecar is injected after berth renders; berth does not count on it to reach a target.
import type { PathSegment, SpecRef } from "../../diagnostics.js";
import type { Rendered } from "../../emit/types.js";
import type { ModelPlan } from "../../plan/types.js";
import { formatCpu, formatMemory, parseQuantity } from "../../base/quantity.js";
import { podOf } from "../pod-security.js";
import { list, obj, record, type Obj, type Reject } from "./object.js";

/** kube-controller-manager --horizontal-pod-autoscaler-tolerance, by default. */
export const HPA_TOLERANCE = 0.1;

const SPEC_TARGET: Record<string, string> = { cpu: "targetCPUUtilization", memory: "targetMemoryUtilization" };

interface Defaults {
  readonly request: Record<string, string>;
  readonly limit: Record<string, string>;
}

/** Container defaults per namespace from the rendered LimitRanges (what admission fills in). */
export function limitRangeDefaults(objects: readonly Rendered[]): Map<string, Defaults> {
  const out = new Map<string, Defaults>();
  for (const r of objects) {
    if (r.object.kind !== "LimitRange") continue;
    for (const l of list(obj(r.object.spec).limits))
      if (l.type === "Container") out.set(r.object.metadata.namespace ?? "default", { request: record(l.defaultRequest), limit: record(l.default) });
  }
  return out;
}

export interface HpaContext {
  /** Workloads by `namespace/Kind/name`. */
  readonly workloads: ReadonlyMap<string, Rendered>;
  readonly defaults: ReadonlyMap<string, Defaults>;
  /** The model the HPA scales, for the spec fields to point at. */
  readonly model?: ModelPlan;
}

export function verifyHorizontalPodAutoscaler(r: Rendered, ctx: HpaContext, reject: Reject): void {
  const spec = obj(r.object.spec);
  const ref = obj(spec.scaleTargetRef);
  const ns = r.object.metadata.namespace ?? "default";
  const target = ctx.workloads.get(`${ns}/${String(ref.kind)}/${String(ref.name)}`);
  const at = (...path: PathSegment[]): SpecRef | undefined => ctx.model?.prov.of(...path);
  if (!target) {
    reject(
      "BERTH1052",
      r,
      `scaleTargetRef ${String(ref.apiVersion)} ${String(ref.kind)} ${String(ref.name)} is not rendered on cluster ${r.owner.cluster}: the HPA reports FailedGetScale`,
      "this is a berth bug if the spec is valid; please report it with the spec",
    );
    return;
  }
  const pod = podOf(target.object);
  if (!pod) return;
  const defaults = ctx.defaults.get(ns);
  for (const metric of list(spec.metrics)) {
    const type = String(metric.type);
    if (type !== "Resource" && type !== "ContainerResource") continue;
    const source = obj(type === "Resource" ? metric.resource : metric.containerResource);
    const resource = String(source.name);
    const goal = obj(source.target);
    const field = SPEC_TARGET[resource] ?? "autoscaling";
    const containers = list(pod.spec.containers).filter((c) => type === "Resource" || c.name === source.container);
    if (type === "ContainerResource" && containers.length === 0) {
      reject(
        "BERTH1051",
        r,
        `the ${resource} metric names container ${String(source.container)}, which the pods of ${target.object.metadata.name} do not run`,
        "name a container of the pod template",
        at("autoscaling", field),
      );
      continue;
    }
    const requests = containers.map((c) => quantityOf(c, "requests", resource, defaults?.request));
    const missing = containers.filter((_, i) => requests[i] === undefined).map((c) => String(c.name));
    if (missing.length > 0) {
      reject(
        "BERTH1051",
        r,
        `${field} needs a ${resource} request on every container, but container ${missing.join(", ")} has none: the HPA reports FailedGetResourceMetric and never scales`,
        `set resources.requests.${resource}`,
        at("resources", "requests", resource) ?? at("autoscaling", field),
      );
      continue;
    }
    const limits = containers.map((c) => quantityOf(c, "limits", resource, defaults?.limit));
    if (limits.some((l) => l === undefined)) continue; // no cap: any target is reachable
    // A request above its limit is refused by the API server itself (BERTH0210 at the spec).
    if (limits.some((l, i) => l! < requests[i]!)) continue;
    const req = sum(requests as number[]);
    const lim = sum(limits as number[]);
    const fmt = resource === "cpu" ? formatCpu : resource === "memory" ? formatMemory : (n: number) => String(n);
    if (goal.type === "Utilization" && goal.averageUtilization !== undefined) {
      const t = Number(goal.averageUtilization);
      const max = (100 * lim) / req;
      if (max <= t * (1 + HPA_TOLERANCE)) {
        const best = Math.ceil(max / (1 + HPA_TOLERANCE)) - 1;
        reject(
          "BERTH1050",
          r,
          `${SPEC_TARGET[resource] ?? `the ${resource} target`} ${t} can never trigger a scale-up: the limit (${fmt(lim)}) caps ${containers.length === 1 ? `container ${String(containers[0]!.name)}` : "the pod's containers"} at ${round(max)}% of ${containers.length === 1 ? "its" : "their"} request (${fmt(req)}), and the HPA scales up only above ${round(t * (1 + HPA_TOLERANCE))}% (target + ${HPA_TOLERANCE * 100}% tolerance)`,
          best >= 1
            ? `lower ${field} to at most ${best}, or raise resources.limits.${resource}`
            : `raise resources.limits.${resource} well above resources.requests.${resource}`,
          at("autoscaling", field),
        );
      }
    } else if (goal.type === "AverageValue" && goal.averageValue !== undefined) {
      const t = parseQuantity(String(goal.averageValue));
      if (t !== undefined && lim <= t * (1 + HPA_TOLERANCE))
        reject(
          "BERTH1050",
          r,
          `the ${resource} target of ${String(goal.averageValue)} per pod can never trigger a scale-up: the limits cap a pod at ${fmt(lim)}`,
          `lower the target below ${fmt(lim / (1 + HPA_TOLERANCE))}, or raise resources.limits.${resource}`,
          at("autoscaling", field),
        );
    }
  }
}

function quantityOf(c: Obj, kind: "requests" | "limits", resource: string, fallback?: Record<string, string>): number | undefined {
  const v = record(obj(c.resources)[kind])[resource] ?? fallback?.[resource];
  return v === undefined ? undefined : parseQuantity(v);
}

const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
const round = (n: number) => Math.round(n * 10) / 10;
