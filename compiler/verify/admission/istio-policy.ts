// istiod's validation of DestinationRules, AuthorizationPolicies and RequestAuthentications, and
// istioctl analyze's check that a JWT claim route has a RequestAuthentication on the gateway's
// pods. Ported from istio/istio pkg/config/validation/validation.go (ValidateDestinationRule,
// validateSubset, validateSubsetName, validateWorkloadSelector, ValidateAuthorizationPolicy,
// ValidateRequestAuthentication, validateJwtRule), pkg/config/labels/instance.go
// (Instance.Validate), pkg/config/security/security.go (ValidateAttribute, ParseJwksURI) and
// pkg/config/analysis/analyzers/virtualservice/jwtclaimroute.go (JWTClaimRouteAnalyzer).
import type { SpecRef } from "../../diagnostics.js";
import type { Rendered } from "../../emit/types.js";
import { isDns1123Label, isLabelKey, isLabelValue } from "./names.js";
import { list, obj, record, strings, type Reject } from "./object.js";
import { appliesToGateway, firstClaimRoute } from "./istio-routes.js";

const HINT = "this is a berth bug if the spec is valid; please report it with the spec";
/** Istio's root namespace: a RequestAuthentication there applies mesh-wide (jwtclaimroute.go). */
const ROOT_NAMESPACE = "istio-system";

/** istio pkg/config/labels/instance.go: label keys and values as Istio reads them. */
function labelProblems(labels: Record<string, string>): string[] {
  const out: string[] = [];
  for (const [k, v] of Object.entries(labels)) {
    if (isLabelKey(k).length > 0) out.push(`invalid tag key: ${JSON.stringify(k)}`);
    if (isLabelValue(v).length > 0) out.push(`invalid tag value: ${JSON.stringify(v)}`);
  }
  return out;
}

function selectorProblems(selector: unknown): string[] {
  if (selector === undefined) return [];
  const labels = record(obj(selector).matchLabels);
  const out: string[] = [];
  for (const [k, v] of Object.entries(labels)) {
    if (k === "") out.push(`empty key is not supported in selector: "${k}=${v}"`);
    if (k.includes("*") || v.includes("*")) out.push(`wildcard is not supported in selector: "${k}=${v}"`);
  }
  return out;
}

export function verifyDestinationRule(r: Rendered, reject: Reject): void {
  const spec = obj(r.object.spec);
  const say = (what: string) => reject("BERTH1025", r, what, HINT);
  const host = String(spec.host ?? "");
  if (host === "" || host === "*") say(`host ${JSON.stringify(host)} is invalid`);
  const policy = spec.trafficPolicy === undefined ? undefined : obj(spec.trafficPolicy);
  if (policy && Object.keys(policy).length === 0) say("traffic policy must have at least one field");
  const outlier = obj(policy?.outlierDetection);
  for (const f of ["maxEjectionPercent", "minHealthPercent"])
    if (outlier[f] !== undefined && !(Number(outlier[f]) >= 0 && Number(outlier[f]) <= 100)) say(`${f} ${String(outlier[f])} is not in range 0..100`);
  const seen = new Set<string>();
  for (const subset of list(spec.subsets)) {
    const name = String(subset.name ?? "");
    if (seen.has(name)) say(`duplicate subset names: ${name}`);
    seen.add(name);
    if (name === "") say("subset name cannot be empty");
    else if (isDns1123Label(name).length > 0) say(`subset name ${JSON.stringify(name)} is invalid (not a DNS-1123 label)`);
    for (const p of labelProblems(record(subset.labels))) say(`subset ${name}: ${p}`);
  }
}

/** security.go ValidateAttribute: the `when` keys Istio knows, map keys in `a[b]` form. */
function attributeProblem(key: string): string | undefined {
  const mapKey = (k: string) => {
    const open = k.indexOf("[");
    return k.endsWith("]") && open > 0 && open < k.length - 2 ? undefined : `bad key (${k}): should have format a[b]`;
  };
  if (key.startsWith("request.headers") || key.startsWith("request.auth.claims") || key.startsWith("experimental.envoy.filters.")) return mapKey(key);
  const known = [
    "source.ip",
    "remote.ip",
    "source.namespace",
    "source.serviceAccount",
    "source.principal",
    "source.trustDomain",
    "request.auth.principal",
    "request.auth.audiences",
    "request.auth.presenter",
    "destination.ip",
    "destination.port",
    "connection.sni",
  ];
  if (known.includes(key)) return undefined;
  if (key === "destination.namespace") return `attribute ${key} is replaced by the metadata.namespace`;
  if (key.startsWith("destination.labels")) return `attribute ${key} is replaced by the workload selector`;
  return `unknown attribute: ${key}`;
}

export function verifyAuthorizationPolicy(r: Rendered, reject: Reject): void {
  const spec = obj(r.object.spec);
  const say = (what: string) => reject("BERTH1029", r, what, HINT);
  for (const p of selectorProblems(spec.selector)) say(p);
  const action = String(spec.action ?? "ALLOW");
  if (action === "CUSTOM" && spec.rules !== undefined && String(obj(spec.provider).name ?? "") === "") say("`provider.name` must not be empty");
  if (spec.provider !== undefined && action !== "CUSTOM") say(`\`provider\` must not be with non CUSTOM action, found ${action}`);
  if ((action === "DENY" || action === "CUSTOM") && spec.rules === undefined)
    say(`${action} action without \`rules\` is meaningless as it will never be triggered`);
  list(spec.rules).forEach((rule, i) => {
    if (rule.from !== undefined && list(rule.from).length === 0) say(`\`from\` must not be empty, found at rule ${i}`);
    for (const from of list(rule.from)) {
      const src = from.source === undefined ? undefined : obj(from.source);
      if (!src) say(`\`from.source\` must not be nil, found at rule ${i}`);
      else if (Object.values(src).every((v) => strings(v).length === 0)) say(`\`from.source\` must not be empty, found at rule ${i}`);
      else
        for (const [field, values] of Object.entries(src))
          if (strings(values).includes("")) say(`empty value not allowed, found in ${field[0]!.toUpperCase()}${field.slice(1)} at rule ${i}`);
    }
    if (rule.to !== undefined && list(rule.to).length === 0) say(`\`to\` must not be empty, found at rule ${i}`);
    for (const to of list(rule.to)) {
      const op = to.operation === undefined ? undefined : obj(to.operation);
      if (!op) say(`\`to.operation\` must not be nil, found at rule ${i}`);
      else if (Object.values(op).every((v) => strings(v).length === 0)) say(`\`to.operation\` must not be empty, found at rule ${i}`);
    }
    for (const when of list(rule.when)) {
      const key = String(when.key ?? "");
      if (key === "") say("`key` must not be empty");
      else if (strings(when.values).length === 0 && strings(when.notValues).length === 0)
        say(`at least one of \`values\` or \`notValues\` must be set for key ${key}`);
      else {
        const problem = attributeProblem(key);
        if (problem) say(`invalid \`value\` for \`key\` ${key}: ${problem}`);
        if ([...strings(when.values), ...strings(when.notValues)].includes(""))
          say(`invalid \`value\` for \`key\` ${key}: empty value not allowed, found in ${key}`);
      }
    }
  });
}

export function verifyRequestAuthentication(r: Rendered, reject: Reject): void {
  const spec = obj(r.object.spec);
  const say = (what: string) => reject("BERTH1030", r, what, "check platform.spec.auth: an https issuer and jwksUri, non-empty audiences");
  for (const p of selectorProblems(spec.selector)) say(p);
  list(spec.jwtRules).forEach((rule, i) => {
    for (const a of strings(rule.audiences)) if (a === "") say(`jwtRules[${i}]: audience must be non-empty string`);
    const issuer = String(rule.issuer ?? "");
    const jwksUri = String(rule.jwksUri ?? "");
    if (issuer === "" && jwksUri === "") say(`jwtRules[${i}]: issuer or jwksUri must be non-empty string`);
    if (jwksUri !== "") {
      const scheme = /^([A-Za-z][A-Za-z0-9+.-]*):/.exec(jwksUri)?.[1];
      if (scheme !== "http" && scheme !== "https") say(`jwtRules[${i}]: URI scheme ${JSON.stringify(scheme ?? "")} is not supported`);
    }
    for (const h of list(rule.fromHeaders)) if (String(h.name ?? "") === "") say(`jwtRules[${i}]: location header name must be non-empty string`);
    for (const c of list(rule.outputClaimToHeaders))
      if (String(c.claim ?? "") === "" || String(c.header ?? "") === "")
        say(`jwtRules[${i}]: outputClaimToHeaders header and claim value must be non-empty string`);
      else if (!/^[-_A-Za-z0-9]+$/.test(String(c.header))) say(`jwtRules[${i}]: header name ${String(c.header)} is not a valid header name`);
  });
}

/** Where the gateway's pods are and what labels they carry: a rendered Gateway's selector, else the platform's. */
export interface GatewayPods {
  readonly namespace: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly name: string;
}

/**
 * JWTClaimRouteAnalyzer: a VirtualService that routes on a JWT claim through a gateway needs a
 * RequestAuthentication, in the root namespace or the gateway pods' namespace, whose selector
 * selects those pods; without one the claim is never set and the claim routes never match. The
 * answer is the same for every VirtualService on the gateway, so it is reported once, naming the
 * first and counting the others.
 */
export function verifyClaimRouteAuthentication(
  virtualServices: readonly Rendered[],
  gateway: GatewayPods,
  requestAuthentications: readonly Rendered[],
  at: SpecRef,
  reject: Reject,
): void {
  const claims: { r: Rendered; claim: string }[] = [];
  for (const r of virtualServices) {
    const spec = obj(r.object.spec);
    const claim = appliesToGateway(spec) ? firstClaimRoute(spec) : undefined;
    if (claim) claims.push({ r, claim });
  }
  if (claims.length === 0) return;
  const covered = requestAuthentications.some((ra) => {
    const ns = ra.object.metadata.namespace;
    if (ns !== ROOT_NAMESPACE && ns !== gateway.namespace) return false;
    const wanted = record(obj(obj(ra.object.spec).selector).matchLabels);
    return Object.entries(wanted).every(([k, v]) => gateway.labels[k] === v);
  });
  if (covered) return;
  const [first] = claims;
  const labels = Object.entries(gateway.labels)
    .map(([k, v]) => `${k}=${v}`)
    .join(",");
  const others = claims.length > 1 ? ` (and ${claims.length - 1} more VirtualServices)` : "";
  reject(
    "BERTH1028",
    first!.r,
    `routes on ${first!.claim} through gateway ${gateway.name}${others}, but no RequestAuthentication in ${[...new Set([ROOT_NAMESPACE, gateway.namespace])].join(" or ")} selects its pods (${labels}): the claim is never set and the group rules never match`,
    "verify the platform's JWTs on the gateway: a RequestAuthentication in the gateway's namespace selecting its pods",
    at,
  );
}
