// The kinds berth renders, so their schemas can be downloaded before compile (which is
// synchronous) needs them. test/unit/schema-locations.test.ts fails when an emitter renders a
// kind missing here; a kind missing at run time is looked up in the cache only.
export const RENDERED_KINDS: readonly { apiVersion: string; kind: string }[] = [
  ["v1", "Namespace"], ["v1", "ResourceQuota"], ["v1", "LimitRange"], ["v1", "Service"], ["v1", "ServiceAccount"],
  ["apps/v1", "Deployment"], ["autoscaling/v2", "HorizontalPodAutoscaler"], ["policy/v1", "PodDisruptionBudget"],
  ["networking.k8s.io/v1", "NetworkPolicy"], ["rbac.authorization.k8s.io/v1", "RoleBinding"], ["scheduling.k8s.io/v1", "PriorityClass"],
  ["networking.istio.io/v1beta1", "VirtualService"], ["networking.istio.io/v1beta1", "DestinationRule"],
  ["security.istio.io/v1beta1", "AuthorizationPolicy"], ["security.istio.io/v1beta1", "RequestAuthentication"],
  ["security.istio.io/v1beta1", "PeerAuthentication"], ["networking.istio.io/v1beta1", "Sidecar"],
  ["admissionregistration.k8s.io/v1", "ValidatingAdmissionPolicy"], ["admissionregistration.k8s.io/v1", "ValidatingAdmissionPolicyBinding"],
  ["argoproj.io/v1alpha1", "Application"], ["argoproj.io/v1alpha1", "AppProject"],
  ["networking.istio.io/v1beta1", "Sidecar"], ["security.istio.io/v1beta1", "PeerAuthentication"],
  ["admissionregistration.k8s.io/v1", "ValidatingAdmissionPolicy"], ["admissionregistration.k8s.io/v1", "ValidatingAdmissionPolicyBinding"],
  ["networking.istio.io/v1beta1", "Gateway"], ["storage.k8s.io/v1", "StorageClass"],
  ["eksctl.io/v1alpha5", "ClusterConfig"],
  ["batch/v1", "CronJob"], ["batch/v1", "Job"], ["apps/v1", "StatefulSet"],
  ["v1", "ConfigMap"], ["monitoring.coreos.com/v1", "PodMonitor"], ["monitoring.coreos.com/v1", "PrometheusRule"], ["telemetry.istio.io/v1", "Telemetry"],
].map(([apiVersion, kind]) => ({ apiVersion: apiVersion!, kind: kind! }));
