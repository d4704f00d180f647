// `berth explain CODE`: a catalogue entry in the terminal, so a code in a CI log can be looked up
// without leaving it.
import { CATALOGUE, type Code } from "../codes/index.js";
import { AREA_DOCS, areaOf } from "../codes/markdown.js";
import type { Io, RunOptions } from "./run.js";

/** `0203`, `203`, `berth0203` and `BERTH0203` name the same code. */
export function normalizeCode(word: string): string {
  const m = /^(?:berth)?0*(\d{1,4})$/i.exec(word.trim());
  return m ? `BERTH${m[1]!.padStart(4, "0")}` : word.trim().toUpperCase();
}

export function runExplain(opts: Pick<RunOptions, "format">, word: string, io: Io): number {
  const code = normalizeCode(word);
  if (!(code in CATALOGUE)) {
    const near = nearCodes(word, code);
    io.stderr.write(
      `berth explain: no code ${JSON.stringify(word)} in the catalogue${near.length ? `; did you mean ${near.map((c) => `${c} (${CATALOGUE[c].title})`).join(", ")}?` : ""}\nthe codes: docs/diagnostics.md\n`,
    );
    return 2;
  }
  const entry = explain(code as Code);
  if (opts.format === "json") io.stdout.write(JSON.stringify({ command: "explain", ok: true, diagnostics: [], ...entry }, null, 2) + "\n");
  else io.stdout.write(explainText(entry));
  return 0;
}

export interface Explanation {
  code: Code;
  severity: "error" | "warning";
  title: string;
  example: string;
  /** The hint of the example, when it has one. */
  hint?: string;
  /** The pages that say more: the catalogue's row and the page of the code's area. */
  docs: string[];
  source?: string;
}

export function explain(code: Code): Explanation {
  const info = CATALOGUE[code];
  const [first, ...rest] = info.example.split("\n");
  const hint = rest
    .map((l) => l.trim())
    .find((l) => l.startsWith("hint:"))
    ?.slice("hint:".length)
    .trim();
  const area = AREA_DOCS[code.slice(5, 8)] ?? AREA_DOCS[areaOf(code)];
  return {
    code,
    severity: info.severity,
    title: info.title,
    example: first!,
    ...(hint ? { hint } : {}),
    docs: [`docs/diagnostics.md#${code.toLowerCase()}`, ...(area ? [area] : [])],
    ...(info.source ? { source: info.source } : {}),
  };
}

function explainText(e: Explanation): string {
  const lines = [`${e.code} (${e.severity}): ${e.title}`, "", "example:", `  ${e.example}`];
  if (e.hint) lines.push(`    hint: ${e.hint}`);
  lines.push("");
  const what =
    e.severity === "error"
      ? "berth writes nothing while it stands; fix the spec at the position printed"
      : "a warning: render still writes; fix it or accept it knowingly";
  lines.push("what to do:", `  ${e.hint ?? "follow the hint printed with the diagnostic"}`, `  ${what}`);
  if (e.source) lines.push("", `the rule comes from: ${e.source}`);
  lines.push("", `more: ${e.docs.join(", ")}`, "");
  return lines.join("\n");
}

/** Codes one digit away from what was typed, or whose title holds the words typed. */
function nearCodes(word: string, code: string): Code[] {
  const all = Object.keys(CATALOGUE) as Code[];
  if (/^BERTH\d{4}$/.test(code)) return all.filter((c) => [...c].filter((ch, i) => ch !== code[i]).length === 1).slice(0, 5);
  const words = word.toLowerCase().split(/\s+/).filter(Boolean);
  return all.filter((c) => words.length > 0 && words.every((w) => CATALOGUE[c].title.toLowerCase().includes(w))).slice(0, 5);
}
