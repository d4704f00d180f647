// The catalogue, its documentation and its tests stay in step.
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { CATALOGUE } from "../../compiler/codes/index.js";
import { catalogueMarkdown } from "../../compiler/codes/markdown.js";
import { REPO_ROOT } from "../helpers/fixture.js";

function testSources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const abs = join(dir, name);
    if (statSync(abs).isDirectory()) return name === "cases" ? [] : testSources(abs);
    return abs.endsWith(".test.ts") && !abs.endsWith("catalogue.test.ts") ? [readFileSync(abs, "utf8")] : [];
  });
}

test("docs/diagnostics.md is generated from the catalogue (run `npm run docs`)", () => {
  expect(readFileSync(join(REPO_ROOT, "docs", "diagnostics.md"), "utf8")).toBe(catalogueMarkdown());
});

test("every code is exercised by a test", () => {
  const text = testSources(join(REPO_ROOT, "test")).join("\n");
  const untested = Object.keys(CATALOGUE).filter((code) => !text.includes(code));
  expect(untested).toEqual([]);
});

test("every example line carries its own code and severity", () => {
  for (const [code, info] of Object.entries(CATALOGUE)) expect(info.example).toContain(`${info.severity} ${code}:`);
});

test("every code belongs to an area of docs/diagnostics.md, with an anchor to link to", () => {
  const doc = catalogueMarkdown();
  const missing = Object.keys(CATALOGUE).filter((code) => !doc.includes(`<a id="${code.toLowerCase()}"></a>${code} |`));
  expect(missing).toEqual([]);
});
