// The report's view model: plain data, every figure already counted by the compiler (capacity by
// verify/capacity.ts, quota use by verify/quota.ts), so the page only lays it out.
import type { Severity } from "../../diagnostics.js";
import { formatQuantity } from "../../base/quantity.js";

export type Dimension = "cpu" | "memory" | "gpu" | "pods";

export const DIMENSION_LABEL: Record<Dimension, string> = { cpu: "CPU cores", memory: "Memory", gpu: "GPUs", pods: "Pods" };

/** Integer units (millicores, bytes, GPUs, pods) as a person reads them. */
export function formatValue(d: Dimension, n: number): string {
  if (d === "cpu") return formatQuantity("cpu", n, { decimals: 2 });
  if (d === "memory") return formatQuantity("memory", n, { decimals: 1 });
  return String(n);
}

/** One resource at minimum and maximum replicas against a limit (a pool at maxSize, a quota). */
export interface Measure {
  readonly dimension: Dimension;
  readonly atMin: number;
  readonly atMax: number;
  /** null: unknown (an instance type berth does not know). */
  readonly limit: number | null;
}

export interface Contributor {
  readonly model: string;
  readonly tenant: string;
  readonly pods: string;
  /** What the model asks at maximum replicas, per dimension, with its share of the limit. */
  readonly atMax: readonly { dimension: Dimension; amount: number; share: number | null }[];
}

export interface PoolView {
  readonly cluster: string;
  readonly name: string;
  readonly instanceType: string;
  readonly minSize: number;
  readonly maxSize: number;
  readonly nodesNeeded: { min: number; max: number } | null;
  readonly status: string;
  readonly healthy: boolean;
  readonly measures: readonly Measure[];
  readonly largest: readonly Contributor[];
  readonly models: number;
}

export interface ClusterView {
  readonly name: string;
  readonly file: string;
  readonly environment: string;
  readonly region: string;
  readonly kubernetesVersion: string;
  readonly pools: readonly PoolView[];
}

export interface TenantClusterView {
  readonly cluster: string;
  readonly models: number;
  readonly measures: readonly Measure[];
  readonly largest: string;
}

export interface TenantView {
  readonly name: string;
  readonly file: string;
  readonly namespace: string;
  readonly owners: readonly string[];
  readonly priority: number;
  readonly access: readonly { group: string; role: string }[];
  readonly clusters: readonly TenantClusterView[];
  /** The largest share of any quota at maximum replicas, over clusters and dimensions. */
  readonly fullest: { share: number; cluster: string; dimension: Dimension } | null;
}

export interface ApplicationView {
  readonly name: string;
  readonly project: string;
  /** The rendered Application's file, relative to the repository root. */
  readonly file: string;
}

/** The model on one or more clusters where everything shown is the same. */
export interface ModelPlacement {
  readonly clusters: readonly string[];
  readonly versions: readonly { name: string; traffic: number }[];
  readonly routes: readonly { group: string; version: string }[];
  readonly access: readonly string[];
  readonly application: ApplicationView | null;
  readonly pool: string | null;
  readonly replicas: string;
}

export interface ModelView {
  readonly name: string;
  readonly tenant: string;
  readonly file: string;
  /** The spec's `slo`, as key: value pairs, when the spec has one. */
  readonly slo: readonly [string, string][] | null;
  readonly placements: readonly ModelPlacement[];
}

export interface DiagnosticView {
  readonly severity: Severity;
  readonly code: string;
  readonly title: string;
  readonly file: string;
  readonly line: number;
  readonly column: number;
  readonly message: string;
  readonly hint?: string;
  /** Relative link from the report to the spec line; absent for positions that are no file. */
  readonly href?: string;
  /** The text of that line, when it could be read. */
  readonly source?: string;
}

export interface ReportView {
  readonly platform: string;
  readonly ok: boolean;
  readonly clusters: readonly ClusterView[];
  readonly tenants: readonly TenantView[];
  readonly models: readonly ModelView[];
  /** Models with a spec that are on no planned cluster (their errors say why). */
  readonly notDeployed: readonly { name: string; tenant: string; file: string }[];
  readonly diagnostics: readonly DiagnosticView[];
}

/** used / limit, or null when there is no finite share to draw (unknown limit, or 0 of 0). */
export function share(used: number, limit: number | null): number | null {
  if (limit === null) return null;
  if (limit === 0) return used === 0 ? null : Infinity;
  return used / limit;
}
