// Every tenancy code (05xx) is exercised by a test here and documented in docs/tenancy.md.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { tenancyCodes } from "../../compiler/codes/tenancy.js";
import { REPO_ROOT } from "../helpers/fixture.js";

const dir = join(REPO_ROOT, "test", "tenancy");
const tests = readdirSync(dir).filter((f) => f.endsWith(".test.ts") && f !== "codes.test.ts").map((f) => readFileSync(join(dir, f), "utf8")).join("\n");
const docs = readFileSync(join(REPO_ROOT, "docs", "tenancy.md"), "utf8");

test.each(Object.keys(tenancyCodes))("%s is tested and documented", (code) => {
  expect(tests).toContain(`"${code}"`);
  expect(docs).toContain(code);
});
