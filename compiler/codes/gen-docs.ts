// Writes docs/diagnostics.md from the code catalogue.
import { writeFileSync } from "node:fs";
import { catalogueMarkdown } from "./markdown.js";

writeFileSync(new URL("../../../docs/diagnostics.md", import.meta.url), catalogueMarkdown());
