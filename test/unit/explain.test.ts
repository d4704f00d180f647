// `berth explain CODE` prints the catalogue entry; a code that is not there gets suggestions and exit 2.
import { existsSync } from "node:fs";
import { join } from "node:path";
import { main } from "../../compiler/cli.js";
import { CATALOGUE, type Code } from "../../compiler/codes/index.js";
import { explain, normalizeCode } from "../../compiler/commands/explain.js";
import { REPO_ROOT } from "../helpers/fixture.js";

async function berth(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = "";
  let stderr = "";
  const code = await main(args, { cwd: REPO_ROOT, env: {}, stdout: { write: (s: string) => (stdout += s) }, stderr: { write: (s: string) => (stderr += s) } });
  return { code, stdout, stderr };
}

test("prints title, severity, example, what to do and where to read more", async () => {
  const run = await berth("explain", "BERTH0203");
  expect(run.code).toBe(0);
  expect(run.stderr).toBe("");
  const info = CATALOGUE.BERTH0203;
  expect(run.stdout).toContain(`BERTH0203 (error): ${info.title}\n`);
  expect(run.stdout).toContain(`example:\n  ${info.example.split("\n")[0]}\n`);
  expect(run.stdout).toMatch(/what to do:\n {2}\S/);
  expect(run.stdout).toContain("more: docs/diagnostics.md#berth0203, docs/specs.md\n");
});

test.each(["203", "0203", "berth0203", "BERTH203", " BERTH0203 "])("%j names BERTH0203", (word) => {
  expect(normalizeCode(word)).toBe("BERTH0203");
});

test("a code that is not in the catalogue: did you mean, exit 2, nothing on stdout", async () => {
  const run = await berth("explain", "BERTH0299");
  expect(run.code).toBe(2);
  expect(run.stdout).toBe("");
  expect(run.stderr).toMatch(/no code "BERTH0299" in the catalogue; did you mean BERTH0209 \(suspicious quantity\)/);
  const words = await berth("explain", "duplicate key");
  expect(words.code).toBe(2);
  expect(words.stderr).toContain("did you mean BERTH0103 (duplicate key)");
  expect((await berth("explain")).code).toBe(2);
  expect((await berth("explain", "a", "b")).code).toBe(2);
});

test("--format json prints the entry as data", async () => {
  const run = await berth("explain", "BERTH0201", "--format", "json");
  expect(run.code).toBe(0);
  const o = JSON.parse(run.stdout);
  expect(o).toMatchObject({ command: "explain", ok: true, diagnostics: [], code: "BERTH0201", severity: "error", title: CATALOGUE.BERTH0201.title });
  expect(o.hint).toBe("did you mean `autoscaling`?");
});

test("every entry names documents that exist, and its hint when the example has one", () => {
  for (const code of Object.keys(CATALOGUE) as Code[]) {
    const e = explain(code);
    for (const doc of e.docs) expect([code, existsSync(join(REPO_ROOT, doc.replace(/#.*/, "")))]).toEqual([code, true]);
    expect(e.docs.length).toBe(2);
    expect(e.hint !== undefined).toBe(CATALOGUE[code].example.includes("\n  hint: "));
  }
});
