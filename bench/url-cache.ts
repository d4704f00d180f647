// For the warm-cache row: a URL template standing for a catalogue, and a download cache filled
// with the schema folder's files under that template's URLs, as a cold run would leave it. The
// render then runs with --offline, so the benchmark never touches the network.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";
import { diskTree } from "../compiler/load/load.js";
import { SchemaCache } from "../compiler/verify/schemas/cache.js";
import { RENDERED_KINDS } from "../compiler/verify/schemas/kinds.js";
import { expand, flatFileName } from "../compiler/verify/schemas/locations.js";

export const CATALOGUE_TEMPLATE =
  "https://catalogue.invalid/{{ .NormalizedKubernetesVersion }}/{{ .Group }}/{{ .ResourceKind }}_{{ .ResourceAPIVersion }}.json";

/** Fills `<cacheHome>/berth` for every kind berth renders at the fleet's Kubernetes versions. */
export function seedUrlCache(repo: string, schemas: string, cacheHome: string): void {
  const tree = diskTree(repo);
  const versions = new Set<string>();
  for (const p of tree.list("platform/clusters"))
    versions.add(String((parse(readFileSync(join(repo, p), "utf8")) as { spec: { kubernetesVersion: string } }).spec.kubernetesVersion));
  const cache = new SchemaCache(join(cacheHome, "berth"));
  for (const k of RENDERED_KINDS) {
    const body = readFileSync(join(schemas, flatFileName(k.apiVersion, k.kind)), "utf8");
    for (const k8sVersion of versions) cache.writeSchema(expand(CATALOGUE_TEMPLATE, { ...k, k8sVersion }), body);
  }
}
