// The two small algorithms under the model commands: the unified diff (a shortest edit script,
// hunks that patch(1) reads) and the proportional move of traffic with deterministic rounding.
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { diffLines, keptLines, unifiedDiff } from "../../compiler/edit/unified-diff.js";
import { moveTo, total } from "../../compiler/edit/weights.js";

function lcsLength(a: string[], b: string[]): number {
  const row = new Array<number>(b.length + 1).fill(0);
  for (const x of a) {
    let diag = 0;
    for (let j = 1; j <= b.length; j++) {
      const up = row[j]!;
      row[j] = x === b[j - 1] ? diag + 1 : Math.max(row[j]!, row[j - 1]!);
      diag = up;
    }
  }
  return row[b.length]!;
}

const lines = fc.array(fc.constantFrom("a\n", "b\n", "c\n", "d\n", "e\n"), { maxLength: 30 });

describe("diffLines", () => {
  test("replays both sides and is a shortest edit script", () => {
    fc.assert(
      fc.property(lines, lines, (a, b) => {
        const ops = diffLines(a, b);
        expect(ops.filter((o) => o.kind !== "add").map((o) => o.line)).toEqual(a);
        expect(ops.filter((o) => o.kind !== "del").map((o) => o.line)).toEqual(b);
        expect(ops.filter((o) => o.kind !== "same").length).toBe(a.length + b.length - 2 * lcsLength(a, b));
      }),
      { numRuns: 500 },
    );
  });

  test("keptLines maps each kept line of the new text to its old number", () => {
    expect([...keptLines("a\nb\nc\n", "a\nx\ny\nc\n")]).toEqual([
      [1, 1],
      [4, 3],
    ]);
  });
});

describe("unifiedDiff", () => {
  test("prints nothing when nothing changed", () => {
    expect(unifiedDiff("a\n", "a\n", "f.yaml")).toBe("");
  });

  test("writes hunks with three lines of context, merging changes that are close", () => {
    const before = Array.from({ length: 20 }, (_, i) => `l${i + 1}\n`).join("");
    const after = before.replace("l2\n", "L2\n").replace("l5\n", "L5\n").replace("l18\n", "");
    expect(unifiedDiff(before, after, "m.yaml")).toBe(
      [
        "--- a/m.yaml",
        "+++ b/m.yaml",
        "@@ -1,8 +1,8 @@",
        " l1",
        "-l2",
        "+L2",
        " l3",
        " l4",
        "-l5",
        "+L5",
        " l6",
        " l7",
        " l8",
        "@@ -15,6 +15,5 @@",
        " l15",
        " l16",
        " l17",
        "-l18",
        " l19",
        " l20",
        "",
      ].join("\n"),
    );
  });

  test("marks a missing newline at the end of the file", () => {
    expect(unifiedDiff("a\nb", "a\nc", "f")).toBe(
      "--- a/f\n+++ b/f\n@@ -1,2 +1,2 @@\n a\n-b\n\\ No newline at end of file\n+c\n\\ No newline at end of file\n",
    );
  });

  test("patch(1) turns the old text into the new one, for any two texts", () => {
    const dir = mkdtempSync(join(tmpdir(), "berth-diff-"));
    try {
      fc.assert(
        fc.property(lines, lines, (a, b) => {
          const before = a.join("");
          const after = b.join("");
          fc.pre(before !== after);
          writeFileSync(join(dir, "f"), before);
          writeFileSync(join(dir, "p"), unifiedDiff(before, after, "f"));
          execFileSync("git", ["apply", "p"], { cwd: dir });
          expect(readFileSync(join(dir, "f"), "utf8")).toBe(after);
        }),
        { numRuns: 60 },
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("moveTo", () => {
  test.each([
    [{ a: 90, b: 10 }, "b", 10, { a: 80, b: 20 }],
    [{ a: 50, b: 30, c: 20 }, "d", 10, { a: 45, b: 27, c: 18, d: 10 }],
    // 10 points from 45/45/10: exact shares 4.5/4.5/1; the tie goes to the version listed first.
    [{ a: 45, b: 45, c: 10, d: 0 }, "d", 10, { a: 40, b: 41, c: 9, d: 10 }],
    [{ a: 34, b: 33, c: 33 }, "a", 66, { a: 100, b: 0, c: 0 }],
    [{ a: 1, b: 1, c: 98 }, "c", 1, { a: 0, b: 1, c: 99 }],
  ])("%j, %s takes %i -> %j", (split, to, points, expected) => {
    expect(Object.fromEntries(moveTo(new Map(Object.entries(split)), to, points))).toEqual(expected);
  });

  test("keeps the total, never takes more than a version has, and takes in proportion", () => {
    const split = fc.array(fc.integer({ min: 0, max: 100 }), { minLength: 2, maxLength: 5 }).filter((ws) => ws.reduce((s, w) => s + w, 0) > 0);
    fc.assert(
      fc.property(split, fc.nat(), fc.nat(), (ws, pick, raw) => {
        const before = new Map<string, number>(ws.map((w, i) => [`v${i}`, w]));
        const to = `v${pick % ws.length}`;
        const pool = total(before) - before.get(to)!;
        fc.pre(pool > 0);
        const points = 1 + (raw % pool);
        const after = moveTo(before, to, points);
        expect(total(after)).toBe(total(before));
        expect(after.get(to)).toBe(before.get(to)! + points);
        for (const [v, w] of before) {
          if (v === to) continue;
          const taken = w - after.get(v)!;
          expect(taken).toBeGreaterThanOrEqual(0);
          // Within one point of the exact proportional share.
          expect(Math.abs(taken - (points * w) / pool)).toBeLessThan(1);
        }
      }),
      { numRuns: 500 },
    );
  });
});
