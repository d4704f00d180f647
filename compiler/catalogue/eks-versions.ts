// The Amazon EKS Kubernetes release calendar: when EKS released each minor version, and when its
// standard and extended support end. From AWS's published table,
// https://docs.aws.amazon.com/eks/latest/userguide/kubernetes-versions.html#kubernetes-release-calendar
// (awsdocs/amazon-eks-user-guide latest/ug/versioning/kubernetes-versions.adoc); dates are UTC.
// Standard support lasts 14 months from the EKS release, extended support 12 more; on the end of
// extended support EKS stops creating such clusters and upgrades existing ones on its own.
// 1.35 and 1.36 were added to the table after the adoc snapshot read here: their end dates are
// AWS's (as mirrored by endoflife.date's amazon-eks page), the release date 14 months before the
// end of standard support. A version EKS publishes later is added here, with its dates.

export interface EksVersion {
  readonly version: string;
  /** The day EKS made the version available (YYYY-MM-DD). */
  readonly released: string;
  /** The day extended support (and its fees) begins. */
  readonly endOfStandard: string;
  /** The day EKS stops creating clusters on it and starts upgrading existing ones. */
  readonly endOfExtended: string;
}

export const EKS_VERSIONS: readonly EksVersion[] = Object.freeze([
  { version: "1.23", released: "2022-08-11", endOfStandard: "2023-10-11", endOfExtended: "2024-10-11" },
  { version: "1.24", released: "2022-11-15", endOfStandard: "2024-01-31", endOfExtended: "2025-01-31" },
  { version: "1.25", released: "2023-02-21", endOfStandard: "2024-05-01", endOfExtended: "2025-05-01" },
  { version: "1.26", released: "2023-04-11", endOfStandard: "2024-06-11", endOfExtended: "2025-06-11" },
  { version: "1.27", released: "2023-05-24", endOfStandard: "2024-07-24", endOfExtended: "2025-07-24" },
  { version: "1.28", released: "2023-09-26", endOfStandard: "2024-11-26", endOfExtended: "2025-11-26" },
  { version: "1.29", released: "2024-01-23", endOfStandard: "2025-03-23", endOfExtended: "2026-03-23" },
  { version: "1.30", released: "2024-05-23", endOfStandard: "2025-07-23", endOfExtended: "2026-07-23" },
  { version: "1.31", released: "2024-09-26", endOfStandard: "2025-11-26", endOfExtended: "2026-11-26" },
  { version: "1.32", released: "2025-01-23", endOfStandard: "2026-03-23", endOfExtended: "2027-03-23" },
  { version: "1.33", released: "2025-05-29", endOfStandard: "2026-07-29", endOfExtended: "2027-07-29" },
  { version: "1.34", released: "2025-10-02", endOfStandard: "2026-12-02", endOfExtended: "2027-12-02" },
  { version: "1.35", released: "2026-01-27", endOfStandard: "2027-03-27", endOfExtended: "2028-03-27" },
  { version: "1.36", released: "2026-06-02", endOfStandard: "2027-08-02", endOfExtended: "2028-08-02" },
]);

export type Support =
  | { readonly phase: "standard"; readonly entry: EksVersion }
  | { readonly phase: "extended"; readonly entry: EksVersion }
  | { readonly phase: "ended"; readonly entry: EksVersion }
  | { readonly phase: "unreleased"; readonly entry: EksVersion }
  | { readonly phase: "unknown" };

/** Where `version` stands on `asOf` (YYYY-MM-DD, UTC). ISO dates compare as strings. */
export function eksSupport(version: string, asOf: string): Support {
  const entry = EKS_VERSIONS.find((v) => v.version === version);
  if (!entry) return { phase: "unknown" };
  if (asOf < entry.released) return { phase: "unreleased", entry };
  if (asOf < entry.endOfStandard) return { phase: "standard", entry };
  if (asOf < entry.endOfExtended) return { phase: "extended", entry };
  return { phase: "ended", entry };
}

/** The versions in standard support on `asOf`, newest first: what a hint can offer. */
export function inStandardSupport(asOf: string): EksVersion[] {
  return EKS_VERSIONS.filter((v) => eksSupport(v.version, asOf).phase === "standard").reverse();
}

/** Today in UTC, as the calendar checks read it: the default of `--as-of`. */
export function todayUtc(now: Date = new Date()): string {
  return now.toISOString().slice(0, 10);
}

/** A real calendar date written YYYY-MM-DD (2026-02-30 is not). */
export function isIsoDate(s: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(s)) return false;
  const d = new Date(`${s}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
}
