// Checks on the rendered route lists, as istiod builds them for a gateway: every VirtualService
// bound to a gateway and host contributes its routes (a delegate's merged in, root match +
// delegate match, as mergeVirtualServices in pilot/pkg/model/virtualservice_controller.go does);
// istiod appends one VirtualService's routes after another's in creation-time order
// (buildGatewayHTTPRouteConfig in pilot/pkg/networking/core/gateway.go), an order no spec decides.
// So: within a VirtualService, a route that an earlier route always wins over can never match
// (BERTH0703); across VirtualServices of one gateway host, two routes that can match the same
// request make the answer depend on creation order (BERTH1031), and a route name may be used once
// (BERTH1026); a route whose destination has no subset or no Deployment behind it on the cluster
// leads nowhere (BERTH0704).
import { cmp } from "../base/order.js";
import type { Diagnostics, SpecRef } from "../diagnostics.js";
import { LABEL_NAME } from "../emit/meta.js";
import { MODEL_ID_HEADER, routeSource, type HttpRoute } from "../emit/traffic-routes.js";
import type { Rendered } from "../emit/types.js";
import type { Plan } from "../plan/types.js";

type StringMatch = { exact?: string; prefix?: string; regex?: string };
type Match = NonNullable<HttpRoute["match"]>[number];

/** A route as istiod sees it after the delegate merge, with its match conditions prepared for comparison. */
interface FlatRoute {
  readonly route: HttpRoute;
  readonly match: readonly Match[];
  /** Per match: its conditions by header (":uri" etc. for the request line). */
  readonly conds: readonly Conds[];
  readonly owner: Rendered;
  readonly cluster: string;
  readonly rootName?: string;
}

interface Conds {
  readonly byKey: Map<string, StringMatch>;
  /** No fields beyond those compared: only then can the match be shown to take another's requests. */
  readonly complete: boolean;
  /** `ignoreUriCase` widens a match, so a match with it is never shown to be taken by another. */
  readonly widened: boolean;
}

interface Spec {
  hosts?: string[];
  gateways?: string[];
  http?: HttpRoute[];
  host?: string;
  subsets?: { name: string; labels?: Record<string, string> }[];
}

export function verifyRoutes(_plan: Plan, objects: readonly Rendered[], diags: Diagnostics): void {
  const clusters = new Map<string, Rendered[]>();
  for (const r of objects) {
    const list = clusters.get(r.owner.cluster);
    if (list) list.push(r);
    else clusters.set(r.owner.cluster, [r]);
  }
  for (const [cluster, list] of [...clusters].sort(([a], [b]) => cmp(a, b))) verifyCluster(cluster, list, diags);
}

function spec(r: Rendered): Spec {
  return (r.object.spec ?? {}) as Spec;
}

function verifyCluster(cluster: string, objects: readonly Rendered[], diags: Diagnostics): void {
  const virtualServices = objects.filter((r) => r.object.kind === "VirtualService" && r.object.apiVersion.startsWith("networking.istio.io/"));
  const byName = new Map(virtualServices.map((r) => [`${r.object.metadata.namespace}/${r.object.metadata.name}`, r]));
  const destinations = destinationIndex(objects);

  // Per gateway and host: each bound VirtualService's routes, delegates merged in, in its own order.
  const hosts = new Map<string, FlatRoute[][]>();
  for (const vs of virtualServices.filter((r) => spec(r).hosts?.length)) {
    const routes = mergedRoutes(vs, byName, cluster, diags);
    reportShadowed(routes, diags);
    for (const r of routes) if (!r.route.delegate) checkDestinations(r, destinations, diags);
    const s = spec(vs);
    for (const host of s.hosts!)
      for (const gateway of s.gateways?.length ? s.gateways : ["mesh"]) {
        const key = `${gateway} ${host}`;
        if (!hosts.has(key)) hosts.set(key, []);
        hosts.get(key)!.push(routes);
      }
  }
  for (const [key, lists] of hosts) {
    const host = key.slice(key.indexOf(" ") + 1);
    reportAcrossVirtualServices(lists, host, cluster, diags);
  }
}

/** A VirtualService's routes as istiod merges them: each delegating route replaced by its delegate's routes. */
function mergedRoutes(vs: Rendered, byName: ReadonlyMap<string, Rendered>, cluster: string, diags: Diagnostics): FlatRoute[] {
  const out: FlatRoute[] = [];
  for (const route of spec(vs).http ?? []) {
    const root = flatten(route, route.match ?? [], vs, cluster);
    const d = route.delegate;
    if (!d) {
      out.push(root);
      continue;
    }
    const delegate = byName.get(`${d.namespace ?? vs.object.metadata.namespace}/${d.name}`);
    // istiod delegates only to VirtualServices without hosts; the admission stage reports one with (BERTH1021).
    if (delegate && spec(delegate).hosts?.length) continue;
    if (!delegate) {
      diags.report(
        "BERTH0704",
        at(root),
        `route ${nameOf(root)} (${describe(root)}) delegates to VirtualService ${d.namespace}/${d.name}, which is not rendered for cluster ${cluster}`,
        "this is a berth bug if the spec is valid; please report it with the spec",
      );
      continue;
    }
    for (const sub of spec(delegate).http ?? []) {
      const match = mergeMatches(root.match, sub.match ?? []);
      if (match) out.push(flatten(sub, match, delegate, cluster, route.name));
    }
  }
  return out;
}

function flatten(route: HttpRoute, match: readonly Match[], owner: Rendered, cluster: string, rootName?: string): FlatRoute {
  return { route, match, conds: match.map(conditions), owner, cluster, rootName };
}

/** Istio names a merged route `<root>-<delegate>`. */
function nameOf(r: FlatRoute): string {
  return r.rootName && r.route.name ? `${r.rootName}-${r.route.name}` : (r.route.name ?? r.rootName ?? "(unnamed)");
}

function at(r: FlatRoute): SpecRef {
  return routeSource(r.route)?.at ?? r.owner.origin;
}

function describe(r: FlatRoute): string {
  const source = routeSource(r.route);
  return `${source?.what ?? `in ${r.owner.object.metadata.namespace}/${r.owner.object.metadata.name}`}, ${at(r).file}`;
}

function sameMatch(a: StringMatch, b: StringMatch): boolean {
  return a.exact === b.exact && a.prefix === b.prefix && a.regex === b.regex;
}

/** Istio's delegate merge: each delegate match must agree with some root match; unmergeable routes are dropped. */
function mergeMatches(root: readonly Match[], delegate: readonly Match[]): Match[] | undefined {
  if (root.length === 0) return [...delegate];
  if (delegate.length === 0) return [...root];
  const out: Match[] = [];
  for (const d of delegate)
    for (const r of root) {
      const dh = (d.headers ?? {}) as Record<string, StringMatch>;
      const rh = (r.headers ?? {}) as Record<string, StringMatch>;
      let conflict = false;
      for (const h in dh) if (rh[h] !== undefined && !sameMatch(rh[h]!, dh[h]!)) conflict = true;
      if (!conflict) out.push({ ...r, ...d, headers: { ...r.headers, ...d.headers } });
    }
  return out.length > 0 ? out : undefined;
}

/** Reports each route every one of whose matches an earlier route's match already takes. */
function reportShadowed(list: readonly FlatRoute[], diags: Diagnostics): void {
  // Routes are compared only within their model-id (and with routes that match any model-id),
  // so a fleet's root list stays linear.
  const buckets = new Map<string, number[]>();
  const wildcard: number[] = [];
  list.forEach((r, j) => {
    const key = bucketOf(r);
    const earlier = key === undefined ? list.map((_, i) => i).filter((i) => i < j) : mergeSorted(buckets.get(key) ?? [], wildcard);
    const coveredBy = firstCover(list, earlier, r);
    if (coveredBy !== undefined) {
      const first = list[coveredBy]!;
      diags.report(
        "BERTH0703",
        at(r),
        `route ${nameOf(r)} (${describe(r)}) can never match on cluster ${r.cluster}: ${nameOf(first)} (${describe(first)}) comes first and claims every request it would`,
        "every model-id, version pin and group rule may be claimed once; remove or change one of the two",
      );
    }
    if (key === undefined) wildcard.push(j);
    else if (buckets.has(key)) buckets.get(key)!.push(j);
    else buckets.set(key, [j]);
  });
}

/**
 * Routes from different VirtualServices of one gateway host: istiod orders the VirtualServices by
 * creation time, so two routes that can match one request answer it in an order nobody chose
 * (BERTH1031); a route name used by two routes is ambiguous in Envoy's logs (BERTH1026). Routes
 * are compared only within their model-id (and with routes that match any model-id).
 */
function reportAcrossVirtualServices(lists: readonly FlatRoute[][], host: string, cluster: string, diags: Diagnostics): void {
  const byId = new Map<string, { route: FlatRoute; list: number }[]>();
  const wildcard: { route: FlatRoute; list: number }[] = [];
  const names = new Map<string, FlatRoute>();
  lists.forEach((routes, list) => {
    const reported = new Set<FlatRoute>();
    for (const r of routes) {
      const name = nameOf(r);
      const first = names.get(name);
      if (first && first !== r)
        diags.report(
          "BERTH1026",
          at(r),
          `route ${name} on ${host} (cluster ${cluster}) is named twice: in ${vsName(first)} (${at(first).file}) and ${vsName(r)} (${at(r).file}); Envoy logs and traces name routes by it`,
          "give every route on the shared host its own name",
        );
      else if (!first) names.set(name, r);
      const key = bucketOf(r);
      const candidates = key === undefined ? [...byId.values()].flat().concat(wildcard) : [...(byId.get(key) ?? []), ...wildcard];
      const other = candidates.find((c) => c.list !== list && mayOverlap(c.route, r));
      if (other && !reported.has(r)) {
        reported.add(r);
        diags.report(
          "BERTH1031",
          at(r),
          `route ${name} (${describe(r)}) and route ${nameOf(other.route)} (${describe(other.route)}) both match requests for ${host} on cluster ${cluster} from different VirtualServices (${vsName(r)}, ${vsName(other.route)}): istiod orders them by creation time, so which one answers is not decided by the specs`,
          "every model-id may be claimed by one model; rename one of the two models",
        );
      }
    }
    for (const r of routes) {
      const key = bucketOf(r);
      const entry = { route: r, list };
      if (key === undefined) wildcard.push(entry);
      else if (byId.has(key)) byId.get(key)!.push(entry);
      else byId.set(key, [entry]);
    }
  });
}

function vsName(r: FlatRoute): string {
  return `${r.owner.object.metadata.namespace}/${r.owner.object.metadata.name}`;
}

/** False only when some header both routes match on is matched by provably disjoint conditions. */
function mayOverlap(a: FlatRoute, b: FlatRoute): boolean {
  const left: readonly Conds[] = a.conds.length === 0 ? [EVERYTHING] : a.conds;
  const right: readonly Conds[] = b.conds.length === 0 ? [EVERYTHING] : b.conds;
  return left.some((x) => right.some((y) => !disjoint(x, y)));
}

const EVERYTHING: Conds = { byKey: new Map(), complete: true, widened: false };

function disjoint(a: Conds, b: Conds): boolean {
  for (const [key, x] of a.byKey) {
    const y = b.byKey.get(key);
    if (!y || a.widened || b.widened) continue;
    if (x.exact !== undefined && y.exact !== undefined && x.exact !== y.exact) return true;
    if (x.exact !== undefined && y.prefix !== undefined && !x.exact.startsWith(y.prefix)) return true;
    if (y.exact !== undefined && x.prefix !== undefined && !y.exact.startsWith(x.prefix)) return true;
    if (x.prefix !== undefined && y.prefix !== undefined && !x.prefix.startsWith(y.prefix) && !y.prefix.startsWith(x.prefix)) return true;
  }
  return false;
}

function mergeSorted(a: readonly number[], b: readonly number[]): readonly number[] {
  return b.length === 0 ? a : [...a, ...b].sort((x, y) => x - y);
}

function bucketOf(r: FlatRoute): string | undefined {
  let id: string | undefined;
  for (const c of r.conds) {
    const exact = c.byKey.get(MODEL_ID_HEADER)?.exact;
    if (exact === undefined || (id !== undefined && exact !== id)) return undefined;
    id = exact;
  }
  return id;
}

function firstCover(list: readonly FlatRoute[], earlier: readonly number[], r: FlatRoute): number | undefined {
  let first: number | undefined;
  const narrow: readonly Conds[] = r.conds.length === 0 ? [{ byKey: new Map(), complete: true, widened: false }] : r.conds;
  for (const m of narrow) {
    if (m.widened) return undefined;
    const i = earlier.find((k) => {
      const broad = list[k]!.conds;
      return broad.length === 0 || broad.some((b) => b.complete && covers(b, m));
    });
    if (i === undefined) return undefined;
    first = first === undefined ? i : Math.min(first, i);
  }
  return first;
}

const COMPARABLE = new Set(["headers", "uri", "method", "authority", "scheme", "name"]);

function conditions(m: Match): Conds {
  let complete = true;
  for (const k in m) if (!COMPARABLE.has(k)) complete = false;
  const byKey = new Map(Object.entries(m.headers ?? {}) as [string, StringMatch][]);
  for (const k of ["uri", "method", "authority", "scheme"] as const) if (m[k]) byKey.set(`:${k}`, m[k] as StringMatch);
  return { byKey, complete, widened: m.ignoreUriCase === true };
}

/** True when every request `narrow` matches, `broad` matches too. */
function covers(broad: Conds, narrow: Conds): boolean {
  for (const [key, b] of broad.byKey) {
    const c = narrow.byKey.get(key);
    if (!c || !implies(c, b)) return false;
  }
  return true;
}

function implies(narrow: StringMatch, broad: StringMatch): boolean {
  if (sameMatch(narrow, broad)) return true;
  if (broad.regex === ".+" || broad.regex === ".*") return true;
  if (broad.prefix !== undefined) return (narrow.exact ?? narrow.prefix)?.startsWith(broad.prefix) ?? false;
  return false;
}

/** host -> subset -> labels, and the pod-template labels of Deployments by namespace and app name. */
interface DestinationIndex {
  subsets: Map<string, Map<string, Record<string, string>>>;
  pods: Map<string, Record<string, string>[]>;
}

/** Deployments are looked up by namespace and app name, so the check stays linear in a big namespace. */
function podKey(namespace: string, app: string | undefined): string {
  return app === undefined ? namespace : `${namespace}\u0000${app}`;
}

function destinationIndex(objects: readonly Rendered[]): DestinationIndex {
  const subsets = new Map<string, Map<string, Record<string, string>>>();
  const pods = new Map<string, Record<string, string>[]>();
  for (const r of objects) {
    if (r.object.kind === "DestinationRule" && r.object.apiVersion.startsWith("networking.istio.io/")) {
      const s = spec(r);
      const bySubset = subsets.get(s.host!) ?? new Map<string, Record<string, string>>();
      for (const sub of s.subsets ?? []) bySubset.set(sub.name, sub.labels ?? {});
      subsets.set(s.host!, bySubset);
    } else if (r.object.kind === "Deployment") {
      const labels = (r.object.spec as { template?: { metadata?: { labels?: Record<string, string> } } }).template?.metadata?.labels ?? {};
      const ns = r.object.metadata.namespace ?? "default";
      const app = labels[LABEL_NAME];
      for (const key of app === undefined ? [podKey(ns, undefined)] : [podKey(ns, app), podKey(ns, undefined)]) {
        const list = pods.get(key);
        if (list) list.push(labels);
        else pods.set(key, [labels]);
      }
    }
  }
  return { subsets, pods };
}

function checkDestinations(r: FlatRoute, index: DestinationIndex, diags: Diagnostics): void {
  for (const { destination } of r.route.route ?? []) {
    if (!destination?.subset || !destination.host) continue;
    const { host, subset } = destination;
    const labels = index.subsets.get(host)?.get(subset);
    const where = () => `route ${nameOf(r)} (${describe(r)}) sends traffic to subset ${subset} of ${host}`;
    if (!labels) {
      diags.report(
        "BERTH0704",
        at(r),
        `${where()}, but no DestinationRule on cluster ${r.cluster} defines that subset`,
        "route only to versions the model declares",
      );
      continue;
    }
    const namespace = host.split(".")[1] ?? "";
    const wanted = Object.entries(labels);
    const served = (index.pods.get(podKey(namespace, labels[LABEL_NAME])) ?? []).some((pod) => wanted.every(([k, v]) => pod[k] === v));
    if (!served)
      diags.report(
        "BERTH0704",
        at(r),
        `${where()}, but no Deployment on cluster ${r.cluster} carries its labels`,
        "route only to versions deployed on this cluster",
      );
  }
}
