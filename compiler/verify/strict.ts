// Strict validation against a kubeconform-style schema folder (<kind>-<group>-<version>.json):
// unknown fields, wrong types and missing required fields fail. Each schema is read once; the
// validator every object goes through is compiled piecewise, on demand (lazy-schema.ts), and
// stops at the first error. Only when an object fails is the whole schema compiled with all
// errors, for the report.
import { Ajv, type ErrorObject, type ValidateFunction } from "ajv";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { Diagnostics } from "../diagnostics.js";
import type { Rendered } from "../emit/types.js";
import { LazySchemas, withoutAnnotations, type Schema } from "./lazy-schema.js";

export function schemaFileName(apiVersion: string, kind: string): string {
  const [group, version] = apiVersion.includes("/") ? apiVersion.split("/") : ["", apiVersion];
  return `${kind}${group ? `-${group}` : ""}-${version}.json`.toLowerCase();
}

const AJV_OPTIONS = { strict: false, validateFormats: false, validateSchema: false } as const;

export class StrictValidator {
  // ajv's code optimizer doubles compile time and gains nothing measurable at run time here.
  private readonly lazy = new LazySchemas(new Ajv({ ...AJV_OPTIONS, allErrors: false, code: { optimize: false } }));
  private readonly detailed = new Ajv({ ...AJV_OPTIONS, allErrors: true });
  private readonly schemas = new Map<string, Schema | undefined>();
  private readonly compiled = new Map<string, ValidateFunction | undefined>();
  private readonly compiledDetailed = new Map<string, ValidateFunction>();
  /** Schema files that exist but cannot be used: why, and where in the file when known. */
  private readonly broken = new Map<string, { reason: string; line: number; column: number }>();

  constructor(readonly dir: string) {}

  /**
   * The validator for a kind (valid or not; use errorsOf for the errors), or undefined when the
   * folder has no schema for it.
   */
  validatorFor(apiVersion: string, kind: string): ValidateFunction | undefined {
    const file = schemaFileName(apiVersion, kind);
    if (this.compiled.has(file)) return this.compiled.get(file);
    const schema = this.schemaFor(file);
    let fn: ValidateFunction | undefined;
    try {
      fn = schema && this.lazy.compile(schema);
    } catch (e) {
      this.broken.set(file, { reason: `not a usable JSON Schema: ${(e as Error).message}`, line: 1, column: 1 });
    }
    this.compiled.set(file, fn);
    return fn;
  }

  /** Every error of an object against its kind's schema ([] when it is valid). */
  errorsOf(apiVersion: string, kind: string, object: unknown): ErrorObject[] {
    const file = schemaFileName(apiVersion, kind);
    let fn = this.compiledDetailed.get(file);
    if (!fn) {
      const schema = this.schemaFor(file);
      if (!schema) return [];
      this.compiledDetailed.set(file, (fn = this.detailed.compile(schema)));
    }
    return fn(object) ? [] : [...(fn.errors ?? [])];
  }

  private schemaFor(file: string): Schema | undefined {
    if (this.schemas.has(file)) return this.schemas.get(file);
    const path = join(this.dir, file);
    let schema: Schema | undefined;
    if (existsSync(path)) {
      // A schema folder is the user's input: a file that cannot be read or parsed is reported.
      let text = "";
      try {
        text = readFileSync(path, "utf8");
        const raw = JSON.parse(text) as unknown;
        if (typeof raw === "object" && raw !== null && !Array.isArray(raw)) {
          const { $schema: _s, $id: _i, ...rest } = raw as Schema;
          schema = withoutAnnotations(rest);
        } else this.broken.set(file, { reason: "holds no JSON object (a JSON Schema is one)", line: 1, column: 1 });
      } catch (e) {
        this.broken.set(file, describeReadError(e, text));
      }
    }
    this.schemas.set(file, schema);
    return schema;
  }

  verify(objects: readonly Rendered[], diags: Diagnostics): void {
    const missing = new Set<string>();
    for (const r of objects) {
      const { apiVersion, kind } = r.object;
      const name = r.object.metadata.name;
      const fn = this.validatorFor(apiVersion, kind);
      if (!fn) {
        const file = schemaFileName(apiVersion, kind);
        const broken = this.broken.get(file);
        if (broken && !missing.has(file))
          diags.error("BERTH0011", { file: join(this.dir, file), path: [], line: broken.line, column: broken.column }, `schema file ${file} for ${kind} ${apiVersion}: ${broken.reason}`, "repair or replace the schema file (kubeconform's layout: one JSON Schema object per file)");
        else if (!missing.has(file)) diags.error("BERTH0011", { file: "--schemas", path: [], line: 1, column: 1 }, `schema folder ${this.dir} has no ${file} for ${kind} ${apiVersion}`, "point --schemas at a folder holding a strict schema for every kind berth renders");
        missing.add(file);
        continue;
      }
      const valid: boolean = fn(r.object as unknown);
      if (!valid) {
        for (const err of this.errorsOf(apiVersion, kind, r.object)) {
          diags.error("BERTH0403", r.origin, `${kind} ${name} (${r.path}): ${describeError(err)}`, "this is a berth bug if the spec is valid; please report it with the spec");
        }
      }
    }
  }
}

/** Why a schema file could not be used, at the line and column JSON.parse names. */
function describeReadError(e: unknown, text: string): { reason: string; line: number; column: number } {
  const code = (e as { code?: unknown }).code;
  if (typeof code === "string") return { reason: `cannot read: ${code}: ${(e as Error).message.replace(/^E[A-Z]+: |, \w+ '.*'$/g, "")}`, line: 1, column: 1 };
  const message = (e as Error).message;
  const at = /at position (\d+)/.exec(message);
  const before = at ? text.slice(0, Number(at[1])) : "";
  const line = before.split("\n").length;
  return { reason: `not valid JSON: ${message}`, line, column: before.length - before.lastIndexOf("\n") };
}

export function describeError(err: ErrorObject): string {
  const at = err.instancePath || "/";
  if (err.keyword === "additionalProperties") return `${at}: unknown field ${(err.params as { additionalProperty: string }).additionalProperty}`;
  if (err.keyword === "enum") return `${at}: must be one of ${(err.params as { allowedValues: unknown[] }).allowedValues.map(String).join(", ")}`;
  return `${at}: ${err.message ?? err.keyword}`;
}
