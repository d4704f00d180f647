// Which release of each platform add-on a cluster gets: the catalogue's newest known-good release
// for the cluster's Kubernetes minor, or the version platform.addons pins, judged against the
// catalogue. GPU add-ons only where a pool has GPUs; opt-in ones only where the platform asks.
import {
  ADDON_CHARTS,
  ADDON_NAMES,
  GPU_ADDONS,
  OPT_IN_ADDONS,
  VERSION_GROUPS,
  defaultRelease,
  formatRange,
  knownRelease,
  kubernetesMinor,
  pairedCrdsVersion,
  type AddonName,
} from "../catalogue/addons.js";
import { Diagnostics, refAt, type SpecRef } from "../diagnostics.js";
import type { Spec } from "../link.js";
import type { AddonOverride } from "../schema/addons.js";
import type { ClusterSpec } from "../schema/cluster.js";
import type { PlatformSpec } from "../schema/platform.js";

export interface AddonPlan {
  readonly name: AddonName;
  readonly chart: string;
  readonly repoURL: string;
  /** The exact chart version the Application pins. */
  readonly version: string;
  /** The software version, when the catalogue knows the release. */
  readonly appVersion?: string;
  /** Helm values from platform.addons, merged over berth's own. */
  readonly values?: Readonly<Record<string, unknown>>;
  /** What decided the version or values: the override, else the cluster's kubernetesVersion. */
  readonly origin: SpecRef;
}

export function resolveAddons(cluster: Spec<ClusterSpec>, hasGpus: boolean, platform: Spec<PlatformSpec>, diags: Diagnostics): AddonPlan[] {
  const minor = kubernetesMinor(cluster.spec.kubernetesVersion);
  if (minor === undefined) return []; // reported by the schema
  const overrides = platform.spec.addons ?? {};
  const overrideAt = (name: AddonName, ...path: string[]) => refAt(platform.file, "spec", "addons", name, ...path);
  const versionAt = refAt(cluster.file, "spec", "kubernetesVersion");
  const out: AddonPlan[] = [];
  const unknown: AddonName[] = [];
  for (const name of ADDON_NAMES) {
    const override: AddonOverride | undefined = overrides[name];
    const field = OPT_IN_ADDONS[name];
    if (!asked(name, platform.spec)) {
      if (override)
        diags.report(
          "BERTH1208",
          { ...overrideAt(name), key: true },
          `addons.${name} is set, but spec.${field} is not ${name}, so berth installs no ${name} on any cluster`,
          `set spec.${field}: ${name}, or remove addons.${name}`,
        );
      continue;
    }
    if (GPU_ADDONS.has(name) && !hasGpus) {
      if (override)
        diags.report(
          "BERTH1208",
          { ...overrideAt(name), key: true },
          `addons.${name} is set, but cluster ${cluster.name} has no GPU pool, so berth installs no ${name} there`,
        );
      continue;
    }
    const chart = ADDON_CHARTS[name];
    const version = override?.version ?? defaultVersion(name, minor, out);
    if (version === undefined) {
      unknown.push(name);
      continue;
    }
    if (override?.version !== undefined) judgePin(name, override.version, minor, cluster.name, overrideAt(name, "version"), diags);
    const release = knownRelease(name, version);
    const origin = override?.values ? overrideAt(name, "values") : override?.version ? overrideAt(name, "version") : versionAt;
    out.push({
      name,
      chart: chart.chart,
      repoURL: chart.repoURL,
      version,
      ...(release ? { appVersion: release.appVersion } : {}),
      ...(override?.values ? { values: override.values } : {}),
      origin,
    });
  }
  if (unknown.length > 0) {
    const supported = (n: AddonName) => ADDON_CHARTS[n].releases.map((r) => formatRange(r.kubernetes)).join(", ");
    diags.report(
      "BERTH1203",
      versionAt,
      `berth knows no release of ${unknown.join(", ")} for Kubernetes 1.${minor} (${unknown[0]} is known-good on ${supported(unknown[0]!)})`,
      `pin tested releases with platform.addons.<component>.version (${unknown.join(", ")}), or add them to compiler/catalogue/addons.ts`,
    );
  }
  checkVersionGroups(out, cluster.name, overrides, overrideAt, diags);
  checkPrometheusPair(out, overrides, overrideAt, diags);
  return out;
}

/** Whether berth means to install a component on a cluster (it may still lack a release: BERTH1203). */
export function addonWanted(name: AddonName, hasGpus: boolean, platform: PlatformSpec): boolean {
  return asked(name, platform) && (hasGpus || !GPU_ADDONS.has(name));
}

/** An opt-in component is installed only where its platform field names it (metricsAdapter: prometheus-adapter). */
function asked(name: AddonName, platform: PlatformSpec): boolean {
  const field = OPT_IN_ADDONS[name];
  return field === undefined || platform[field] === name;
}

/** The catalogue's pick; the operator CRDs follow the kube-prometheus-stack release they ship with. */
function defaultVersion(name: AddonName, minor: number, resolved: readonly AddonPlan[]): string | undefined {
  if (name === "kube-prometheus-stack") return defaultRelease(name, minor)?.version;
  if (name === "prometheus-operator-crds") {
    const stack = resolved.find((a) => a.name === "kube-prometheus-stack") ?? { version: defaultRelease("kube-prometheus-stack", minor)?.version ?? "" };
    return pairedCrdsVersion(stack.version) ?? defaultRelease(name, minor)?.version;
  }
  return defaultRelease(name, minor)?.version;
}

function judgePin(name: AddonName, version: string, minor: number, cluster: string, at: SpecRef, diags: Diagnostics): void {
  const chart = ADDON_CHARTS[name];
  const release = knownRelease(name, version);
  const suggestion = defaultRelease(name, minor);
  const instead = suggestion ? `use ${suggestion.version} (the known-good release for Kubernetes 1.${minor}), or remove the pin` : "remove the pin";
  if (release && (minor < release.kubernetes.min || minor > release.kubernetes.max)) {
    diags.report(
      "BERTH1201",
      at,
      `addons.${name}.version ${version} installs ${chart.chart} ${release.appVersion}, made for Kubernetes ${formatRange(release.kubernetes)}, but cluster ${cluster} runs 1.${minor} (${chart.compatibility})`,
      instead,
    );
    return;
  }
  if (!release) {
    const fitting = chart.releases.filter((r) => r.kubernetes.min <= minor && minor <= r.kubernetes.max).map((r) => r.version);
    diags.report(
      "BERTH1202",
      at,
      `addons.${name}.version ${version} is not among berth's known-good ${name} releases for Kubernetes 1.${minor} on cluster ${cluster} (${fitting.join(", ") || "none"})`,
      "berth cannot vouch for it; test it on a staging cluster first, or pin a known-good release",
    );
  }
}

function checkVersionGroups(
  resolved: readonly AddonPlan[],
  cluster: string,
  overrides: NonNullable<PlatformSpec["addons"]>,
  at: (n: AddonName, ...p: string[]) => SpecRef,
  diags: Diagnostics,
): void {
  for (const group of VERSION_GROUPS) {
    const members = resolved.filter((a) => group.includes(a.name));
    const pinned = members.find((a) => overrides[a.name]?.version !== undefined);
    if (!pinned || members.every((a) => a.version === pinned.version)) continue;
    const others = members
      .filter((a) => a.version !== pinned.version)
      .map((a) => `${a.name} ${a.version}`)
      .join(", ");
    diags.report(
      "BERTH1205",
      at(pinned.name, "version"),
      `on cluster ${cluster} ${pinned.name} would run ${pinned.version} but ${others}; Istio's charts must share one version`,
      `pin the same version for ${group.join(", ")}`,
    );
  }
}

function checkPrometheusPair(
  resolved: readonly AddonPlan[],
  overrides: NonNullable<PlatformSpec["addons"]>,
  at: (n: AddonName, ...p: string[]) => SpecRef,
  diags: Diagnostics,
): void {
  const stack = resolved.find((a) => a.name === "kube-prometheus-stack");
  const crds = resolved.find((a) => a.name === "prometheus-operator-crds");
  const paired = stack && pairedCrdsVersion(stack.version);
  if (!crds || !paired || crds.version === paired || overrides["prometheus-operator-crds"]?.version === undefined) return;
  diags.report(
    "BERTH1202",
    at("prometheus-operator-crds", "version"),
    `addons.prometheus-operator-crds.version ${crds.version} is not the release that ships with kube-prometheus-stack ${stack.version} (${paired}): the operator may not know its CRDs`,
    `pin ${paired}, or remove the pin`,
  );
}
