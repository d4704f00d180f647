// Compiles a big JSON Schema piecewise, on demand. The strict Deployment schema holds all of
// PodSpec (every volume source, affinity, ephemeral containers, status...) and ajv needs ~0.5 s
// to compile it whole, though berth's objects reach a small part of it. Here every large
// subschema is replaced by a `berthLazy` keyword that compiles the subschema the first time data
// reaches it, so a run pays only for the parts its objects use.
//
// The validators built this way answer valid or invalid, exactly as the whole schema would, but
// carry no usable error list: strict.ts compiles the whole schema for the report when an object
// fails (which a correct berth never makes happen).
import type { Ajv, ValidateFunction } from "ajv";

export type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
export type Schema = { [k: string]: Json };

export const LAZY_KEYWORD = "berthLazy";

/**
 * Subschemas at least this long (as JSON, annotations dropped) are compiled on demand; smaller ones
 * inline. Small pieces also validate faster: V8 does not optimize the huge functions ajv generates
 * for a whole PodSpec (measured: 500 gave the least compile + validation time on a 1,000-model fleet).
 */
const LAZY_MIN_SIZE = 500;

const SCHEMA_MAPS = new Set(["properties", "patternProperties", "dependencies"]);
const SCHEMA_VALUES = new Set(["additionalProperties", "items", "additionalItems", "not", "if", "then", "else", "contains", "propertyNames"]);
const SCHEMA_LISTS = new Set(["allOf", "anyOf", "oneOf", "items"]);

function isObject(v: Json | undefined): v is Schema {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** Applies `f` to each subschema directly below `node` (not to data such as enum or default). */
function mapSubschemas(node: Schema, f: (s: Schema) => Json): Schema {
  const out: Schema = {};
  for (const [key, v] of Object.entries(node)) {
    if ((SCHEMA_MAPS.has(key) || key === "definitions") && isObject(v)) out[key] = Object.fromEntries(Object.entries(v).map(([k, s]) => [k, isObject(s) ? f(s) : s]));
    else if (SCHEMA_LISTS.has(key) && Array.isArray(v)) out[key] = v.map((s) => (isObject(s) ? f(s) : s));
    else if (SCHEMA_VALUES.has(key) && isObject(v)) out[key] = f(v);
    else out[key] = v;
  }
  return out;
}

/** The schema without `description` and `x-kubernetes-*` annotations, which never change a verdict. */
export function withoutAnnotations(schema: Schema): Schema {
  const kept: Schema = {};
  for (const [key, v] of Object.entries(schema)) if (key !== "description" && !key.startsWith("x-kubernetes-")) kept[key] = v;
  return mapSubschemas(kept, withoutAnnotations);
}

/** The pieces of schemas compiled on demand, for one ajv instance. */
export class LazySchemas {
  private readonly pieces: { schema: Schema; fn?: ValidateFunction }[] = [];

  constructor(private readonly ajv: Ajv) {
    ajv.addKeyword({
      keyword: LAZY_KEYWORD,
      schemaType: "number",
      errors: false,
      validate: (index: number, data: unknown) => {
        const piece = this.pieces[index]!;
        return (piece.fn ??= this.ajv.compile(piece.schema))(data) as boolean;
      },
    });
  }

  /**
   * The root of `schema`, compiled, with its large subschemas left for later. A schema that uses
   * `$ref` is compiled whole: a piece compiled on its own could not resolve a reference to the root.
   */
  compile(schema: Schema): ValidateFunction {
    if (JSON.stringify(schema).includes('"$ref"')) return this.ajv.compile(schema);
    return this.ajv.compile(this.split(schema, true));
  }

  private split(node: Schema, top = false): Schema {
    if (!top && JSON.stringify(node).length >= LAZY_MIN_SIZE) {
      const index = this.pieces.push({ schema: {} }) - 1;
      this.pieces[index]!.schema = this.split(node, true);
      return { [LAZY_KEYWORD]: index };
    }
    return top ? mapSubschemas(node, (s) => this.split(s)) : node;
  }
}
