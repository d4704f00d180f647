// `npm run bench`: generates fleets, then measures render (cold and no-op), check and the
// near-limit baseline on each, every run in its own child process, and prints a Markdown table.
// Figures, not pass/fail: the targets of issue 8 are shown next to the measured ratios.
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { cpus, tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import type { FleetOptions } from "./fleet.js";
import { fleetOptionsFrom, writeFleet } from "./generate.js";
import { median, rssSource, runNode, type Sample } from "./measure.js";
import { formatReport, type SizeResult, type Step } from "./report.js";
import { CATALOGUE_TEMPLATE, seedUrlCache } from "./url-cache.js";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const BERTH = join(ROOT, "bin", "berth.js");
const BASELINE = join(ROOT, "dist", "bench", "baseline.js");
const FLOOR = join(ROOT, "dist", "bench", "floor.js");

const USAGE = `usage: npm run bench -- [--sizes 1000,5000] [--runs N] [--versions 2] [--clusters 3] [--tenants T] [--seed S]
                       [--schemas DIR] [--dir DIR] [--keep] [--profile DIR] [--json FILE]`;

function main(argv: string[]): number {
  const { values } = parseArgs({
    args: argv,
    options: {
      sizes: { type: "string", default: "1000,5000" },
      runs: { type: "string", default: "1" },
      versions: { type: "string" },
      clusters: { type: "string" },
      tenants: { type: "string" },
      seed: { type: "string" },
      schemas: { type: "string" },
      dir: { type: "string" },
      keep: { type: "boolean", default: false },
      profile: { type: "string" },
      json: { type: "string" },
      help: { type: "boolean", short: "h" },
    },
  });
  if (values.help) {
    process.stdout.write(USAGE + "\n");
    return 0;
  }
  const sizes = values.sizes.split(",").map((s) => Number(s.trim().replace(/_/g, "")));
  if (sizes.some((n) => !Number.isInteger(n) || n < 1)) throw new Error(`--sizes takes whole numbers separated by commas (got ${values.sizes})`);
  const runs = Number(values.runs);
  if (!Number.isInteger(runs) || runs < 1) throw new Error(`--runs must be a whole number >= 1 (got ${values.runs})`);
  const schemas = resolve(values.schemas ?? process.env.BERTH_SCHEMAS ?? join(ROOT, "..", "shared", "schemas"));
  if (!existsSync(schemas)) throw new Error(`no schema folder at ${schemas}: pass --schemas DIR (strict schemas, as for berth --schemas)`);
  if (!existsSync(join(ROOT, "dist", "compiler", "cli.js"))) throw new Error("dist/ is missing: run `npm ci` (or `npm run build`) first");

  const work = values.dir ? resolve(values.dir) : mkdtempSync(join(tmpdir(), "berth-bench-"));
  mkdirSync(work, { recursive: true });
  const results: SizeResult[] = [];
  const env = { node: process.version, cpus: cpus().length, cpu: cpus()[0]?.model.trim() ?? "unknown", runs, rss: rssSource() };
  try {
    for (const models of sizes) {
      const fleet = fleetOptionsFrom({ tenants: values.tenants, versions: values.versions, clusters: values.clusters, seed: values.seed }, models);
      results.push(measureFleet(work, fleet, schemas, runs));
      if (values.profile) profileRender(work, fleet, schemas, resolve(values.profile));
    }
    process.stdout.write(formatReport(results, env));
    if (values.json) writeFileSync(values.json, JSON.stringify({ env, results }, null, 2) + "\n");
  } finally {
    if (!values.dir && !values.keep) {
      log(`removing ${work}`);
      rmSync(work, { recursive: true, force: true });
    }
  }
  return 0;
}

/**
 * Each run renders a fresh copy of the fleet, and every measured step starts after `sync`: the
 * writeback of the previous step's files, and the aftermath of deleting a tree of 100,000 files,
 * otherwise land in the next step's time (seen here: a cold render's system time went from 0.7 s
 * to 9 s right after an `rm -rf` of the previous output). Nothing is deleted until the end.
 */
function measureFleet(work: string, fleet: FleetOptions, schemas: string, runs: number): SizeResult {
  const samples: Record<
    "render" | "warmRender" | "noop" | "warm" | "check" | "baseline" | "parse" | "translate" | "compile" | "edit" | "diff" | "diffCold",
    Step[]
  > = {
    render: [],
    warmRender: [],
    noop: [],
    warm: [],
    check: [],
    baseline: [],
    parse: [],
    translate: [],
    compile: [],
    edit: [],
    diff: [],
    diffCold: [],
  };
  let files = 0;
  let specs = 0;
  for (let i = 0; i < runs; i++) {
    const repo = join(work, `fleet-${fleet.models}-run-${i + 1}`);
    const out = join(work, `baseline-${fleet.models}-run-${i + 1}`);
    mkdirSync(repo, { recursive: true });
    specs = writeFleet(fleet, repo); // replaces an earlier fleet when --dir is reused
    rmSync(out, { recursive: true, force: true });
    if (i === 0) log(`fleet of ${fleet.models} models: ${specs} spec files in ${repo}`);
    // The compiled-validator cache starts empty for the cold render; the later steps find it warm.
    const validators = { XDG_CACHE_HOME: join(work, `validators-${fleet.models}-run-${i + 1}`) };
    rmSync(validators.XDG_CACHE_HOME, { recursive: true, force: true });
    const cold = berth(repo, "render", schemas, [], validators);
    files = writtenCount(cold);
    samples.render.push(step(cold, files));
    // The same render into an empty output of a second copy of the fleet, with the validator cache
    // the cold render left: what CI's render costs once actions/cache restores the cache.
    const second = join(work, `fleet-${fleet.models}-run-${i + 1}-warm`);
    mkdirSync(second, { recursive: true });
    writeFleet(fleet, second);
    const warmRender = berth(second, "render", schemas, [], validators);
    samples.warmRender.push(step(warmRender, writtenCount(warmRender)));
    const noop = berth(repo, "render", schemas, [], validators);
    samples.noop.push(step(noop, writtenCount(noop)));
    // The same no-op render with the schemas from a URL template, all in the download cache.
    const cacheHome = join(work, `cache-${fleet.models}-run-${i + 1}`);
    seedUrlCache(repo, schemas, cacheHome);
    const warm = berth(repo, "render", CATALOGUE_TEMPLATE, [], { XDG_CACHE_HOME: cacheHome }, ["--offline"]);
    samples.warm.push(step(warm, writtenCount(warm)));
    samples.check.push(step(berth(repo, "check", schemas, [], validators)));
    samples.baseline.push(baseline(repo, out));
    // The render's work in layers, in memory: where its time goes beside the baseline's.
    const expected = { specs, files };
    samples.parse.push(floor(repo, "parse", schemas, validators, expected).step);
    const translate = floor(repo, "translate", schemas, validators, expected);
    samples.translate.push(translate.step);
    samples.compile.push(floor(repo, "compile", schemas, validators, { ...expected, chars: translate.chars }).step);
    // Last, since it changes one model file: what a registry's release costs on this fleet, then
    // what the pull request's `berth diff` of that one-model change costs.
    commitSpecs(repo);
    samples.edit.push(step(berthEdit(repo, schemas, validators)));
    samples.diff.push(step(berth(repo, "diff", schemas, [], validators, ["--base", "HEAD"])));
    // The same diff where nothing kept the base's findings (a base main's CI did not check today).
    rmSync(join(validators.XDG_CACHE_HOME, "berth", "results"), { recursive: true, force: true });
    samples.diffCold.push(step(berth(repo, "diff", schemas, [], validators, ["--base", "HEAD"])));
    log(
      `  run ${i + 1}/${runs}: render ${ms(samples.render[i]!)}, render with a warm validator cache ${ms(samples.warmRender[i]!)}, no-op ${ms(samples.noop[i]!)}, no-op from the URL cache ${ms(samples.warm[i]!)}, check ${ms(samples.check[i]!)}, baseline ${ms(samples.baseline[i]!)}, parse ${ms(samples.parse[i]!)}, translate ${ms(samples.translate[i]!)}, compile ${ms(samples.compile[i]!)}, model add-version ${ms(samples.edit[i]!)}, diff ${ms(samples.diff[i]!)}, diff with nothing kept ${ms(samples.diffCold[i]!)}`,
    );
  }
  const pick = (list: Step[]): Step => ({
    wallMs: median(list.map((s) => s.wallMs)),
    cpuMs: median(list.map((s) => s.cpuMs)),
    rssKiB: median(list.map((s) => s.rssKiB)),
    written: list[0]!.written,
  });
  return {
    fleet: { ...fleet, specs },
    outputFiles: files,
    render: pick(samples.render),
    warmRender: pick(samples.warmRender),
    noop: pick(samples.noop),
    warm: pick(samples.warm),
    check: pick(samples.check),
    baseline: pick(samples.baseline),
    layers: { parse: pick(samples.parse), translate: pick(samples.translate), compile: pick(samples.compile) },
    edit: pick(samples.edit),
    diff: pick(samples.diff),
    diffCold: pick(samples.diffCold),
  };
}

/** Flushes dirty pages to disk, so that one step's writes are not paid for by the next. */
function settle(): void {
  spawnSync("sync");
}

/** Runs a berth command on the fleet; a failure stops the benchmark with berth's own output. */
function berth(
  repo: string,
  command: string,
  schemas: string,
  nodeArgs: readonly string[] = [],
  env: Record<string, string> = {},
  extra: readonly string[] = [],
): Sample {
  settle();
  const s = runNode(nodeArgs, [BERTH, command, "--root", repo, "--schemas", schemas, ...extra], repo, env);
  if (s.code !== 0) throw new Error(`berth ${command} failed on ${repo} (exit ${s.code}):\n${(s.stderr + s.stdout).split("\n").slice(0, 40).join("\n")}`);
  return s;
}

/** The specs as one git commit, so `berth diff --base HEAD` has a base revision. */
function commitSpecs(repo: string): void {
  const git = (...args: string[]) => {
    const r = spawnSync("git", ["-c", "user.name=bench", "-c", "user.email=bench@example.com", "-c", "commit.gpgsign=false", ...args], {
      cwd: repo,
      encoding: "utf8",
    });
    if (r.status !== 0) throw new Error(`git ${args[0]} failed in ${repo}: ${r.stderr}`);
  };
  rmSync(join(repo, ".git"), { recursive: true, force: true });
  git("init", "-q");
  git("add", "platform", "tenants", "models");
  git("commit", "-q", "-m", "fleet");
}

/** `berth model add-version` of a new version with a 10 % canary, on the fleet's first model. */
function berthEdit(repo: string, schemas: string, env: Record<string, string> = {}): Sample {
  settle();
  const tenant = readdirSync(join(repo, "models")).sort()[0]!;
  const model = readdirSync(join(repo, "models", tenant))
    .sort()[0]!
    .replace(/\.yaml$/, "");
  const args = [
    "model",
    "add-version",
    model,
    "v99.0.0",
    "--artifact",
    `s3://ml-models/${model}/99.0.0/`,
    "--traffic",
    "10",
    "--root",
    repo,
    "--schemas",
    schemas,
  ];
  const s = runNode([], [BERTH, ...args], repo, env);
  if (s.code !== 0)
    throw new Error(`berth ${args.slice(0, 3).join(" ")} failed on ${repo} (exit ${s.code}):\n${(s.stderr + s.stdout).split("\n").slice(0, 40).join("\n")}`);
  return s;
}

function baseline(repo: string, out: string): Step {
  settle();
  const s = runNode(["--expose-gc"], [BASELINE, "--root", repo, "--out", out], repo);
  if (s.code !== 0) throw new Error(`baseline failed on ${repo} (exit ${s.code}):\n${s.stderr}`);
  const r = JSON.parse(s.stdout.trim().split("\n").pop()!) as { untimedMs: number; untimedCpuMs: number; files: number };
  // The untimed part (building the objects) is taken off the child's wall and CPU time.
  return { wallMs: s.wallMs - r.untimedMs, cpuMs: s.cpuMs - r.untimedCpuMs, rssKiB: s.rssKiB, written: r.files };
}

/** The layers bench/floor.ts runs. */
type Layer = "parse" | "translate" | "compile";

/**
 * One layer of the render's work (floor.ts) in a child process of its own. The parse layer must
 * have read the fleet's specs, the others made the files the cold render wrote into an empty
 * output (`files`, CODEOWNERS included), and compile as many characters as translate (`chars`).
 */
function floor(repo: string, layer: Layer, schemas: string, env: Record<string, string>, expected: { specs: number; files: number; chars?: number }) {
  settle();
  const s = runNode([], [FLOOR, "--root", repo, "--layer", layer, "--schemas", schemas], repo, env);
  if (s.code !== 0) throw new Error(`floor ${layer} failed on ${repo} (exit ${s.code}):\n${s.stderr}`);
  const r = JSON.parse(s.stdout.trim().split("\n").pop()!) as { specs?: number; files?: number; chars?: number };
  const wrong = (what: string, got: unknown, want: unknown) => new Error(`floor ${layer} on ${repo}: ${what} ${String(got)}, expected ${String(want)}`);
  if (layer === "parse" && r.specs !== expected.specs) throw wrong("parsed specs", r.specs, expected.specs);
  if (layer !== "parse" && r.files !== expected.files) throw wrong("files made", r.files, expected.files);
  if (expected.chars !== undefined && r.chars !== expected.chars) throw wrong("characters made", r.chars, `${expected.chars} (translate's)`);
  return { step: step(s), chars: r.chars };
}

function profileRender(work: string, fleet: FleetOptions, schemas: string, dir: string): void {
  const repo = join(work, `fleet-${fleet.models}-profile`);
  mkdirSync(repo, { recursive: true });
  writeFleet(fleet, repo);
  rmSync(join(repo, "clusters"), { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const before = new Set(readdirSync(dir));
  berth(repo, "render", schemas, ["--cpu-prof", "--cpu-prof-dir", dir]);
  const made = readdirSync(dir).filter((f) => !before.has(f));
  log(`  cpu profile of a cold render of ${fleet.models} models: ${made.map((f) => join(dir, f)).join(", ")}`);
}

function step(s: Sample, written?: number): Step {
  return { wallMs: s.wallMs, cpuMs: s.cpuMs, rssKiB: s.rssKiB, written };
}

/** "berth render: 30001 files: 30001 written, 0 removed, 0 unchanged; ..." -> 30001 */
function writtenCount(s: Sample): number {
  const m = /(\d+) written/.exec(s.stdout);
  if (!m) throw new Error(`cannot read the number of files written from: ${s.stdout}`);
  return Number(m[1]);
}

function ms(s: Step): string {
  return `${(s.wallMs / 1000).toFixed(2)} s`;
}

function log(line: string): void {
  process.stderr.write(line + "\n");
}

try {
  process.exitCode = main(process.argv.slice(2));
} catch (e) {
  process.stderr.write(`bench: ${(e as Error).message}\n`);
  process.exitCode = 1;
}
