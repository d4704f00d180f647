// The one place where per-cluster differences are merged: platform defaults, then the model's
// spec, then its override for the cluster. Every effective value remembers the spec node it came
// from, so a diagnostic about it points at the line a user must change.
import type { PathSegment, SpecRef } from "../diagnostics.js";
import type { ModelSpecDoc, Spec } from "../link.js";
import { durationSeconds, type Autoscaling, type Resources } from "../schema/common.js";
import type { ModelOverride } from "../schema/model.js";
import type { SloSpec } from "../schema/slo.js";
import type { PlatformSpec } from "../schema/platform.js";

export interface EffectiveVersion {
  name: string;
  artifact: string;
  traffic: number;
  image?: string;
  env: Record<string, string>;
  /** Index of the version in the model's `versions` list. */
  index: number;
}

export interface EffectiveModel {
  framework: string;
  versions: EffectiveVersion[];
  resources: {
    requests: { cpu?: string | number; memory?: string | number };
    limits: { cpu?: string | number; memory?: string | number };
    gpu: number;
  };
  pool?: string;
  autoscaling: Required<Pick<Autoscaling, "minReplicas" | "maxReplicas">> & Omit<Autoscaling, "minReplicas" | "maxReplicas">;
  routing: { group: string; version: string }[];
  access: string[];
  /** Per request at the gateway, in seconds (`timeout`, default 60s). */
  timeoutSeconds: number;
  /** Alerts and dashboards' objectives; none without `slo` (observability, docs/observability.md). */
  slo?: SloSpec;
}

/** SPEC §2: a request may take this long at the gateway unless the model says otherwise. */
export const DEFAULT_TIMEOUT_SECONDS = 60;

/** Where each effective value came from; looked up by the longest known prefix of a path. */
export class Provenance {
  private readonly origins = new Map<string, SpecRef>();

  constructor(private readonly fallback: SpecRef) {}

  set(path: readonly PathSegment[], ref: SpecRef): void {
    this.origins.set(path.join("\u0000"), ref);
  }

  has(path: readonly PathSegment[]): boolean {
    return this.origins.has(path.join("\u0000"));
  }

  /** The spec node that set `path` (or the nearest enclosing value that was set). */
  of(...path: PathSegment[]): SpecRef {
    for (let n = path.length; n >= 0; n--) {
      const hit = this.origins.get(path.slice(0, n).join("\u0000"));
      if (hit) return hit;
    }
    return this.fallback;
  }
}

/** Provenance already recorded (a model's on a cluster without an override): nothing to add. */
const RECORDED: Pick<Provenance, "set" | "has"> = { set: () => {}, has: () => true };
/** Per model spec, the provenance shared by the clusters that do not override it (and the platform it was made with). */
const withoutOverride = new WeakMap<ModelSpecDoc, { platform: Spec<PlatformSpec>; prov: Provenance }>();

export interface Effective {
  model: EffectiveModel;
  prov: Provenance;
}

const RESOURCE_LEAVES = [["requests", "cpu"], ["requests", "memory"], ["limits", "cpu"], ["limits", "memory"], ["gpu"]] as const;
const AUTOSCALING_LEAVES = ["minReplicas", "maxReplicas", "targetCPUUtilization", "targetMemoryUtilization", "targetGPUUtilization"] as const;
/** Targets a model must ask for itself: a platform default would set them for every model (rollout-rules.ts). */
const MODEL_ONLY: ReadonlySet<string> = new Set(["targetMemoryUtilization", "targetGPUUtilization"]);

export function effectiveModel(model: ModelSpecDoc, cluster: string, platform: Spec<PlatformSpec>): Effective {
  const f = model.file;
  const base = model.spec;
  const over: ModelOverride | undefined = base.overrides?.[cluster];
  const overPath = ["spec", "overrides", cluster];
  // Without an override for this cluster the provenance is the one of every such cluster: made
  // once per model (it was ~6 KB per model and cluster, 18 MB of a 1,000-model plan's 30 MB).
  const made = over === undefined ? withoutOverride.get(model) : undefined;
  const prov = made?.platform === platform ? made.prov : new Provenance({ file: f, path: ["metadata", "name"] });
  if (over === undefined && !made) withoutOverride.set(model, { platform, prov });
  const record: Pick<Provenance, "set" | "has"> = prov === made?.prov ? RECORDED : prov;
  const defaults = platform.spec.defaults ?? {};

  // Each layer in order; a later layer wins. A layer is the data and the path of its root.
  const layers: { data: { resources?: Resources; autoscaling?: Autoscaling }; file: string; root: PathSegment[] }[] = [
    { data: defaults, file: platform.file, root: ["spec", "defaults"] },
    { data: base, file: f, root: ["spec"] },
  ];
  if (over) layers.push({ data: over, file: f, root: overPath });

  const resources: EffectiveModel["resources"] = { requests: {}, limits: {}, gpu: 0 };
  const autoscaling: Record<string, number | undefined> = {};
  for (const layer of layers) {
    for (const leaf of RESOURCE_LEAVES) {
      const value = dig(layer.data.resources, leaf);
      if (value === undefined) continue;
      if (leaf.length === 1) resources.gpu = value as number;
      else (resources[leaf[0]] as Record<string, unknown>)[leaf[1]] = value;
      record.set(["resources", ...leaf], { file: layer.file, path: [...layer.root, "resources", ...leaf] });
    }
    for (const leaf of AUTOSCALING_LEAVES) {
      const value = layer.data.autoscaling?.[leaf];
      if (value === undefined || (layer.data === defaults && MODEL_ONLY.has(leaf))) continue;
      autoscaling[leaf] = value;
      record.set(["autoscaling", leaf], { file: layer.file, path: [...layer.root, "autoscaling", leaf] });
    }
  }
  if (resources.gpu === 0 && !record.has(["resources", "gpu"])) record.set(["resources", "gpu"], { file: f, path: ["spec", "resources"] });
  const minReplicas = autoscaling.minReplicas ?? 1;
  const maxReplicas = autoscaling.maxReplicas ?? Math.max(minReplicas, 1);
  for (const leaf of ["minReplicas", "maxReplicas"])
    if (autoscaling[leaf] === undefined) record.set(["autoscaling", leaf], { file: f, path: ["spec", "autoscaling"] });
  const targetCPUUtilization = autoscaling.targetCPUUtilization ?? (autoscaling.targetMemoryUtilization === undefined ? 70 : undefined);

  const pick = <K extends "framework" | "pool" | "routing" | "access" | "timeout" | "slo">(key: K) => {
    if (over?.[key] !== undefined) {
      record.set([key], { file: f, path: [...overPath, key] });
      return over[key];
    }
    record.set([key], { file: f, path: ["spec", key] });
    return base[key];
  };

  const versions: EffectiveVersion[] = base.versions.map((v, index) => {
    const vPath = ["spec", "versions", index];
    for (const k of ["name", "artifact", "traffic", "image", "env"]) record.set(["versions", index, k], { file: f, path: [...vPath, k] });
    record.set(["versions", index], { file: f, path: vPath });
    const out: EffectiveVersion = {
      name: v.name,
      artifact: v.artifact,
      traffic: v.traffic ?? (base.versions.length === 1 ? 100 : 0),
      image: v.image,
      env: stringEnv(v.env),
      index,
    };
    if (v.traffic === undefined) record.set(["versions", index, "traffic"], { file: f, path: vPath });
    return out;
  });
  (over?.versions ?? []).forEach((ov, k) => {
    const target = versions.find((v) => v.name === ov.name);
    if (!target) return; // reported by checkModel (BERTH0221)
    const oPath = [...overPath, "versions", k];
    const set = (key: "artifact" | "traffic" | "image" | "env", value: unknown) => {
      if (value === undefined) return;
      record.set(["versions", target.index, key], { file: f, path: [...oPath, key] });
      if (key === "env") target.env = { ...target.env, ...stringEnv(value as Record<string, unknown>) };
      else (target as unknown as Record<string, unknown>)[key] = value;
    };
    set("artifact", ov.artifact);
    set("traffic", ov.traffic);
    set("image", ov.image);
    set("env", ov.env);
  });

  const effective: EffectiveModel = {
    framework: pick("framework") as string,
    versions,
    resources,
    pool: pick("pool") as string | undefined,
    autoscaling: {
      minReplicas,
      maxReplicas,
      targetCPUUtilization,
      targetMemoryUtilization: autoscaling.targetMemoryUtilization,
      targetGPUUtilization: autoscaling.targetGPUUtilization,
    },
    routing: (pick("routing") as EffectiveModel["routing"] | undefined) ?? [],
    access: (pick("access") as string[] | undefined) ?? [],
    timeoutSeconds: timeoutOf(pick("timeout") as string | undefined),
    slo: pick("slo") as SloSpec | undefined,
  };
  return { model: effective, prov };
}

function timeoutOf(v: string | undefined): number {
  return (v === undefined ? undefined : durationSeconds(v)) ?? DEFAULT_TIMEOUT_SECONDS;
}

function dig(obj: unknown, path: readonly string[]): unknown {
  let cur = obj;
  for (const p of path) cur = cur && typeof cur === "object" ? (cur as Record<string, unknown>)[p] : undefined;
  return cur;
}

function stringEnv(env: Record<string, unknown> | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(env ?? {})) out[k] = String(v);
  return out;
}
