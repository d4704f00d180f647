// Every diagnostic shown in README.md and docs/ is what berth prints: each sits in a block marked
// `<!-- example {"edit": ...} -->`, which this test replays on a copy of the example repository
// (the edit applied, the `$ berth ...` line run) and compares with the block, line for line.
// docs/diagnostics.md is generated from the catalogue and held to it by its own tests.
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { main } from "../../compiler/cli.js";
import { REPO_ROOT, SCHEMAS_DIR, strictTest } from "../helpers/fixture.js";

interface Example {
  doc: string;
  line: number;
  command: string[];
  expected: string[];
  edit?: { file: string; from: string; to: string };
}

const DIAGNOSTIC = /^\S+:\d+:\d+: (error|warning) BERTH\d{4}: /;
const DOCS = [
  "README.md",
  ...readdirSync(join(REPO_ROOT, "docs"))
    .filter((f) => f.endsWith(".md") && f !== "diagnostics.md")
    .map((f) => `docs/${f}`),
];

/** The marked blocks of a document, and the diagnostic lines that are in no marked block. */
function examplesOf(doc: string): { examples: Example[]; unmarked: string[] } {
  const lines = readFileSync(join(REPO_ROOT, doc), "utf8").split("\n");
  const examples: Example[] = [];
  const unmarked: string[] = [];
  for (let i = 0; i < lines.length; i++) {
    const marker = /^<!-- example (\{.*\}) -->$/.exec(lines[i]!);
    if (marker && lines[i + 1] === "```") {
      const end = lines.indexOf("```", i + 2);
      const [run, ...expected] = lines.slice(i + 2, end);
      const command = /^\$ (?:npx )?berth (.*)$/.exec(run ?? "");
      if (!command) throw new Error(`${doc}:${i + 3}: a marked example starts with \`$ berth ...\``);
      examples.push({ doc, line: i + 1, command: command[1]!.split(" "), expected, ...JSON.parse(marker[1]!) });
      i = end;
    } else if (DIAGNOSTIC.test(lines[i]!)) unmarked.push(`${doc}:${i + 1}: ${lines[i]}`);
  }
  return { examples, unmarked };
}

const all = DOCS.map(examplesOf);

test("every diagnostic shown in the docs is in a marked, replayed example", () => {
  expect(all.flatMap((d) => d.unmarked)).toEqual([]);
  expect(all.flatMap((d) => d.examples).length).toBeGreaterThanOrEqual(2);
});

describe.each(all.flatMap((d) => d.examples).map((e) => [`${e.doc}:${e.line}`, e] as const))("%s", (_where, e) => {
  let dir: string;
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  // The example repository reads its strict schemas from ../shared/schemas (berth.config.yaml).
  strictTest(`prints what the block shows: berth ${e.command.join(" ")}`, async () => {
    dir = mkdtempSync(join(tmpdir(), "berth-docs-"));
    const repo = join(dir, "repo");
    for (const part of ["platform", "tenants", "models", "clusters", ".github", "berth.config.yaml"])
      cpSync(join(REPO_ROOT, part), join(repo, part), { recursive: true });
    symlinkSync(dirname(SCHEMAS_DIR), join(dir, "shared"));
    if (e.edit) {
      const path = join(repo, e.edit.file);
      const text = readFileSync(path, "utf8");
      expect(text).toContain(e.edit.from);
      writeFileSync(path, text.replace(e.edit.from, e.edit.to));
    }
    let out = "";
    const sink = { write: (s: string) => (out += s) };
    await main(e.command, { cwd: repo, env: {}, stdout: sink, stderr: sink });
    expect(out.split("\n").slice(0, e.expected.length)).toEqual(e.expected);
  });
});

test("the docs cite only documents in the repository: no SPEC sections, and every relative link resolves", () => {
  const problems: string[] = [];
  for (const doc of DOCS) {
    const text = readFileSync(join(REPO_ROOT, doc), "utf8");
    text.split("\n").forEach((line, i) => {
      if (/\bSPEC\b/.test(line)) problems.push(`${doc}:${i + 1}: cites the SPEC, which is not in the repository`);
      for (const m of line.matchAll(/\]\(([^)\s]+)\)/g)) {
        const target = m[1]!.replace(/#.*$/, "");
        if (target === "" || /^[a-z]+:/.test(target)) continue;
        if (!existsSync(join(REPO_ROOT, dirname(doc), target))) problems.push(`${doc}:${i + 1}: link to ${m[1]} leads nowhere`);
      }
    });
  }
  expect(problems).toEqual([]);
});
