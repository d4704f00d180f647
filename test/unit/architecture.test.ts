// The compiler reads as a pipeline: a stage imports its own stage and earlier ones, never a later
// one, and no files import each other in a circle (type-only imports included: a type cycle is a
// design cycle). A new file must be placed in STAGES; that is the point of the list.
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, posix, relative, sep } from "node:path";
import ts from "typescript";
import { REPO_ROOT } from "../helpers/fixture.js";

/** The pipeline, earliest first; an entry is a file or a folder (trailing slash) below compiler/. */
const STAGES: readonly (readonly string[])[] = [
  ["codes/"], // the closed diagnostic catalogue
  ["base/", "catalogue/", "diagnostics.ts"], // what every stage stands on
  ["load/"],
  ["yaml-errors.ts", "parse.ts", "locate.ts"],
  ["schema/"], // validate
  ["edit/"], // the spec editing engine of `berth model`: loads, parses and validates one file
  ["link.ts", "link-stores.ts"], // stores' cross-file references beside the models'
  ["plan/"],
  ["emit/"],
  ["verify/"],
  ["output/"], // serialize
  ["compile.ts"],
  ["write/"],
  ["diff/"],
  ["report/"],
  ["commands/"],
  ["cli.ts"],
];

const COMPILER = join(REPO_ROOT, "compiler");

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const abs = join(dir, name);
    if (statSync(abs).isDirectory()) return sources(abs);
    return name.endsWith(".ts") && !name.endsWith(".d.ts") ? [relative(COMPILER, abs).split(sep).join("/")] : [];
  });
}

function stageOf(file: string): number {
  return STAGES.findIndex((entries) => entries.some((e) => (e.endsWith("/") ? file.startsWith(e) : file === e)));
}

/** Every relative import of a file (static, `import type`, re-exports, dynamic), as a compiler/ path. */
function importsOf(file: string): string[] {
  const text = readFileSync(join(COMPILER, file), "utf8");
  return ts
    .preProcessFile(text, true, true)
    .importedFiles.map((f) => f.fileName)
    .filter((spec) => spec.startsWith("."))
    .map((spec) => posix.normalize(posix.join(posix.dirname(file), spec)).replace(/\.js$/, ".ts"));
}

const files = sources(COMPILER).sort();
const graph = new Map(files.map((f) => [f, importsOf(f)]));

test("every compiler file belongs to a stage", () => {
  expect(files.filter((f) => stageOf(f) < 0)).toEqual([]);
});

test("every stage entry names something that exists", () => {
  const stale = STAGES.flat().filter((e) => !files.some((f) => (e.endsWith("/") ? f.startsWith(e) : f === e)));
  expect(stale).toEqual([]);
});

test("every import resolves to a compiler file", () => {
  const broken = [...graph].flatMap(([from, tos]) => tos.filter((to) => !to.startsWith("..") && !graph.has(to)).map((to) => `${from} -> ${to}`));
  expect(broken).toEqual([]);
});

test("no import goes against the pipeline", () => {
  const backward = [...graph].flatMap(([from, tos]) =>
    tos
      .filter((to) => graph.has(to) && stageOf(to) > stageOf(from))
      .map((to) => `${from} (${STAGES[stageOf(from)]!.join(" ")}) -> ${to} (${STAGES[stageOf(to)]!.join(" ")})`),
  );
  expect(backward).toEqual([]);
});

test("no import cycles", () => {
  expect(cycles(graph)).toEqual([]);
});

/** Strongly connected components of more than one file (or a file importing itself), as their inner edges. */
function cycles(g: ReadonlyMap<string, readonly string[]>): string[] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[] = [];
  let next = 0;
  const visit = (v: string): void => {
    index.set(v, next);
    low.set(v, next++);
    stack.push(v);
    onStack.add(v);
    for (const w of g.get(v) ?? []) {
      if (!g.has(w)) continue;
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) !== index.get(v)) return;
    const ring: string[] = [];
    let w: string;
    do {
      w = stack.pop()!;
      onStack.delete(w);
      ring.push(w);
    } while (w !== v);
    if (ring.length > 1 || (g.get(v) ?? []).includes(v)) {
      const members = new Set(ring);
      const edges = ring.flatMap((a) => (g.get(a) ?? []).filter((b) => members.has(b)).map((b) => `${a} -> ${b}`));
      found.push(edges.sort().join(", "));
    }
  };
  for (const v of g.keys()) if (!index.has(v)) visit(v);
  return found.sort();
}

test("docs/architecture.md maps every stage, in the pipeline's order", () => {
  const doc = readFileSync(join(REPO_ROOT, "docs", "architecture.md"), "utf8");
  const rows = doc.split("\n").filter((l) => /^\| [a-z]+ \| `compiler\//.test(l));
  const firstRow = (entry: string): number => rows.findIndex((r) => r.split(" | ")[1]!.includes(`\`compiler/${entry}\``));
  const at = STAGES.map((entries) => entries.map(firstRow));
  expect(STAGES.flat().filter((_, i) => at.flat()[i]! < 0)).toEqual([]);
  const order = at.map((rowsOfStage) => Math.min(...rowsOfStage));
  expect(order).toEqual([...order].sort((a, b) => a - b));
});

// A spread argument passes every element of an array as an argument; past ~120,000 V8 throws
// "Maximum call stack size exceeded". Where arrays grow with the fleet (files, objects,
// diagnostics, changes, report lines), base/arrays.ts's appendAll (or a reduce, for Math.max) is
// used instead: a check of 5,000 models with nothing rendered yet reports 188,717 missing files,
// and crashed on `diagnostics.push(...found)`. Spreading an array literal (`...(hint ? [h] : [])`)
// stays allowed: its size is written in the code.
const FLEET_SCALE = ["compile.ts", "commands/", "write/", "diff/", "output/", "report/"];

test("no array that grows with the fleet is spread into a call's arguments", () => {
  const literal = (e: ts.Expression): boolean => {
    while (ts.isParenthesizedExpression(e)) e = e.expression;
    return ts.isArrayLiteralExpression(e) || (ts.isConditionalExpression(e) && literal(e.whenTrue) && literal(e.whenFalse));
  };
  const files = sources(COMPILER).filter((f) => FLEET_SCALE.some((s) => (s.endsWith("/") ? f.startsWith(s) : f === s)));
  expect(files.length).toBeGreaterThan(40);
  const found: string[] = [];
  for (const file of files) {
    const sf = ts.createSourceFile(file, readFileSync(join(COMPILER, file), "utf8"), ts.ScriptTarget.Latest, true);
    const visit = (node: ts.Node): void => {
      if ((ts.isCallExpression(node) || ts.isNewExpression(node)) && node.arguments?.some((a) => ts.isSpreadElement(a) && !literal(a.expression)))
        found.push(`${file}:${sf.getLineAndCharacterOfPosition(node.getStart(sf)).line + 1}`);
      ts.forEachChild(node, visit);
    };
    visit(sf);
  }
  expect(found).toEqual([]);
});
