// YAML syntax errors in berth's words: one diagnostic per mistake, at the token to change, with
// a hint. The parser alone reports column 1 of the next line, or the end of the file.
import { edit, MODEL } from "../helpers/fixture.js";
import { runTable, type Case } from "../helpers/table.js";

const M = "models/team-a/fraud.yaml";
const V1 = `    - {name: v1.0.0, artifact: "s3://models/fraud/1.0.0/", traffic: 90}`;

/** One case: `text` must give exactly one error, BERTH0101 unless said, at the line and column of `needle` on `line`. */
function syntax(
  name: string,
  text: string,
  line: number,
  needle: string,
  message: RegExp,
  hint: RegExp,
  code: "BERTH0101" | "BERTH0102" | "BERTH0103" = "BERTH0101",
): Case {
  const row = text.split("\n")[line - 1];
  if (row === undefined || !row.includes(needle)) throw new Error(`${name}: ${JSON.stringify(needle)} is not on line ${line}`);
  return { name, files: { [M]: text }, expect: [{ code, file: M, line, column: row.indexOf(needle) + 1, message, hint }] };
}

runTable([
  syntax(
    "a key indented one space less than its siblings points at the key",
    edit(MODEL, V1, `    - name: v1.0.0\n      traffic: 90\n     artifact: "s3://models/fraud/1.0.0/"`),
    10,
    "artifact",
    /^YAML syntax: `artifact` is indented 5 spaces, but `traffic` on line 9 has 6$/,
    /^indent it 6 spaces like `traffic`$/,
  ),
  syntax(
    "a key indented deeper than a sibling that has a value",
    edit(MODEL, "  framework: sklearn\n", "  framework: sklearn\n   pool: general\n"),
    7,
    "pool",
    /`pool` is indented 3 spaces, deeper than `framework` on line 6 \(indented 2\), which already has a value/,
    /indent it 2 spaces/,
  ),
  syntax(
    "a key between two levels",
    edit(
      MODEL,
      `  resources: {requests: {cpu: 500m, memory: 1Gi}, limits: {cpu: "1", memory: 2Gi}}`,
      `  resources:\n    requests: {cpu: 500m, memory: 1Gi}\n   limits: {cpu: "1", memory: 2Gi}`,
    ),
    12,
    "limits",
    /`limits` is indented 3 spaces, but `requests` on line 11 has 4/,
    /^indent it 4 spaces like `requests`, or 2 like `resources` on line 10$/,
  ),
  syntax(
    "an unclosed { points at the bracket, not the next line",
    edit(MODEL, "maxReplicas: 4}", "maxReplicas: 4"),
    11,
    "{",
    /^YAML syntax: this `\{` is never closed$/,
    /^end the mapping with `\}` on line 11, or indent the lines that continue it deeper than line 11$/,
  ),
  syntax(
    "an unclosed [ at the end of the file",
    edit(MODEL, "access: [team-a]", "access: [team-a"),
    14,
    "[",
    /this `\[` is never closed/,
    /^end the list with `\]`$/,
  ),
  syntax(
    "a bracket closed by the wrong one",
    edit(MODEL, "access: [team-a]", "access: [team-a}"),
    14,
    "}",
    /`\}` closes the `\[` of line 14, column 11/,
    /close it with `\]`/,
  ),
  syntax("a bracket too many", edit(MODEL, "access: [team-a]", "access: [team-a]}"), 14, "}", /`\}` closes nothing/, /remove it/),
  syntax(
    "pool:general, without the space after the colon",
    edit(MODEL, "  framework: sklearn\n", "  framework: sklearn\n  pool:general\n"),
    7,
    ":",
    /no space after the colon in `pool:general`, so YAML reads one word, not the key `pool`/,
    /^write `pool: general`$/,
  ),
  syntax(
    "a tab in the indentation",
    edit(MODEL, "  framework: sklearn", "\tframework: sklearn"),
    6,
    "\t",
    /^tab character in indentation$/,
    /spaces only/,
    "BERTH0102",
  ),
  syntax(
    "a tab after spaces in the indentation",
    edit(MODEL, "  framework: sklearn", "  \tframework: sklearn"),
    6,
    "\t",
    /^tab character in indentation$/,
    /spaces only/,
    "BERTH0102",
  ),
  syntax(
    "a duplicate key points at the second one",
    MODEL + "  framework: xgboost\n",
    15,
    "framework",
    /^duplicate key framework \(first at line 6\)$/,
    /remove or merge/,
    "BERTH0103",
  ),
  syntax(
    "a list item indented off the items above",
    edit(MODEL, "    - {group: team-a, version: v1.1.0}\n", "    - {group: team-a, version: v1.1.0}\n   - {group: team-b, version: v1.0.0}\n"),
    14,
    "-",
    /^YAML syntax: this list item is indented 3 spaces, but the list item on line 13 has 4$/,
    /^indent it 4 spaces like the list item, or 2 like `routing` on line 12$/,
  ),
  syntax(
    "a list item among the keys of a mapping",
    edit(MODEL, "  framework: sklearn\n", "  framework: sklearn\n  - xgboost\n"),
    7,
    "-",
    /a list item where the mapping of `framework` \(line 6\) continues/,
    /key that ends with `:`/,
  ),
  syntax(
    "an unterminated double quote points at the opening quote",
    edit(MODEL, '"s3://models/fraud/1.0.0/"', '"s3://models/fraud/1.0.0/'),
    8,
    '"',
    /^YAML syntax: the string that starts with " here never ends$/,
    /close it with " on the same line/,
  ),
  syntax(
    "an unterminated single quote",
    edit(MODEL, "framework: sklearn", "framework: 'sklearn"),
    6,
    "'",
    /the string that starts with ' here never ends/,
    /inside single quotes a quote is written ''/,
  ),
  syntax(
    "a colon and a space inside a plain value",
    edit(MODEL, "framework: sklearn", "framework: sklearn: 1.4"),
    6,
    "sklearn",
    /the value of `framework` holds `: `/,
    /^quote the value: "sklearn: 1\.4"$/,
  ),
]);

test("the scan finds nothing in well-formed specs (every spec of the example repository)", async () => {
  const { scanSyntax } = await import("../../compiler/yaml-errors.js");
  const { readdirSync, readFileSync, statSync } = await import("node:fs");
  const { join } = await import("node:path");
  const { REPO_ROOT } = await import("../helpers/fixture.js");
  const specs = (dir: string): string[] =>
    readdirSync(dir).flatMap((n) => (statSync(join(dir, n)).isDirectory() ? specs(join(dir, n)) : n.endsWith(".yaml") ? [join(dir, n)] : []));
  const files = ["platform", "tenants", "models"].flatMap((d) => specs(join(REPO_ROOT, d)));
  expect(files.length).toBeGreaterThan(5);
  expect(files.flatMap((f) => scanSyntax(readFileSync(f, "utf8")).map((x) => `${f}:${x.line}:${x.column} ${x.message}`))).toEqual([]);
  // Block scalars, multi-line strings and flows, comments and compact lists are YAML too.
  const tricky = 'a: |\n  x: [\n  "y\nb: "one\n  two"\nc: [1,\n  2]\nd:\n- e # [\n- f: g\nh: it\'s {fine}\n';
  expect(scanSyntax(tricky)).toEqual([]);
});
