// Strict validation against the schema locations (folders and URL templates, kubeconform-style):
// unknown fields, wrong types and missing required fields fail. Each schema is read once; the
// validator every object goes through is compiled piecewise, on demand (lazy-schema.ts), and
// stops at the first error. Only when an object fails is the whole schema compiled with all
// errors, for the report. Where schemas come from is verify/schemas/resolver.ts's business.
import { Ajv, type ErrorObject, type ValidateFunction } from "ajv";
import { resolve } from "node:path";
import { cmp } from "../base/order.js";
import { flagRef, type Diagnostics, type SpecRef } from "../diagnostics.js";
import type { Rendered } from "../emit/types.js";
import { flatFileName, parseLocation, type SchemaKey } from "./schemas/locations.js";
import type { CompiledCache } from "./schemas/compiled-cache.js";
import { SchemaResolver, type SchemaProblem } from "./schemas/resolver.js";
import { goRegExp } from "./go-regexp.js";
import { LazySchemas, withoutAnnotations, type Schema } from "./lazy-schema.js";
import type { VerifyMemo } from "./memo.js";

export { goRegExp };

export function schemaFileName(apiVersion: string, kind: string): string {
  return flatFileName(apiVersion, kind);
}

const FLAG: SpecRef = flagRef("--schemas");

const AJV_OPTIONS = { strict: false, validateFormats: false, validateSchema: false, code: { regExp: goRegExp } } as const;
// ajv's code optimizer doubles compile time and gains nothing measurable at run time here.
const LAZY_OPTIONS = { ...AJV_OPTIONS, allErrors: false } as const;

export class StrictValidator {
  private readonly lazy: LazySchemas;
  private readonly detailed = new Ajv({ ...AJV_OPTIONS, allErrors: true });
  private readonly schemas = new Map<string, Schema>();
  /** Compiled code kept between runs (absent: compiled anew each run). */
  private readonly store?: CompiledCache;
  private readonly compiled = new Map<string, ValidateFunction>();
  private readonly compiledDetailed = new Map<string, ValidateFunction>();
  /** Schemas that parse as JSON but that ajv cannot compile: why, by schema id (its file or content). */
  private readonly uncompilable = new Map<string, string>();
  readonly resolver: SchemaResolver;
  /** Where a warning about the locations as a whole points: berth.config.yaml's `schemas`, or --schemas. */
  private readonly listAt: SpecRef;

  /** What this validator's findings depend on besides the objects and the schemas it looks up (result-cache.ts). */
  get setting(): string {
    return JSON.stringify([this.resolver.setting, this.listAt]);
  }

  /** A folder (as --schemas gives one), or a resolver over several locations. */
  constructor(source: string | SchemaResolver, listAt?: SpecRef, store?: CompiledCache) {
    // `source: true` keeps ajv's generated code, which the store saves as standalone modules.
    this.lazy = new LazySchemas(new Ajv({ ...LAZY_OPTIONS, code: { ...AJV_OPTIONS.code, optimize: false, source: store !== undefined } }), store);
    this.store = store;
    if (typeof source === "string") {
      const loc = parseLocation(source, resolve("."));
      if ("error" in loc) throw new Error(loc.error);
      this.resolver = new SchemaResolver([{ ...loc, at: FLAG }]);
    } else this.resolver = source;
    this.listAt = listAt ?? this.resolver.locations[0]?.at ?? FLAG;
  }

  /**
   * The validator for a kind (valid or not; use errorsOf for the errors), or undefined when no
   * location has a usable schema for it. `k8sVersion` ("1.28") picks versioned catalogues.
   */
  validatorFor(apiVersion: string, kind: string, k8sVersion?: string): ValidateFunction | undefined {
    const r = this.resolver.lookup({ apiVersion, kind, k8sVersion });
    if (!r.found) return undefined;
    if (this.uncompilable.has(r.id)) return undefined;
    let fn = this.compiled.get(r.id);
    if (!fn) {
      // A schema location is the user's input: a schema ajv cannot compile is reported, not a crash.
      // With stored code for its content, the schema is not even prepared.
      const key = this.store?.key(r.digest, JSON.stringify(LAZY_OPTIONS));
      try {
        fn = this.lazy.compile(() => this.prepared(r), key);
      } catch (e) {
        this.uncompilable.set(r.id, (e as Error).message);
        return undefined;
      }
      this.compiled.set(r.id, fn);
    }
    return fn;
  }

  /** Every error of an object against its kind's schema ([] when it is valid). */
  errorsOf(apiVersion: string, kind: string, object: unknown, k8sVersion?: string): ErrorObject[] {
    const found = this.schemaFor({ apiVersion, kind, k8sVersion });
    if (!found) return [];
    let fn = this.compiledDetailed.get(found.id);
    if (!fn) this.compiledDetailed.set(found.id, (fn = this.detailed.compile(found.schema)));
    return fn(object) ? [] : [...(fn.errors ?? [])];
  }

  private schemaFor(key: SchemaKey): { id: string; schema: Schema } | undefined {
    const r = this.resolver.lookup(key);
    return r.found ? { id: r.id, schema: this.prepared(r) } : undefined;
  }

  /** The schema as validated: without `$schema`, `$id` and annotations. */
  private prepared(r: { id: string; schema: Record<string, unknown> }): Schema {
    let schema = this.schemas.get(r.id);
    if (!schema) {
      const raw = { ...r.schema } as Schema;
      delete raw.$schema;
      delete raw.$id;
      this.schemas.set(r.id, (schema = withoutAnnotations(raw)));
    }
    return schema;
  }

  /** With a memo, an object whose content was validated before (against the same validator) is not validated again. */
  verify(objects: readonly Rendered[], diags: Diagnostics, memo?: VerifyMemo): void {
    const run = this.begin();
    run.verify(objects, diags, memo);
    run.end(diags);
  }

  /**
   * A validation fed in parts (compile verifies one cluster at a time): what concerns the schema
   * locations rather than an object (a kind without a schema, a host that cannot be reached) is
   * reported once, by `end`, as a single verify of all the objects would.
   */
  begin(): { verify(objects: readonly Rendered[], diags: Diagnostics, memo?: VerifyMemo): void; end(diags: Diagnostics): void } {
    const reported = new Set<string>();
    const problems = new Map<string, SchemaProblem>();
    let started = false;
    const start = (diags: Diagnostics): void => {
      if (started) return;
      started = true;
      for (const { location, why } of this.resolver.unusable)
        diags.report(
          "BERTH0011",
          location.at,
          why,
          "point --schemas (or berth.config.yaml's schemas) at a folder of strict JSON Schemas, or list a catalogue URL after it",
        );
    };
    return {
      verify: (objects, diags, memo) => {
        start(diags);
        this.verifyPart(objects, diags, memo, reported, problems);
      },
      end: (diags) => {
        start(diags);
        reportProblems([...problems.values()], diags);
      },
    };
  }

  private verifyPart(
    objects: readonly Rendered[],
    diags: Diagnostics,
    memo: VerifyMemo | undefined,
    reported: Set<string>,
    problems: Map<string, SchemaProblem>,
  ): void {
    const versions = clusterVersions(objects);
    // A fleet has a few dozen kinds and tens of thousands of objects: resolve each kind once here
    // (the resolver's own lookup normalizes the version on every call).
    const byKind = new Map<string, ValidateFunction | undefined>();
    for (const r of objects) {
      const { apiVersion, kind } = r.object;
      const name = r.object.metadata.name;
      const k8sVersion = r.owner ? versions.get(r.owner.cluster) : undefined;
      const key = `${apiVersion}\0${kind}\0${k8sVersion ?? ""}`;
      let fn = byKind.get(key);
      if (fn === undefined && !byKind.has(key)) byKind.set(key, (fn = this.validatorFor(apiVersion, kind, k8sVersion)));
      if (!fn) {
        const what = `${apiVersion}/${kind}`;
        if (reported.has(what)) continue;
        reported.add(what);
        const miss = this.resolver.lookup({ apiVersion, kind, k8sVersion });
        const why = miss.found ? this.uncompilable.get(miss.id) : undefined;
        if (why !== undefined)
          diags.report(
            "BERTH0042",
            this.listAt,
            `schema ${miss.found && !miss.id.startsWith("sha256:") ? miss.id : `for ${kind} ${apiVersion}`} is not a usable JSON Schema: ${why}`,
            "repair or replace the schema file (kubeconform's layout: one JSON Schema object per file)",
          );
        else if (!miss.found && miss.problem) problems.set(miss.problem.subject, miss.problem);
        else if (!miss.found && this.resolver.unusable.length === 0)
          diags.report(
            "BERTH0040",
            this.listAt,
            `no strict schema for ${kind} ${apiVersion}${k8sVersion ? ` (Kubernetes ${k8sVersion})` : ""} at any schema location; its objects are checked by the kubernetes-models validators only. Tried: ${miss.tried.join(", ")}`,
            "add a location that has this kind (a folder or a catalogue URL template) to --schemas or berth.config.yaml",
          );
        continue;
      }
      const validate = fn;
      const findings = (): readonly string[] => (validate(r.object as unknown) ? [] : this.errorsOf(apiVersion, kind, r.object, k8sVersion).map(describeError));
      for (const finding of memo ? memo.once(fn, r, findings) : findings())
        diags.report(
          "BERTH0403",
          r.origin,
          `${kind} ${name} (${r.path}): ${finding}`,
          "this is a berth bug if the spec is valid; please report it with the spec",
        );
    }
    this.lazy.flush();
  }
}

/** Each cluster's Kubernetes version, as its eksctl ClusterConfig states it. */
function clusterVersions(objects: readonly Rendered[]): Map<string, string> {
  const out = new Map<string, string>();
  for (const r of objects)
    if (r.object.kind === "ClusterConfig" && typeof r.object.metadata.version === "string") out.set(r.owner.cluster, r.object.metadata.version);
  return out;
}

/**
 * One error per failed URL, except that an unreachable host (the same reason at the same host,
 * as when the network is down) is one error naming the first URL, not one per kind.
 */
function reportProblems(problems: SchemaProblem[], diags: Diagnostics): void {
  const groups = new Map<string, SchemaProblem[]>();
  for (const p of problems.sort((a, b) => cmp(a.subject, b.subject))) {
    const key = p.code === "BERTH0041" && !/^HTTP /.test(p.reason) ? `${hostOf(p.subject)} ${p.reason}` : p.subject;
    groups.set(key, [...(groups.get(key) ?? []), p]);
  }
  for (const [, [first, ...rest]] of groups) {
    const more = rest.length ? ` (and ${rest.length} more URL${rest.length === 1 ? "" : "s"} at ${hostOf(first!.subject)})` : "";
    const hint =
      first!.code === "BERTH0041"
        ? "check the network (or run with --offline to use only cached schemas); berth retries on the next run"
        : "fix or delete the file; a schema is one JSON object";
    diags.report(first!.code, first!.at, first!.message + more, hint);
  }
}

function hostOf(u: string): string {
  try {
    return new URL(u).host;
  } catch {
    return u;
  }
}

export function describeError(err: ErrorObject): string {
  const at = err.instancePath || "/";
  if (err.keyword === "additionalProperties") return `${at}: unknown field ${(err.params as { additionalProperty: string }).additionalProperty}`;
  if (err.keyword === "enum") return `${at}: must be one of ${(err.params as { allowedValues: unknown[] }).allowedValues.map(String).join(", ")}`;
  return `${at}: ${err.message ?? err.keyword}`;
}
