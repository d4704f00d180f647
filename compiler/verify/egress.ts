// What NetworkPolicy egress lets one pod reach in link-local space (169.254.0.0/16): the node's
// Pod Identity agent on TCP 80 must be reachable, and nothing else there, the instance metadata
// service above all. Policies are read as the API server stores them, so a hand-broken object is
// judged the way the CNI would enforce it.
import { IMDS_ADDRESS, LINK_LOCAL, POD_IDENTITY_AGENT } from "../emit/network-policy.js";
import { parseCidr, type Cidr } from "./cidr.js";

type Obj = Record<string, unknown>;
const obj = (v: unknown): Obj => (v && typeof v === "object" && !Array.isArray(v) ? (v as Obj) : {});
const list = (v: unknown): Obj[] => (Array.isArray(v) ? v.map(obj) : []);

export interface PolicyRef {
  readonly name: string;
  readonly spec: Obj;
}

export interface LinkLocalView {
  /** Some policy allows TCP 80 to the Pod Identity agent. */
  readonly agentReachable: boolean;
  /** Everything else link-local this pod may reach, one sentence each. */
  readonly stray: string[];
}

const LINK = parseCidr(LINK_LOCAL)!;
const AGENT = parseCidr(POD_IDENTITY_AGENT.cidr)!;
const IMDS = parseCidr(`${IMDS_ADDRESS}/32`)!;

export function linkLocalEgress(podLabels: Record<string, string>, policies: readonly PolicyRef[]): LinkLocalView {
  const selecting = policies.filter((p) => restrictsEgress(p.spec) && selects(obj(p.spec.podSelector), podLabels));
  if (selecting.length === 0)
    return {
      agentReachable: false,
      stray: ["no NetworkPolicy restricts its egress, so every link-local address is reachable, the instance metadata service included"],
    };
  let agentReachable = false;
  const stray: string[] = [];
  for (const p of selecting) {
    for (const rule of list(p.spec.egress)) {
      const ports = portsOf(rule.ports);
      const peers = Array.isArray(rule.to) ? list(rule.to) : [];
      const ranges = peers.length === 0 ? [LINK] : peers.flatMap((peer) => (peer.ipBlock === undefined ? [] : linkLocalPart(obj(peer.ipBlock))));
      for (const range of ranges) {
        if (sameRange(range, AGENT)) {
          if (ports.agentOnly) agentReachable = true;
          else {
            if (ports.includesAgentPort) agentReachable = true;
            stray.push(
              `NetworkPolicy ${p.name} opens the Pod Identity agent ${POD_IDENTITY_AGENT.address} on ${ports.describe}, not only TCP ${POD_IDENTITY_AGENT.port}`,
            );
          }
          continue;
        }
        if (contains(range, AGENT) && ports.includesAgentPort) agentReachable = true;
        const what = contains(range, IMDS) ? `${IMDS_ADDRESS} (the instance metadata service)` : `${describe(range)}`;
        stray.push(`NetworkPolicy ${p.name} opens link-local ${what} on ${ports.describe}`);
      }
    }
  }
  return { agentReachable, stray };
}

/** Egress is restricted by a policy that lists Egress, or (with no policyTypes) has egress rules. */
function restrictsEgress(spec: Obj): boolean {
  const types = spec.policyTypes;
  return Array.isArray(types) ? types.includes("Egress") : Array.isArray(spec.egress);
}

export function selects(selector: Obj, labels: Record<string, string>): boolean {
  for (const [k, v] of Object.entries(obj(selector.matchLabels))) if (labels[k] !== v) return false;
  for (const e of list(selector.matchExpressions)) {
    const key = String(e.key);
    const values = Array.isArray(e.values) ? e.values.map(String) : [];
    const has = key in labels;
    if (e.operator === "In" && !(has && values.includes(labels[key]!))) return false;
    if (e.operator === "NotIn" && has && values.includes(labels[key]!)) return false;
    if (e.operator === "Exists" && !has) return false;
    if (e.operator === "DoesNotExist" && has) return false;
  }
  return true;
}

interface Ports {
  readonly agentOnly: boolean;
  readonly includesAgentPort: boolean;
  readonly describe: string;
}

/** No ports means every port and protocol. */
function portsOf(v: unknown): Ports {
  const ports = list(v);
  if (ports.length === 0) return { agentOnly: false, includesAgentPort: true, describe: "every port" };
  const isAgentPort = (p: Obj) => (p.protocol ?? "TCP") === "TCP" && p.port === POD_IDENTITY_AGENT.port && p.endPort === undefined;
  const covers = (p: Obj) =>
    (p.protocol ?? "TCP") === "TCP" &&
    (p.port === undefined || (typeof p.port === "number" && p.port <= POD_IDENTITY_AGENT.port && Number(p.endPort ?? p.port) >= POD_IDENTITY_AGENT.port));
  const describe = ports
    .map(
      (p) =>
        `${String(p.protocol ?? "TCP")} ${p.port === undefined ? "every port" : `${String(p.port)}${p.endPort !== undefined ? `-${String(p.endPort)}` : ""}`}`,
    )
    .join(", ");
  return { agentOnly: ports.every(isAgentPort), includesAgentPort: ports.some(covers), describe };
}

/** The link-local addresses an ipBlock reaches, as ranges, after its except list. */
function linkLocalPart(block: Obj): Cidr[] {
  const cidr = parseCidr(String(block.cidr));
  if (!cidr) return [];
  const first = Math.max(cidr.first, LINK.first);
  const last = Math.min(cidr.last, LINK.last);
  if (first > last) return [];
  let ranges: Cidr[] = [{ first, last }];
  for (const e of Array.isArray(block.except) ? block.except : []) {
    const ex = parseCidr(String(e));
    if (!ex) continue;
    ranges = ranges.flatMap((r) => {
      if (ex.last < r.first || ex.first > r.last) return [r];
      const out: Cidr[] = [];
      if (ex.first > r.first) out.push({ first: r.first, last: ex.first - 1 });
      if (ex.last < r.last) out.push({ first: ex.last + 1, last: r.last });
      return out;
    });
  }
  return ranges;
}

function sameRange(a: Cidr, b: Cidr): boolean {
  return a.first === b.first && a.last === b.last;
}

function contains(outer: Cidr, inner: Cidr): boolean {
  return outer.first <= inner.first && inner.last <= outer.last;
}

function address(n: number): string {
  return [24, 16, 8, 0].map((s) => Math.floor(n / 2 ** s) % 256).join(".");
}

function describe(r: Cidr): string {
  return r.first === r.last ? address(r.first) : `${address(r.first)}-${address(r.last)}`;
}
