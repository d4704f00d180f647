// Compiled strict validators kept between runs: ajv's standalone code for each schema's root and
// for the pieces of it a run reached (lazy-schema.ts), one file per schema under the cache
// directory, named by a hash of the schema's content, berth's and ajv's versions and the code that
// splits schemas. Compiling the pieces a fleet reaches costs ~0.3 s of CPU a run; loading their
// code costs a fraction of that.
//
// Safe to share: an entry is written to a temporary file and renamed into place, so a reader sees
// a whole entry or none, and two runs that write one entry both write whole files (the last rename
// wins; either is correct). An entry that does not parse, or whose checksum does not match its
// code, is ignored and replaced on the next write.
import { createHash } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { dirname, isAbsolute, join } from "node:path";
import { fileURLToPath } from "node:url";
import type { CodeStore, StoredUnit } from "../lazy-schema.js";
import { cacheDir, keepFile } from "./cache.js";

const FORMAT = 1;

/**
 * The store for a repository: under `$XDG_CACHE_HOME/berth` when that is set, else under the
 * repository's `node_modules/.cache/berth` only when `node_modules` exists; a repository without
 * one (a bare spec checkout) gets no cache folder made in it, and compiles each run.
 */
export function compiledCacheFor(root: string, env: Record<string, string | undefined>): CompiledCache | undefined {
  const dir = keptCacheDir(root, env);
  return dir === undefined ? undefined : new CompiledCache(dir);
}

/** cache.ts's cacheDir, unless that would make a folder in a repository without `node_modules`. */
export function keptCacheDir(root: string, env: Record<string, string | undefined>): string | undefined {
  const xdg = env.XDG_CACHE_HOME;
  return (xdg && isAbsolute(xdg)) || existsSync(join(root, "node_modules")) ? cacheDir(root, env) : undefined;
}

export class CompiledCache implements CodeStore {
  private readonly dir: string;
  private readonly salt: string;

  /** `cacheRoot`: the cache directory (cache.ts's cacheDir). */
  constructor(cacheRoot: string, salt: string = codeVersion()) {
    this.dir = join(cacheRoot, "validators");
    this.salt = salt;
  }

  /** The entry name for a schema's content digest compiled with these options. */
  key(digest: string, options: string): string {
    return createHash("sha256").update(`${FORMAT}\0${this.salt}\0${options}\0${digest}`).digest("hex").slice(0, 40);
  }

  read(key: string): StoredUnit | undefined {
    let text: string;
    try {
      text = readFileSync(this.path(key), "utf8");
    } catch {
      return undefined;
    }
    try {
      const entry = JSON.parse(text) as { format?: unknown; key?: unknown; sum?: unknown; root?: unknown; pieces?: unknown };
      if (entry.format !== FORMAT || entry.key !== key || typeof entry.root !== "string" || typeof entry.pieces !== "object" || entry.pieces === null)
        return undefined;
      const unit = { root: entry.root, pieces: entry.pieces as Record<string, string> };
      if (!Object.values(unit.pieces).every((c) => typeof c === "string") || entry.sum !== checksum(unit)) return undefined;
      return unit;
    } catch {
      return undefined;
    }
  }

  /** Best effort: a read-only or full disk costs the next run a compile, never this run. */
  write(key: string, unit: StoredUnit): void {
    keepFile(this.path(key), JSON.stringify({ format: FORMAT, key, sum: checksum(unit), root: unit.root, pieces: unit.pieces }));
  }

  private path(key: string): string {
    return join(this.dir, `${key}.json`);
  }
}

function checksum(unit: StoredUnit): string {
  const h = createHash("sha256").update(unit.root);
  for (const k of Object.keys(unit.pieces).sort((a, b) => Number(a) - Number(b))) h.update(`\0${k}\0${unit.pieces[k]}`);
  return h.digest("hex");
}

let version: string | undefined;

/**
 * What the stored code depends on besides the schema: berth's and ajv's versions and the source of
 * the splitter (so a changed build never loads code made by another).
 */
export function codeVersion(): string {
  if (version !== undefined) return version;
  const h = createHash("sha256");
  const here = dirname(fileURLToPath(import.meta.url));
  for (const file of [join(here, "..", "lazy-schema.js"), join(here, "..", "lazy-schema.ts"), join(here, "..", "strict.js"), join(here, "..", "strict.ts")]) {
    try {
      h.update(readFileSync(file));
    } catch {
      // the compiled build has .js, the tests the .ts sources
    }
  }
  for (let dir = here, i = 0; i < 6; i++, dir = dirname(dir)) {
    try {
      h.update(readFileSync(join(dir, "package.json")));
      break;
    } catch {
      // not here
    }
  }
  try {
    h.update(readFileSync(join(dirname(fileURLToPath(import.meta.resolve("ajv"))), "..", "package.json")));
  } catch {
    // ajv's own version is in its code's behaviour; the lock file pins it
  }
  return (version = h.digest("hex"));
}
