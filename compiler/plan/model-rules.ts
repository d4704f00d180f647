// Semantic rules on a model: once on its spec, and per cluster on its effective settings.
import { Diagnostics, refAt } from "../diagnostics.js";
import type { ModelSpecDoc, Spec } from "../link.js";
import { checkImage } from "./image-rules.js";
import { dnsSafe, MAX_NAME, workloadName } from "./names.js";
import type { EffectiveModel, Provenance } from "./overrides.js";
import { parseQuantity } from "../base/quantity.js";
import type { PlatformSpec } from "../schema/platform.js";

/** Checks what does not depend on the cluster; false when the model cannot be rendered at all. */
export function checkModel(m: ModelSpecDoc, diags: Diagnostics): boolean {
  let renderable = true;
  const seen = new Map<string, string>();
  m.spec.versions.forEach((v, i) => {
    const safe = dnsSafe(v.name);
    const other = seen.get(safe);
    if (other !== undefined) renderable = false;
    if (other === v.name)
      diags.report("BERTH0212", refAt(m.file, "spec", "versions", i, "name"), `version ${v.name} is declared twice`, "give every version a distinct name");
    else if (other !== undefined)
      diags.report(
        "BERTH0212",
        refAt(m.file, "spec", "versions", i, "name"),
        `version ${v.name} collides with ${other} (both become ${safe} in object names)`,
        "rename one of them",
      );
    else seen.set(safe, v.name);
  });
  for (const [cluster, over] of Object.entries(m.spec.overrides ?? {})) {
    (over.versions ?? []).forEach((ov, k) => {
      if (!m.spec.versions.some((v) => v.name === ov.name))
        diags.report(
          "BERTH0221",
          refAt(m.file, "spec", "overrides", cluster, "versions", k, "name"),
          `override names version ${ov.name}, which the model does not declare`,
          `overrides change versions by name; declared: ${m.spec.versions.map((v) => v.name).join(", ")}`,
        );
    });
  }
  if (!/^[a-z]/.test(m.name)) {
    renderable = false;
    diags.report(
      "BERTH0401",
      refAt(m.file, "metadata", "name"),
      `model name ${m.name} must start with a letter: it names the model's Service, a DNS-1035 label`,
      `e.g. m-${m.name}`,
    );
  }
  for (const [i, v] of m.spec.versions.entries()) {
    const name = workloadName(m.name, v.name);
    if (name.length > MAX_NAME) {
      renderable = false;
      diags.report(
        "BERTH0401",
        refAt(m.file, "spec", "versions", i, "name"),
        `derived name "${name}" is ${name.length} characters; berth keeps object names within ${MAX_NAME} so they fit in labels`,
        `shorten the model or version name by ${name.length - MAX_NAME} characters`,
      );
    }
  }
  return renderable;
}

/** Checks the effective settings on one cluster; false when the model cannot be rendered there. */
export function checkEffectiveModel(
  m: ModelSpecDoc,
  model: EffectiveModel,
  prov: Provenance,
  platform: Spec<PlatformSpec>,
  cluster: string,
  diags: Diagnostics,
): boolean {
  let renderable = true;
  const runtime = platform.spec.runtimes[model.framework];
  const imageless: string[] = [];
  for (const v of model.versions) {
    if (v.image !== undefined) checkImage(v.image, prov.of("versions", v.index, "image"), platform, diags);
    else if (!runtime) imageless.push(v.name);
  }
  // One cause, the framework without a runtime: one error naming every version it leaves without an image.
  if (imageless.length > 0) {
    const known = Object.keys(platform.spec.runtimes).sort().join(", ") || "none";
    const which = imageless.length === 1 ? `version ${imageless[0]} gives` : `versions ${imageless.join(", ")} give`;
    diags.report(
      "BERTH0218",
      prov.of("framework"),
      `framework "${model.framework}" has no runtime in the platform and ${which} no image`,
      `use a framework with a runtime (${known}) or set versions[].image`,
    );
    renderable = false;
  }

  const total = model.versions.reduce((s, v) => s + v.traffic, 0);
  if (total !== 100) {
    const overridden = model.versions.find((v) => prov.of("versions", v.index, "traffic").path.includes("overrides"));
    const at = overridden ? prov.of("versions", overridden.index, "traffic") : refAt(m.file, "spec", "versions");
    const detail = model.versions.map((v) => `${v.name}=${v.traffic}`).join(", ");
    diags.report(
      "BERTH0211",
      at,
      `traffic over versions sums to ${total}, not 100 (${detail})${overridden ? ` on cluster ${cluster}` : ""}`,
      "adjust the versions' traffic so it adds up to 100",
    );
  }

  model.routing.forEach((r, i) => {
    if (!model.versions.some((v) => v.name === r.version)) {
      const at = prov.of("routing");
      diags.report(
        "BERTH0304",
        { ...at, path: [...at.path, i, "version"] },
        `routing sends group ${r.group} to version ${r.version}, which the model does not declare`,
        `declared versions: ${model.versions.map((v) => v.name).join(", ")}`,
      );
    }
  });

  const { requests, limits } = model.resources;
  for (const res of ["cpu", "memory"] as const) {
    if (requests[res] === undefined) {
      diags.report(
        "BERTH0200",
        prov.of("resources", "requests", res),
        `resources.requests.${res} is set neither by the model nor by the platform defaults`,
        "every pod needs requests so berth can prove it schedules and fits its quota",
      );
      renderable = false;
      continue;
    }
    const req = parseQuantity(requests[res]!);
    const lim = limits[res] === undefined ? undefined : parseQuantity(limits[res]!);
    if (req !== undefined && lim !== undefined && req > lim)
      diags.report(
        "BERTH0210",
        prov.of("resources", "requests", res),
        `resources.requests.${res} (${requests[res]}) is above resources.limits.${res} (${limits[res]})`,
        `raise the limit or lower the request`,
      );
  }

  const { minReplicas, maxReplicas } = model.autoscaling;
  if (minReplicas > maxReplicas) {
    const minAt = prov.of("autoscaling", "minReplicas");
    diags.report(
      "BERTH0203",
      minAt,
      `autoscaling.minReplicas (${minReplicas}) is greater than maxReplicas (${maxReplicas})`,
      "lower minReplicas or raise maxReplicas",
    );
  }
  return renderable;
}
