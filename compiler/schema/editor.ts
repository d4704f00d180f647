// JSON Schemas of the input kinds for editors (yaml-language-server), from the zod schemas: the
// building blocks carry their patterns and examples (`.meta` in common.ts, model.ts), and every
// field documented in docs/specs.md carries that text, its type and its default.
import { z } from "zod";
import { API_VERSION } from "./common.js";
import type { FieldDoc } from "./field-docs.js";
import { SPEC_FIELDS } from "./spec-fields.js";
import { DOC_SCHEMAS } from "./validate.js";

type JsonSchema = { [key: string]: unknown };

export function editorSchemas(): Record<string, object> {
  const out: Record<string, object> = {};
  for (const [kind, schema] of Object.entries(DOC_SCHEMAS)) {
    const json = z.toJSONSchema(schema, { unrepresentable: "any", io: "input" }) as JsonSchema;
    const props = json.properties as Record<string, JsonSchema>;
    props.apiVersion = { type: "string", const: API_VERSION, description: "the berth spec format; always " + API_VERSION };
    props.kind = { type: "string", const: kind };
    for (const [path, doc] of Object.entries(SPEC_FIELDS[kind] ?? {})) {
      for (const node of at(props.spec!, path)) describe(node, doc);
    }
    out[kind.toLowerCase()] = { ...json, title: `berth ${kind}`, $id: `https://berth.dev/schemas/${kind.toLowerCase()}.schema.json` };
  }
  return out;
}

/** The schemas of `path` under `node` (`versions[].name`, `runtimes.<framework>.image`: every key's). */
function at(node: JsonSchema, path: string): JsonSchema[] {
  let here: JsonSchema[] = [node];
  // `versions[]` documents the list itself; `versions[].name` a field of its entries.
  for (const part of path.replace(/\[\]$/, "").split(".")) {
    const [name, ...arrays] = part.split("[]");
    here = here.flatMap((n) => (name!.startsWith("<") ? anyKey(n) : list(child(n, (c) => (c.properties as Record<string, JsonSchema> | undefined)?.[name!]))));
    for (const _ of arrays) here = here.flatMap((n) => list(child(n, (c) => c.items)));
  }
  return here;
}

const list = (n: JsonSchema | undefined): JsonSchema[] => (n ? [n] : []);

/** A map's value schema, or, for an object of fixed keys, each key's. */
function anyKey(node: JsonSchema): JsonSchema[] {
  const values = child(node, (c) => c.additionalProperties);
  if (values) return [values];
  const fixed = child(node, (c) => c.properties);
  return fixed ? Object.values(fixed as Record<string, JsonSchema>) : [];
}

/** A child of `node`, looked for in the node itself or in the branches of a union. */
function child(node: JsonSchema | undefined, pick: (n: JsonSchema) => unknown): JsonSchema | undefined {
  if (!node) return undefined;
  const direct = pick(node);
  if (direct && typeof direct === "object") return direct as JsonSchema;
  for (const branch of (node.anyOf ?? node.oneOf ?? []) as JsonSchema[]) {
    const found = child(branch, pick);
    if (found) return found;
  }
  return undefined;
}

function describe(node: JsonSchema, doc: FieldDoc): void {
  const parts = [doc.meaning && `${doc.meaning}.`, doc.type && `Type: ${doc.type}.`, doc.default && `Default: ${doc.default}.`];
  node.description = parts.filter(Boolean).join(" ");
  // A default that is one literal value goes into the schema too (editors offer it); prose stays prose.
  if (node.default !== undefined || doc.default === undefined || !/^[A-Za-z0-9][\w-]*$/.test(doc.default)) return;
  if (/^\d+$/.test(doc.default) && node.type !== "string") node.default = Number(doc.default);
  else if (node.type === "string") node.default = doc.default;
}
