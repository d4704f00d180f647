// What a compile found (its located diagnostics), kept between runs under the cache directory, by
// everything the findings depend on: the spec files as loaded (paths, kinds, bytes) and what
// loading them reported, the EKS calendar's day, the clusters asked for, berth's code and
// dependencies, and the strict schema setting with every schema lookup the compile made and what
// it found (re-checked on reading: a schema file that changed is a miss).
//
// `diff` reads it for its base revision: the base's findings are needed only to tell which the
// change adds and which it fixes, so with an entry for the base's specs the base is planned and
// emitted (its objects are compared) but not verified. render, check and diff write entries, so
// the specs a pull request starts from were usually compiled before: by main's CI (the workflow
// keeps this folder with actions/cache) or by an earlier push's diff.
//
// What `previous` adds (a store's storage may only grow, BERTH1425) depends on the output on disk,
// not on the specs: it is left out of every entry, as `diff`'s base, which compares with nothing,
// never raises it.
//
// Safe to share as compiled-cache.ts is: written to a temporary file and renamed into place; an
// entry that does not parse or whose checksum does not match is a miss. The folder keeps the
// newest MAX_ENTRIES entries.
import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import type { Diagnostic, LocatedDiagnostic } from "../diagnostics.js";
import type { LoadedSpec } from "../load/load.js";
import { keepFile } from "./schemas/cache.js";
import { keptCacheDir } from "./schemas/compiled-cache.js";
import type { SchemaKey } from "./schemas/locations.js";
import type { StrictValidator } from "./strict.js";

const FORMAT = 1;
const MAX_ENTRIES = 64;

/** The codes a compile raises only against what is on disk (`previous`), never kept. */
export const AGAINST_PREVIOUS: ReadonlySet<string> = new Set(["BERTH1425"]);

/** What a compile's findings depend on besides berth's code and the strict schemas' lookups. */
export interface ResultInputs {
  readonly loaded: readonly LoadedSpec[];
  /** What loading the spec files reported. */
  readonly loadFindings: readonly Diagnostic[];
  readonly asOf: string | false;
  readonly clusters?: readonly string[];
  readonly strict?: StrictValidator;
}

/**
 * The store for a repository: under `$XDG_CACHE_HOME/berth` when that is set, else under the
 * repository's `node_modules/.cache/berth` only when `node_modules` exists (as compiled-cache.ts).
 */
export function resultCacheFor(root: string, env: Record<string, string | undefined>): ResultCache | undefined {
  const dir = keptCacheDir(root, env);
  return dir === undefined ? undefined : new ResultCache(dir);
}

export class ResultCache {
  private readonly dir: string;

  /** `cacheRoot`: the cache directory (cache.ts's cacheDir); `code`: berth's code identity (tests pass their own). */
  constructor(
    cacheRoot: string,
    private readonly code: () => string = codeIdentity,
  ) {
    this.dir = join(cacheRoot, "results");
  }

  /** The entry name for these inputs. */
  key(inputs: ResultInputs): string {
    const h = createHash("sha256");
    const part = (s: string) => h.update(`${s.length}:`).update(s);
    part(String(FORMAT));
    part(this.code());
    part(JSON.stringify([inputs.asOf, inputs.clusters ?? null, inputs.strict?.setting ?? null]));
    part(JSON.stringify(inputs.loadFindings));
    for (const spec of inputs.loaded) part(JSON.stringify(spec));
    return h.digest("hex").slice(0, 40);
  }

  /** The findings kept for `key`, when every schema lookup they depend on still finds the same schema. */
  read(key: string, strict: StrictValidator | undefined): LocatedDiagnostic[] | undefined {
    let text: string;
    try {
      text = readFileSync(this.path(key), "utf8");
    } catch {
      return undefined;
    }
    let entry: Entry;
    try {
      entry = JSON.parse(text) as Entry;
    } catch {
      return undefined;
    }
    if (entry?.format !== FORMAT || entry.key !== key || !Array.isArray(entry.lookups) || !Array.isArray(entry.diagnostics)) return undefined;
    if (entry.sum !== checksum(entry.lookups, entry.diagnostics) || !entry.diagnostics.every(isLocated)) return undefined;
    if (entry.lookups.length > 0 && !strict?.resolver.answersAsBefore(entry.lookups)) return undefined;
    return entry.diagnostics;
  }

  /**
   * Keeps a compile's findings (those against `previous` left out) with the schema lookups made so
   * far. Best effort: a read-only or full disk costs a later run its reuse, never this run.
   */
  write(key: string, diagnostics: readonly LocatedDiagnostic[], strict: StrictValidator | undefined): void {
    const kept = diagnostics.filter((d) => !AGAINST_PREVIOUS.has(d.code));
    const lookups = strict?.resolver.lookups() ?? [];
    if (!keepFile(this.path(key), JSON.stringify({ format: FORMAT, key, sum: checksum(lookups, kept), lookups, diagnostics: kept } satisfies Entry))) return;
    try {
      this.prune();
    } catch {
      // another run emptied the folder meanwhile: nothing to prune
    }
  }

  /** The newest entries stay; a file another run removes first is no concern. */
  private prune(): void {
    const names = readdirSync(this.dir).filter((n) => n.endsWith(".json"));
    if (names.length <= MAX_ENTRIES) return;
    const aged = names.flatMap((n) => {
      try {
        return [{ n, t: statSync(join(this.dir, n)).mtimeMs }];
      } catch {
        return [];
      }
    });
    aged.sort((a, b) => b.t - a.t || (a.n < b.n ? -1 : 1));
    for (const { n } of aged.slice(MAX_ENTRIES)) rmSync(join(this.dir, n), { force: true });
  }

  private path(key: string): string {
    return join(this.dir, `${key}.json`);
  }
}

interface Entry {
  format: number;
  key: string;
  sum: string;
  lookups: [SchemaKey, string][];
  diagnostics: LocatedDiagnostic[];
}

function checksum(lookups: unknown, diagnostics: unknown): string {
  return createHash("sha256")
    .update(JSON.stringify([lookups, diagnostics]))
    .digest("hex");
}

function isLocated(d: unknown): d is LocatedDiagnostic {
  if (typeof d !== "object" || d === null) return false;
  const o = d as Record<string, unknown>;
  return (
    typeof o.file === "string" &&
    typeof o.line === "number" &&
    typeof o.column === "number" &&
    (o.severity === "error" || o.severity === "warning") &&
    typeof o.code === "string" &&
    typeof o.message === "string" &&
    (o.hint === undefined || typeof o.hint === "string")
  );
}

let identity: string | undefined;

/**
 * berth's code as it runs: every file of the compiler (its build, or its sources under the
 * tests), the package manifest and lock file (dependency versions), and Node's version.
 */
export function codeIdentity(): string {
  if (identity !== undefined) return identity;
  const h = createHash("sha256").update(process.version);
  const compilerRoot = dirname(dirname(fileURLToPath(import.meta.url)));
  const walk = (dir: string): void => {
    for (const e of readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
      const p = join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.isFile()) h.update(`\0${p}\0`).update(readFileSync(p));
    }
  };
  walk(compilerRoot);
  for (let dir = compilerRoot, i = 0; i < 6; i++, dir = dirname(dir)) {
    if (!existsSync(join(dir, "package.json"))) continue;
    h.update(readFileSync(join(dir, "package.json")));
    if (existsSync(join(dir, "package-lock.json"))) h.update(readFileSync(join(dir, "package-lock.json")));
    break;
  }
  return (identity = h.digest("hex"));
}
