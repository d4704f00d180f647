// The catalogue and its documentation stay in step (coverage.test.ts runs a trigger for every code).
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { CATALOGUE } from "../../compiler/codes/index.js";
import { catalogueMarkdown } from "../../compiler/codes/markdown.js";
import { tenancyCodes } from "../../compiler/codes/tenancy.js";
import { REPO_ROOT } from "../helpers/fixture.js";

test("docs/diagnostics.md is generated from the catalogue (run `npm run docs`)", () => {
  expect(readFileSync(join(REPO_ROOT, "docs", "diagnostics.md"), "utf8")).toBe(catalogueMarkdown());
});

test("every tenancy code (05xx) is explained in docs/tenancy.md", () => {
  const docs = readFileSync(join(REPO_ROOT, "docs", "tenancy.md"), "utf8");
  expect(Object.keys(tenancyCodes).filter((code) => !docs.includes(code))).toEqual([]);
});

test("every example line carries its own code and severity", () => {
  for (const [code, info] of Object.entries(CATALOGUE)) expect(info.example).toContain(`${info.severity} ${code}:`);
});

test("every code belongs to an area of docs/diagnostics.md, with an anchor to link to", () => {
  const doc = catalogueMarkdown();
  const missing = Object.keys(CATALOGUE).filter((code) => !doc.includes(`<a id="${code.toLowerCase()}"></a>${code} |`));
  expect(missing).toEqual([]);
});
