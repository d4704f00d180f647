// A compile's findings kept between runs (verify/result-cache.ts): taken only for the very inputs
// they were found on (spec bytes, the calendar's day, the clusters asked for, berth's code, the
// strict setting and every schema lookup's answer), never when an entry is damaged, and without
// what the output on disk added. `diff` takes them for its base; tests/e2e/diff-results.test.ts
// shows its report is the same with and without them.
import { cpSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { Compilation, compile, type CompileOptions } from "../../compiler/compile.js";
import type { LocatedDiagnostic } from "../../compiler/diagnostics.js";
import { ResultCache } from "../../compiler/verify/result-cache.js";
import { StrictValidator } from "../../compiler/verify/strict.js";
import { baseFiles, edit, memoryTree, SCHEMAS_DIR, strictTest, TENANT, TEST_AS_OF, type Files } from "../helpers/fixture.js";
import { tempDir as sharedTempDir } from "../helpers/temp.js";

const tempDir = () => sharedTempDir("berth-results-");

/** Specs that raise a warning (BERTH0503: the quota's pods are short of the model's maxReplicas). */
const WARNED: Files = { ...baseFiles(), "tenants/team-a.yaml": edit(TENANT, "pods: 100}", "pods: 6}") };

/** A compile that writes its findings to `cache` (every cluster, as compile does). */
function record(files: Files, cache: ResultCache, opts: Partial<CompileOptions> = {}) {
  return compile({ tree: memoryTree(files), serialize: false, asOf: TEST_AS_OF, results: cache, ...opts });
}

/** A compilation that may take kept findings: whether it did, and what it reports. */
function reuse(files: Files, cache: ResultCache, opts: Partial<CompileOptions> = {}) {
  const c = new Compilation({ tree: memoryTree(files), serialize: false, asOf: TEST_AS_OF, results: cache, reuseResults: true, ...opts });
  const objects = c.clusters.flatMap((name) => c.cluster(name));
  return { reused: c.reused, objects: objects.length, diagnostics: c.finish([]).diagnostics };
}

test("the same specs take the findings kept for them, and emit the same objects unverified", () => {
  const cache = new ResultCache(tempDir());
  const first = record(WARNED, cache);
  expect(first.diagnostics.map((d) => d.code)).toContain("BERTH0503");
  const again = reuse(WARNED, cache);
  expect(again.reused).toBe(true);
  expect(again.diagnostics).toEqual(first.diagnostics);
  expect(again.objects).toBe(first.counts.objects);
});

test("a different input is a miss: one byte of a spec, a new file, the calendar's day, the clusters asked for, berth's code", () => {
  const dir = tempDir();
  const cache = new ResultCache(dir, () => "code-1");
  record(WARNED, cache);
  expect(reuse(WARNED, cache).reused).toBe(true);
  expect(reuse({ ...WARNED, "tenants/team-a.yaml": edit(WARNED["tenants/team-a.yaml"] as string, "pods: 6}", "pods: 7}") }, cache).reused).toBe(false);
  expect(reuse({ ...WARNED, "tenants/team-a.yaml": `${WARNED["tenants/team-a.yaml"] as string}\n` }, cache).reused).toBe(false);
  expect(reuse({ ...WARNED, "tenants/team-b.yaml": "apiVersion: berth.dev/v1alpha1\nkind: Tenant\n" }, cache).reused).toBe(false);
  // A file that is no spec (not YAML, not in a spec folder) changes nothing compile reads or says.
  expect(reuse({ ...WARNED, "models/team-a/notes.txt": "not a spec" }, cache).reused).toBe(true);
  expect(reuse(WARNED, cache, { asOf: "2026-12-01" }).reused).toBe(false);
  expect(reuse(WARNED, cache, { clusters: ["prod"] }).reused).toBe(false);
  expect(reuse(WARNED, new ResultCache(dir, () => "code-2")).reused).toBe(false);
  expect(reuse(WARNED, new ResultCache(dir, () => "code-1")).reused).toBe(true);
});

test("a damaged entry is a miss, never an error: not JSON, cut short, or a finding changed behind its checksum", () => {
  const dir = tempDir();
  const cache = new ResultCache(dir);
  record(WARNED, cache);
  const [name] = readdirSync(join(dir, "results"));
  const path = join(dir, "results", name!);
  const whole = readFileSync(path, "utf8");
  for (const damaged of ["", "{", whole.slice(0, whole.length - 10), whole.replace("BERTH0503", "BERTH0504"), "[]", "null"]) {
    writeFileSync(path, damaged);
    expect(reuse(WARNED, cache).reused).toBe(false);
  }
  writeFileSync(path, whole);
  expect(reuse(WARNED, cache).reused).toBe(true);
});

test("what only the output on disk raises (a store's storage may only grow, BERTH1425) is never kept", () => {
  const cache = new ResultCache(tempDir());
  const at = { file: "models/team-a/db.yaml", line: 9, column: 14, severity: "error" as const, message: "m" };
  const found: LocatedDiagnostic[] = [
    { ...at, code: "BERTH1425" },
    { ...at, code: "BERTH0503", severity: "warning" },
  ];
  cache.write("k".repeat(40), found, undefined);
  expect(cache.read("k".repeat(40), undefined)?.map((d) => d.code)).toEqual(["BERTH0503"]);
});

test("the folder keeps the newest 64 entries", () => {
  const dir = tempDir();
  const cache = new ResultCache(dir);
  for (let i = 0; i < 70; i++) cache.write(String(i).padStart(40, "0"), [], undefined);
  expect(readdirSync(join(dir, "results"))).toHaveLength(64);
});

strictTest("with strict schemas: a schema file whose content changed is a miss; the same schemas again, a hit", () => {
  const schemas = join(tempDir(), "schemas");
  cpSync(SCHEMAS_DIR, schemas, { recursive: true });
  const cache = new ResultCache(tempDir());
  const first = record(WARNED, cache, { strict: new StrictValidator(schemas) });
  expect(first.ok).toBe(true);
  expect(reuse(WARNED, cache, { strict: new StrictValidator(schemas) }).reused).toBe(true);
  // Without strict validation, or from another folder, the setting differs.
  expect(reuse(WARNED, cache).reused).toBe(false);
  const deployment = join(schemas, "deployment-apps-v1.json");
  const text = readFileSync(deployment, "utf8");
  writeFileSync(deployment, text.replace(/\n?$/, "\n\n"));
  expect(reuse(WARNED, cache, { strict: new StrictValidator(schemas) }).reused).toBe(false);
  // That miss verified, and kept its findings with the new answer in place of the old.
  expect(reuse(WARNED, cache, { strict: new StrictValidator(schemas) }).reused).toBe(true);
  writeFileSync(deployment, text);
  expect(reuse(WARNED, cache, { strict: new StrictValidator(schemas) }).reused).toBe(false);
  rmSync(deployment);
  const without = reuse(WARNED, cache, { strict: new StrictValidator(schemas) });
  expect(without.reused).toBe(false);
  expect(without.diagnostics.map((d) => d.code)).toEqual(["BERTH0040", "BERTH0503"]); // no strict schema for Deployment
});
