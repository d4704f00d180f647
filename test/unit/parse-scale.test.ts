// Duplicate keys are found in linear time (issue 22, finding 6): the YAML library's own check
// compared every key with every earlier one, and 100,000 keys took minutes. The bounds below are
// ~10x what a loaded 2-core machine needs, and far below the quadratic times.
import { parseDocument } from "yaml";
import { Diagnostics } from "../../compiler/diagnostics.js";
import { findNode, parseSpec, SourceMap } from "../../compiler/parse.js";

const KEYS = 100_000;

function parseTimed(text: string): { ms: number; diags: Diagnostics; ok: boolean } {
  const diags = new Diagnostics();
  const start = performance.now();
  const parsed = parseSpec({ path: "models/a/big.yaml", text, expectedKind: "Model", stem: "big" } as Parameters<typeof parseSpec>[0], new SourceMap(), diags);
  return { ms: performance.now() - start, diags, ok: parsed !== undefined };
}

function mapping(keys: (i: number) => string): string {
  const rows = ["spec:", "  env:"];
  for (let i = 0; i < KEYS; i++) rows.push(`    ${keys(i)}: v${i}`);
  return rows.join("\n") + "\n";
}

test("issue 22: a mapping of 100,000 distinct keys parses in seconds", () => {
  const { ms, diags, ok } = parseTimed(mapping((i) => `K${i}`));
  expect(diags.items).toEqual([]);
  expect(ok).toBe(true);
  expect(ms).toBeLessThan(15_000);
}, 120_000);

test("issue 22: 50,000 keys written twice each: every repeat reported, at its line, with the first", () => {
  const { ms, diags, ok } = parseTimed(mapping((i) => `K${i % (KEYS / 2)}`));
  expect(ok).toBe(false);
  expect(diags.items).toHaveLength(KEYS / 2);
  // K7 first appears on line 3 + 7 = 10 and again 50,000 lines later.
  expect(diags.items[7]).toMatchObject({ code: "BERTH0103", message: "duplicate key K7 (first at line 10)", at: { line: 10 + KEYS / 2, column: 5 } });
  expect(ms).toBeLessThan(15_000);
}, 120_000);

test('keys are compared as the data holds them: 1 and "1" are the same key', () => {
  const { diags } = parseTimed('spec:\n  env:\n    1: a\n    "1": b\n');
  expect(diags.items).toEqual([
    expect.objectContaining({ code: "BERTH0103", message: 'duplicate key "1" (first at line 3)', at: expect.objectContaining({ line: 4, column: 5 }) }),
  ]);
});

test("the same key in two different mappings is not a duplicate", () => {
  const { diags, ok } = parseTimed("a: {x: 1}\nb: {x: 2}\nc:\n  - {x: 1}\n  - {x: 2}\n");
  expect(diags.items).toEqual([]);
  expect(ok).toBe(true);
});

test("locating a diagnostic in each of 100,000 keys stays linear", () => {
  const doc = parseDocument(
    mapping((i) => `K${i}`),
    { uniqueKeys: false },
  );
  const start = performance.now();
  let found = 0;
  for (let i = 0; i < KEYS; i += 1) if (findNode(doc, ["spec", "env", `K${i}`]).depth === 3) found++;
  expect(performance.now() - start).toBeLessThan(5_000);
  expect(found).toBe(KEYS);
}, 120_000);
