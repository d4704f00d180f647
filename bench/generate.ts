// `node dist/bench/generate.js --tenants T --models N --versions V --clusters C --seed S --out DIR`:
// writes a valid spec repository (platform/, tenants/, models/) for the benchmark.
import { existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { parseArgs } from "node:util";
import { generateFleet, type FleetOptions } from "./fleet.js";

/** Marks a folder as a generated fleet, so a later run may replace it. */
const MARKER = ".berth-fleet";
const SPEC_DIRS = ["platform", "tenants", "models", "clusters", ".github"];

/** Writes the fleet to `out`, replacing an earlier fleet there; refuses any other non-empty folder. */
export function writeFleet(opts: FleetOptions, out: string): number {
  if (existsSync(out) && readdirSync(out).length > 0) {
    if (!existsSync(join(out, MARKER))) throw new Error(`${out} is not empty and holds no generated fleet; choose an empty folder`);
    for (const d of SPEC_DIRS) rmSync(join(out, d), { recursive: true, force: true });
  }
  const files = generateFleet(opts);
  for (const [path, text] of files) {
    mkdirSync(dirname(join(out, path)), { recursive: true });
    writeFileSync(join(out, path), text);
  }
  writeFileSync(join(out, MARKER), JSON.stringify(opts) + "\n");
  return files.size;
}

export function fleetOptionsFrom(values: Record<string, string | undefined>, models: number): FleetOptions {
  const int = (name: string, fallback: number) => {
    const raw = values[name];
    if (raw === undefined) return fallback;
    if (!/^\d+$/.test(raw)) throw new Error(`--${name} must be a whole number (got ${raw})`);
    return Number(raw);
  };
  const n = int("models", models);
  // About 50 models per tenant, as in a platform of a few dozen teams.
  return {
    models: n,
    tenants: int("tenants", Math.max(1, Math.round(n / 50))),
    versions: int("versions", 2),
    clusters: int("clusters", 3),
    seed: int("seed", 1),
  };
}

function main(argv: string[]): number {
  const { values } = parseArgs({
    args: argv,
    options: {
      tenants: { type: "string" },
      models: { type: "string" },
      versions: { type: "string" },
      clusters: { type: "string" },
      seed: { type: "string" },
      out: { type: "string" },
    },
  });
  if (!values.out) throw new Error("--out DIR is required");
  const opts = fleetOptionsFrom(values, 1000);
  const out = resolve(values.out);
  const count = writeFleet(opts, out);
  process.stdout.write(
    `generated ${count} spec files (${opts.tenants} tenants, ${opts.models} models x ${opts.versions} versions, ${opts.clusters} clusters, seed ${opts.seed}) in ${out}\n`,
  );
  return 0;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  try {
    process.exitCode = main(process.argv.slice(2));
  } catch (e) {
    process.stderr.write(`generate: ${(e as Error).message}\n`);
    process.exitCode = 2;
  }
}
