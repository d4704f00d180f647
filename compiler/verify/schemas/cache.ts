// The download cache: one file per URL, named by the URL's hash. Entries are written to a
// temporary file and renamed into place, so a concurrent run (or a crash mid-write) never leaves a
// partial entry under the final name; two runs writing the same URL both write whole files and
// the last rename wins. A 404 is remembered too, so a warm run asks nothing of the network for
// kinds a catalogue does not have.
import { createHash, randomBytes } from "node:crypto";
import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { dirname, isAbsolute, join } from "node:path";

/** A remembered 404 is trusted this long online (forever with --offline), then asked again. */
const MISSING_TTL_MS = 24 * 60 * 60 * 1000;

export type CacheHit = { kind: "schema"; schema: Record<string, unknown>; digest: string } | { kind: "missing" };

/** `$XDG_CACHE_HOME/berth`, else `<root>/node_modules/.cache/berth` (where npm tools keep theirs). */
export function cacheDir(root: string, env: Record<string, string | undefined>): string {
  const xdg = env.XDG_CACHE_HOME;
  return xdg && isAbsolute(xdg) ? join(xdg, "berth") : join(root, "node_modules", ".cache", "berth");
}

export class SchemaCache {
  /** Parsed schemas by content: catalogues serve one file under many URLs (one per Kubernetes version). */
  private readonly parsed = new Map<string, Record<string, unknown>>();

  constructor(
    readonly dir: string,
    private readonly now: () => number = Date.now,
  ) {}

  /** The JSON object a text holds, parsed once per distinct content, or undefined. */
  intern(text: string): { schema: Record<string, unknown>; digest: string } | undefined {
    const digest = createHash("sha256").update(text).digest("hex");
    let schema = this.parsed.get(digest);
    if (!schema) {
      let value: unknown;
      try {
        value = JSON.parse(text);
      } catch {
        return undefined;
      }
      if (typeof value !== "object" || value === null || Array.isArray(value)) return undefined;
      this.parsed.set(digest, (schema = value as Record<string, unknown>));
    }
    return { schema, digest };
  }

  private base(url: string): string {
    const hash = createHash("sha256").update(url).digest("hex").slice(0, 32);
    const name = url
      .slice(url.lastIndexOf("/") + 1)
      .replace(/\.json$/, "")
      .replace(/[^A-Za-z0-9._-]/g, "_")
      .slice(0, 80);
    return join(this.dir, "schemas", `${hash}-${name}`);
  }

  /**
   * The cached answer for a URL, or undefined when there is none to trust: absent, unreadable, not
   * a JSON object (a corrupt entry is dropped so the next download replaces it), or a 404 older
   * than a day when `offline` is false.
   */
  read(url: string, offline: boolean): CacheHit | undefined {
    const base = this.base(url);
    let text: string | undefined;
    try {
      text = readFileSync(base + ".json", "utf8");
    } catch {
      // not cached
    }
    if (text !== undefined) {
      const hit = this.intern(text);
      if (hit) return { kind: "schema", ...hit };
      rmSync(base + ".json", { force: true });
    }
    try {
      const at = Number(JSON.parse(readFileSync(base + ".404", "utf8")).at);
      if (offline || (Number.isFinite(at) && this.now() - at < MISSING_TTL_MS)) return { kind: "missing" };
    } catch {
      // no remembered 404
    }
    return undefined;
  }

  writeSchema(url: string, body: string): void {
    const base = this.base(url);
    keepFile(base + ".json", body);
    rmSync(base + ".404", { force: true });
  }

  writeMissing(url: string): void {
    keepFile(this.base(url) + ".404", JSON.stringify({ url, at: this.now() }) + "\n");
  }
}

/**
 * Writes a cache entry whole or not at all: to a temporary file in its folder (made when absent),
 * then renamed into place, so a concurrent run or a crash never leaves part of an entry under its
 * name. Best effort, for every cache under cacheDir: false when the disk refused (read-only, full),
 * which costs a later run its reuse, never this one.
 */
export function keepFile(path: string, content: string): boolean {
  const tmp = `${path}.${process.pid}.${randomBytes(6).toString("hex")}.tmp`;
  try {
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(tmp, content);
    renameSync(tmp, path);
    return true;
  } catch {
    try {
      rmSync(tmp, { force: true });
    } catch {
      // the folder could not be made: there is no temp file
    }
    return false;
  }
}
