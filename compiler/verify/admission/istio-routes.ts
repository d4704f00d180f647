// istiod's validation webhook on VirtualServices, ported from istio/istio
// pkg/config/validation/validation.go (ValidateVirtualService, ValidateHTTPHeaderNameOrJwtClaimRoute,
// ValidateHTTPHeaderOperationName, ValidateHTTPHeaderValue, validateHTTPRouteDestinations,
// validateDestination, validateHTTPDirectResponse), pkg/config/validation/virtualservice.go
// (validateHTTPRoute, validateHTTPRouteConflict, validateHTTPRouteMatchRequest, validateStringMatch),
// pkg/config/validation/agent/validation.go (ValidateHTTPRetry), pkg/jwt/routing.go
// (ToRoutingClaim), and istioctl analyze's DestinationHostAnalyzer
// (pkg/config/analysis/analyzers/virtualservice/destinationhosts.go).
import type { Rendered } from "../../emit/types.js";
import { isDns1123Label } from "./names.js";
import { list, obj, record, strings, type Obj, type Reject } from "./object.js";
import { re2Problems } from "./re2.js";

const TCHAR = /^[!#$%&'*+\-.^_`|~A-Za-z0-9]+$/;
const PSEUDO_HEADERS = new Set([":method", ":scheme", ":authority", ":path", ":status"]);
const CONTROL_CHARS = /[\u0000-\u0008\u000A-\u001F\u007F]/;
const RETRY_ON = new Set([
  "5xx",
  "gateway-error",
  "reset",
  "reset-before-request",
  "connect-failure",
  "retriable-4xx",
  "refused-stream",
  "retriable-status-codes",
  "retriable-headers",
  "envoy-ratelimited",
  "http3-post-connect-failure",
  "cancelled",
  "deadline-exceeded",
  "internal",
  "resource-exhausted",
  "unavailable",
]);
const MAX_DIRECT_RESPONSE = 1024 * 1024;

/** istio pkg/jwt/routing.go ToRoutingClaim: `@request.auth.claims.a.b` or `@request.auth.claims[a][b]`. */
export function isClaimRoute(header: string): boolean {
  if (!header.toLowerCase().startsWith("@request.auth.claims")) return false;
  const rest = header.slice("@request.auth.claims".length);
  return (rest.startsWith(".") && rest.length > 1) || (rest.startsWith("[") && rest.endsWith("]") && rest.length > 2);
}

/** The reasons istiod rejects a header name in a match; empty when it accepts it. */
export function headerNameProblems(name: string): string[] {
  if (name === "") return ["header name cannot be empty"];
  if (isClaimRoute(name) || PSEUDO_HEADERS.has(name) || TCHAR.test(name)) return [];
  return [`header name ${name} is not a valid header name`];
}

/** The gateways a VirtualService applies to; none, or `mesh` among them, means the sidecars. */
export function appliesToGateway(spec: Obj): boolean {
  const gateways = strings(spec.gateways);
  return gateways.length > 0 && !gateways.includes("mesh");
}

/** The header names a route matches on, in its match and withoutHeaders blocks. */
export function matchedHeaders(route: Obj): string[] {
  return list(route.match).flatMap((m) => [...Object.keys(obj(m.headers)), ...Object.keys(obj(m.withoutHeaders))]);
}

/** The first JWT claim a VirtualService's routes match on, if any. */
export function firstClaimRoute(spec: Obj): string | undefined {
  for (const route of list(spec.http))
    for (const m of list(route.match)) {
      for (const k in obj(m.headers)) if (isClaimRoute(k)) return k;
      for (const k in obj(m.withoutHeaders)) if (isClaimRoute(k)) return k;
    }
  return undefined;
}

interface Services {
  /** FQDN -> the Service's port numbers. */
  readonly ports: ReadonlyMap<string, readonly number[]>;
}

export function serviceIndex(objects: readonly Rendered[]): Services {
  const ports = new Map<string, number[]>();
  for (const r of objects)
    if (r.object.kind === "Service" && r.object.apiVersion === "v1")
      ports.set(
        `${r.object.metadata.name}.${r.object.metadata.namespace ?? "default"}.svc.cluster.local`,
        list(obj(r.object.spec).ports).map((p) => Number(p.port)),
      );
  return { ports };
}

/** One VirtualService as istiod's webhook and `istioctl analyze` read it. */
export function verifyVirtualService(r: Rendered, byName: ReadonlyMap<string, Rendered>, services: Services, reject: Reject): void {
  const spec = obj(r.object.spec);
  const hosts = strings(spec.hosts);
  const delegate = hosts.length === 0;
  const hint = "this is a berth bug if the spec is valid; please report it with the spec";
  if (delegate && strings(spec.gateways).length > 0) reject("BERTH1021", r, "delegate virtual service must have no gateways specified", hint);
  if (delegate && (list(spec.tcp).length > 0 || list(spec.tls).length > 0))
    reject("BERTH1021", r, "delegate virtual service must have no tcp or tls route specified", hint);
  const gateway = appliesToGateway(spec);
  const http = list(spec.http);
  if (http.length === 0 && list(spec.tcp).length === 0 && list(spec.tls).length === 0)
    reject("BERTH1024", r, "http, tcp or tls must be provided in virtual service", hint);
  http.forEach((route, i) => {
    const name = String(route.name ?? `#${i}`);
    const say = (code: Parameters<Reject>[0], what: string) => reject(code, r, `route ${name}: ${what}`, hint);
    if (!gateway)
      for (const header of matchedHeaders(route))
        if (isClaimRoute(header))
          reject(
            "BERTH1020",
            r,
            `route ${name} matches ${header}, but JWT claim based routing is only supported for gateway, found no gateways: istiod's webhook rejects the object`,
            "match JWT claims only in a VirtualService bound to the ingress gateway",
          );
    checkDelegation(route, delegate, r, byName, say);
    checkMatches(route, say);
    checkAction(route, say);
    checkDestinations(route, r, services, say);
  });
}

type Say = (code: Parameters<Reject>[0], what: string) => void;

function checkDelegation(route: Obj, isDelegate: boolean, r: Rendered, byName: ReadonlyMap<string, Rendered>, say: Say): void {
  const target = route.delegate === undefined ? undefined : obj(route.delegate);
  if (isDelegate && target) return say("BERTH1021", "delegate HTTP route cannot contain delegate");
  if (!target) return;
  if (route.route !== undefined) say("BERTH1021", "root HTTP route must not specify route");
  if (route.redirect !== undefined) say("BERTH1021", "root HTTP route must not specify redirect");
  const key = `${String(target.namespace ?? r.object.metadata.namespace)}/${String(target.name)}`;
  const found = byName.get(key);
  if (found && strings(obj(found.object.spec).hosts).length > 0)
    say("BERTH1021", `delegates to ${key}, which sets hosts: istiod only delegates to VirtualServices without hosts and drops the route`);
  else if (found && list(obj(found.object.spec).http).some((h) => h.delegate !== undefined))
    say("BERTH1021", `delegates to ${key}, which delegates again: istiod supports one level of delegation`);
}

function checkMatches(route: Obj, say: Say): void {
  for (const m of list(route.match)) {
    for (const [block, entries] of [
      ["headers", obj(m.headers)],
      ["withoutHeaders", obj(m.withoutHeaders)],
    ] as const)
      for (const [header, value] of Object.entries(entries)) {
        for (const p of headerNameProblems(header)) say("BERTH1023", `${block}: ${p}`);
        // In withoutHeaders, `*` means "present", not a regex.
        if (!(block === "withoutHeaders" && obj(value).regex === "*")) checkStringMatch(`${block} ${header}`, obj(value), say);
      }
    for (const field of ["uri", "scheme", "method", "authority"]) if (m[field] !== undefined) checkStringMatch(field, obj(m[field]), say, field === "uri");
    for (const [q, value] of Object.entries(obj(m.queryParams))) checkStringMatch(`queryParams ${q}`, obj(value), say);
  }
  const headers = obj(route.headers);
  for (const side of ["request", "response"] as const) {
    const ops = obj(headers[side]);
    for (const op of ["set", "add"] as const)
      for (const [name, value] of Object.entries(record(ops[op]))) {
        for (const p of operationNameProblems(name, side === "request")) say("BERTH1023", `headers.${side}.${op}: ${p}`);
        if (CONTROL_CHARS.test(value)) say("BERTH1023", `headers.${side}.${op}: header value configuration ${JSON.stringify(value)} is invalid`);
      }
    for (const name of strings(ops.remove)) for (const p of operationNameProblems(name, false)) say("BERTH1023", `headers.${side}.remove: ${p}`);
  }
}

/** ValidateHTTPHeaderWithAuthorityOperationName (request set/add) or ValidateHTTPHeaderOperationName. */
function operationNameProblems(name: string, authorityAllowed: boolean): string[] {
  if (name === "") return ["header name cannot be empty"];
  const authority = name.toLowerCase() === ":authority" || name.toLowerCase() === "host";
  if (authorityAllowed && authority) return [];
  if (name.toLowerCase() === "host") return [`invalid header "${name}": cannot set Host header`];
  if (name.startsWith(":")) return [`invalid header "${name}": header cannot have ":" prefix`];
  return [];
}

/** Regexes already judged: a fleet repeats the same few on every model. */
const judged = new Map<string, string[]>();

/** validateStringMatch: no empty prefix or regex; regexes that RE2 (Envoy) and istiod accept. */
function checkStringMatch(where: string, m: Obj, say: Say, emptyPrefixAllowed = false): void {
  if (m.prefix !== undefined && m.prefix === "" && !emptyPrefixAllowed) say("BERTH1023", `${where}: prefix string match should not be empty`);
  if (m.regex === undefined) return;
  const re = String(m.regex);
  let problems = judged.get(re);
  if (!problems) judged.set(re, (problems = re2Problems(re)));
  for (const p of problems) say("BERTH1022", `${where} regex ${JSON.stringify(re)} ${p}`);
}

function checkAction(route: Obj, say: Say): void {
  const hasRoute = list(route.route).length > 0;
  if (route.delegate !== undefined) return;
  if (route.redirect !== undefined && hasRoute) say("BERTH1024", "HTTP route cannot contain both route and redirect");
  if (route.directResponse !== undefined && hasRoute) say("BERTH1024", "HTTP route cannot contain both route and direct_response");
  if (route.redirect !== undefined && route.directResponse !== undefined) say("BERTH1024", "HTTP route rule cannot contain both redirect and direct_response");
  if (!hasRoute && route.redirect === undefined && route.directResponse === undefined) say("BERTH1024", "HTTP route, redirect or direct_response is required");
  if (route.directResponse !== undefined) {
    const dr = obj(route.directResponse);
    const status = Number(dr.status);
    if (!(status >= 200 && status <= 600)) say("BERTH1024", `HTTP status ${String(dr.status)} is not in range 200-599`);
    const body = obj(dr.body);
    const size = Buffer.byteLength(String(body.string ?? body.bytes ?? ""));
    if (size > MAX_DIRECT_RESPONSE) say("BERTH1024", "large direct_responses may impact control plane performance, must be less than 1MB");
  }
  const retries = route.retries === undefined ? undefined : obj(route.retries);
  if (retries) {
    const attempts = Number(retries.attempts ?? 0);
    if (attempts < 0) say("BERTH1024", "attempts cannot be negative");
    if (attempts === 0 && (retries.retryOn !== undefined || retries.perTryTimeout !== undefined))
      say("BERTH1024", "http retry policy configured when attempts are set to 0 (disabled)");
    for (const policy of String(retries.retryOn ?? "")
      .split(",")
      .filter((p) => p !== ""))
      if (!RETRY_ON.has(policy) && !/^[1-5]\d\d$/.test(policy)) say("BERTH1024", `${JSON.stringify(policy)} is not a valid retryOn policy`);
  }
}

function checkDestinations(route: Obj, r: Rendered, services: Services, say: Say): void {
  const weights = list(route.route);
  let total = 0;
  for (const w of weights) {
    const d = w.destination === undefined ? undefined : obj(w.destination);
    if (!d) {
      say("BERTH1024", "destination is required");
      continue;
    }
    const weight = Number(w.weight ?? 0);
    if (weight < 0) say("BERTH1024", `weight ${weight} < 0`);
    total += weight;
    const host = String(d.host ?? "");
    if (host === "*" || host === "") say("BERTH1024", `invalid destination host ${JSON.stringify(host)}`);
    if (d.subset !== undefined && isDns1123Label(String(d.subset)).length > 0) say("BERTH1024", `subset name is invalid: ${String(d.subset)}`);
    const port = d.port === undefined ? undefined : Number(obj(d.port).number);
    if (port !== undefined && !(port >= 1 && port <= 65535)) say("BERTH1024", `port number ${String(port)} must be in the range 1..65535`);
    checkHost(host, port, r, services, say);
  }
  if (weights.length > 1 && total === 0) say("BERTH1024", "total destination weight = 0");
}

/** DestinationHostAnalyzer: the host is a rendered Service's, and the port one of its ports. */
function checkHost(host: string, port: number | undefined, r: Rendered, services: Services, say: Say): void {
  if (!host || host === "*") return;
  const fqdn = host.includes(".") ? host : `${host}.${r.object.metadata.namespace ?? "default"}.svc.cluster.local`;
  if (!fqdn.endsWith(".svc.cluster.local")) return; // an external host: a ServiceEntry's business
  const ports = services.ports.get(fqdn);
  if (!ports)
    return say("BERTH1027", `sends to ${host}, but no Service ${fqdn.split(".").slice(0, 2).reverse().join("/")} is rendered on cluster ${r.owner.cluster}`);
  if (port !== undefined && !ports.includes(port)) say("BERTH1027", `sends to ${host} port ${port}, but the Service exposes ${ports.join(", ")}`);
  else if (port === undefined && ports.length > 1) say("BERTH1027", `sends to ${host} without a port, but the Service exposes several (${ports.join(", ")})`);
}
