import type { CodeInfo } from "./info.js";

const K8S = "kubernetes/kubernetes";
const APIMACHINERY = "kubernetes/apimachinery";
const ISTIO = "istio/istio";

/**
 * Admission (10xx): what the control planes themselves accept or reject, beyond the schemas —
 * the EKS calendar, the API server's validation and Pod Security, istiod's validation webhook
 * and `istioctl analyze`, Argo CD's sync engine, the HPA controller. `source` names the upstream
 * code each rule is ported from (compiler/verify/admission/).
 */
export const admissionCodes = {
  // 100x: the EKS calendar
  BERTH1001: {
    severity: "error",
    title: "Kubernetes version EKS does not offer",
    example:
      "platform/clusters/prod.yaml:8:22: error BERTH1001: kubernetesVersion 1.28 reached the end of EKS extended support on 2025-11-26 (as of 2026-11-30): EKS no longer creates such clusters and upgrades existing ones on its own\n  hint: move to a version in standard support: 1.36 (until 2027-08-02), 1.35 (until 2027-03-27), 1.34 (until 2026-12-02)",
    source:
      "AWS, Amazon EKS Kubernetes release calendar, https://docs.aws.amazon.com/eks/latest/userguide/kubernetes-versions.html#kubernetes-release-calendar",
  },
  BERTH1002: {
    severity: "warning",
    title: "Kubernetes version in EKS extended support",
    example:
      "platform/clusters/prod.yaml:8:22: warning BERTH1002: kubernetesVersion 1.33 left EKS standard support on 2026-07-29 (as of 2026-11-30): the cluster costs extended-support fees until 2027-07-29, when EKS upgrades it on its own",
    source:
      "AWS, Amazon EKS Kubernetes release calendar, https://docs.aws.amazon.com/eks/latest/userguide/kubernetes-versions.html#kubernetes-release-calendar",
  },
  // 101x: the Kubernetes API server
  BERTH1010: {
    severity: "error",
    title: "object name the API server rejects for its kind",
    example:
      "models/a/b.yaml:3:9: error BERTH1010: Service 9lives (clusters/prod/tenants/a/9lives/service-9lives.yaml): name \"9lives\" is not a DNS-1035 label: a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character",
    source: `${K8S} pkg/apis/core/validation/validation.go ValidateServiceName (NameIsDNS1035Label), ValidateNamespaceName; ${APIMACHINERY} pkg/api/validate/content/dns.go IsDNS1123Label, IsDNS1123Subdomain, IsDNS1035Label`,
  },
  BERTH1011: {
    severity: "error",
    title: "label or annotation key or value the API server rejects",
    example:
      "tenants/a.yaml:3:9: error BERTH1011: Namespace a (clusters/prod/platform/tenants/a/namespace-a.yaml): metadata: label berth.dev/tenant value \"team_a-\" is not a valid label value: a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character",
    source: `${APIMACHINERY} pkg/apis/meta/v1/validation/validation.go ValidateLabels; pkg/api/validation/objectmeta.go ValidateAnnotations; pkg/api/validate/content/kube.go IsLabelKey, IsLabelValue`,
  },
  BERTH1012: {
    severity: "error",
    title: "annotations over the API server's 256 KiB",
    example:
      "models/a/b.yaml:3:9: error BERTH1012: Deployment b-v1 (clusters/prod/tenants/a/b/deployment-b-v1.yaml): metadata.annotations hold 270336 bytes; the API server allows 262144",
    source: `${APIMACHINERY} pkg/api/validation/objectmeta.go ValidateAnnotationsSize (TotalAnnotationSizeLimitB)`,
  },
  BERTH1013: {
    severity: "error",
    title: "container port name the API server rejects",
    example:
      'platform/platform.yaml:14:7: error BERTH1013: Deployment b-v1 (clusters/prod/tenants/a/b/deployment-b-v1.yaml): container model port name "http-inference-api" is not an IANA_SVC_NAME: must be no more than 15 bytes',
    source: `${K8S} pkg/apis/core/validation/validation.go validateContainerPorts; ${APIMACHINERY} pkg/util/validation/validation.go IsValidPortName`,
  },
  BERTH1014: {
    severity: "error",
    title: "environment variable name the API server rejects",
    example:
      "models/a/b.yaml:9:14: error BERTH1014: Deployment b-v1 (clusters/prod/tenants/a/b/deployment-b-v1.yaml): container model env name \"A=B\" is not valid on Kubernetes 1.35: a valid environment variable name must consist only of printable ASCII characters other than '='",
    source: `${K8S} pkg/apis/core/validation/validation.go ValidateEnv; ${APIMACHINERY} pkg/util/validation/validation.go IsEnvVarName, IsRelaxedEnvVarName`,
  },
  BERTH1015: {
    severity: "error",
    title: "workload selector does not select its own pod template",
    example:
      "models/a/b.yaml:7:7: error BERTH1015: Deployment b-v1 (clusters/prod/tenants/a/b/deployment-b-v1.yaml): spec.selector does not match the pod template's labels (app.kubernetes.io/version=v1 is missing): the API server rejects it",
    source: `${K8S} pkg/apis/apps/validation/validation.go ValidateDeploymentSpec, ValidateStatefulSetSpec ("selector does not match template labels")`,
  },
  // 102x-103x: istiod's validation webhook and istioctl analyze
  BERTH1020: {
    severity: "error",
    title: "JWT claim route in a VirtualService without a gateway",
    example:
      "models/a/fraud.yaml:14:7: error BERTH1020: VirtualService team-a/fraud (clusters/prod/tenants/a/fraud/virtualservice-fraud.yaml): route group-ml matches @request.auth.claims.groups, but JWT claim based routing is only supported for gateway, found no gateways: istiod's webhook rejects the object\n  hint: match JWT claims only in a VirtualService bound to the ingress gateway",
    source: `${ISTIO} pkg/config/validation/validation.go ValidateVirtualService (validateJWTClaimRoute)`,
  },
  BERTH1021: {
    severity: "error",
    title: "VirtualService delegation istiod rejects or ignores",
    example:
      "platform/platform.yaml:21:3: error BERTH1021: VirtualService istio-system/root (clusters/prod/platform/virtualservice-root.yaml): route fraud: delegates to team-a/fraud, which sets hosts: istiod only delegates to VirtualServices without hosts and drops the route",
    source: `${ISTIO} pkg/config/validation/validation.go ValidateVirtualService; pkg/config/validation/virtualservice.go validateHTTPRouteConflict; pilot/pkg/model/virtualservice_controller.go mergeVirtualServices`,
  },
  BERTH1022: {
    severity: "error",
    title: "regex match Envoy's RE2 does not compile",
    example:
      'models/a/b.yaml:6:3: error BERTH1022: VirtualService istio-system/model-b (clusters/prod/platform/routes/virtualservice-model-b.yaml): route b-unknown-version: headers model-version regex "(?=v1).+" uses a lookahead ((?=…)), which RE2 does not support',
    source: `${ISTIO} pkg/config/validation/virtualservice.go validateStringMatchRegexp, validateStringRegexp (RE2 syntax, 1024 characters at most)`,
  },
  BERTH1023: {
    severity: "error",
    title: "header match or header operation istiod rejects",
    example:
      "models/a/b.yaml:6:3: error BERTH1023: VirtualService istio-system/model-b (clusters/prod/platform/routes/virtualservice-model-b.yaml): route b-split: headers: header name model id is not a valid header name",
    source: `${ISTIO} pkg/config/validation/validation.go ValidateHTTPHeaderNameOrJwtClaimRoute, ValidateHTTPHeaderOperationName`,
  },
  BERTH1024: {
    severity: "error",
    title: "HTTP route action istiod rejects",
    example:
      "models/a/b.yaml:6:3: error BERTH1024: VirtualService istio-system/model-b (clusters/prod/platform/routes/virtualservice-model-b.yaml): route b-split: total destination weight = 0",
    source: `${ISTIO} pkg/config/validation/validation.go validateHTTPRouteDestinations, validateWeight, validateHTTPDirectResponse; pkg/config/validation/virtualservice.go validateHTTPRouteConflict`,
  },
  BERTH1025: {
    severity: "error",
    title: "DestinationRule istiod rejects (subsets, traffic policy)",
    example:
      'models/a/b.yaml:6:3: error BERTH1025: DestinationRule a/b (clusters/prod/tenants/a/b/destinationrule-b.yaml): subset name "v1.2" is invalid (not a DNS-1123 label)',
    source: `${ISTIO} pkg/config/validation/validation.go ValidateDestinationRule, validateSubset, validateSubsetName; pkg/config/labels/instance.go Instance.Validate`,
  },
  BERTH1026: {
    severity: "error",
    title: "route name used twice on one gateway host",
    example:
      "models/a/b.yaml:14:7: error BERTH1026: route b-split on models.example.internal (cluster prod) is named twice: in istio-system/model-b (models/a/b.yaml) and istio-system/model-c (models/a/c.yaml); Envoy logs and traces name routes by it",
    source: `${ISTIO} pilot/pkg/networking/core/route/route.go translateRoute (route name becomes Envoy's route name, %ROUTE_NAME%)`,
  },
  BERTH1027: {
    severity: "error",
    title: "route destination host or port resolves to no rendered Service",
    example:
      "models/a/b.yaml:6:3: error BERTH1027: VirtualService istio-system/model-b (clusters/prod/platform/routes/virtualservice-model-b.yaml): route b-split: sends to b.a.svc.cluster.local, but no Service a/b is rendered on cluster prod",
    source: `${ISTIO} pkg/config/analysis/analyzers/virtualservice/destinationhosts.go DestinationHostAnalyzer; destinationrules.go DestinationRuleAnalyzer`,
  },
  BERTH1028: {
    severity: "error",
    title: "JWT claim route without a RequestAuthentication on the gateway",
    example:
      "platform/platform.yaml:19:3: error BERTH1028: VirtualService istio-system/model-b (clusters/prod/platform/routes/virtualservice-model-b.yaml): routes on @request.auth.claims.groups through gateway istio-system/models-gateway, but no RequestAuthentication in istio-system selects its pods (istio=ingressgateway): the claim is never set and the group rules never match",
    source: `${ISTIO} pkg/config/analysis/analyzers/virtualservice/jwtclaimroute.go JWTClaimRouteAnalyzer`,
  },
  BERTH1029: {
    severity: "error",
    title: "AuthorizationPolicy istiod rejects",
    example:
      "models/a/b.yaml:15:11: error BERTH1029: AuthorizationPolicy a/b (clusters/prod/tenants/a/b/authorizationpolicy-b.yaml): `from.source` must not be empty, found at rule 0",
    source: `${ISTIO} pkg/config/validation/validation.go ValidateAuthorizationPolicy; pkg/config/security/security.go ValidateAttribute`,
  },
  BERTH1030: {
    severity: "error",
    title: "RequestAuthentication istiod rejects",
    example:
      'platform/platform.yaml:19:3: error BERTH1030: RequestAuthentication a/berth-jwt (clusters/prod/platform/tenants/a/requestauthentication-berth-jwt.yaml): jwtRules[0]: URI scheme "ftp" is not supported',
    source: `${ISTIO} pkg/config/validation/validation.go ValidateRequestAuthentication, validateJwtRule; pkg/config/security/security.go ParseJwksURI`,
  },
  BERTH1031: {
    severity: "error",
    title: "two gateway VirtualServices claim the same requests",
    example:
      "models/b/fraud.yaml:3:9: error BERTH1031: route intruder-split (in istio-system/intruder, models/b/fraud.yaml) and route fraud-split (the traffic split of fraud, models/a/fraud.yaml) both match requests for models.example.internal on cluster prod from different VirtualServices (istio-system/intruder, istio-system/model-fraud): istiod orders them by creation time, so which one answers is not decided by the specs",
    source: `${ISTIO} pilot/pkg/networking/core/gateway.go buildGatewayHTTPRouteConfig (same-host routes appended per VirtualService); pilot/pkg/model/virtualservice_controller.go sortMergedVirtualServicesByCreationTime`,
  },
  // 104x: Argo CD's sync engine
  BERTH1040: {
    severity: "error",
    title: "sync wave that is not an integer",
    example:
      'tenants/a.yaml:3:9: error BERTH1040: Namespace a (clusters/prod/platform/tenants/a/namespace-a.yaml): argocd.argoproj.io/sync-wave "-3.5" is not an integer: Argo CD would silently sync it in wave 0',
    source: "argoproj/gitops-engine pkg/sync/syncwaves/waves.go Wave (strconv.Atoi, wave 0 on failure)",
  },
  BERTH1041: {
    severity: "error",
    title: "sync option Argo CD does not know",
    example:
      'platform/platform.yaml:8:3: error BERTH1041: Application argocd/tenant-a (clusters/prod/apps/application-tenant-a.yaml): sync option "PruneLast=yes" is not one Argo CD knows; it is silently ignored',
    source:
      "argoproj/gitops-engine pkg/sync/common/types.go (SyncOption* constants); argoproj/argo-cd controller/sync.go SyncAppState (CreateNamespace, FailOnSharedResource, RespectIgnoreDifferences, PrunePropagationPolicy)",
  },
  // 105x: the HorizontalPodAutoscaler controller
  BERTH1050: {
    severity: "error",
    title: "utilization target the container's limit makes unreachable",
    example:
      "models/a/b.yaml:11:52: error BERTH1050: HorizontalPodAutoscaler a/b-v1 (clusters/prod/tenants/a/b/horizontalpodautoscaler-b-v1.yaml): targetCPUUtilization 190 can never trigger a scale-up: the limit (1) caps container model at 200% of its request (500m), and the HPA scales up only above 209% (target + 10% tolerance)\n  hint: lower targetCPUUtilization to at most 181, or raise resources.limits.cpu",
    source: `${K8S} pkg/controller/podautoscaler/replica_calculator.go GetResourceReplicas (usageRatio within tolerance, --horizontal-pod-autoscaler-tolerance 0.1)`,
  },
  BERTH1051: {
    severity: "error",
    title: "autoscaling metric that can never be measured",
    example:
      "models/a/b.yaml:9:28: error BERTH1051: HorizontalPodAutoscaler a/b-v1 (clusters/prod/tenants/a/b/horizontalpodautoscaler-b-v1.yaml): targetMemoryUtilization needs a memory request on every container, but container model has none: the HPA reports FailedGetResourceMetric and never scales\n  hint: set resources.requests.memory",
    source: `${K8S} pkg/controller/podautoscaler/metrics/utilization.go GetResourceUtilizationRatio; replica_calculator.go calculatePodRequests ("missing request for")`,
  },
  BERTH1052: {
    severity: "error",
    title: "autoscaler target that is not rendered",
    example:
      "models/a/b.yaml:11:35: error BERTH1052: HorizontalPodAutoscaler a/b-v1 (clusters/prod/tenants/a/b/horizontalpodautoscaler-b-v1.yaml): scaleTargetRef apps/v1 Deployment b-v9 is not rendered on cluster prod",
    source: `${K8S} pkg/controller/podautoscaler/horizontal.go reconcileAutoscaler (FailedGetScale)`,
  },
} as const satisfies Record<string, CodeInfo>;
