// Per model: the DestinationRule (subsets, connection limits, ejection) and the AuthorizationPolicy
// (JWT groups in `access`, health checks, Prometheus). Per namespace: the RequestAuthentication
// that verifies the platform's JWTs so the policy can read their claims, strict mTLS, and the
// Sidecar that scopes what the namespace's proxies are told about.
import type { IDestinationRule } from "@kubernetes-models/istio/networking.istio.io/v1beta1/DestinationRule";
import type { IAuthorizationPolicy } from "@kubernetes-models/istio/security.istio.io/v1beta1/AuthorizationPolicy";
import type { ISidecar } from "@kubernetes-models/istio/networking.istio.io/v1beta1/Sidecar";
import type { IPeerAuthentication } from "@kubernetes-models/istio/security.istio.io/v1beta1/PeerAuthentication";
import type { IRequestAuthentication } from "@kubernetes-models/istio/security.istio.io/v1beta1/RequestAuthentication";
import type { ModelPlan, TenantPlan } from "../plan/types.js";
import type { PlatformSpec } from "../schema/platform.js";
import { LABEL_NAME, MANAGED_BY, modelLabels, tenantLabels, versionSelector, WAVE, waveAnnotation } from "./meta.js";
import { gatewaySelector } from "./platform-tiers.js";
import { gatewayNamespaceOf, groupsClaim, serviceHost } from "./traffic-routes.js";

/** In-flight requests one calling proxy may hold per pod at maxReplicas; past it, fail fast (503). */
export const REQUESTS_PER_POD = 32;
/** Requests one calling proxy may queue per pod while waiting for a connection. */
export const PENDING_PER_POD = 8;
export const TENANT_JWT_NAME = "berth-jwt";
export const GATEWAY_JWT_NAME = "berth-ingress-jwt";
/** Istio's convention for the one namespace-wide PeerAuthentication and Sidecar. */
export const NAMESPACE_DEFAULT_NAME = "default";
export const DEFAULT_MONITORING_NAMESPACE = "monitoring";
export const HEALTH_PATHS = ["/health", "/ready"];
export const METRICS_PATH = "/metrics";

export function destinationRule(m: ModelPlan, platform: PlatformSpec): IDestinationRule {
  const pods = m.model.autoscaling.maxReplicas;
  const maxRequests = pods * REQUESTS_PER_POD;
  return {
    apiVersion: "networking.istio.io/v1beta1",
    kind: "DestinationRule",
    metadata: { name: m.name, namespace: m.tenant.namespace, labels: modelLabels(m), annotations: waveAnnotation(WAVE.traffic) },
    spec: {
      host: serviceHost(m),
      // The gateway picks subsets by it; in the mesh only the model's own namespace may call it.
      exportTo: [...new Set([".", gatewayNamespaceOf(platform)])],
      trafficPolicy: {
        // Inference requests vary widely in cost; the least-loaded pod answers soonest.
        loadBalancer: { simple: "LEAST_REQUEST" },
        connectionPool: {
          tcp: { maxConnections: maxRequests, connectTimeout: "2s" },
          http: {
            http1MaxPendingRequests: pods * PENDING_PER_POD,
            http2MaxRequests: maxRequests,
            // A retry budget: at most a tenth of the in-flight requests may be retries at once.
            maxRetries: Math.max(3, Math.ceil(maxRequests / 10)),
          },
        },
        // Eject a pod that fails at the connection or gateway level (502/503/504, resets), not one that
        // answers 500: a model answers 500 to one caller's bad input, and that must not take pods out.
        outlierDetection: { consecutiveGatewayErrors: 5, consecutive5xxErrors: 0, interval: "10s", baseEjectionTime: "30s", maxEjectionPercent: 50 },
      },
      subsets: m.versions.map((v) => ({ name: v.dnsName, labels: versionSelector(m, v.version.name) })),
    },
  };
}

/** `request.auth.claims[<claim>]`: the bracket form names the claim literally, whatever it holds. */
export function claimAuthzKey(claim: string): string {
  return `request.auth.claims[${claim}]`;
}

/**
 * ALLOW only: callers whose verified JWT (from the platform issuer) carries a group in `access`;
 * GET of the health paths from anyone (kubelet probes when the sidecar does not rewrite them;
 * they carry no data); GET /metrics from the monitoring namespace. An empty `access` still renders
 * the policy: an ALLOW policy with no matching rule denies, while no policy would allow everyone.
 */
export function authorizationPolicy(m: ModelPlan, platform: PlatformSpec): IAuthorizationPolicy {
  const access = [...new Set(m.model.access)].sort();
  const monitoring = platform.monitoring?.namespace ?? DEFAULT_MONITORING_NAMESPACE;
  const callers =
    access.length === 0
      ? []
      : [
          {
            from: [{ source: { requestPrincipals: [`${platform.auth.issuer}/*`] } }],
            when: [{ key: claimAuthzKey(groupsClaim(platform)), values: access }],
          },
        ];
  return {
    apiVersion: "security.istio.io/v1beta1",
    kind: "AuthorizationPolicy",
    // Before the workloads' wave: a pod never serves without its policy in place.
    metadata: { name: m.name, namespace: m.tenant.namespace, labels: modelLabels(m), annotations: waveAnnotation(WAVE.guardrails) },
    spec: {
      selector: { matchLabels: { [LABEL_NAME]: m.name } },
      action: "ALLOW",
      rules: [
        ...callers,
        { to: [{ operation: { methods: ["GET"], paths: [...HEALTH_PATHS] } }] },
        { from: [{ source: { namespaces: [monitoring] } }], to: [{ operation: { methods: ["GET"], paths: [METRICS_PATH] } }] },
      ],
    },
  };
}

function jwtRule(platform: PlatformSpec, forwardOriginalToken: boolean) {
  const { issuer, jwksUri, audiences } = platform.auth;
  return {
    issuer,
    jwksUri,
    ...(audiences && audiences.length > 0 ? { audiences: [...audiences] } : {}),
    ...(forwardOriginalToken ? { forwardOriginalToken: true } : {}),
  };
}

/** Every workload in the tenant's namespace verifies the platform's JWTs (no selector: the namespace). */
export function tenantRequestAuthentication(t: TenantPlan, platform: PlatformSpec): IRequestAuthentication {
  return {
    apiVersion: "security.istio.io/v1beta1",
    kind: "RequestAuthentication",
    metadata: { name: TENANT_JWT_NAME, namespace: t.namespace, labels: tenantLabels(t), annotations: waveAnnotation(WAVE.guardrails) },
    spec: { jwtRules: [jwtRule(platform, false)] },
  };
}

/**
 * The ingress gateway verifies the JWT too, so the routes can match its groups claim. It forwards
 * the token (Envoy strips it after verification by default), so the model's sidecar can verify it
 * again for the AuthorizationPolicy.
 */
export function gatewayRequestAuthentication(platform: PlatformSpec): IRequestAuthentication {
  const [namespace] = platform.ingress.gateway.split("/");
  return {
    apiVersion: "security.istio.io/v1beta1",
    kind: "RequestAuthentication",
    metadata: { name: GATEWAY_JWT_NAME, namespace: namespace!, labels: { ...MANAGED_BY }, annotations: waveAnnotation(WAVE.guardrails) },
    spec: { selector: { matchLabels: gatewaySelector(platform) }, jwtRules: [jwtRule(platform, true)] },
  };
}

/** Plaintext into a tenant's pods is refused: only mesh peers with a workload certificate connect. */
export function tenantPeerAuthentication(t: TenantPlan): IPeerAuthentication {
  return {
    apiVersion: "security.istio.io/v1beta1",
    kind: "PeerAuthentication",
    metadata: { name: NAMESPACE_DEFAULT_NAME, namespace: t.namespace, labels: tenantLabels(t), annotations: waveAnnotation(WAVE.guardrails) },
    spec: { mtls: { mode: "STRICT" } },
  };
}

/**
 * The namespace's proxies learn only about what its models call: their own namespace, and the other
 * tenants' stores its models use (`extraHosts`, <namespace>/<host>), which must be in the registry
 * to be reached over mutual TLS. Nothing in the mesh's or the gateway's namespace is called by a
 * model (istiod is reached through the proxy's bootstrap, the gateway calls in, not out), and other
 * tenants' services and routes are not pushed to them: a proxy's memory stays flat at 5,000
 * models. Traffic to hosts outside the registry (S3, the Pod Identity agent) passes through: the
 * NetworkPolicies, not the mesh, bound egress.
 */
export function tenantSidecar(t: TenantPlan, _platform: PlatformSpec, extraHosts: readonly string[] = []): ISidecar {
  const hosts = [...new Set(["./*", ...extraHosts])];
  return {
    apiVersion: "networking.istio.io/v1beta1",
    kind: "Sidecar",
    metadata: { name: NAMESPACE_DEFAULT_NAME, namespace: t.namespace, labels: tenantLabels(t), annotations: waveAnnotation(WAVE.guardrails) },
    spec: { egress: [{ hosts }], outboundTrafficPolicy: { mode: "ALLOW_ANY" } },
  };
}
