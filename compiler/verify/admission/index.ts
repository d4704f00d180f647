// The admission stage: every rendered object held to the rules the real control planes apply
// when they receive it — the EKS calendar (eks.ts), the Kubernetes API server (kubernetes.ts;
// Pod Security in ../pod-security.ts with admission/pod-security.ts), istiod's webhook and
// istioctl analyze (istio-routes.ts, istio-policy.ts), Argo CD's sync engine (argocd.ts) and the
// HPA controller (autoscaling.ts). Each rule cites the upstream code it is ported from; a failure
// points back through the object's origin to the spec line to change.
import { refAt, type Diagnostics } from "../../diagnostics.js";
import { gatewaySelector } from "../../emit/platform-tiers.js";
import type { Rendered } from "../../emit/types.js";
import type { ClusterPlan, ModelPlan, Plan } from "../../plan/types.js";
import type { VerifyContext } from "../context.js";
import { verifyArgoAnnotations } from "./argocd.js";
import { limitRangeDefaults, verifyHorizontalPodAutoscaler } from "./autoscaling.js";
import { verifyEksCalendar } from "./eks.js";
import {
  verifyAuthorizationPolicy,
  verifyClaimRouteAuthentication,
  verifyDestinationRule,
  verifyRequestAuthentication,
  type GatewayPods,
} from "./istio-policy.js";
import { serviceIndex, verifyVirtualService } from "./istio-routes.js";
import { verifyKubernetesObject } from "./kubernetes.js";
import { byCluster, obj, record, rejecter, type Reject } from "./object.js";
import type { VerifyMemo } from "../memo.js";

const ISTIO_NETWORKING = "networking.istio.io/";
const ISTIO_SECURITY = "security.istio.io/";

export function verifyAdmission(plan: Plan, objects: readonly Rendered[], diags: Diagnostics, context: VerifyContext): void {
  const reject = rejecter(diags);
  const clusters = byCluster(objects);
  for (const cluster of plan.clusters) {
    if (context.asOf !== false) verifyEksCalendar(cluster, context.asOf, diags);
    verifyCluster(plan, cluster, clusters.get(cluster.name) ?? [], reject, context);
  }
}

function verifyCluster(plan: Plan, cluster: ClusterPlan, objects: readonly Rendered[], reject: Reject, context: VerifyContext): void {
  const minor = Number(cluster.spec.kubernetesVersion.split(".")[1]);
  const virtualServices = new Map<string, Rendered>();
  const workloads = new Map<string, Rendered>();
  const requestAuthentications: Rendered[] = [];
  for (const r of objects) {
    const ns = r.object.metadata.namespace ?? "default";
    if (r.object.kind === "VirtualService" && r.object.apiVersion.startsWith(ISTIO_NETWORKING)) virtualServices.set(`${ns}/${r.object.metadata.name}`, r);
    else if (r.object.kind === "RequestAuthentication" && r.object.apiVersion.startsWith(ISTIO_SECURITY)) requestAuthentications.push(r);
    else workloads.set(`${ns}/${r.object.kind}/${r.object.metadata.name}`, r);
  }
  const services = serviceIndex(objects);
  const defaults = limitRangeDefaults(objects);
  const models = new Map<string, ModelPlan>(cluster.models.map((m) => [m.name, m]));
  const gateway = gatewayPods(plan, objects);
  const authAt = refAt(plan.world.platform.file, "spec", "auth");

  for (const r of objects) {
    verifyOnItsOwn(r, minor, reject, context.memo);
    const { kind, apiVersion } = r.object;
    if (apiVersion.startsWith(ISTIO_NETWORKING)) {
      if (kind === "VirtualService") verifyVirtualService(r, virtualServices, services, reject);
    } else if (kind === "HorizontalPodAutoscaler") {
      const model = r.owner.model === undefined ? undefined : models.get(r.owner.model);
      verifyHorizontalPodAutoscaler(r, { workloads, defaults, model }, reject);
    }
  }
  verifyClaimRouteAuthentication([...virtualServices.values()], gateway, requestAuthentications, authAt, reject);
}

/** One memo check per Kubernetes minor version: the rules below depend on it and on the object alone. */
const ALONE = new Map<number, object>();

/**
 * The rules that read nothing but the object and the Kubernetes version. With a memo (`diff`), an
 * object equal to one that passed them (the other revision's) is not checked again; one that
 * failed is, since a finding may point into its spec (an env var's line), not just at its origin.
 */
function verifyOnItsOwn(r: Rendered, minor: number, reject: Reject, memo: VerifyMemo | undefined): void {
  if (!memo) return checkAlone(r, minor, reject);
  let check = ALONE.get(minor);
  if (!check) ALONE.set(minor, (check = { minor }));
  let ran = false;
  const passed = memo.once(check, r, () => {
    ran = true;
    let rejected = false;
    checkAlone(r, minor, (...args) => ((rejected = true), reject(...args)));
    return !rejected;
  });
  if (!passed && !ran) checkAlone(r, minor, reject);
}

function checkAlone(r: Rendered, minor: number, reject: Reject): void {
  verifyKubernetesObject(r, minor, reject);
  verifyArgoAnnotations(r, reject);
  const { kind, apiVersion } = r.object;
  if (apiVersion.startsWith(ISTIO_NETWORKING)) {
    if (kind === "DestinationRule") verifyDestinationRule(r, reject);
  } else if (apiVersion.startsWith(ISTIO_SECURITY)) {
    if (kind === "AuthorizationPolicy") verifyAuthorizationPolicy(r, reject);
    else if (kind === "RequestAuthentication") verifyRequestAuthentication(r, reject);
  }
}

/**
 * The ingress gateway's pods: those a rendered Gateway of the platform's name selects, or the
 * platform's gateway selector, in the gateway's namespace (where Istio's gateway installs run them).
 */
function gatewayPods(plan: Plan, objects: readonly Rendered[]): GatewayPods {
  const name = plan.world.platform.spec.ingress.gateway;
  const [namespace, gatewayName] = name.split("/") as [string, string];
  const rendered = objects.find(
    (r) =>
      r.object.kind === "Gateway" &&
      r.object.apiVersion.startsWith(ISTIO_NETWORKING) &&
      r.object.metadata.name === gatewayName &&
      r.object.metadata.namespace === namespace,
  );
  const labels = rendered ? record(obj(rendered.object.spec).selector) : gatewaySelector(plan.world.platform.spec);
  return { namespace, labels, name };
}
