// `berth schema`: write the JSON Schemas of the input kinds, for editors. The schema files are the
// command's product; what it reports goes through report/ like every command's.
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { finish } from "../report/index.js";
import { editorSchemas } from "../schema/editor.js";
import type { Io, RunOptions } from "./context.js";

export function runSchema(opts: RunOptions, out: string, io: Io): number {
  mkdirSync(out, { recursive: true });
  const files: string[] = [];
  for (const [name, schema] of Object.entries(editorSchemas())) {
    const file = `${name}.schema.json`;
    writeFileSync(join(out, file), JSON.stringify(schema, null, 2) + "\n");
    files.push(file);
  }
  return finish(opts.format, io, { ok: true, diagnostics: [], outcome: { command: "schema", out, files: files.sort() } });
}
