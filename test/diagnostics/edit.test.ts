// The model commands' diagnostics (09xx), one case per bad input: the code, the position (a line
// of the model file, or the argument's column on the command line), exit 1, and the file untouched.
import { readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import type { Code } from "../../compiler/codes/index.js";
import { baseFiles, edit, MODEL, tempRepo, type Files } from "../helpers/fixture.js";
import { berth, columnOf } from "../helpers/model-cli.js";

const FILE = "models/team-a/fraud.yaml";

/** 1-based line and column of the `nth` occurrence of `needle` in `text` (just past it, for a newline). */
function at(text: string, needle: string, nth = 1): { line: number; column: number } {
  let i = -1;
  for (let k = 0; k < nth; k++) i = text.indexOf(needle, i + 1);
  if (i < 0) throw new Error(`${needle} not in text`);
  if (needle === "\n") i++;
  const before = text.slice(0, i);
  return { line: before.split("\n").length, column: i - before.lastIndexOf("\n") };
}

interface Case {
  name: string;
  args: string[];
  files?: Files;
  code: Code;
  /** The argument's index in `args`, or the spot in the model file. */
  where: number | { needle: string; nth?: number; file?: string };
  message: RegExp;
  hint?: RegExp;
}

const NO_CANARY = edit(edit(MODEL, "traffic: 90", "traffic: 100"), "traffic: 10}", "traffic: 0}");
const ANCHORED = edit(MODEL, "- {name: v1.0.0", "- &stable {name: v1.0.0");

const cases: Case[] = [
  {
    name: "unknown model",
    args: ["model", "promote", "frad", "v1.1.0"],
    code: "BERTH0901",
    where: 2,
    message: /no model named frad/,
    hint: /did you mean fraud\?/,
  },
  {
    name: "unknown version",
    args: ["model", "promote", "fraud", "v1.2.0"],
    code: "BERTH0902",
    where: 3,
    message: /model fraud has no version v1\.2\.0/,
    hint: /its versions: v1\.0\.0, v1\.1\.0/,
  },
  { name: "unknown version in a weight", args: ["model", "set-traffic", "fraud", "v1.0.0=50", "v9=50"], code: "BERTH0902", where: 4, message: /no version v9/ },
  {
    name: "version already exists",
    args: ["model", "add-version", "fraud", "v1.1.0", "--artifact", "s3://models/fraud/1.1.1/"],
    code: "BERTH0903",
    where: { needle: "v1.1.0" },
    message: /already has version v1\.1\.0/,
  },
  {
    name: "weights that do not sum to 100",
    args: ["model", "set-traffic", "fraud", "v1.0.0=80"],
    code: "BERTH0904",
    where: 3,
    message: /sum to 90, not 100, in the model's spec \(v1\.0\.0=80, v1\.1\.0=10\); v1\.1\.0 keeps 10 unless you name it/,
  },
  {
    name: "weights over 100 on one cluster",
    args: ["model", "set-traffic", "fraud", "v1.0.0=70", "v1.1.0=40", "--cluster", "prod"],
    code: "BERTH0904",
    where: 3,
    message: /sum to 110, not 100, on cluster prod/,
  },
  {
    name: "--step beyond the remaining traffic",
    args: ["model", "promote", "fraud", "v1.1.0", "--step", "95"],
    code: "BERTH0905",
    where: 5,
    message: /--step 95 is more than the 90 points left to move to v1\.1\.0 on cluster prod/,
    hint: /--step 90 or less/,
  },
  {
    name: "--step on a version that has it all",
    args: ["model", "promote", "fraud", "v1.0.0", "--step", "5"],
    files: { [FILE]: NO_CANARY },
    code: "BERTH0905",
    where: 5,
    message: /0 points left/,
    hint: /already takes all the traffic/,
  },
  {
    name: "--step that is not a number",
    args: ["model", "promote", "fraud", "v1.1.0", "--step", "ten"],
    code: "BERTH0906",
    where: 5,
    message: /--step must be a whole number from 1 to 100, not "ten"/,
  },
  {
    name: "--traffic over 100",
    args: ["model", "add-version", "fraud", "v1.2.0", "--artifact", "s3://models/fraud/1.2.0/", "--traffic", "101"],
    code: "BERTH0906",
    where: 7,
    message: /--traffic must be a whole number from 0 to 100/,
  },
  { name: "a weight without =", args: ["model", "set-traffic", "fraud", "v1.0.0:100"], code: "BERTH0906", where: 3, message: /expected VERSION=N/ },
  {
    name: "a version named twice",
    args: ["model", "set-traffic", "fraud", "v1.0.0=50", "v1.0.0=50"],
    code: "BERTH0906",
    where: 4,
    message: /v1\.0\.0 is given twice/,
  },
  {
    name: "a version name the schema rejects",
    args: ["model", "add-version", "fraud", "V_2", "--artifact", "s3://models/fraud/2/"],
    code: "BERTH0906",
    where: 3,
    message: /version name "V_2"/,
  },
  {
    name: "retiring a version with traffic",
    args: ["model", "retire", "fraud", "v1.0.0"],
    code: "BERTH0907",
    where: { needle: "90" },
    message: /v1\.0\.0 still takes 90% of the traffic in the model's spec/,
  },
  {
    name: "retiring a version with traffic on a cluster override",
    args: ["model", "retire", "fraud", "v1.1.0"],
    files: {
      [FILE]: NO_CANARY.replace(
        "  access: [team-a]\n",
        "  access: [team-a]\n  overrides:\n    prod:\n      versions:\n        - {name: v1.1.0, traffic: 30}\n        - {name: v1.0.0, traffic: 70}\n",
      ),
    },
    code: "BERTH0907",
    where: { needle: "30" },
    message: /v1\.1\.0 still takes 30% of the traffic on cluster prod/,
  },
  {
    name: "retiring a version a routing rule uses",
    args: ["model", "retire", "fraud", "v1.1.0"],
    files: { [FILE]: NO_CANARY },
    code: "BERTH0908",
    where: { needle: "v1.1.0", nth: 2 },
    message: /routing rule for group team-a still sends requests to version v1\.1\.0/,
  },
  {
    name: "--cluster where the model does not run",
    args: ["model", "promote", "fraud", "v1.1.0", "--cluster", "staging"],
    code: "BERTH0909",
    where: 5,
    message: /model fraud does not run on cluster staging/,
    hint: /it runs on: prod/,
  },
  {
    name: "an anchor under versions",
    args: ["model", "promote", "fraud", "v1.1.0"],
    files: { [FILE]: ANCHORED },
    code: "BERTH0910",
    where: { needle: "&stable" },
    message: /cannot edit spec\.versions safely: it uses a YAML anchor/,
  },
  {
    name: "retiring the only version",
    args: ["model", "retire", "fraud", "v1.0.0"],
    files: {
      [FILE]: MODEL.replace(/ {4}- \{name: v1\.1\.0.*\n/, "")
        .replace("traffic: 90", "traffic: 100")
        .replace(/ {2}routing:\n.*\n/, ""),
    },
    code: "BERTH0911",
    where: { needle: "v1.0.0" },
    message: /v1\.0\.0 is the only version of model fraud/,
  },
  {
    name: "a model name in two tenant folders",
    args: ["model", "promote", "fraud", "v1.1.0"],
    files: { "models/team-b/fraud.yaml": MODEL },
    code: "BERTH0912",
    where: 2,
    message: /model fraud is defined twice: models\/team-a\/fraud\.yaml, models\/team-b\/fraud\.yaml/,
  },
  {
    name: "a file that is not a Model",
    args: ["model", "promote", "fraud", "v1.1.0"],
    files: { [FILE]: MODEL.replace("kind: Model", "kind: Store") },
    code: "BERTH0912",
    where: 2,
    message: /holds a Store, not a Model/,
  },
  {
    name: "a model file that is not UTF-8",
    args: ["model", "promote", "fraud", "v1.1.0"],
    files: { [FILE]: Buffer.concat([Buffer.from(MODEL.replace("access: [team-a]\n", "access: [team-")), Buffer.from([0xff]), Buffer.from("a]\n")]) },
    code: "BERTH0002",
    where: { needle: "\n", nth: 13 },
    message: /invalid UTF-8 byte sequence/,
  },
  {
    name: "a model file that does not parse",
    args: ["model", "promote", "fraud", "v1.1.0"],
    files: { [FILE]: MODEL.replace("access: [team-a]", "access: [team-a") },
    code: "BERTH0101",
    where: { needle: "[team-a" },
    message: /YAML syntax: this `\[` is never closed/,
  },
];

describe.each(cases.map((c) => [c.name, c] as const))("%s", (_name, c) => {
  let root: string;
  beforeAll(() => (root = tempRepo({ ...baseFiles(), ...c.files })));
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  test(`reports ${c.code} at the right place, exits 1 and leaves the file alone`, async () => {
    const before = readFileSync(join(root, FILE));
    const run = await berth(root, ...c.args);
    expect(run.code).toBe(1);
    const text = c.files?.[FILE] === undefined ? MODEL : c.files[FILE]!.toString("latin1");
    const pos =
      typeof c.where === "number"
        ? { file: "<command line>", line: 1, column: columnOf(c.args, c.where) }
        : { file: c.where.file ?? FILE, ...at(text, c.where.needle, c.where.nth) };
    const printed = run.stderr.split("\n").find((l) => l.includes(` ${c.code}: `));
    expect(printed).toBeDefined();
    expect(printed!.slice(0, `${pos.file}:${pos.line}:`.length)).toBe(`${pos.file}:${pos.line}:`);
    expect(printed).toMatch(c.message);
    if (c.code !== "BERTH0002") expect(printed!.startsWith(`${pos.file}:${pos.line}:${pos.column}:`)).toBe(true);
    if (c.hint) expect(run.stderr).toMatch(c.hint);
    expect(run.stderr).toMatch(/nothing written/);
    expect(readFileSync(join(root, FILE)).equals(before)).toBe(true);
  });
});
