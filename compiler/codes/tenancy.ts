import type { CodeInfo } from "./info.js";

/** Namespaces, quotas, RBAC and the policy verifier (05xx). */
export const tenancyCodes = {
  // 050x: tenant specs
  BERTH0501: {
    severity: "error",
    title: "access group listed twice",
    example:
      "tenants/a.yaml:13:15: error BERTH0501: spec.access[2].group: group ml-engineers is already granted edit at spec.access[0]\n  hint: give each group one entry with the widest role it needs",
  },
  BERTH0502: {
    severity: "error",
    title: "models overflow the tenant quota at minimum replicas",
    example:
      "tenants/a.yaml:10:16: error BERTH0502: on cluster prod the models of tenant a request 44.2 cpu at minimum replicas; quota.cpu is 40 (each pod includes the Istio sidecar's 100m cpu and 128Mi memory); largest: fraud-detection 24.4 (4 pods × 6.1), recommendation-engine 19.8 (18 pods × 1.1)\n  hint: raise quota.cpu to at least 44.2, or lower minReplicas or resources.requests.cpu of the largest models",
  },
  BERTH0503: {
    severity: "warning",
    title: "models overflow the tenant quota at maximum replicas",
    example:
      "tenants/a.yaml:10:30: warning BERTH0503: on cluster prod the models of tenant a may request 132.5Gi memory at maximum replicas; quota.memory is 128Gi, so autoscaling stops short (each pod includes the Istio sidecar's 100m cpu and 128Mi memory); largest: embedding-store 72.375Gi (3 pods × 24.125Gi), image-classifier 60.125Gi (...)",
  },
  // 051x: restricted Pod Security Standard on workload pods
  BERTH0510: {
    severity: "error",
    title: "pod shares a host namespace",
    example:
      "models/a/b.yaml:7:7: error BERTH0510: Deployment b-v1 (clusters/prod/tenants/a/b/deployment-b-v1.yaml): hostNetwork is true; restricted pods share no host namespace",
  },
  BERTH0511: {
    severity: "error",
    title: "privileged container",
    example: "models/a/b.yaml:7:7: error BERTH0511: Deployment b-v1 (clusters/prod/tenants/a/b/deployment-b-v1.yaml): container model is privileged",
  },
  BERTH0512: {
    severity: "error",
    title: "privilege escalation allowed",
    example:
      "models/a/b.yaml:7:7: error BERTH0512: Deployment b-v1 (clusters/prod/tenants/a/b/deployment-b-v1.yaml): container model does not set allowPrivilegeEscalation: false",
  },
  BERTH0513: {
    severity: "error",
    title: "pod may run as root",
    example: "models/a/b.yaml:7:7: error BERTH0513: Deployment b-v1 (clusters/prod/tenants/a/b/deployment-b-v1.yaml): container model runs as UID 0",
  },
  BERTH0514: {
    severity: "error",
    title: "seccomp profile missing or unconfined",
    example:
      "models/a/b.yaml:7:7: error BERTH0514: Deployment b-v1 (clusters/prod/tenants/a/b/deployment-b-v1.yaml): no RuntimeDefault or Localhost seccomp profile for container model (found Unconfined)",
  },
  BERTH0515: {
    severity: "error",
    title: "capabilities not dropped",
    example:
      "models/a/b.yaml:7:7: error BERTH0515: Deployment b-v1 (clusters/prod/tenants/a/b/deployment-b-v1.yaml): container model adds capability NET_ADMIN; only NET_BIND_SERVICE may be added",
  },
  BERTH0516: {
    severity: "error",
    title: "volume type not allowed",
    example: "models/a/b.yaml:7:7: error BERTH0516: Deployment b-v1 (clusters/prod/tenants/a/b/deployment-b-v1.yaml): volume host is a hostPath volume",
  },
  BERTH0517: {
    severity: "error",
    title: "host port",
    example: "models/a/b.yaml:7:7: error BERTH0517: Deployment b-v1 (clusters/prod/tenants/a/b/deployment-b-v1.yaml): container model binds host port 8080",
  },
  BERTH0518: {
    severity: "error",
    title: "forbidden security option",
    example:
      "models/a/b.yaml:7:7: error BERTH0518: Deployment b-v1 (clusters/prod/tenants/a/b/deployment-b-v1.yaml): sysctl kernel.msgmax is not in the safe set",
  },
  BERTH0519: {
    severity: "error",
    title: "writable root filesystem",
    example:
      "models/a/b.yaml:7:7: error BERTH0519: Deployment b-v1 (clusters/prod/tenants/a/b/deployment-b-v1.yaml): container model has a writable root filesystem",
  },
  BERTH0520: {
    severity: "error",
    title: "service account token mounted",
    example:
      "models/a/b.yaml:7:7: error BERTH0520: Deployment b-v1 (clusters/prod/tenants/a/b/deployment-b-v1.yaml): the pod mounts its service account token, which no model needs",
  },
  // 053x: tenant isolation
  BERTH0530: {
    severity: "error",
    title: "cluster-scoped object for a tenant",
    example:
      "models/a/b.yaml:3:9: error BERTH0530: ClusterRoleBinding b (clusters/prod/tenants/a/b/clusterrolebinding-b.yaml): a cluster-scoped ClusterRoleBinding is produced for tenant a; a tenant's objects live in namespace a",
  },
  BERTH0531: {
    severity: "error",
    title: "object outside the tenant's namespace",
    example: "models/a/b.yaml:3:9: error BERTH0531: Service b (clusters/prod/tenants/a/b/service-b.yaml): its namespace is other, not the tenant's namespace a",
  },
  BERTH0532: {
    severity: "error",
    title: "RoleBinding reaches outside the namespace",
    example:
      "tenants/a.yaml:12:7: error BERTH0532: RoleBinding edit-x (clusters/prod/platform/tenants/a/rolebinding-edit-x.yaml): subject ServiceAccount other/ci belongs to another namespace",
  },
  BERTH0533: {
    severity: "error",
    title: "RoleBinding to a role other than view, edit, admin",
    example:
      "tenants/a.yaml:12:7: error BERTH0533: RoleBinding edit-x (clusters/prod/platform/tenants/a/rolebinding-edit-x.yaml): roleRef ClusterRole cluster-admin; tenant groups get the built-in view, edit or admin ClusterRole only",
  },
  BERTH0534: {
    severity: "error",
    title: "NetworkPolicy reaches outside the namespace",
    example:
      "tenants/a.yaml:6:14: error BERTH0534: NetworkPolicy allow-x (clusters/prod/platform/tenants/a/networkpolicy-allow-x.yaml): ingress from namespace b, which is neither the tenant's nor a platform namespace (istio-system, kube-system, monitoring)",
  },
  BERTH0535: {
    severity: "error",
    title: "tenant namespace not hardened",
    example:
      "tenants/a.yaml:6:14: error BERTH0535: namespace a of tenant a on cluster prod (clusters/prod/platform/tenants/a/namespace-a.yaml): label pod-security.kubernetes.io/enforce is baseline, not restricted",
  },
} as const satisfies Record<string, CodeInfo>;
