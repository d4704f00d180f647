// Where a model may read its artifacts from: inside the platform's artifactBuckets (when the
// platform lists them), never a whole bucket unnoticed, and within what IAM lets one role hold.
import { refAt, type Diagnostics } from "../diagnostics.js";
import { grantOf, MAX_INLINE_POLICY_CHARS, permissionPolicy, policySize } from "./identity.js";
import type { Spec } from "../link.js";
import type { EffectiveModel, Provenance } from "./overrides.js";
import { parseBucketEntry, parseS3Uri, partitionOf, within } from "../base/s3.js";
import type { PlatformSpec } from "../schema/platform.js";

export function checkArtifacts(
  { name, file }: { name: string; file: string },
  model: EffectiveModel,
  prov: Provenance,
  platform: Spec<PlatformSpec>,
  cluster: { name: string; region: string },
  diags: Diagnostics,
): void {
  const entries = platform.spec.artifactBuckets;
  const allowed = (entries ?? []).map(parseBucketEntry).filter((l) => l !== undefined);
  for (const v of model.versions) {
    const at = prov.of("versions", v.index, "artifact");
    const loc = parseS3Uri(v.artifact);
    if (!loc) continue; // the model schema reports a malformed URI
    if (entries && !allowed.some((a) => within(loc, a)))
      diags.report(
        "BERTH1102",
        at,
        `artifact ${v.artifact} of version ${v.name} is in none of the platform's artifactBuckets (${entries.join(", ")})`,
        `move the artifact into an allowed bucket, or ask the platform team to add it to spec.artifactBuckets in ${platform.file}`,
      );
    else if (loc.prefix === "")
      diags.report(
        "BERTH1106",
        at,
        `artifact ${v.artifact} is a whole bucket: the model's pods may read every object in ${loc.bucket}, other teams' models included`,
        `point the artifact at the model's own prefix, e.g. s3://${loc.bucket}/${name}/${v.name}/`,
      );
  }
  const size = policySize(permissionPolicy(grantOf(model.versions.map((v) => v.artifact)), partitionOf(cluster.region)));
  if (size > MAX_INLINE_POLICY_CHARS)
    diags.report(
      "BERTH1107",
      { ...refAt(file, "spec", "versions"), key: true },
      `the S3 permission policy of ${name} on cluster ${cluster.name} is ${size} characters; IAM allows ${MAX_INLINE_POLICY_CHARS} for a role's inline policies`,
      "retire versions that no longer serve, or keep the versions' artifacts under one prefix",
    );
}
