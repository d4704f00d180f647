// Per cluster: a ValidatingAdmissionPolicy that keeps a tenant's network and RBAC guardrails in
// Argo CD's hands. A tenant group with `edit` may write NetworkPolicies and one with `admin` Roles
// and RoleBindings in its own namespace; Argo CD's self-heal reverts changes to the objects it
// tracks, not new ones. Admission refuses both unless the request comes from Argo CD's controller.
import type { IValidatingAdmissionPolicy } from "kubernetes-models/admissionregistration.k8s.io/v1/ValidatingAdmissionPolicy";
import type { IValidatingAdmissionPolicyBinding } from "kubernetes-models/admissionregistration.k8s.io/v1/ValidatingAdmissionPolicyBinding";
import { refAt } from "../diagnostics.js";
import type { ClusterPlan, Plan } from "../plan/types.js";
import { ARGOCD_NAMESPACE } from "./gitops-projects.js";
import { LABEL_TENANT, MANAGED_BY, paths, WAVE, waveAnnotation } from "./meta.js";
import { placed, type Rendered } from "./types.js";

export const GUARDRAIL_POLICY_NAME = "berth-tenant-guardrails";
/** The identity Argo CD's application controller syncs with. */
export const ARGOCD_CONTROLLER = `system:serviceaccount:${ARGOCD_NAMESPACE}:argocd-application-controller`;
/** Deleting a namespace deletes what is in it; these controllers must never be refused that. */
export const NAMESPACE_CLEANERS = [
  "system:serviceaccount:kube-system:namespace-controller",
  "system:serviceaccount:kube-system:generic-garbage-collector",
] as const;
/** ValidatingAdmissionPolicy is GA (admissionregistration.k8s.io/v1) from Kubernetes 1.30. */
export const ADMISSION_POLICY_MINOR = 30;

export const GUARDED_RESOURCES = [
  { apiGroups: ["networking.k8s.io"], resources: ["networkpolicies"] },
  { apiGroups: ["rbac.authorization.k8s.io"], resources: ["rolebindings", "roles"] },
] as const;

export function hasAdmissionPolicies(kubernetesVersion: string): boolean {
  return Number(kubernetesVersion.split(".")[1]) >= ADMISSION_POLICY_MINOR;
}

export function emitAdmission(plan: Plan): Rendered[] {
  const out: Rendered[] = [];
  for (const c of plan.clusters) {
    if (c.tenants.length === 0 || !hasAdmissionPolicies(c.spec.kubernetesVersion)) continue;
    for (const object of [guardrailPolicy(), guardrailBinding()])
      out.push(placed(`${paths.platform(c.name)}/cluster`, object, { sources: [c.file], origin: versionRef(c), owner: { cluster: c.name } }));
  }
  return out;
}

function versionRef(c: ClusterPlan) {
  return refAt(c.file, "spec", "kubernetesVersion");
}

const quoted = (s: string) => `'${s}'`;

function guardrailPolicy(): IValidatingAdmissionPolicy {
  const cleaners = `[${NAMESPACE_CLEANERS.map(quoted).join(", ")}]`;
  return {
    apiVersion: "admissionregistration.k8s.io/v1",
    kind: "ValidatingAdmissionPolicy",
    metadata: { name: GUARDRAIL_POLICY_NAME, labels: { ...MANAGED_BY }, annotations: waveAnnotation(WAVE.namespace) },
    spec: {
      failurePolicy: "Fail",
      matchConstraints: {
        resourceRules: GUARDED_RESOURCES.map((r) => ({
          apiGroups: [...r.apiGroups],
          apiVersions: ["*"],
          operations: ["CREATE", "UPDATE", "DELETE"],
          resources: [...r.resources],
        })),
      },
      validations: [
        {
          expression: `request.userInfo.username == ${quoted(ARGOCD_CONTROLLER)} || (request.operation == 'DELETE' && request.userInfo.username in ${cleaners})`,
          message:
            "NetworkPolicies, Roles and RoleBindings in a tenant namespace are rendered by berth and synced by Argo CD only: change the tenant's spec in git",
          reason: "Forbidden",
        },
      ],
    },
  };
}

/** Every namespace that carries the tenant label, which only the platform's Namespace objects set. */
function guardrailBinding(): IValidatingAdmissionPolicyBinding {
  return {
    apiVersion: "admissionregistration.k8s.io/v1",
    kind: "ValidatingAdmissionPolicyBinding",
    metadata: { name: GUARDRAIL_POLICY_NAME, labels: { ...MANAGED_BY }, annotations: waveAnnotation(WAVE.namespace) },
    spec: {
      policyName: GUARDRAIL_POLICY_NAME,
      validationActions: ["Deny"],
      matchResources: { namespaceSelector: { matchExpressions: [{ key: LABEL_TENANT, operator: "Exists" }] } },
    },
  };
}
