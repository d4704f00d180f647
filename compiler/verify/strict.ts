// Strict validation against a kubeconform-style schema folder (<kind>-<group>-<version>.json):
// unknown fields, wrong types and missing required fields fail. Each schema compiles once.
import { Ajv, type ErrorObject, type ValidateFunction } from "ajv";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { Diagnostics } from "../diagnostics.js";
import type { Rendered } from "../emit/types.js";

export function schemaFileName(apiVersion: string, kind: string): string {
  const [group, version] = apiVersion.includes("/") ? apiVersion.split("/") : ["", apiVersion];
  return `${kind}${group ? `-${group}` : ""}-${version}.json`.toLowerCase();
}

export class StrictValidator {
  private readonly ajv = new Ajv({ strict: false, allErrors: true, validateFormats: false, validateSchema: false });
  private readonly compiled = new Map<string, ValidateFunction | undefined>();

  constructor(readonly dir: string) {}

  /** The compiled validator for a kind, or undefined when the folder has no schema for it. */
  validatorFor(apiVersion: string, kind: string): ValidateFunction | undefined {
    const file = schemaFileName(apiVersion, kind);
    if (this.compiled.has(file)) return this.compiled.get(file);
    const path = join(this.dir, file);
    let fn: ValidateFunction | undefined;
    if (existsSync(path)) {
      const schema = JSON.parse(readFileSync(path, "utf8")) as Record<string, unknown>;
      delete schema.$schema;
      delete schema.$id;
      fn = this.ajv.compile(schema);
    }
    this.compiled.set(file, fn);
    return fn;
  }

  verify(objects: readonly Rendered[], diags: Diagnostics): void {
    const missing = new Set<string>();
    for (const r of objects) {
      const { apiVersion, kind } = r.object;
      const name = r.object.metadata.name;
      const fn = this.validatorFor(apiVersion, kind);
      if (!fn) {
        const file = schemaFileName(apiVersion, kind);
        if (!missing.has(file)) diags.error("BERTH0011", { file: "--schemas", path: [], line: 1, column: 1 }, `schema folder ${this.dir} has no ${file} for ${kind} ${apiVersion}`, "point --schemas at a folder holding a strict schema for every kind berth renders");
        missing.add(file);
        continue;
      }
      const valid: boolean = fn(r.object as unknown);
      if (!valid) {
        for (const err of fn.errors ?? []) {
          diags.error("BERTH0403", r.origin, `${kind} ${name} (${r.path}): ${describeError(err)}`, "this is a berth bug if the spec is valid; please report it with the spec");
        }
      }
    }
  }
}

export function describeError(err: ErrorObject): string {
  const at = err.instancePath || "/";
  if (err.keyword === "additionalProperties") return `${at}: unknown field ${(err.params as { additionalProperty: string }).additionalProperty}`;
  if (err.keyword === "enum") return `${at}: must be one of ${(err.params as { allowedValues: unknown[] }).allowedValues.map(String).join(", ")}`;
  return `${at}: ${err.message ?? err.keyword}`;
}
