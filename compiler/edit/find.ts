// Where a model's file is, and where the model runs, read the way the compiler reads them.
import { basename } from "node:path";
import { parseDocument } from "yaml";
import type { SpecTree } from "../load/load.js";
import { closest } from "../schema/suggest.js";

type NotFound = { code: "BERTH0901" | "BERTH0912"; message: string; hint?: string };

/** models/<tenant>/<name>.yaml (or .yml), found by the file name, which is the model's name. */
export function findModelFile(tree: SpecTree, name: string): string | NotFound {
  const files = tree.list("models").filter((p) => /^models\/[^/]+\/[^/]+\.ya?ml$/.test(p));
  const stem = (p: string) => basename(p).replace(/\.ya?ml$/, "");
  const hits = files.filter((p) => stem(p) === name);
  if (hits.length > 1)
    return {
      code: "BERTH0912",
      message: `model ${name} is defined twice: ${hits.join(", ")}`,
      hint: "model names are unique across tenants; remove one of the files",
    };
  if (hits.length === 0) {
    const near = closest(name, files.map(stem));
    return {
      code: "BERTH0901",
      message: `no model named ${name} in models/<tenant>/`,
      hint: near ? `did you mean ${near}?` : "the model's file is models/<tenant>/<name>.yaml",
    };
  }
  const kind = /^kind:\s*["']?([A-Za-z]+)/m.exec(readText(tree, hits[0]!) ?? "")?.[1];
  if (kind !== undefined && kind !== "Model")
    return { code: "BERTH0912", message: `${hits[0]} holds a ${kind}, not a Model`, hint: "the model commands edit Model specs only" };
  return hits[0]!;
}

/** The clusters the model in `file` runs on, from its tenant's spec in `tree`. */
export function modelClusters(tree: SpecTree, file: string, bytes: Buffer): string[] {
  const tenant = file.split("/")[1]!;
  return deployedClusters(readText(tree, `tenants/${tenant}.yaml`) ?? readText(tree, `tenants/${tenant}.yml`), bytes.toString("utf8"));
}

/** The model's own clusters, else its tenant's, kept to its tenant's and in their order (as link.ts decides). */
export function deployedClusters(tenantText: string | undefined, modelText: string): string[] {
  const tenantClusters = stringList(tenantText === undefined ? undefined : specOf(tenantText)?.clusters);
  const own = specOf(modelText)?.clusters;
  const wanted = own === undefined ? tenantClusters : stringList(own);
  return [...new Set(wanted.filter((c) => tenantClusters.includes(c)))];
}

function specOf(text: string): Record<string, unknown> | undefined {
  try {
    const data = parseDocument(text, { version: "1.2" }).toJS({ maxAliasCount: 200 }) as { spec?: unknown } | null;
    return data && typeof data.spec === "object" && data.spec !== null ? (data.spec as Record<string, unknown>) : undefined;
  } catch {
    return undefined; // the compile reports the file
  }
}

function stringList(v: unknown): string[] {
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === "string") : [];
}

function readText(tree: SpecTree, path: string): string | undefined {
  const b = tree.read(path);
  return Buffer.isBuffer(b) ? b.toString("utf8") : undefined;
}
