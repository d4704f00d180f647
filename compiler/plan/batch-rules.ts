// Decisions for a model's batch entries on one cluster: which list applies (the override's, else
// the spec's), the version each runs, derived names, effective resources (the batch's own over the
// model's), and the rules a batch must meet before it renders.
import { Diagnostics, refAt, type SpecRef } from "../diagnostics.js";
import { cronProblem, parseDeadline } from "../base/cron.js";
import type { ModelSpecDoc } from "../link.js";
import type { EffectiveModel, Provenance } from "./overrides.js";
import type { BatchPlan, PoolPlan, VersionPlan } from "./types.js";
import { parseQuantity } from "../base/quantity.js";
import type { BatchSpec } from "../schema/batch.js";

const MAX_NAME = 63;
/** The CronJob controller names each Job <cronjob>-<minutes since the epoch>: 11 more characters with the dash. */
const CRONJOB_SUFFIX = 11;

/** The ServiceAccount every batch of a model runs as: it reads the inputs and artifacts and writes the outputs. */
export function batchServiceAccountName(model: string): string {
  return `${model}-batch`;
}

export const DEFAULT_RETRIES = 3;

/** The batch list that applies on a cluster, and the node it was written at. */
export function effectiveBatch(m: ModelSpecDoc, cluster: string): { entries: readonly BatchSpec[]; at: SpecRef } {
  const over = m.spec.overrides?.[cluster]?.batch;
  if (over !== undefined) return { entries: over, at: refAt(m.file, "spec", "overrides", cluster, "batch") };
  return { entries: m.spec.batch ?? [], at: refAt(m.file, "spec", "batch") };
}

/** The `uses` list that applies on a cluster, and the node it was written at. */
export function effectiveUses(m: ModelSpecDoc, cluster: string): { uses: readonly string[]; at: SpecRef } {
  const over = m.spec.overrides?.[cluster]?.uses;
  if (over !== undefined) return { uses: over, at: refAt(m.file, "spec", "overrides", cluster, "uses") };
  return { uses: m.spec.uses ?? [], at: refAt(m.file, "spec", "uses") };
}

export function planBatch(
  m: ModelSpecDoc,
  model: EffectiveModel,
  prov: Provenance,
  versions: readonly VersionPlan[],
  pool: PoolPlan | undefined,
  cluster: string,
  diags: Diagnostics,
): BatchPlan[] {
  const { entries, at: listAt } = effectiveBatch(m, cluster);
  const out: BatchPlan[] = [];
  entries.forEach((b, i) => {
    const at = (...path: (string | number)[]) => ({ ...listAt, path: [...listAt.path, i, ...path] });
    const version = versions.find((v) => v.version.name === b.version);
    if (!version) {
      diags.report(
        "BERTH1401",
        at("version"),
        `batch ${b.name} runs version ${b.version}, which the model does not declare`,
        `declared versions: ${versions.map((v) => v.version.name).join(", ")}`,
      );
      return;
    }
    // The schema rejected a bad schedule or deadline already; these only read them.
    if (b.schedule !== undefined && cronProblem(b.schedule)) return;
    const shards = b.shards ?? 1;
    const parallelism = b.parallelism ?? 1;
    if (parallelism > shards)
      diags.report(
        "BERTH1406",
        at("parallelism"),
        `batch ${b.name} runs ${parallelism} pods in parallel but has only ${shards} shard${shards === 1 ? "" : "s"}, so at most ${shards} pod${shards === 1 ? "" : "s"} ever run`,
        `set parallelism to at most shards (${shards})`,
      );
    const jobName = `${m.name}-${b.name}`;
    if (!checkName(jobName, b, shards, at, diags)) return;
    if (!checkOutput(b, versions, at, diags)) return;
    const { resources, ok } = batchResources(b, model, prov, at, diags);
    if (!ok) return;
    if (resources.gpu > 0 && pool && !pool.hasGpus && !pool.broken) {
      diags.report(
        "BERTH0606",
        b.resources?.gpu !== undefined ? at("resources", "gpu") : prov.of("resources", "gpu"),
        `batch ${b.name} asks for ${resources.gpu} GPU${resources.gpu === 1 ? "" : "s"} but pool ${pool.spec.name} on cluster ${cluster} has none (${pool.spec.instanceType})`,
        "batch pods run on the model's pool: choose a pool with GPUs for the model, or set the batch's resources.gpu: 0",
      );
      return;
    }
    out.push({
      name: b.name,
      jobName,
      serviceAccount: batchServiceAccountName(m.name),
      version,
      ...(b.schedule !== undefined ? { schedule: b.schedule } : {}),
      input: b.input,
      output: b.output,
      shards,
      parallelism: Math.min(parallelism, shards),
      ...(b.deadline !== undefined ? { deadlineSeconds: parseDeadline(b.deadline) } : {}),
      retries: b.retries ?? DEFAULT_RETRIES,
      resources,
      at: (...path) => {
        if (path[0] !== "resources") return at(...path);
        const own = path.length === 1 ? b.resources : path.reduce<unknown>((o, k) => (o as Record<string | number, unknown> | undefined)?.[k], b);
        return own !== undefined ? at(...path) : prov.of(...path);
      },
    });
  });
  return out;
}

/**
 * A CronJob's Jobs are named <cronjob>-<11 digits>, and each pod of an Indexed Job gets the
 * hostname <job>-<index>, a 63-character DNS label: the name must leave room for both.
 */
function checkName(jobName: string, b: BatchSpec, shards: number, at: (...p: (string | number)[]) => SpecRef, diags: Diagnostics): boolean {
  const indexDigits = String(Math.max(0, shards - 1)).length;
  const longest = jobName.length + (b.schedule !== undefined ? CRONJOB_SUFFIX : 0) + 1 + indexDigits;
  if (longest <= MAX_NAME) return true;
  const what = b.schedule !== undefined ? `its Jobs' pods are named ${jobName}-<11-digit time>-<shard>` : `its pods are named ${jobName}-<shard>`;
  diags.report(
    "BERTH0401",
    at("name"),
    `derived name "${jobName}" is too long: ${what}, up to ${longest} characters; Kubernetes allows ${MAX_NAME}`,
    `shorten the model or batch name by ${longest - MAX_NAME} characters`,
  );
  return false;
}

/** s3://bucket/a/ and s3://bucket/a/b/ overlap; s3://bucket/ab/ does not overlap s3://bucket/a/. */
export function prefixContains(outer: string, inner: string): boolean {
  const dir = (p: string) => (p.endsWith("/") ? p : `${p}/`);
  return dir(inner).startsWith(dir(outer));
}

/** The output may not overlap any version's artifact (the job could overwrite what is served) or its own input. */
function checkOutput(b: BatchSpec, versions: readonly VersionPlan[], at: (...p: (string | number)[]) => SpecRef, diags: Diagnostics): boolean {
  const hint = `write batch results under a prefix of their own, e.g. s3://<results-bucket>/${b.name}/; a job that may write there could overwrite what it reads`;
  for (const v of versions) {
    const art = v.version.artifact;
    if (prefixContains(art, b.output) || prefixContains(b.output, art)) {
      const how = prefixContains(art, b.output) ? (prefixContains(b.output, art) ? "the same prefix as" : "inside") : "around";
      diags.report("BERTH1403", at("output"), `batch ${b.name} writes to ${b.output}, ${how} the artifact prefix ${art} of version ${v.version.name}`, hint);
      return false;
    }
  }
  if (prefixContains(b.input, b.output) || prefixContains(b.output, b.input)) {
    diags.report(
      "BERTH1403",
      at("output"),
      `batch ${b.name} writes to ${b.output}, which overlaps its input ${b.input}: a later run would read its own results`,
      hint,
    );
    return false;
  }
  return true;
}

/** The batch's resources leaf by leaf over the model's effective ones. */
function batchResources(b: BatchSpec, model: EffectiveModel, prov: Provenance, at: (...p: (string | number)[]) => SpecRef, diags: Diagnostics) {
  const own = b.resources;
  const resources: EffectiveModel["resources"] = {
    requests: { ...model.resources.requests, ...definedOnly(own?.requests) },
    limits: { ...model.resources.limits, ...definedOnly(own?.limits) },
    gpu: own?.gpu ?? model.resources.gpu,
  };
  let ok = true;
  for (const res of ["cpu", "memory"] as const) {
    const req = resources.requests[res];
    const lim = resources.limits[res];
    if (req === undefined) {
      ok = false; // the model's own check reported a missing request
      continue;
    }
    if (lim !== undefined && (parseQuantity(req) ?? 0) > (parseQuantity(lim) ?? Infinity)) {
      const where =
        own?.requests?.[res] !== undefined
          ? at("resources", "requests", res)
          : own?.limits?.[res] !== undefined
            ? at("resources", "limits", res)
            : prov.of("resources", "requests", res);
      diags.report(
        "BERTH0210",
        where,
        `batch ${b.name}: resources.requests.${res} (${req}) is above resources.limits.${res} (${lim})${own?.limits?.[res] === undefined ? ", the model's limit" : ""}`,
        "raise the limit (the batch may set its own resources.limits) or lower the request",
      );
    }
  }
  return { resources, ok };
}

function definedOnly<T extends object>(o: T | undefined): Partial<T> {
  const out: Partial<T> = {};
  for (const [k, v] of Object.entries(o ?? {})) if (v !== undefined) (out as Record<string, unknown>)[k] = v;
  return out;
}
