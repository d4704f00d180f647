// Writes compiler/schema/spec-fields.ts from the field tables of docs/specs.md.
import { readFileSync, writeFileSync } from "node:fs";
import { fieldDocsModule, parseFieldDocs } from "./field-docs.js";

const root = new URL("../../../", import.meta.url);
writeFileSync(new URL("compiler/schema/spec-fields.ts", root), fieldDocsModule(parseFieldDocs(readFileSync(new URL("docs/specs.md", root), "utf8"))));
