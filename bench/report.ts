// The benchmark's table, in Markdown so it can be pasted into the README as it is.
import type { FleetOptions } from "./fleet.js";

export interface Step {
  readonly wallMs: number;
  /** User + system CPU time of the process (all its threads). */
  readonly cpuMs: number;
  readonly rssKiB: number;
  readonly written?: number;
}

export interface SizeResult {
  readonly fleet: FleetOptions & { readonly specs: number };
  readonly outputFiles: number;
  readonly render: Step;
  /** A render into an empty output with the validator cache warm (the cold render's). */
  readonly warmRender?: Step;
  readonly noop: Step;
  /** The no-op render with the schemas from a URL template, served by a warm download cache. */
  readonly warm?: Step;
  readonly check: Step;
  readonly baseline: Step;
  /** The render's work in layers, in memory, each in a process of its own (floor.ts). */
  readonly layers?: { readonly parse: Step; readonly translate: Step; readonly compile: Step };
  /** `berth model add-version` with a canary: one edit, compiled with the whole fleet. */
  readonly edit: Step;
  /** `berth diff --base HEAD` after that edit: a pull request's one-model change (the base's findings kept by the check before). */
  readonly diff?: Step;
  /** The same diff with no findings kept for the base: both revisions verified. */
  readonly diffCold?: Step;
}

export interface BenchEnv {
  readonly node: string;
  readonly cpus: number;
  readonly cpu: string;
  readonly runs: number;
  readonly rss: string;
}

const n = (x: number) => x.toLocaleString("en-US");
const secs = (s: Step) => `${(s.wallMs / 1000).toFixed(2)} s`;
const cpu = (s: Step) => `${(s.cpuMs / 1000).toFixed(2)} s`;
const mib = (s: Step) => (Number.isFinite(s.rssKiB) ? `${n(Math.round(s.rssKiB / 1024))} MiB` : "n/a");
const times = (x: number) => `${x.toFixed(2)}×`;

export function formatReport(results: readonly SizeResult[], env: BenchEnv): string {
  const out: string[] = [];
  out.push(
    `berth bench: Node ${env.node}, ${env.cpus} CPUs (${env.cpu}); ${env.runs === 1 ? "one run" : `median of ${env.runs} runs`}; peak RSS from ${env.rss}`,
    "",
  );
  out.push("| fleet | step | wall | CPU | peak RSS | files written |", "|---|---|--:|--:|--:|--:|");
  for (const r of results) {
    const f = r.fleet;
    const label = `${n(f.models)} models × ${f.versions} versions × ${f.clusters} clusters (${f.tenants} tenants, ${n(f.specs)} specs, ${n(r.outputFiles)} output files)`;
    out.push(
      `| ${label} | render, cold (empty output, empty validator cache) | ${secs(r.render)} | ${cpu(r.render)} | ${mib(r.render)} | ${n(r.render.written ?? 0)} |`,
    );
    if (r.warmRender)
      out.push(
        `|  | render (empty output, validator cache warm) | ${secs(r.warmRender)} | ${cpu(r.warmRender)} | ${mib(r.warmRender)} | ${n(r.warmRender.written ?? 0)} |`,
      );
    out.push(
      `|  | render, no-op (validator cache warm, as for every later step) | ${secs(r.noop)} | ${cpu(r.noop)} | ${mib(r.noop)} | ${n(r.noop.written ?? 0)} |`,
    );
    if (r.warm)
      out.push(`|  | render, no-op, schemas from a warm URL cache³ | ${secs(r.warm)} | ${cpu(r.warm)} | ${mib(r.warm)} | ${n(r.warm.written ?? 0)} |`);
    out.push(`|  | check | ${secs(r.check)} | ${cpu(r.check)} | ${mib(r.check)} | 0 |`);
    out.push(`|  | near-limit baseline¹ | ${secs(r.baseline)} | ${cpu(r.baseline)} | ${mib(r.baseline)}² | ${n(r.baseline.written ?? 0)} |`);
    if (r.layers) {
      const { parse, translate, compile } = r.layers;
      out.push(`|  | in memory: parse the specs (the baseline's first half)⁷ | ${secs(parse)} | ${cpu(parse)} | ${mib(parse)} | 0 |`);
      out.push(`|  | in memory: render's work without its checks (plan, emit, YAML)⁷ | ${secs(translate)} | ${cpu(translate)} | ${mib(translate)} | 0 |`);
      out.push(`|  | in memory: render's compile, every check (no comparison, no write)⁷ | ${secs(compile)} | ${cpu(compile)} | ${mib(compile)} | 0 |`);
    }
    out.push(`|  | model add-version⁴ | ${secs(r.edit)} | ${cpu(r.edit)} | ${mib(r.edit)} | 1 |`);
    if (r.diff) out.push(`|  | diff of that one-model change⁵ | ${secs(r.diff)} | ${cpu(r.diff)} | ${mib(r.diff)} | 0 |`);
    if (r.diffCold) out.push(`|  | the same diff, no findings kept for the base⁶ | ${secs(r.diffCold)} | ${cpu(r.diffCold)} | ${mib(r.diffCold)} | 0 |`);
  }
  out.push("", ratioTable(results), "");
  out.push(
    "Wall is spawn to exit of the child process; CPU is its user + system time over all its threads (it moves less when other work shares the machine).",
    "¹ Parse the same spec files with `yaml`'s `parseDocument`, then write each already-built output object as JSON, one file per output file: no validation, no pretty YAML, no comparison with the disk. Wall and CPU time are the child's, minus the untimed building of the objects.",
    "² Includes the objects built (untimed) by the compiler in the same process, so it is an upper bound.",
    "³ `--schemas <https URL template> --offline` with every schema in the download cache, as a second run leaves it; the other rows read the schema folder.",
    "⁴ `berth model add-version` of a new version with `--traffic 10` on the fleet's first model: the edit, a compile of the whole fleet with it, and the atomic write of the one file.",
    "⁵ `berth diff --base HEAD` with the specs committed before that edit: both revisions compiled, compared and assessed. The check above kept the base's findings in the result cache (as main's CI does), so the base is emitted, not verified.",
    "⁶ The same diff after emptying the result cache: the base is verified too, sharing per-object findings with the working tree.",
    "⁷ bench/floor.ts, one layer per process (each pays Node's start and the JIT's warm-up, as a render does), nothing written: reading and parsing the specs; then everything render does but check, compare and write (load, parse, zod, link, plan, emit, each file's YAML); then render's compile() as render calls it (every check, the output on disk as `previous`, the result and validator caches), each file's YAML made. A render does beyond that: the CLI's setup (config, schema locations, lock, journal recovery), comparing with the disk, the atomic writes and the report. The bench stops if a layer made other files or characters than the render.",
    "",
  );
  return out.join("\n");
}

function ratioTable(results: readonly SizeResult[]): string {
  const rows: string[] = [`| ratio | ${results.map((r) => n(r.fleet.models)).join(" | ")} | target |`, `|---|${results.map(() => "--:|").join("")}---|`];
  const row = (name: string, f: (r: SizeResult) => string, target: string) => rows.push(`| ${name} | ${results.map(f).join(" | ")} | ${target} |`);
  const rendered = (r: SizeResult) => r.warmRender ?? r.render;
  row("render (validator cache warm) / baseline", (r) => times(rendered(r).wallMs / r.baseline.wallMs), "≤ 2× at 1,000 models");
  row("render (validator cache warm) / baseline, CPU time", (r) => times(rendered(r).cpuMs / r.baseline.cpuMs), "");
  row("render, cold (validator cache empty) / baseline", (r) => times(r.render.wallMs / r.baseline.wallMs), "≤ 3× at 1,000 models");
  if (results.every((r) => r.layers)) {
    row("in memory, render's work without checks / baseline (no check, nothing written)", (r) => times(r.layers!.translate.wallMs / r.baseline.wallMs), "");
    row("in memory, render's compile with every check / baseline (nothing written)", (r) => times(r.layers!.compile.wallMs / r.baseline.wallMs), "");
    row(
      "render (validator cache warm) − in-memory compile: CLI setup, compare and write",
      (r) => `${((rendered(r).wallMs - r.layers!.compile.wallMs) / 1000).toFixed(2)} s`,
      "",
    );
    row("baseline − in-memory parse: its writes", (r) => `${((r.baseline.wallMs - r.layers!.parse.wallMs) / 1000).toFixed(2)} s`, "");
  }
  row("check / no-op render (both compile and compare, neither writes)", (r) => times(r.check.wallMs / r.noop.wallMs), "≤ 1×");
  row("model add-version / check", (r) => times(r.edit.wallMs / r.check.wallMs), "≤ 1.5× at 1,000 models");
  if (results.every((r) => r.diff)) row("diff of a one-model change / no-op render, CPU time", (r) => times(r.diff!.cpuMs / r.noop.cpuMs), "≤ 1.3×");
  row("no-op render (warm validator cache) / cold render, CPU time", (r) => times(r.noop.cpuMs / r.render.cpuMs), "");
  row("check / no-op render, CPU time", (r) => times(r.check.cpuMs / r.noop.cpuMs), "≤ 1×");
  row("no-op render / cold render", (r) => times(r.noop.wallMs / r.render.wallMs), "");
  row("files written by a no-op render", (r) => n(r.noop.written ?? 0), "0");
  if (results.every((r) => r.warm)) row("no-op render: warm URL cache / folder", (r) => times(r.warm!.wallMs / r.noop.wallMs), "≈ 1×");
  row("render peak RSS", (r) => mib(r.render), "< 1,024 MiB at 5,000 models");
  if (results.every((r) => r.diff)) row("diff of a one-model change / no-op render, wall", (r) => times(r.diff!.wallMs / r.noop.wallMs), "");
  if (results.every((r) => r.diffCold)) row("diff, no findings kept for the base / no-op render, CPU time", (r) => times(r.diffCold!.cpuMs / r.noop.cpuMs), "");
  row(
    "peak RSS, largest of all steps",
    (r) =>
      mib(
        [r.render, ...(r.warmRender ? [r.warmRender] : []), r.noop, r.check, r.edit, ...(r.diff ? [r.diff] : []), ...(r.diffCold ? [r.diffCold] : [])].reduce(
          (a, b) => (b.rssKiB > a.rssKiB ? b : a),
        ),
      ),
    "< 1,024 MiB at 5,000 models",
  );
  const base = results[0];
  if (base && results.length > 1) {
    for (const key of ["render", "check", "baseline"] as const)
      row(
        `${key} time / ${n(base.fleet.models)}-model ${key}`,
        (r) => times(r[key].wallMs / base[key].wallMs),
        key === "render" ? `≤ 5.5× for 5× the models` : "",
      );
  }
  return rows.join("\n");
}
