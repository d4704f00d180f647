// What berth rendered last time, for the checks that compare with it (a store's storage may only
// grow): the generated file at the same path under clusters/, read only when asked for. A file
// that is missing, hand-written or not YAML counts as nothing rendered.
import { lstatSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";
import type { KubeObject, Rendered } from "../emit/types.js";
import { isGenerated } from "../output/header.js";
import type { PreviousObjects } from "../verify/storage-growth.js";

export function renderedOnDisk(root: string): PreviousObjects {
  return (path) => {
    if (!path.startsWith("clusters/") || path.split("/").includes("..")) return undefined;
    const abs = join(root, path);
    try {
      if (!lstatSync(abs).isFile()) return undefined;
      const text = readFileSync(abs, "utf8");
      if (!isGenerated(text)) return undefined;
      const data: unknown = parse(text);
      return data && typeof data === "object" && !Array.isArray(data) ? (data as KubeObject) : undefined;
    } catch {
      return undefined;
    }
  };
}

/** The objects of another render (a git revision's, for `diff`), by output path. */
export function renderedBefore(objects: readonly Rendered[]): PreviousObjects {
  const byPath = new Map(objects.map((r) => [r.path, r.object]));
  return (path) => byPath.get(path);
}
