// Images: every image berth renders comes from an allowed registry and is pinned, the platform's
// runtime images as much as the models' own.
import { Diagnostics, refAt, type SpecRef } from "../diagnostics.js";
import type { Spec } from "../link.js";
import type { PlatformSpec } from "../schema/platform.js";

export function checkRuntimeImages(platform: Spec<PlatformSpec>, diags: Diagnostics): void {
  for (const [framework, runtime] of Object.entries(platform.spec.runtimes))
    checkImage(runtime.image, refAt(platform.file, "spec", "runtimes", framework, "image"), platform, diags);
}

/** An image must come from an allowed registry and be pinned: a tag other than latest, or a digest. */
export function checkImage(image: string, at: SpecRef, platform: Spec<PlatformSpec>, diags: Diagnostics): void {
  const registries = platform.spec.registries;
  if (!registries.some((r) => image.startsWith(r.endsWith("/") ? r : `${r}/`)))
    diags.report("BERTH0215", at, `image "${image}" is not from an allowed registry`, `allowed prefixes: ${registries.join(", ")}`);
  const digest = /@sha256:[a-f0-9]{64}$/.test(image);
  const lastSegment = image.slice(image.lastIndexOf("/") + 1);
  const tag = lastSegment.includes(":") ? lastSegment.slice(lastSegment.indexOf(":") + 1) : undefined;
  if (image.includes("@") && !digest)
    diags.report("BERTH0214", at, `image "${image}" has a malformed digest`, "a digest is @sha256: followed by 64 hex characters");
  else if (!digest && (tag === undefined || tag === "latest" || !/^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/.test(tag)))
    diags.report(
      "BERTH0214",
      at,
      `image "${image}" must carry a tag other than latest, or a digest`,
      "pin the image, e.g. :1.4.2 or @sha256:<digest>, so every render deploys the same bits",
    );
}
