// The benchmark's in-memory layers (bench/floor.ts): the layer without checks and the compile with
// every check make the very output a render writes, so the difference between them is the checks'
// time and nothing else; and the report shows the layers beside the baseline.
import { spawnSync } from "node:child_process";
import { readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { join } from "node:path";
import { writeFleet } from "../../bench/generate.js";
import { formatReport, type SizeResult, type Step } from "../../bench/report.js";
import { main } from "../../compiler/cli.js";
import { REPO_ROOT, SCHEMAS_DIR, strictTest, tempRepo } from "../helpers/fixture.js";

function floor(repo: string, layer: string): { files: number; bytes: number } {
  const run = spawnSync(process.execPath, [join(REPO_ROOT, "dist/bench/floor.js"), "--root", repo, "--layer", layer, "--schemas", SCHEMAS_DIR], {
    encoding: "utf8",
    env: { ...process.env, XDG_CACHE_HOME: join(repo, ".cache") },
  });
  expect(run.stderr).toBe("");
  expect(run.status).toBe(0);
  return JSON.parse(run.stdout) as { files: number; bytes: number };
}

/** Files and characters below `dir`, as the layers count them (UTF-16 code units of the text). */
function outputOf(dir: string): { files: number; bytes: number } {
  let files = 0;
  let bytes = 0;
  const walk = (d: string): void => {
    for (const e of readdirSync(d)) {
      const abs = join(d, e);
      if (statSync(abs).isDirectory()) walk(abs);
      else {
        files++;
        bytes += readFileSync(abs, "utf8").length;
      }
    }
  };
  walk(join(dir, "clusters"));
  walk(join(dir, ".github"));
  return { files, bytes };
}

// The compile layer validates strictly, as render does: it needs the shared schemas.
strictTest("translate and compile make exactly the files render writes; parse makes none", async () => {
  const repo = tempRepo({});
  try {
    writeFleet({ tenants: 2, models: 6, versions: 2, clusters: 2, seed: 3 }, repo);
    const sink = { write: () => true };
    const code = await main(["render", "--root", repo, "--schemas", SCHEMAS_DIR], {
      cwd: repo,
      env: { XDG_CACHE_HOME: join(repo, ".cache") },
      stdout: sink,
      stderr: sink,
    });
    expect(code).toBe(0);
    const written = outputOf(repo);
    expect(written.files).toBeGreaterThan(50);
    expect(floor(repo, "translate")).toEqual({ layer: "translate", ...written });
    expect(floor(repo, "compile")).toEqual({ layer: "compile", ...written });
    expect(floor(repo, "parse")).toEqual({ layer: "parse", files: 0, bytes: 0 });
  } finally {
    rmSync(repo, { recursive: true, force: true });
  }
});

test("a layer that is not one of the three is refused", () => {
  const run = spawnSync(process.execPath, [join(REPO_ROOT, "dist/bench/floor.js"), "--root", REPO_ROOT, "--layer", "everything"], { encoding: "utf8" });
  expect(run.status).not.toBe(0);
  expect(run.stderr).toContain("--layer (parse, translate, compile)");
});

test("the report puts the layers beside the baseline, as ratios of it", () => {
  const s = (wallMs: number): Step => ({ wallMs, cpuMs: wallMs, rssKiB: 1024, written: 0 });
  const result: SizeResult = {
    fleet: { tenants: 1, models: 1000, versions: 2, clusters: 3, seed: 1, specs: 1029 },
    outputFiles: 38008,
    render: s(10000),
    warmRender: s(9000),
    noop: s(9000),
    check: s(9000),
    baseline: s(2000),
    layers: { parse: s(500), translate: s(4000), compile: s(7000) },
    edit: s(7000),
  };
  const report = formatReport([result], { node: "v20", cpus: 2, cpu: "x", runs: 1, rss: "test" });
  expect(report).toContain("| in memory, render's work without checks / baseline (no check, nothing written) | 2.00× |");
  expect(report).toContain("| in memory, render's compile with every check / baseline (nothing written) | 3.50× |");
  expect(report).toContain("| render (validator cache warm) − in-memory compile: compare and write | 2.00 s |");
  expect(report).toContain("| baseline − in-memory parse: its writes | 1.50 s |");
});
