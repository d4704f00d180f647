// berth.config.yaml: repository settings that are not specs. Read with the same YAML reader and
// strict zod validation as the specs, so a typo is an error at its file:line:column.
import { z } from "zod";
import { Diagnostics, fileStart, type LocatedDiagnostic, type SpecRef } from "../../diagnostics.js";
import type { SpecKind, SpecTree } from "../../load/load.js";
import { locateAll } from "../../locate.js";
import { findNode, parseSpec, SourceMap, type ParsedFile } from "../../parse.js";
import { API_VERSION } from "../../schema/common.js";
import { reportIssue } from "../../schema/validate.js";

export const CONFIG_FILE = "berth.config.yaml";

const configDoc = z.strictObject({
  apiVersion: z.literal(API_VERSION),
  kind: z.literal("Config"),
  /** Schema locations, tried in order: folders (relative to the repository root) or URL templates. */
  schemas: z.array(z.string().min(1)).min(1).optional(),
});

export interface RepoConfig {
  /** Each location with its position in the file. */
  readonly schemas?: { text: string; at: SpecRef }[];
  /** Where `schemas:` is, for warnings about the list as a whole. */
  readonly schemasAt?: SpecRef;
}

/** The repository's config (undefined when there is none), or the diagnostics that reject it. */
export function loadConfig(tree: SpecTree): { config?: RepoConfig; diagnostics: LocatedDiagnostic[] } {
  const bytes = tree.read(CONFIG_FILE);
  if (!Buffer.isBuffer(bytes) && bytes.absent) return { diagnostics: [] };
  const diags = new Diagnostics();
  const sources = new SourceMap();
  if (!Buffer.isBuffer(bytes)) {
    diags.report(bytes.code, fileStart(CONFIG_FILE), bytes.detail);
    return { diagnostics: locateAll(diags.items, sources) };
  }
  // The reader's messages name a spec kind only for an empty file ("write a Config spec").
  const source = { path: CONFIG_FILE, text: bytes.toString("utf8"), expectedKind: "Config" as SpecKind, stem: "berth.config" };
  const parsed = parseSpec(source, sources, diags);
  if (parsed) {
    const result = configDoc.safeParse(parsed.data, { reportInput: true });
    if (!result.success) for (const issue of result.error.issues) reportIssue(issue, configDoc, parsed.doc, parsed.source.text, CONFIG_FILE, diags);
    else if (!diags.hasErrors) {
      const schemas = result.data.schemas?.map((text, i) => ({ text, at: position(parsed, ["schemas", i]) }));
      return { config: { schemas, schemasAt: schemas && position(parsed, ["schemas"], true) }, diagnostics: locateAll(diags.items, sources) };
    }
  }
  return { diagnostics: locateAll(diags.items, sources) };
}

/** A raw position: diagnostics about locations are located by compile, which never reads this file. */
function position(parsed: ParsedFile, path: (string | number)[], key = false): SpecRef {
  const found = findNode(parsed.doc, path);
  const start = (key ? found.keyNode : found.node)?.range?.[0];
  const pos = start === undefined ? { line: 1, col: 1 } : parsed.lines.linePos(start);
  return { file: CONFIG_FILE, path: [], line: pos.line, column: pos.col };
}
