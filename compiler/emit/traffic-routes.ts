// The shared host's routes: one VirtualService per model, bound to the platform gateway for the
// shared host, in the gateway's namespace. Its routes pin versions, apply group rules (JWT claim
// matches, which istiod accepts only in a VirtualService bound to a gateway: ValidateVirtualService
// in istio/istio pkg/config/validation/validation.go) and split traffic, all matching the model's
// `model-id`. istiod appends the routes of every VirtualService bound to one gateway host, each
// VirtualService's routes in their own order, the VirtualServices in creation-time order
// (buildGatewayHTTPRouteConfig in pilot/pkg/networking/core/gateway.go, MergedVirtualServices in
// pilot/pkg/model/virtualservice_controller.go). Routes of different models never match the same
// request, so that order decides nothing, and each object holds one model: its size does not grow
// with the fleet (docs/traffic.md).
import type { IVirtualService } from "@kubernetes-models/istio/networking.istio.io/v1beta1/VirtualService";
import { refAt, type SpecRef } from "../diagnostics.js";
import type { ModelPlan, VersionPlan } from "../plan/types.js";
import type { PlatformSpec } from "../schema/platform.js";
import { modelLabels, WAVE, waveAnnotation } from "./meta.js";
import { SERVICE_PORT } from "./workload.js";

export type HttpRoute = NonNullable<NonNullable<IVirtualService["spec"]>["http"]>[number];
type HeaderMatches = NonNullable<NonNullable<HttpRoute["match"]>[number]["headers"]>;

export const MODEL_ID_HEADER = "model-id";
export const MODEL_VERSION_HEADER = "model-version";
/** Each model's VirtualService in the gateway namespace is `model-<model>`. */
export const ROUTES_NAME_PREFIX = "model-";
export const DEFAULT_GROUPS_CLAIM = "groups";
/** The whole request, retries included: the model's `timeout` (rollout.ts derives drain and grace from it). */
export function routeTimeout(m: ModelPlan): string {
  return `${m.model.timeoutSeconds}s`;
}
/**
 * Retry only when the request provably never reached a model (connect failure, refused stream)
 * or the server said UNAVAILABLE. Never on 5xx or resets: an input that crashed one pod
 * (out of memory on a huge payload) would be replayed onto the next one.
 */
export const ROUTE_RETRIES = { attempts: 2, retryOn: "connect-failure,refused-stream,unavailable" } as const;

/** Where each rendered route came from, for diagnostics about the route list (verify/routes.ts). */
export interface RouteSource {
  readonly at: SpecRef;
  /** What the route is, as a user reads it: "routing[0]", "version v1.2.0", "the traffic split of fraud". */
  readonly what: string;
}

const ROUTE_SOURCES = new WeakMap<object, RouteSource>();

export function routeSource(route: object): RouteSource | undefined {
  return ROUTE_SOURCES.get(route);
}

function traced<R extends object>(route: R, at: SpecRef, what: string): R {
  ROUTE_SOURCES.set(route, { at, what });
  return route;
}

export function gatewayNamespaceOf(platform: PlatformSpec): string {
  return platform.ingress.gateway.split("/")[0]!;
}

/** The Service every version of a model sits behind, by its cluster-local FQDN. */
export function serviceHost(m: ModelPlan): string {
  return `${m.name}.${m.tenant.namespace}.svc.cluster.local`;
}

/**
 * The VirtualService header that matches the verified JWT claim. Istio reads `@request.auth.claims.a.b`
 * as the nested claim a → b, so a claim whose name holds `.`, `:` or `/` (cognito:groups,
 * https://example.com/groups) uses the bracket form, which names it literally.
 */
export function claimRouteHeader(claim: string): string {
  return /^[A-Za-z0-9_-]+$/.test(claim) ? `@request.auth.claims.${claim}` : `@request.auth.claims[${claim}]`;
}

export function groupsClaim(platform: PlatformSpec): string {
  return platform.auth.groupsClaim ?? DEFAULT_GROUPS_CLAIM;
}

function destination(m: ModelPlan, v: VersionPlan) {
  return { host: serviceHost(m), port: { number: SERVICE_PORT }, subset: v.dnsName };
}

/**
 * The per-model route list, most specific first: pins, unknown pins, group rules, the weighted
 * split. Every route matches the model's `model-id`; names start with the model's, so they stay
 * unique on the shared host once istiod merges every model's routes into one Envoy virtual host.
 */
export function modelRoutes(m: ModelPlan, platform: PlatformSpec): HttpRoute[] {
  const id = { [MODEL_ID_HEADER]: { exact: m.name } };
  const forward = { timeout: routeTimeout(m), retries: { ...ROUTE_RETRIES } };
  const routes: HttpRoute[] = [];
  for (const v of m.versions) {
    const headers: HeaderMatches = { ...id, [MODEL_VERSION_HEADER]: { exact: v.version.name } };
    routes.push(
      traced(
        { name: `${m.name}-pin-${v.version.name}`, match: [{ headers }], route: [{ destination: destination(m, v) }], ...forward },
        m.prov.of("versions", v.version.index, "name"),
        `version ${v.version.name}`,
      ),
    );
  }
  // A pin on a version this cluster does not serve is an error to the caller, never a silent fallback
  // to the split: whoever pins wants reproducible answers.
  const known = m.versions.map((v) => v.version.name).join(", ");
  routes.push(
    traced(
      {
        name: `${m.name}-unknown-version`,
        match: [{ headers: { ...id, [MODEL_VERSION_HEADER]: { regex: ".+" } } }],
        directResponse: {
          status: 404,
          body: { string: JSON.stringify({ error: `unknown model-version for model ${m.name}`, versions: m.versions.map((v) => v.version.name) }) },
        },
        headers: { response: { set: { "content-type": "application/json" } } },
      },
      refAt(m.file, "spec", "versions"),
      `unknown versions of ${m.name} (known: ${known})`,
    ),
  );
  const claim = claimRouteHeader(groupsClaim(platform));
  const routingAt = m.prov.of("routing");
  const names = new Set<string>();
  m.model.routing.forEach((rule, i) => {
    const v = m.versions.find((x) => x.version.name === rule.version);
    if (!v) return; // BERTH0304, reported by the model rules
    const headers: HeaderMatches = { ...id, [claim]: { exact: rule.group } };
    // Route names show in access logs; group names may hold characters they should not.
    let name = `${m.name}-group-${rule.group.replace(/[^A-Za-z0-9_.-]/g, "_")}`;
    if (names.has(name)) name = `${name}-${i}`;
    names.add(name);
    routes.push(
      traced(
        { name, match: [{ headers }], route: [{ destination: destination(m, v) }], ...forward },
        { ...routingAt, path: [...routingAt.path, i] },
        `routing[${i}] (group ${rule.group})`,
      ),
    );
  });
  const weighted = m.versions.filter((v) => v.version.traffic > 0).map((v) => ({ destination: destination(m, v), weight: v.version.traffic }));
  routes.push(
    traced(
      { name: `${m.name}-split`, match: [{ headers: id }], route: weighted, ...forward },
      refAt(m.file, "spec", "versions"),
      `the traffic split of ${m.name}`,
    ),
  );
  return routes;
}

/** The namespace of the platform gateway (`<namespace>/<name>`), where the model routes live. */
export function gatewayNamespace(platform: PlatformSpec): string {
  return platform.ingress.gateway.split("/")[0]!;
}

/**
 * The model's VirtualService: the shared host on the platform gateway, in the gateway's
 * namespace, so that a Gateway whose hosts name that namespace (`istio-system/<host>`) admits the
 * platform's routes and no tenant's own VirtualService.
 */
export function modelVirtualService(m: ModelPlan, platform: PlatformSpec): IVirtualService {
  return {
    apiVersion: "networking.istio.io/v1beta1",
    kind: "VirtualService",
    metadata: {
      name: `${ROUTES_NAME_PREFIX}${m.name}`,
      namespace: gatewayNamespace(platform),
      labels: modelLabels(m),
      annotations: waveAnnotation(WAVE.traffic),
    },
    // Bound to the gateway and exported only to its namespace: no sidecar in the mesh holds these routes.
    spec: { exportTo: ["."], hosts: [platform.ingress.host], gateways: [platform.ingress.gateway], http: modelRoutes(m, platform) },
  };
}
