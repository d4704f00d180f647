// Checks one parsed document against its kind's zod schema and turns every issue into a
// diagnostic at the YAML node it concerns.
import { isScalar, type Document } from "yaml";
import type { z } from "zod";
import { CATALOGUE, type Code } from "../codes/index.js";
import { Diagnostics, type PathSegment } from "../diagnostics.js";
import { isUnusable, unusableSpec, type SpecKind, type UnusableSpec } from "../load/load.js";
import { findNode, type ParsedFile } from "../parse.js";
import { clusterDoc } from "./cluster.js";
import { API_VERSION, type RuleParams } from "./common.js";
import { modelDoc } from "./model.js";
import { platformDoc } from "./platform.js";
import { storeDoc } from "./store.js";
import { tenantDoc } from "./tenant.js";
import { prepareEnv } from "./env-values.js";
import { closest } from "./suggest.js";

export const DOC_SCHEMAS = { Platform: platformDoc, Cluster: clusterDoc, Tenant: tenantDoc, Model: modelDoc, Store: storeDoc } as const;

const FOLDER: Record<SpecKind, string> = {
  Platform: "platform/platform.yaml",
  Cluster: "platform/clusters/",
  Tenant: "tenants/",
  Model: "models/<tenant>/",
  Store: "models/<tenant>/",
};

/** The kinds a folder holds; models/<tenant>/ holds models and stores, told apart by their kind. */
function folderKinds(folderKind: SpecKind): SpecKind[] {
  return folderKind === "Model" ? ["Model", "Store"] : [folderKind];
}

export interface ValidDoc<K extends SpecKind> {
  kind: K;
  name: string;
  file: string;
  spec: z.infer<(typeof DOC_SCHEMAS)[K]>["spec"];
}

/** A spec after validation: valid, or unusable (it failed here or in an earlier stage). */
export type SpecDoc = ValidDoc<SpecKind> | UnusableSpec;

/** The validate stage for one parsed spec: a failure from an earlier stage passes through. */
export function validateParsed(parsed: ParsedFile | UnusableSpec, diags: Diagnostics): SpecDoc {
  if (isUnusable(parsed)) return parsed;
  return validateDoc(parsed, diags) ?? unusableSpec(parsed.source.path, parsed.source.expectedKind, parsed.source.stem);
}

export function validateDoc(parsed: ParsedFile, diags: Diagnostics): ValidDoc<SpecKind> | undefined {
  const file = parsed.source.path;
  const data = parsed.data;
  const kinds = folderKinds(parsed.source.expectedKind);
  const declared = (data as { kind?: unknown } | null)?.kind;
  const expected = kinds.find((k) => k === declared) ?? parsed.source.expectedKind;
  if (typeof data !== "object" || data === null || Array.isArray(data)) {
    diags.report("BERTH0202", { file, path: [] }, `a spec is a mapping with apiVersion, kind, metadata and spec; found ${describe(data)}`);
    return undefined;
  }
  const obj = data as Record<string, unknown>;
  let headerOk = true;
  if (obj.apiVersion === undefined) {
    diags.report("BERTH0200", { file, path: [] }, "apiVersion is required", `start the file with apiVersion: ${API_VERSION}`);
    headerOk = false;
  } else if (obj.apiVersion !== API_VERSION) {
    diags.report(
      "BERTH0205",
      { file, path: ["apiVersion"] },
      `apiVersion must be ${API_VERSION}, found ${JSON.stringify(obj.apiVersion)}`,
      `write apiVersion: ${API_VERSION}`,
    );
    headerOk = false;
  }
  if (obj.kind === undefined) {
    diags.report("BERTH0200", { file, path: [] }, "kind is required", `files in ${FOLDER[expected]} hold kind: ${kinds.join(" or kind: ")}`);
    headerOk = false;
  } else if (obj.kind !== expected) {
    const known = (Object.keys(FOLDER) as SpecKind[]).includes(obj.kind as SpecKind);
    const held = kinds.join(" or ");
    diags.report(
      "BERTH0206",
      { file, path: ["kind"] },
      known
        ? `kind ${obj.kind} does not belong in ${folderOf(file)}; files here hold kind ${held}`
        : `unknown kind ${JSON.stringify(obj.kind)}; files in ${folderOf(file)} hold kind ${held}`,
      known ? `move the file to ${FOLDER[obj.kind as SpecKind]}` : `write kind: ${kinds.join(" or kind: ")}`,
    );
    headerOk = false;
    // A spec of another kind is in the wrong folder: measured against this folder's kind, every
    // field would be an error that moving the file makes go away.
    if (known) return undefined;
  }

  if (expected === "Model") prepareEnv(parsed, diags);
  const schema = DOC_SCHEMAS[expected];
  const result = schema.safeParse(data, { reportInput: true });
  const issues = result.success ? [] : result.error.issues;
  const typos = misspeltRequired(issues, schema);
  for (const issue of issues) if (!typos.has(issue)) reportIssue(issue, schema, parsed.doc, parsed.source.text, file, diags);
  const name = (obj.metadata as { name?: unknown } | undefined)?.name;
  if (typeof name === "string" && name !== parsed.source.stem && expected !== "Platform")
    diags.report(
      "BERTH0207",
      { file, path: ["metadata", "name"] },
      `metadata.name "${name}" must match the file name "${parsed.source.stem}"`,
      `rename the file to ${name}.yaml or set metadata.name: ${parsed.source.stem}`,
    );
  // A warning is reported and the spec renders as written: zod fails a parse on any issue, but
  // only an error may stop a spec (dropping it would delete its output with exit 0).
  if (!headerOk || issues.some(blocks)) return undefined;
  // zod returns no value when a warning failed the parse; the schemas transform nothing
  // (test/unit/validate.test.ts holds them to that), so the input is the value.
  const value = (result.success ? result.data : data) as z.infer<(typeof DOC_SCHEMAS)[SpecKind]>;
  return { kind: expected, name: value.metadata.name, file, spec: value.spec } as ValidDoc<SpecKind>;
}

/**
 * A required field that is missing only because it is misspelt (`quotas:` for `quota:`): the
 * unknown field's "did you mean" says it all, so "quota is required" would repeat it.
 */
function misspeltRequired(issues: readonly z.core.$ZodIssue[], root: z.ZodType): Set<z.core.$ZodIssue> {
  const missing = new Map(issues.filter((i) => i.code === "invalid_type" && i.input === undefined).map((i) => [JSON.stringify(i.path), i]));
  const found = new Set<z.core.$ZodIssue>();
  for (const issue of issues) {
    if (issue.code !== "unrecognized_keys") continue;
    const known = knownKeys(root, issue.path as PathSegment[]);
    for (const key of issue.keys) {
      const near = closest(key, known);
      const required = near === undefined ? undefined : missing.get(JSON.stringify([...issue.path, near]));
      if (required) found.add(required);
    }
  }
  return found;
}

/** An issue that stops the spec: every one but a rule whose catalogue severity is a warning. */
function blocks(issue: z.core.$ZodIssue): boolean {
  const code = issue.code === "custom" ? (issue.params as RuleParams | undefined)?.code : undefined;
  return code === undefined || CATALOGUE[code].severity === "error";
}

function folderOf(file: string): string {
  return file.slice(0, file.lastIndexOf("/") + 1);
}

function dotted(path: readonly PathSegment[]): string {
  return path.map((p, i) => (typeof p === "number" ? `[${p}]` : i === 0 ? p : `.${p}`)).join("");
}

function describe(v: unknown): string {
  if (v === null || v === undefined) return "nothing";
  if (Array.isArray(v)) return "a list";
  if (typeof v === "object") return "a mapping";
  if (typeof v === "string") return `the string ${JSON.stringify(v)}`;
  return `the ${typeof v} ${String(v)}`;
}

export function reportIssue(issue: z.core.$ZodIssue, root: z.ZodType, doc: Document, text: string, file: string, diags: Diagnostics): void {
  const path = issue.path as PathSegment[];
  const where = dotted(path);
  switch (issue.code) {
    case "unrecognized_keys": {
      const known = knownKeys(root, path);
      for (const key of issue.keys) {
        const near = closest(key, known);
        const hint = near ? `did you mean \`${near}\`?` : known.length ? `known fields here: ${known.join(", ")}` : undefined;
        diags.report("BERTH0201", { file, path: [...path, key], key: true }, `unknown field ${dotted([...path, key])}`, hint);
      }
      return;
    }
    case "invalid_type": {
      if (issue.input === undefined) {
        diags.report("BERTH0200", { file, path }, `${where} is required`, hintForMissing(path));
        return;
      }
      const trap = typeTrap(doc, text, path, issue.expected);
      if (trap) {
        diags.report("BERTH0219", { file, path }, `${where}: ${trap.message}`, trap.hint);
        return;
      }
      const hint = issue.expected === "array" && typeof issue.input === "string" ? `write a list: [${issue.input}]` : undefined;
      diags.report("BERTH0202", { file, path }, `${where}: expected ${article(issue.expected)}, found ${describe(issue.input)}`, hint);
      return;
    }
    case "invalid_value": {
      const opts = issue.values.map((v) => String(v));
      const near = closest(String(issue.input), opts);
      diags.report(
        "BERTH0202",
        { file, path },
        `${where}: ${JSON.stringify(issue.input)} is not one of ${opts.join(", ")}`,
        near ? `did you mean \`${near}\`?` : undefined,
      );
      return;
    }
    case "too_small":
    case "too_big": {
      const bound = issue.code === "too_small" ? "at least" : "at most";
      const limit = String(issue.code === "too_small" ? issue.minimum : issue.maximum);
      const what = issue.origin === "array" ? `${limit} item${limit === "1" ? "" : "s"}` : issue.origin === "string" ? `${limit} characters` : limit;
      diags.report("BERTH0202", { file, path }, `${where}: must be ${bound} ${what}, found ${describe(issue.input)}`);
      return;
    }
    case "invalid_union": {
      const trap = typeTrap(doc, text, path, "string");
      if (trap) diags.report("BERTH0219", { file, path }, `${where}: ${trap.message}`, trap.hint);
      else diags.report("BERTH0202", { file, path }, `${where}: expected a string or a number, found ${describe(issue.input)}`);
      return;
    }
    case "custom": {
      const params = issue.params as RuleParams | undefined;
      const code: Code = params?.code ?? "BERTH0202";
      diags.report(code, { file, path }, `${where}: ${issue.message}`, params?.hint);
      return;
    }
    default:
      diags.report("BERTH0202", { file, path }, `${where}: ${issue.message}`);
  }
}

function article(t: string): string {
  if (t === "int") return "an integer";
  if (t === "object") return "a mapping";
  if (t === "array") return "a list";
  return /^[aeiou]/.test(t) ? `an ${t}` : `a ${t}`;
}

function hintForMissing(path: readonly PathSegment[]): string | undefined {
  const last = path[path.length - 1];
  if (last === "metadata") return "add metadata: {name: <file name>}";
  if (last === "spec") return "add the spec: mapping";
  return undefined;
}

/** A scalar that YAML read as another type than the user meant: `1.30` as 1.3, `yes` as a string. */
function typeTrap(doc: Document, text: string, path: readonly PathSegment[], expected: string): { message: string; hint: string } | undefined {
  const { node, depth } = findNode(doc, path);
  if (depth !== path.length || !isScalar(node) || !node.range) return undefined;
  const raw = String(node.source ?? node.value);
  if (expected === "string" && typeof node.value === "number") {
    const source = text.slice(node.range[0], node.range[1]).replace(/^\uFEFF/, "") || raw;
    const lost = String(node.value) !== source ? ` (${source} became ${node.value})` : "";
    return { message: `${source} was read as a number${lost}`, hint: `quote it: "${source}"` };
  }
  if (expected === "string" && node.value === null && path[path.length - 2] === "env") {
    const source = String(node.source ?? "").trim();
    return source
      ? { message: `${source} was read as null, not as text`, hint: `quote it ("${source}") if you mean the characters, or write "" for an empty value` }
      : { message: "has no value (YAML reads it as null)", hint: 'write "" for an empty value' };
  }
  if (expected === "string" && typeof node.value === "boolean") {
    const source = text.slice(node.range[0], node.range[1]).replace(/^\uFEFF/, "") || raw;
    return { message: `${source} was read as a boolean`, hint: `quote it: "${source}"` };
  }
  if (expected === "boolean" && typeof node.value === "string" && /^(y|yes|n|no|on|off)$/i.test(node.value))
    return { message: `\`${node.value}\` is a string in YAML 1.2, not a boolean`, hint: `write ${/^(y|yes|on)$/i.test(node.value) ? "true" : "false"}` };
  if (expected === "number" && typeof node.value === "string" && /^\s*-?\d+(\.\d+)?\s*$/.test(node.value))
    return { message: `"${node.value}" is quoted, so it is a string`, hint: `remove the quotes: ${node.value.trim()}` };
  return undefined;
}

/** The keys a strict object accepts at `path`, for "did you mean" hints. */
function knownKeys(schema: z.ZodType, path: readonly PathSegment[]): string[] {
  let s: unknown = schema;
  for (const seg of [...path, null]) {
    s = unwrap(s);
    const def = (s as { def?: Record<string, unknown> }).def;
    if (!def) return [];
    if (seg === null) return def.type === "object" ? Object.keys(def.shape as object) : [];
    if (def.type === "object") s = (def.shape as Record<string, unknown>)[String(seg)];
    else if (def.type === "array") s = def.element;
    else if (def.type === "record") s = def.valueType;
    else return [];
  }
  return [];
}

function unwrap(s: unknown): unknown {
  for (;;) {
    const def = (s as { def?: Record<string, unknown> } | undefined)?.def;
    if (!def) return s;
    if (def.type === "optional" || def.type === "default" || def.type === "nullable") s = def.innerType;
    else if (def.type === "pipe") s = def.in;
    else return s;
  }
}
