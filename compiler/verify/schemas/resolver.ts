// Finds the strict schema of a kind at an ordered list of locations: the first location that has
// it wins. Folders are read on demand, synchronously, as compile needs them. URLs are resolved
// before compile (`prefetch`, from the cache or the network, in parallel); compile then only
// reads what prefetch left in memory, or the cache.
import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import type { SpecRef } from "../../diagnostics.js";
import { SchemaCache, type CacheHit } from "./cache.js";
import { DEFAULT_TIMEOUT_MS, download, limiter, type Download } from "./download.js";
import { candidates, folderRoot, normalizedVersion, type Location, type SchemaKey } from "./locations.js";

export interface PlacedLocation extends Location {
  /** Where the location was given: its line in berth.config.yaml, or --schemas. */
  readonly at: SpecRef;
}

export type SchemaProblem = { code: "BERTH0041" | "BERTH0042"; subject: string; reason: string; message: string; at: SpecRef };

export type Resolution =
  | { found: true; id: string; schema: Record<string, unknown>; /** sha256 of the schema's bytes. */ digest: string }
  | { found: false; tried: string[]; problem?: SchemaProblem };

export interface ResolverOptions {
  readonly cache?: SchemaCache;
  readonly offline?: boolean;
  readonly timeoutMs?: number;
  /** Requests under way at once. */
  readonly concurrency?: number;
}

type UrlState = CacheHit | Exclude<Download, { kind: "schema" | "missing" }> | { kind: "uncached" };

export class SchemaResolver {
  private readonly files = new Map<string, Resolution>();
  private readonly urls = new Map<string, UrlState>();
  private readonly resolved = new Map<string, Resolution>();
  /** The key of each lookup made, by the same id as `resolved`. */
  private readonly asked = new Map<string, SchemaKey>();
  /** Folders that are absent or hold no schema: skipped, and an error when nothing follows them. */
  readonly unusable: { location: PlacedLocation; why: string }[] = [];
  private readonly usable: PlacedLocation[];
  private readonly skipped: string[] = [];

  constructor(
    readonly locations: readonly PlacedLocation[],
    private readonly opts: ResolverOptions = {},
  ) {
    this.usable = locations.filter((loc, i) => {
      if (loc.type !== "folder") return true;
      const why = folderProblem(loc);
      if (!why) return true;
      // A folder followed by a URL is a local copy this machine may lack: the catalogue serves.
      if (!locations.slice(i + 1).some((l) => l.type === "url")) this.unusable.push({ location: loc, why });
      else this.skipped.push(`${loc.raw} (${why})`);
      return false;
    });
  }

  /** The schema of a kind, or what was tried. Never touches the network. */
  lookup(key: SchemaKey): Resolution {
    const id = `${key.apiVersion}|${key.kind}|${normalizedVersion(key.k8sVersion)}`;
    let r = this.resolved.get(id);
    if (!r) {
      this.resolved.set(id, (r = this.walk(key)));
      this.asked.set(id, { apiVersion: key.apiVersion, kind: key.kind, ...(key.k8sVersion === undefined ? {} : { k8sVersion: key.k8sVersion }) });
    }
    return r;
  }

  /**
   * What the findings of a validation over these locations depend on besides the objects: the
   * locations themselves, those skipped or unusable, and each lookup made so far with what it
   * found (a schema's digest, or what was tried and why it failed). result-cache.ts keeps it with
   * a compile's findings, and `answersAsBefore` proves them still true.
   */
  get setting(): string {
    return JSON.stringify([this.locations.map((l) => [l.type, l.raw, l.template, l.at]), this.unusable.map((u) => [u.location.raw, u.why]), this.skipped]);
  }

  /** Every lookup made so far, with what it found, as `answersAsBefore` compares them. */
  lookups(): [SchemaKey, string][] {
    return [...this.asked].map(([id, key]) => [key, answer(this.resolved.get(id)!)]);
  }

  /** Whether each lookup would find what it found before (reading what it must to tell). */
  answersAsBefore(lookups: readonly (readonly [SchemaKey, string])[]): boolean {
    return lookups.every(([key, before]) => answer(this.lookup(key)) === before);
  }

  private walk(key: SchemaKey): Resolution {
    const tried = [...this.skipped];
    for (const loc of this.usable) {
      for (const target of candidates(loc, key)) {
        const r = loc.type === "folder" ? this.readFile(target, loc) : this.fromUrl(target, loc);
        if (r.found || r.problem) return r;
        tried.push(...r.tried);
      }
    }
    return { found: false, tried };
  }

  private readFile(path: string, loc: PlacedLocation): Resolution {
    let r = this.files.get(path);
    if (r) return r;
    if (!existsSync(path)) r = { found: false, tried: [`${path} (no such file)`] };
    else {
      let parsed: unknown;
      let why: string | undefined;
      let digest = "";
      try {
        const text = readFileSync(path, "utf8");
        digest = createHash("sha256").update(text).digest("hex");
        parsed = JSON.parse(text);
        if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) why = "is not a JSON object";
      } catch (e) {
        why = (e as NodeJS.ErrnoException).code ? `cannot be read (${(e as NodeJS.ErrnoException).code})` : `is not valid JSON (${(e as Error).message})`;
      }
      r = why
        ? { found: false, tried: [path], problem: { code: "BERTH0042", subject: path, reason: why, message: `schema file ${path} ${why}`, at: loc.at } }
        : { found: true, id: path, schema: parsed as Record<string, unknown>, digest };
    }
    this.files.set(path, r);
    return r;
  }

  private fromUrl(url: string, loc: PlacedLocation): Resolution {
    let state = this.urls.get(url);
    if (!state) {
      // Not prefetched (a kind berth could not foresee): only the cache can answer now.
      const hit = this.opts.cache?.read(url, true);
      state = hit ?? { kind: "uncached" };
      this.urls.set(url, state);
    }
    switch (state.kind) {
      case "schema":
        // Keyed by content, so one schema served under several URLs is compiled once.
        return { found: true, id: `sha256:${state.digest}`, schema: state.schema, digest: state.digest };
      case "missing":
        return { found: false, tried: [`${url} (404)`] };
      case "uncached":
        return { found: false, tried: [`${url} (${this.opts.offline ? "not in the cache; --offline" : "not downloaded"})`] };
      case "malformed":
        return {
          found: false,
          tried: [url],
          problem: { code: "BERTH0042", subject: url, reason: state.reason, message: `schema at ${url} is malformed: ${state.reason}`, at: loc.at },
        };
      case "failed":
        return {
          found: false,
          tried: [url],
          problem: { code: "BERTH0041", subject: url, reason: state.reason, message: `cannot download ${url}: ${state.reason}`, at: loc.at },
        };
    }
  }

  /**
   * Resolves every URL the given kinds may need, so lookup() finds them in memory: the cache
   * first, then the network (each URL once, in parallel), stopping per kind at the first location
   * that has it. Reports progress as (downloads finished, downloads started).
   */
  async prefetch(keys: readonly SchemaKey[], progress?: (done: number, total: number) => void): Promise<void> {
    const inflight = new Map<string, Promise<UrlState>>();
    const limit = limiter(this.opts.concurrency ?? 8);
    let started = 0;
    let done = 0;
    const fetchOnce = (url: string): Promise<UrlState> => {
      const known = this.urls.get(url);
      if (known) return Promise.resolve(known);
      let p: Promise<UrlState> | undefined = inflight.get(url);
      if (!p) {
        const hit = this.opts.cache?.read(url, this.opts.offline ?? false);
        if (hit || this.opts.offline) p = Promise.resolve(hit ?? { kind: "uncached" as const });
        else {
          started++;
          progress?.(done, started);
          p = limit(() => download(url, this.opts.timeoutMs ?? DEFAULT_TIMEOUT_MS)).then((d) => {
            progress?.(++done, started);
            if (d.kind === "missing") this.opts.cache?.writeMissing(url);
            if (d.kind !== "schema") return d;
            this.opts.cache?.writeSchema(url, d.body);
            const parsed = (this.opts.cache ?? new SchemaCache("")).intern(d.body)!;
            return { kind: "schema", ...parsed };
          });
        }
        inflight.set(
          url,
          p.then((s) => (this.urls.set(url, s), s)),
        );
      }
      return inflight.get(url)!;
    };
    const one = async (key: SchemaKey): Promise<void> => {
      for (const loc of this.usable)
        for (const target of candidates(loc, key)) {
          if (loc.type === "folder") {
            if (existsSync(target)) return;
            continue;
          }
          const s = await fetchOnce(target);
          if (s.kind !== "missing" && s.kind !== "uncached") return;
        }
    };
    await Promise.all(keys.map(one));
  }
}

function folderProblem(loc: Location): string | undefined {
  const root = folderRoot(loc);
  try {
    if (!statSync(root).isDirectory()) return `${root} is not a folder`;
    if (loc.flat && !readdirSync(root).some((n) => n.endsWith(".json"))) return `schema folder ${root} holds no schema (*.json) files`;
  } catch {
    return `schema folder ${root} does not exist`;
  }
  return undefined;
}

/** A resolution without the schema itself: its identity and content digest, or what was tried. */
function answer(r: Resolution): string {
  return r.found ? JSON.stringify([r.id, r.digest]) : JSON.stringify([r.tried, r.problem ?? null]);
}
