// Every rendered object passes its kubernetes-models validator: types, required fields, enums,
// quantity and int-or-string formats. Those validators are not strict; strict.ts adds that.
import { Application } from "@kubernetes-models/argo-cd/argoproj.io/v1alpha1/Application";
import { AppProject } from "@kubernetes-models/argo-cd/argoproj.io/v1alpha1/AppProject";
import { DestinationRule } from "@kubernetes-models/istio/networking.istio.io/v1beta1/DestinationRule";
import { Gateway } from "@kubernetes-models/istio/networking.istio.io/v1beta1/Gateway";
import { VirtualService } from "@kubernetes-models/istio/networking.istio.io/v1beta1/VirtualService";
import { AuthorizationPolicy } from "@kubernetes-models/istio/security.istio.io/v1beta1/AuthorizationPolicy";
import { PeerAuthentication } from "@kubernetes-models/istio/security.istio.io/v1beta1/PeerAuthentication";
import { RequestAuthentication } from "@kubernetes-models/istio/security.istio.io/v1beta1/RequestAuthentication";
import { Deployment } from "kubernetes-models/apps/v1/Deployment";
import { StatefulSet } from "kubernetes-models/apps/v1/StatefulSet";
import { CronJob } from "kubernetes-models/batch/v1/CronJob";
import { Job } from "kubernetes-models/batch/v1/Job";
import { StorageClass } from "kubernetes-models/storage.k8s.io/v1/StorageClass";
import { HorizontalPodAutoscaler } from "kubernetes-models/autoscaling/v2/HorizontalPodAutoscaler";
import { NetworkPolicy } from "kubernetes-models/networking.k8s.io/v1/NetworkPolicy";
import { PodDisruptionBudget } from "kubernetes-models/policy/v1/PodDisruptionBudget";
import { ClusterRole } from "kubernetes-models/rbac.authorization.k8s.io/v1/ClusterRole";
import { Role } from "kubernetes-models/rbac.authorization.k8s.io/v1/Role";
import { RoleBinding } from "kubernetes-models/rbac.authorization.k8s.io/v1/RoleBinding";
import { PriorityClass } from "kubernetes-models/scheduling.k8s.io/v1/PriorityClass";
import { ConfigMap } from "kubernetes-models/v1/ConfigMap";
import { LimitRange } from "kubernetes-models/v1/LimitRange";
import { Namespace } from "kubernetes-models/v1/Namespace";
import { ResourceQuota } from "kubernetes-models/v1/ResourceQuota";
import { Service } from "kubernetes-models/v1/Service";
import { ServiceAccount } from "kubernetes-models/v1/ServiceAccount";
import type { Diagnostics } from "../diagnostics.js";
import type { Rendered } from "../emit/types.js";
import type { VerifyMemo } from "./memo.js";

type ModelClass = new (data: never) => { validate(): void };

const MODELS: Record<string, ModelClass> = {};
for (const cls of [
  Deployment,
  HorizontalPodAutoscaler,
  NetworkPolicy,
  PodDisruptionBudget,
  ClusterRole,
  Role,
  RoleBinding,
  PriorityClass,
  ConfigMap,
  LimitRange,
  Namespace,
  ResourceQuota,
  Service,
  ServiceAccount,
  DestinationRule,
  Gateway,
  VirtualService,
  AuthorizationPolicy,
  PeerAuthentication,
  RequestAuthentication,
  Application,
  AppProject,
  StatefulSet,
  CronJob,
  Job,
  StorageClass,
] as unknown as (ModelClass & { apiVersion: string; kind: string })[]) {
  const sample = new cls({} as never) as unknown as { apiVersion: string; kind: string };
  MODELS[`${sample.apiVersion}/${sample.kind}`] = cls;
}

/**
 * Runs the kubernetes-models validator of each object that has one. `new cls(object)` would deep-copy
 * the object first (dropping undefined values); a shallow copy with the model's prototype gives
 * validate() the same view of the data (validators skip undefined properties) at a fraction of
 * the cost, and keeps what the older @kubernetes-models/base (Istio's) reads from the prototype.
 */
export function verifyWithModels(objects: readonly Rendered[], diags: Diagnostics, memo?: VerifyMemo): void {
  for (const r of objects) {
    const cls = MODELS[`${r.object.apiVersion}/${r.object.kind}`];
    if (!cls) continue;
    const detail = memo ? memo.once(cls, r, () => modelError(cls, r)) : modelError(cls, r);
    if (detail !== undefined)
      diags.report(
        "BERTH0402",
        r.origin,
        `${r.object.kind} ${r.object.metadata.name} (${r.path}): ${detail}`,
        "this is a berth bug if the spec is valid; please report it with the spec",
      );
  }
}

/** The validator's complaint about an object's content (undefined: valid). */
function modelError(cls: ModelClass, r: Rendered): string | undefined {
  try {
    (Object.assign(Object.create(cls.prototype), r.object) as { validate(): void }).validate();
    return undefined;
  } catch (e) {
    return (e as Error).message.replace(/\bdata\//g, "").replace(/\bdata\b/g, "(object)");
  }
}
