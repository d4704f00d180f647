// Compiles a big JSON Schema piecewise, on demand. The strict Deployment schema holds all of
// PodSpec (every volume source, affinity, ephemeral containers, status...) and ajv needs ~0.5 s
// to compile it whole, though berth's objects reach a small part of it. Here every large
// subschema is replaced by a `berthLazy` keyword that compiles the subschema the first time data
// reaches it, so a run pays only for the parts its objects use.
//
// The validators built this way answer valid or invalid, exactly as the whole schema would, but
// carry no usable error list: strict.ts compiles the whole schema for the report when an object
// fails (which a correct berth never makes happen).
import { _, type Ajv, type ValidateFunction } from "ajv";
import standalone from "ajv/dist/standalone/index.js";
import { goRegExp } from "./go-regexp.js";
import { createRequire } from "node:module";

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
    if ((SCHEMA_MAPS.has(key) || key === "definitions") && isObject(v))
      out[key] = Object.fromEntries(Object.entries(v).map(([k, s]) => [k, isObject(s) ? f(s) : s]));
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

/**
 * Where compiled code is kept between runs (verify/schemas/compiled-cache.ts on disk): per schema,
 * its root's and its pieces' validators as ajv's standalone code, the pieces by their number.
 */
export interface CodeStore {
  read(key: string): StoredUnit | undefined;
  write(key: string, unit: StoredUnit): void;
}

export interface StoredUnit {
  readonly root: string;
  readonly pieces: Readonly<Record<string, string>>;
}

interface Piece {
  schema?: Schema;
  fn?: ValidateFunction;
}

/** One schema: its pieces are numbered from 0 within it, so its code does not depend on the run. */
interface Unit {
  readonly pieces: Piece[];
  readonly dispatch: (index: number, data: unknown) => boolean;
  /** Splits the schema, numbering the pieces as when its code was stored. */
  readonly split: () => Schema;
  readonly key?: string;
  stored?: StoredUnit;
  root?: string;
  /** Code compiled in this run, not yet in the store. */
  readonly fresh: Record<string, string>;
}

const requireRuntime = createRequire(import.meta.url);

/** The pieces of schemas compiled on demand, for one ajv instance (made with `code.source` to store code). */
export class LazySchemas {
  /** The schema whose code ajv is generating: its keyword calls go to this unit's pieces. */
  private current?: Unit;
  private readonly units: Unit[] = [];

  constructor(
    private readonly ajv: Ajv,
    private readonly store?: CodeStore,
  ) {
    ajv.addKeyword({
      keyword: LAZY_KEYWORD,
      schemaType: "number",
      code: (cxt) => {
        // Standalone code names the dispatcher `berthLazy`, supplied when the code is loaded.
        const dispatch = cxt.gen.scopeValue("keyword", { ref: this.current!.dispatch, code: _`berthLazy` });
        cxt.fail(_`!${dispatch}(${cxt.schema as number}, ${cxt.data})`);
      },
    });
  }

  /**
   * The root of `schema`, compiled, with its large subschemas left for later. References to the
   * schema's own `definitions` (eksctl's ClusterConfig is 89 of them, ~150 kB) become pieces too,
   * each compiled when data first reaches it; a schema with any other `$ref` is compiled whole: a
   * piece compiled on its own could not resolve it. Siblings of a `$ref` stay beside it, as ajv
   * applies them. With a `key` (the schema's content hash) and a store, compiled code is taken
   * from the store and new code put there by `flush`; `schema` is then read only on a miss.
   */
  compile(schema: Schema | (() => Schema), key?: string): ValidateFunction {
    const load = typeof schema === "function" ? schema : () => schema;
    const pieces: Piece[] = [];
    let splitOnce: Schema | undefined;
    const unit: Unit = {
      pieces,
      key: this.store ? key : undefined,
      fresh: {},
      dispatch: (index, data) => (pieces[index]?.fn ?? this.piece(unit, index))(data) as boolean,
      split: () => (splitOnce ??= this.splitUnit(unit, load())),
    };
    if (unit.key) unit.stored = this.store!.read(unit.key);
    const cached = unit.stored && this.load(unit, unit.stored.root);
    if (cached) return cached;
    let top: Schema;
    try {
      top = unit.split();
    } catch (e) {
      if (!(e instanceof NonLocalRef)) throw e;
      return this.ajv.compile(load());
    }
    this.units.push(unit);
    return this.compileIn(unit, top, (code) => (unit.root = code));
  }

  /** Puts the code compiled since the last flush in the store (best effort; see the store). */
  flush(): void {
    for (const unit of this.units) {
      if (!unit.key || (unit.root === undefined && Object.keys(unit.fresh).length === 0)) continue;
      const root = unit.root ?? unit.stored?.root;
      if (root === undefined) continue;
      const stored = { root, pieces: { ...unit.stored?.pieces, ...unit.fresh } };
      this.store!.write(unit.key, stored);
      unit.stored = stored;
      unit.root = undefined;
      for (const k of Object.keys(unit.fresh)) delete unit.fresh[k];
    }
  }

  private piece(unit: Unit, index: number): ValidateFunction {
    if (!this.units.includes(unit)) this.units.push(unit);
    const code = unit.stored?.pieces[index];
    const cached = code === undefined ? undefined : this.load(unit, code);
    if (cached) return (unit.pieces[index] = { fn: cached }).fn!;
    unit.split();
    const piece = unit.pieces[index]!;
    return (piece.fn = this.compileIn(unit, piece.schema!, (c) => (unit.fresh[index] = c)));
  }

  private compileIn(unit: Unit, schema: Schema, keep: (code: string) => void): ValidateFunction {
    const outer = this.current;
    this.current = unit;
    try {
      const fn = this.ajv.compile(schema);
      if (unit.key) keep(standalone.default(this.ajv, fn));
      return fn;
    } finally {
      this.current = outer;
    }
  }

  /** A validator from stored code, or undefined when the code does not load (a damaged entry). */
  private load(unit: Unit, code: string): ValidateFunction | undefined {
    try {
      const module = { exports: undefined as unknown };
      new Function("module", "require", "berthLazy", "goRegExp", code)(module, requireRuntime, unit.dispatch, goRegExp);
      return typeof module.exports === "function" ? (module.exports as ValidateFunction) : undefined;
    } catch {
      return undefined;
    }
  }

  /** The unit's root with its pieces numbered (and kept in `unit.pieces`); throws NonLocalRef. */
  private splitUnit(unit: Unit, schema: Schema): Schema {
    const split = (node: Schema, top = false): Schema => {
      if (!top && JSON.stringify(node).length >= LAZY_MIN_SIZE) {
        const index = unit.pieces.push({}) - 1;
        const piece = unit.pieces[index]!;
        piece.schema = split(node, true);
        return { [LAZY_KEYWORD]: index };
      }
      return top ? mapSubschemas(node, (s) => split(s)) : node;
    };
    if (!JSON.stringify(schema).includes('"$ref"')) return keepLoaded(unit, () => split(schema, true));
    const defs = isObject(schema.definitions) ? schema.definitions : {};
    if (!Object.values(defs).every(isObject)) throw new NonLocalRef();
    const index = new Map(Object.keys(defs).map((name, i) => [name, i]));
    const local = (node: Schema): Schema => {
      const out = mapSubschemas(node, local);
      if (!("$ref" in out)) return out;
      const at = index.get(definitionName(out.$ref));
      if (at === undefined) throw new NonLocalRef();
      const { $ref: _ref, ...rest } = out;
      return { ...rest, [LAZY_KEYWORD]: at };
    };
    const renamed = Object.entries(defs).map(([name, def]) => [index.get(name)!, local(def as Schema)] as const);
    const { definitions: _defs, ...root } = schema;
    const top = local(root);
    return keepLoaded(unit, () => {
      for (let i = 0; i < renamed.length; i++) unit.pieces.push({});
      for (const [at, def] of renamed) unit.pieces[at]!.schema = split(def, true);
      return split(top, true);
    });
  }
}

/** Numbers the unit's pieces anew, keeping the validators of pieces already loaded from the store. */
function keepLoaded(unit: Unit, split: () => Schema): Schema {
  const loaded = unit.pieces.map((p) => p.fn);
  unit.pieces.length = 0;
  const top = split();
  loaded.forEach((fn, i) => {
    if (fn && unit.pieces[i]) unit.pieces[i]!.fn = fn;
  });
  return top;
}

class NonLocalRef extends Error {}

/** "#/definitions/a~1b" -> "a/b"; "" for a reference to anything else. */
function definitionName(ref: Json | undefined): string {
  if (typeof ref !== "string" || !ref.startsWith("#/definitions/") || ref.indexOf("/", 14) !== -1) return "";
  try {
    return decodeURIComponent(ref.slice(14)).replace(/~1/g, "/").replace(/~0/g, "~");
  } catch {
    return "";
  }
}
