// A cluster's kubernetesVersion against the Amazon EKS release calendar (catalogue/eks-versions.ts)
// on the `--as-of` day: a version EKS never offered, has not released yet, or no longer supports
// is an error at kubernetesVersion; one in extended support is a warning naming the dates.
import { EKS_VERSIONS, eksSupport, inStandardSupport } from "../../catalogue/eks-versions.js";
import { refAt, type Diagnostics } from "../../diagnostics.js";
import type { ClusterPlan } from "../../plan/types.js";

export function verifyEksCalendar(cluster: ClusterPlan, asOf: string, diags: Diagnostics): void {
  const version = cluster.spec.kubernetesVersion;
  const at = refAt(cluster.file, "spec", "kubernetesVersion");
  const standard = inStandardSupport(asOf);
  const offer =
    standard.length > 0
      ? `move to a version in standard support: ${standard.map((v) => `${v.version} (until ${v.endOfStandard})`).join(", ")}`
      : "move to a version EKS supports";
  const support = eksSupport(version, asOf);
  switch (support.phase) {
    case "unknown": {
      const known = EKS_VERSIONS.map((v) => v.version);
      diags.report(
        "BERTH1001",
        at,
        `kubernetesVersion ${version} is not in the EKS release calendar berth knows (${known[0]} to ${known.at(-1)})`,
        `${offer}; if EKS has released ${version} since, add its dates to compiler/catalogue/eks-versions.ts`,
      );
      return;
    }
    case "unreleased":
      diags.report(
        "BERTH1001",
        at,
        `kubernetesVersion ${version} is released on EKS on ${support.entry.released}, after ${asOf}: EKS does not create such clusters yet`,
        offer,
      );
      return;
    case "ended":
      diags.report(
        "BERTH1001",
        at,
        `kubernetesVersion ${version} reached the end of EKS extended support on ${support.entry.endOfExtended} (as of ${asOf}): EKS no longer creates such clusters and upgrades existing ones on its own`,
        offer,
      );
      return;
    case "extended":
      diags.report(
        "BERTH1002",
        at,
        `kubernetesVersion ${version} left EKS standard support on ${support.entry.endOfStandard} (as of ${asOf}): the cluster costs extended-support fees until ${support.entry.endOfExtended}, when EKS upgrades it on its own`,
        offer,
      );
      return;
    case "standard":
      return;
  }
}
