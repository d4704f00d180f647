// `--format json` prints one envelope for every command (SPEC §4): exactly one JSON object on
// stdout, keys `command`, `ok`, `diagnostics` first and then what the command reports, `ok` equal
// to "exit code 0", each diagnostic with exactly the documented keys; nothing on stderr.
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { baseFiles, edit, MODEL, SCHEMA_ARGS, tempRepo } from "../helpers/fixture.js";
import { berth, commitAll, gitRepo, type Run } from "../helpers/git.js";

const DIAGNOSTIC_KEYS = ["file", "line", "column", "severity", "code", "message"];

/** The envelope of a run, after checking what every envelope must satisfy. */
function envelope(run: Run, command: string, payload: string[]): Record<string, unknown> {
  expect(run.stderr).toBe("");
  const out = JSON.parse(run.stdout) as Record<string, unknown>;
  expect(run.stdout).toBe(JSON.stringify(out, null, 2) + "\n");
  expect(Object.keys(out)).toEqual(["command", "ok", "diagnostics", ...payload]);
  expect(out.command).toBe(command);
  expect(out.ok).toBe(run.code === 0);
  for (const d of out.diagnostics as Record<string, unknown>[])
    expect(Object.keys(d)).toEqual(d.hint === undefined ? DIAGNOSTIC_KEYS : [...DIAGNOSTIC_KEYS, "hint"]);
  return out;
}

const broken = () => tempRepo({ ...baseFiles(), "models/team-a/fraud.yaml": edit(MODEL, "maxReplicas: 4", "maxReplica: 4") });

describe("render", () => {
  test("written: the files it wrote and removed by path, the unchanged ones counted", async () => {
    const repo = tempRepo(baseFiles());
    const first = envelope(await berth(repo, "render", ...SCHEMA_ARGS, "--format", "json"), "render", ["files"]);
    const files = first.files as { total: number; written: string[]; removed: string[]; unchanged: number };
    expect(Object.keys(files)).toEqual(["total", "written", "removed", "unchanged"]);
    expect(files.written).toHaveLength(files.total);
    expect(files.written).toContain(".github/CODEOWNERS");
    expect(files).toMatchObject({ removed: [], unchanged: 0 });
    const again = envelope(await berth(repo, "render", ...SCHEMA_ARGS, "--format", "json"), "render", ["files"]);
    expect(again.files).toEqual({ total: files.total, written: [], removed: [], unchanged: files.total });
  });

  test("failed: the errors, and no files because nothing was written", async () => {
    const out = envelope(await berth(broken(), "render", ...SCHEMA_ARGS, "--format", "json"), "render", []);
    expect(out).toMatchObject({ ok: false, diagnostics: [{ file: "models/team-a/fraud.yaml", code: "BERTH0201" }] });
  });

  test("stopped before compile (a schema location it cannot use): the same envelope", async () => {
    const out = envelope(await berth(tempRepo(baseFiles()), "render", "--schemas", "/nonexistent/berth-schemas", "--format", "json"), "render", []);
    expect(out.ok).toBe(false);
    expect((out.diagnostics as { file: string }[])[0]!.file).toBe("--schemas");
  });
});

test("check: files and objects counted, capacity per pool", async () => {
  const repo = tempRepo(baseFiles());
  await berth(repo, "render", ...SCHEMA_ARGS);
  const out = envelope(await berth(repo, "check", ...SCHEMA_ARGS, "--format", "json"), "check", ["files", "objects", "capacity", "withoutSlo"]);
  expect(out).toMatchObject({ ok: true, diagnostics: [] });
  expect(out.files).toBeGreaterThan(out.objects as number);
  expect((out.capacity as { pool: string }[]).map((r) => r.pool)).toEqual(["general", "gpu-inference"]);
  writeFileSync(join(repo, "clusters/prod/stray.yaml"), "kind: ConfigMap\n");
  const stale = envelope(await berth(repo, "check", ...SCHEMA_ARGS, "--format", "json"), "check", ["files", "objects", "capacity", "withoutSlo"]);
  expect(stale).toMatchObject({ ok: false, diagnostics: [{ file: "clusters/prod/stray.yaml", line: 1, column: 1, code: "BERTH0006" }] });
});

describe("diff", () => {
  test("the base, a summary, risks and changes, with the warnings of both sides", async () => {
    const repo = gitRepo(baseFiles());
    // `on` is a boolean to YAML 1.1 readers: a warning (BERTH0107), and the diff still runs.
    writeFileSync(join(repo, "models/team-a/fraud.yaml"), edit(edit(MODEL, "traffic: 90", "traffic: 50"), "traffic: 10}", "traffic: 50, env: {VERBOSE: on}}"));
    const out = envelope(await berth(repo, "diff", "--base", "HEAD", "--format", "json"), "diff", [
      "base",
      "summary",
      "risks",
      "riskGroups",
      "diagnosticsAdded",
      "diagnosticsRemoved",
      "changes",
    ]);
    expect(out).toMatchObject({ ok: true, summary: { changed: 2 }, risks: expect.arrayContaining([expect.objectContaining({ kind: "traffic" })]) });
    expect(out.diagnostics).toEqual([expect.objectContaining({ severity: "warning", code: "BERTH0107" })]);
  });

  test("failed: the revision named by --base is the place", async () => {
    const repo = gitRepo(baseFiles());
    const out = envelope(await berth(repo, "diff", "--base", "nope", "--format", "json"), "diff", []);
    expect(out.diagnostics).toEqual([expect.objectContaining({ file: "--base", line: 0, column: 0, code: "BERTH0810" })]);
  });

  test("failed: spec errors, the base side's files named REF:path", async () => {
    const repo = gitRepo({ ...baseFiles(), "models/team-a/fraud.yaml": edit(MODEL, "maxReplicas: 4", "maxReplica: 4") });
    commitAll(repo, "broken");
    const out = envelope(await berth(repo, "diff", "--base", "HEAD", "--format", "json"), "diff", []);
    expect((out.diagnostics as { file: string }[]).map((d) => d.file)).toEqual(["HEAD:models/team-a/fraud.yaml", "models/team-a/fraud.yaml"]);
  });
});

test("schema: where it wrote, and which files", async () => {
  const repo = tempRepo(baseFiles());
  const out = envelope(await berth(repo, "schema", "--format", "json"), "schema", ["out", "files"]);
  expect(out).toMatchObject({
    ok: true,
    out: join(repo, "schemas"),
    files: ["cluster.schema.json", "model.schema.json", "platform.schema.json", "store.schema.json", "tenant.schema.json"],
  });
});

test("model: the edit, also when it fails", async () => {
  const repo = tempRepo(baseFiles());
  const out = envelope(await berth(repo, "model", "promote", "fraud", "v1.1.0", "--dry-run", ...SCHEMA_ARGS, "--format", "json"), "model promote", [
    "dryRun",
    "edit",
  ]);
  expect(out).toMatchObject({ ok: true, dryRun: true, edit: { file: "models/team-a/fraud.yaml", changed: true, written: false } });
  const failed = envelope(await berth(repo, "model", "retire", "fraud", "v9", ...SCHEMA_ARGS, "--format", "json"), "model retire", ["dryRun", "edit"]);
  expect(failed).toMatchObject({ ok: false, edit: null });
});

test("report: the page it wrote, or null when it could not", async () => {
  const repo = tempRepo(baseFiles());
  const out = envelope(await berth(repo, "report", ...SCHEMA_ARGS, "--format", "json"), "report", ["file"]);
  expect(out).toMatchObject({ ok: true, file: "report/index.html" });
  writeFileSync(join(repo, "taken"), "a file, not a folder\n");
  const failed = envelope(await berth(repo, "report", "--out", "taken", ...SCHEMA_ARGS, "--format", "json"), "report", ["file"]);
  expect(failed).toMatchObject({ ok: false, file: null, diagnostics: [{ file: "--out", line: 0, column: 0, code: "BERTH1301" }] });
});
