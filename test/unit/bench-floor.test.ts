// The benchmark's in-memory layers (bench/floor.ts): the layer without checks and the compile with
// every check each make the very files a render writes (same paths, same bytes), so the two
// layers differ in the checks' work, not in their output; the parse layer reads every spec; and
// the report shows the layers beside the baseline.
import { spawnSync } from "node:child_process";
import { readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { outputDigest } from "../../bench/digest.js";
import { writeFleet } from "../../bench/generate.js";
import { formatReport, type SizeResult, type Step } from "../../bench/report.js";
import { main } from "../../compiler/cli.js";
import { REPO_ROOT, SCHEMAS_DIR, strictTest, tempRepo } from "../helpers/fixture.js";

function floor(repo: string, layer: string): Record<string, unknown> {
  const run = spawnSync(process.execPath, [join(REPO_ROOT, "dist/bench/floor.js"), "--root", repo, "--layer", layer, "--schemas", SCHEMAS_DIR, "--digest"], {
    encoding: "utf8",
    env: { ...process.env, NODE_OPTIONS: "", XDG_CACHE_HOME: join(repo, ".cache") },
  });
  expect(run.stderr).toBe("");
  expect(run.status).toBe(0);
  return JSON.parse(run.stdout) as Record<string, unknown>;
}

/** The rendered files below `repo` (clusters/ and .github/), each with its path from `repo`. */
function renderedFiles(repo: string): [string, string][] {
  const files: [string, string][] = [];
  const walk = (d: string): void => {
    for (const e of readdirSync(d)) {
      const abs = join(d, e);
      if (statSync(abs).isDirectory()) walk(abs);
      else files.push([relative(repo, abs), readFileSync(abs, "utf8")]);
    }
  };
  walk(join(repo, "clusters"));
  walk(join(repo, ".github"));
  return files;
}

// The compile layer validates strictly, as render does: it needs the shared schemas.
strictTest("translate and compile make exactly the files render writes; parse reads every spec", async () => {
  const repo = tempRepo({});
  try {
    const specs = writeFleet({ tenants: 2, models: 6, versions: 2, clusters: 2, seed: 3 }, repo);
    const sink = { write: () => true };
    const code = await main(["render", "--root", repo, "--schemas", SCHEMAS_DIR], {
      cwd: repo,
      env: { XDG_CACHE_HOME: join(repo, ".cache") },
      stdout: sink,
      stderr: sink,
    });
    expect(code).toBe(0);
    const written = renderedFiles(repo);
    expect(written.length).toBeGreaterThan(50);
    const want = { files: written.length, chars: written.reduce((n, [, c]) => n + c.length, 0), digest: outputDigest(written) };
    expect(floor(repo, "translate")).toEqual({ layer: "translate", ...want });
    expect(floor(repo, "compile")).toEqual({ layer: "compile", ...want });
    expect(floor(repo, "parse")).toEqual({ layer: "parse", specs });
  } finally {
    rmSync(repo, { recursive: true, force: true });
  }
});

test("the digest depends on every path and every byte, not on the order files come in", () => {
  const files: [string, string][] = [
    ["clusters/a/x.yaml", "kind: A\n"],
    ["clusters/b/y.yaml", "kind: B\n"],
  ];
  const digest = outputDigest(files);
  expect(outputDigest([...files].reverse())).toBe(digest);
  expect(outputDigest([files[0]!, ["clusters/b/z.yaml", "kind: B\n"]])).not.toBe(digest);
  expect(outputDigest([files[0]!, ["clusters/b/y.yaml", "kind: C\n"]])).not.toBe(digest);
  expect(outputDigest([files[0]!])).not.toBe(digest);
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
  expect(report).toContain("| render (validator cache warm) − in-memory compile: CLI setup, compare and write | 2.00 s |");
  expect(report).toContain("| baseline − in-memory parse: its writes | 1.50 s |");
});
