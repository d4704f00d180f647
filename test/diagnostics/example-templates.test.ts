// Every catalogue example's message (and hint) has the shape of a message the compiler can print:
// it matches one of the templates given to `report(CODE, ...)` for its code in compiler/ (each
// `${...}` stands for any text). Examples drift when a message is reworded; this catches it for
// every code whose message is written at the call, without building each situation.
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import ts from "typescript";
import { CATALOGUE, type Code } from "../../compiler/codes/index.js";
import { REPO_ROOT } from "../helpers/fixture.js";

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    if (statSync(p).isDirectory()) return n === "codes" ? [] : sources(p);
    return n.endsWith(".ts") ? [p] : [];
  });
}

/** A string or template literal as a pattern; undefined for anything computed. */
function pattern(node: ts.Expression | undefined): RegExp | undefined {
  const esc = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  if (!node) return undefined;
  if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) return new RegExp(`^${esc(node.text)}$`, "s");
  if (ts.isTemplateExpression(node)) return new RegExp(`^${esc(node.head.text)}${node.templateSpans.map((s) => `.*${esc(s.literal.text)}`).join("")}$`, "s");
  return undefined;
}

const templates = new Map<string, { message?: RegExp; hint?: RegExp; computed: boolean }[]>();
/** How often each code is named in compiler/: a code named outside a report(...) call (a schema rule's params, a helper) is raised in ways this test cannot read. */
const mentions = new Map<string, number>();
for (const file of sources(join(REPO_ROOT, "compiler"))) {
  const text = readFileSync(file, "utf8");
  for (const m of text.matchAll(/"(BERTH\d{4})"/g)) mentions.set(m[1]!, (mentions.get(m[1]!) ?? 0) + 1);
  const sf = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
  const visit = (n: ts.Node): void => {
    if (ts.isCallExpression(n) && ts.isPropertyAccessExpression(n.expression) && n.expression.name.text === "report" && n.arguments.length >= 3) {
      const code = n.arguments[0]!;
      if (ts.isStringLiteral(code) && /^BERTH\d{4}$/.test(code.text)) {
        const message = pattern(n.arguments[2]);
        const list = templates.get(code.text) ?? [];
        list.push({ message, hint: pattern(n.arguments[3]), computed: message === undefined });
        templates.set(code.text, list);
      }
    }
    ts.forEachChild(n, visit);
  };
  visit(sf);
}

function checkable(code: string, list: readonly { computed: boolean }[]): boolean {
  return code in CATALOGUE && !list.some((t) => t.computed) && mentions.get(code) === list.length;
}

/** `file:line:col: severity CODE: message` and an optional `  hint: ...` line. */
function parts(example: string): { message: string; hint?: string } {
  const [first, ...rest] = example.split("\n");
  const message = first!.replace(/^.*? BERTH\d{4}: /, "");
  const hint = rest
    .find((l) => l.trim().startsWith("hint: "))
    ?.trim()
    .slice("hint: ".length);
  return { message, hint };
}

test("every example matches a template reported for its code", () => {
  const stale: string[] = [];
  for (const [code, list] of templates) {
    if (!checkable(code, list)) continue;
    const { message, hint } = parts(CATALOGUE[code as Code].example);
    const fits = list.some((t) => t.message!.test(message) && (hint === undefined || t.hint === undefined || t.hint.test(hint)));
    if (!fits) stale.push(`${code}: ${message}${hint ? ` (hint: ${hint})` : ""}`);
  }
  expect(stale).toEqual([]);
});

test("the check covers most codes (the others build their message in a helper)", () => {
  const literal = [...templates].filter(([code, list]) => checkable(code, list)).length;
  expect(literal).toBeGreaterThan(80);
});
