// `berth report` end to end on temp repositories: where the page goes, what is printed, the JSON
// envelope, a broken repository (page with its errors, exit 1) and a folder that cannot be written.
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { main } from "../../compiler/cli.js";
import { baseFiles, edit, MODEL, REPO_ROOT, SCHEMA_ARGS, tempRepo } from "../helpers/fixture.js";

async function berth(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = "";
  let stderr = "";
  const code = await main(args, { cwd: REPO_ROOT, env: {}, stdout: { write: (s: string) => (stdout += s) }, stderr: { write: (s: string) => (stderr += s) } });
  return { code, stdout, stderr };
}

let repo: string;
beforeEach(() => (repo = tempRepo(baseFiles())));
afterEach(() => rmSync(repo, { recursive: true, force: true }));

test("writes report/index.html under the root and says so", async () => {
  const r = await berth("report", "--root", repo, ...SCHEMA_ARGS);
  expect(r.code).toBe(0);
  expect(r.stdout).toMatch(/^berth report: wrote report\/index\.html \(1 clusters, 1 tenants, 1 models; \d+ KiB\); 0 errors, 0 warnings\n$/);
  const page = readFileSync(join(repo, "report", "index.html"), "utf8");
  expect(page).toMatch(/^<!doctype html>/);
  expect(page).toContain("<h3>fraud</h3>");
  expect(page).toContain('href="../models/team-a/fraud.yaml"');
  // Nothing else is left in the folder: the temp file was renamed over the page.
  expect(readdirSync(join(repo, "report"))).toEqual(["index.html"]);
});

test("--out is a folder relative to the root, and links reach back to the specs from there", async () => {
  const r = await berth("report", "--root", repo, "--out", "site/platform", ...SCHEMA_ARGS);
  expect(r.code).toBe(0);
  const page = readFileSync(join(repo, "site", "platform", "index.html"), "utf8");
  expect(page).toContain('href="../../models/team-a/fraud.yaml"');
  expect(existsSync(join(repo, "report"))).toBe(false);
});

test("--format json prints the envelope", async () => {
  const r = await berth("report", "--root", repo, "--format", "json", ...SCHEMA_ARGS);
  expect(r.code).toBe(0);
  expect(JSON.parse(r.stdout)).toEqual({ command: "report", ok: true, diagnostics: [], file: "report/index.html" });
});

test("specs with errors: the page lists them, the command exits 1", async () => {
  writeFileSync(join(repo, "models/team-a/fraud.yaml"), edit(MODEL, "minReplicas: 2", "minReplicas: 9"));
  const r = await berth("report", "--root", repo, "--format", "json", ...SCHEMA_ARGS);
  expect(r.code).toBe(1);
  const out = JSON.parse(r.stdout);
  expect(out).toMatchObject({ command: "report", ok: false, file: "report/index.html" });
  const error = out.diagnostics.find((d: { code: string }) => d.code === "BERTH0203");
  expect(error).toMatchObject({ file: "models/team-a/fraud.yaml", severity: "error" });
  const page = readFileSync(join(repo, "report", "index.html"), "utf8");
  expect(page).toContain("The specs do not compile");
  expect(page).toContain(`href="../models/team-a/fraud.yaml#L${error.line}"`);
  expect(page).toContain("minReplicas: 9");
  const text = await berth("report", "--root", repo, ...SCHEMA_ARGS);
  expect(text.code).toBe(1);
  expect(text.stderr).toMatch(/models\/team-a\/fraud\.yaml:\d+:\d+: error BERTH0203/);
  expect(text.stderr).toMatch(/berth report: wrote report\/index\.html .*; 1 error, 0 warnings\n$/);
});

test("BERTH1301: a folder that cannot be written leaves no page and no temp file", async () => {
  writeFileSync(join(repo, "taken"), "a file, not a folder\n");
  const r = await berth("report", "--root", repo, "--out", "taken", ...SCHEMA_ARGS);
  expect(r.code).toBe(1);
  expect(r.stderr).toMatch(/^--out: error BERTH1301: cannot write the report to .*taken\/index\.html: (ENOTDIR|EEXIST)/m);
  expect(r.stderr).toContain("berth report: nothing written");
  expect(readFileSync(join(repo, "taken"), "utf8")).toBe("a file, not a folder\n");
  const json = JSON.parse((await berth("report", "--root", repo, "--out", "taken", "--format", "json", ...SCHEMA_ARGS)).stdout);
  expect(json).toMatchObject({ command: "report", ok: false, file: null });
  expect(json.diagnostics.map((d: { code: string }) => d.code)).toEqual(["BERTH1301"]);
});

test("a second report replaces the first whole", async () => {
  await berth("report", "--root", repo, ...SCHEMA_ARGS);
  writeFileSync(join(repo, "models/team-a/fraud.yaml"), edit(MODEL, "traffic: 90", "traffic: 80").replace("traffic: 10", "traffic: 20"));
  await berth("report", "--root", repo, ...SCHEMA_ARGS);
  const page = readFileSync(join(repo, "report", "index.html"), "utf8");
  expect(page).toContain("v1.0.0 80% · v1.1.0 20%");
  expect(page).not.toContain("v1.0.0 90%");
  expect(page.trimEnd().endsWith("</html>")).toBe(true);
});

test("usage: --out belongs to schema and report only; report takes no sarif", async () => {
  expect((await berth("render", "--root", repo, "--out", "x")).stderr).toContain("--out goes with schema or report");
  const sarif = await berth("report", "--root", repo, "--format", "sarif");
  expect(sarif.code).toBe(2);
  expect(sarif.stderr).toContain("--format sarif is not available for report");
});
