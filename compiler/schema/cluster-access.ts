// Who may reach a cluster's Kubernetes API and which revision Argo CD syncs to it: the Cluster
// fields that open something, each checked where it is written.
import { z } from "zod";
import { fail } from "./common.js";

/** EKS's limit on public access CIDRs per cluster (a service quota that cannot be raised). */
export const MAX_PUBLIC_ACCESS_CIDRS = 40;

const IPV4_CIDR = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/;

/** The network address of an IPv4 CIDR, or why it is not one. */
export function checkIpv4Cidr(text: string): { network: string; bits: number } | { problem: string; hint: string } {
  const m = IPV4_CIDR.exec(text.trim());
  const octets = m ? m.slice(1, 5).map(Number) : [];
  const bits = m ? Number(m[5]) : -1;
  if (!m || octets.some((o) => o > 255) || bits > 32 || m.slice(1, 5).some((o) => o.length > 1 && o.startsWith("0")))
    return {
      problem: `${JSON.stringify(text)} is not an IPv4 CIDR`,
      hint: "write an address and a prefix length, e.g. 203.0.113.0/24 (one address: 203.0.113.7/32)",
    };
  const addr = octets.reduce((n, o) => n * 256 + o, 0);
  const size = 2 ** (32 - bits);
  const first = Math.floor(addr / size) * size;
  const network = [24, 16, 8, 0].map((s) => Math.floor(first / 2 ** s) % 256).join(".");
  if (first !== addr) return { problem: `${JSON.stringify(text)} has host bits set`, hint: `write the network address: ${network}/${bits}` };
  return { network, bits };
}

const publicCidr = z.string().superRefine((v, ctx) => {
  const cidr = checkIpv4Cidr(v);
  if ("problem" in cidr) fail(ctx, "BERTH1103", cidr.problem, cidr.hint);
  else if (cidr.bits === 0)
    fail(
      ctx,
      "BERTH1104",
      `${v} opens the Kubernetes API endpoint to the whole internet`,
      "list the CIDRs of your offices, VPN or CI runners, or remove endpoint for a private endpoint only",
    );
});

/** Without `endpoint` the API endpoint is private: reachable from inside the VPC only. */
export const endpoint = z.strictObject({ publicAccessCIDRs: z.array(publicCidr).min(1) }).superRefine((e, ctx) => {
  if (e.publicAccessCIDRs.length > MAX_PUBLIC_ACCESS_CIDRS)
    fail(
      ctx,
      "BERTH1105",
      `${e.publicAccessCIDRs.length} CIDRs; EKS accepts at most ${MAX_PUBLIC_ACCESS_CIDRS} public access CIDRs per cluster`,
      "merge neighbouring ranges, or reach the API through the VPC",
      ["publicAccessCIDRs"],
    );
});

/** The git revision Argo CD syncs to this cluster (a branch, tag or commit). */
export const targetRevision = z.string().superRefine((v, ctx) => {
  if (v.trim() === "" || /\s/.test(v))
    fail(ctx, "BERTH0202", `targetRevision ${JSON.stringify(v)} is not a git revision`, "name a branch, tag or commit, e.g. release/prod");
});

export type Endpoint = z.infer<typeof endpoint>;
