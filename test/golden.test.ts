// Golden trees: test/cases/<case>/input is a spec repository, expected/ what render writes, and
// expected/diagnostics.txt the diagnostics render prints (empty: none). UPDATE_GOLDEN=1 rewrites
// expected/ from the current compiler.
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join, relative, sep } from "node:path";
import { compile } from "../compiler/compile.js";
import { formatDiagnostics } from "../compiler/diagnostics.js";
import { diskTree } from "../compiler/load/load.js";
import { REPO_ROOT, sharedStrict, TEST_AS_OF } from "./helpers/fixture.js";

const CASES = join(REPO_ROOT, "test", "cases");
const update = process.env.UPDATE_GOLDEN === "1";
/** Not a render output path (those are under clusters/ and .github/), so it cannot clash with one. */
const DIAGNOSTICS = "diagnostics.txt";

function listFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  const out: string[] = [];
  const walk = (d: string) => {
    for (const name of readdirSync(d, { withFileTypes: true })) {
      const abs = join(d, name.name);
      if (name.isDirectory()) walk(abs);
      else out.push(relative(dir, abs).split(sep).join("/"));
    }
  };
  walk(dir);
  return out.sort();
}

const cases = existsSync(CASES)
  ? readdirSync(CASES)
      .filter((c) => existsSync(join(CASES, c, "input")))
      .sort()
  : [];

test("there are golden cases", () => {
  expect(cases.length).toBeGreaterThan(0);
});

describe.each(cases)("golden %s", (name) => {
  const input = join(CASES, name, "input");
  const expectedDir = join(CASES, name, "expected");
  const result = compile({ tree: diskTree(input), strict: sharedStrict(), asOf: TEST_AS_OF });

  test("compiles without errors, strictly valid", () => {
    const errors = result.diagnostics.filter((d) => d.severity === "error");
    expect(errors).toEqual([]);
  });

  test("matches expected/", () => {
    if (update) {
      rmSync(expectedDir, { recursive: true, force: true });
      for (const f of result.files) {
        mkdirSync(dirname(join(expectedDir, f.path)), { recursive: true });
        writeFileSync(join(expectedDir, f.path), f.content);
      }
      writeFileSync(join(expectedDir, DIAGNOSTICS), formatDiagnostics(result.diagnostics, "text"));
    }
    const actual = Object.fromEntries(result.files.map((f) => [f.path, f.content]));
    const expected = Object.fromEntries(
      listFiles(expectedDir)
        .filter((p) => p !== DIAGNOSTICS)
        .map((p) => [p, readFileSync(join(expectedDir, p), "utf8")]),
    );
    expect(Object.keys(actual).sort()).toEqual(Object.keys(expected).sort());
    for (const p of Object.keys(expected)) expect({ path: p, content: actual[p] }).toEqual({ path: p, content: expected[p] });
  });

  test("prints expected/diagnostics.txt", () => {
    expect(formatDiagnostics(result.diagnostics, "text")).toBe(readFileSync(join(expectedDir, DIAGNOSTICS), "utf8"));
  });
});
