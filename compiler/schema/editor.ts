// JSON Schemas of the input kinds for editors (yaml-language-server), from the zod schemas.
import { z } from "zod";
import { API_VERSION } from "./common.js";
import { DOC_SCHEMAS } from "./validate.js";

export function editorSchemas(): Record<string, object> {
  const out: Record<string, object> = {};
  for (const [kind, schema] of Object.entries(DOC_SCHEMAS)) {
    const json = z.toJSONSchema(schema, { unrepresentable: "any", io: "input" }) as Record<string, unknown>;
    const props = json.properties as Record<string, Record<string, unknown>>;
    props.apiVersion = { type: "string", const: API_VERSION };
    props.kind = { type: "string", const: kind };
    out[kind.toLowerCase()] = { ...json, title: `berth ${kind}`, $id: `https://berth.dev/schemas/${kind.toLowerCase()}.schema.json` };
  }
  return out;
}
