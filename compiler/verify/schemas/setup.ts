// Before compile: which schema locations apply (--schemas, else BERTH_SCHEMAS, else
// berth.config.yaml), and the download of what the URL locations must supply for the kinds berth
// renders at each cluster's Kubernetes version. Compile then validates from memory and folders.
import { parse } from "yaml";
import { Diagnostics, formatDiagnostics, sortDiagnostics, summaryLine, type Format, type LocatedDiagnostic, type SpecRef } from "../../diagnostics.js";
import { diskTree } from "../../load/load.js";
import { locateAll } from "../../locate.js";
import { SourceMap } from "../../parse.js";
import { StrictValidator } from "../strict.js";
import { cacheDir, SchemaCache } from "./cache.js";
import { compiledCacheFor } from "./compiled-cache.js";
import { loadConfig } from "./config.js";
import { DEFAULT_TIMEOUT_MS } from "./download.js";
import { RENDERED_KINDS } from "./kinds.js";
import { parseLocation, type SchemaKey } from "./locations.js";
import { SchemaResolver, type PlacedLocation } from "./resolver.js";

export interface SchemaSetupInput {
  readonly root: string;
  readonly cwd: string;
  readonly env: Record<string, string | undefined>;
  /** --schemas, in order (empty: none given). */
  readonly flags: readonly string[];
  readonly offline: boolean;
  /** --cluster: only these clusters' Kubernetes versions matter. */
  readonly clusters?: readonly string[];
  readonly stderr: { write(s: string): unknown; isTTY?: boolean };
}

export interface SchemaSetup {
  readonly strict?: StrictValidator;
  /** Errors that stop the command before compile (a broken berth.config.yaml, a bad location). */
  readonly errors: LocatedDiagnostic[];
}

export async function setupSchemas(input: SchemaSetupInput): Promise<SchemaSetup> {
  const tree = diskTree(input.root);
  const { config, diagnostics } = loadConfig(tree);
  if (diagnostics.some((d) => d.severity === "error")) return { errors: diagnostics };

  let given: { text: string; at: SpecRef; base: string }[];
  let listAt: SpecRef;
  if (input.flags.length > 0) {
    listAt = { file: "--schemas", path: [], line: 1, column: 1 };
    given = input.flags.map((text) => ({ text, at: listAt, base: input.cwd }));
  } else if (input.env.BERTH_SCHEMAS) {
    listAt = { file: "BERTH_SCHEMAS", path: [], line: 1, column: 1 };
    given = [{ text: input.env.BERTH_SCHEMAS, at: listAt, base: input.cwd }];
  } else if (config?.schemas) {
    listAt = config.schemasAt!;
    given = config.schemas.map((s) => ({ ...s, base: input.root }));
  } else return { errors: [] };

  const diags = new Diagnostics();
  const locations: PlacedLocation[] = [];
  for (const g of given) {
    const loc = parseLocation(g.text, g.base);
    if ("error" in loc) diags.report("BERTH0043", g.at, loc.error, loc.hint);
    else locations.push({ ...loc, at: g.at });
  }
  if (diags.hasErrors) return { errors: locateAll(diags.items, new SourceMap()) };

  const seconds = Number(input.env.BERTH_SCHEMA_TIMEOUT);
  const dir = cacheDir(input.root, input.env);
  const resolver = new SchemaResolver(locations, {
    cache: new SchemaCache(dir),
    offline: input.offline,
    timeoutMs: seconds > 0 ? seconds * 1000 : DEFAULT_TIMEOUT_MS,
  });
  if (locations.some((l) => l.type === "url")) {
    const versions = clusterVersions(tree, input.clusters);
    const keys: SchemaKey[] = RENDERED_KINDS.flatMap((k) => (versions.length ? versions : [undefined]).map((k8sVersion) => ({ ...k, k8sVersion })));
    let shown = false;
    const line = progressLine(input.stderr);
    await resolver.prefetch(keys, input.stderr.isTTY ? (done, total) => ((shown = true), line(done, total)) : undefined);
    if (shown) input.stderr.write("\r\x1b[K");
  }
  return { strict: new StrictValidator(resolver, listAt, compiledCacheFor(input.root, input.env)), errors: [] };
}

/** The Kubernetes versions of the clusters on disk; malformed specs are compile's to report. */
function clusterVersions(tree: ReturnType<typeof diskTree>, only?: readonly string[]): string[] {
  const out = new Set<string>();
  for (const path of tree.list("platform/clusters")) {
    const name = path.slice(path.lastIndexOf("/") + 1).replace(/\.ya?ml$/, "");
    if (!/\.ya?ml$/.test(path) || (only?.length && !only.includes(name))) continue;
    const bytes = tree.read(path);
    if (!Buffer.isBuffer(bytes)) continue;
    try {
      const v = (parse(bytes.toString("utf8")) as { spec?: { kubernetesVersion?: unknown } })?.spec?.kubernetesVersion;
      if (typeof v === "string" && /^1\.\d+$/.test(v)) out.add(v);
    } catch {
      // compile reports it
    }
  }
  return [...out].sort();
}

function progressLine(stderr: { write(s: string): unknown }): (done: number, total: number) => void {
  return (done, total) => stderr.write(`\rberth: downloading strict schemas ${done}/${total}`);
}

/** Prints the errors that stopped a command before compile, in the command's output format. */
export function printSetupErrors(
  errors: LocatedDiagnostic[],
  command: string,
  format: Format | "markdown",
  io: { stdout: { write(s: string): unknown }; stderr: { write(s: string): unknown } },
): number {
  const sorted = sortDiagnostics(errors);
  if (format === "json")
    io.stdout.write(command === "render" ? formatDiagnostics(sorted, "json") : JSON.stringify({ ok: false, diagnostics: sorted }, null, 2) + "\n");
  else if (format === "github" || format === "sarif") io.stdout.write(formatDiagnostics(sorted, format));
  else {
    io.stderr.write(formatDiagnostics(sorted, "text"));
    io.stderr.write(`berth ${command}: ${summaryLine(sorted)}${command === "render" ? "; nothing written" : ""}\n`);
  }
  return 1;
}
