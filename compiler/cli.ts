// argv -> command. Parses flags, then makes one call per command.
import { readdirSync, readFileSync, statSync } from "node:fs";
import { basename, dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import type { Io } from "./commands/context.js";
import { runCommand } from "./commands/index.js";
import type { CommandName, Format } from "./report/reporter.js";
import { isIsoDate } from "./catalogue/eks-versions.js";
import { MODEL_USAGE, parseModelArgs, type ModelArgs } from "./edit/args.js";
import { closest } from "./schema/suggest.js";

export const USAGE =
  "usage: berth <render|check|diff|schema|model|report|explain> [--root DIR] [--format text|json|github] [--schemas LOCATION]... [--offline] [--cluster NAME]... [--base REF] [--out DIR] [--as-of YYYY-MM-DD]";

/** One row per command: what `berth help`, `berth help COMMAND` and `COMMAND --help` print. */
interface CommandSpec {
  readonly formats: readonly Format[];
  /** The lines of the command list in `berth help`. */
  readonly summary: string;
  readonly usage: string;
  readonly examples: readonly string[];
}

const COMMANDS: Record<CommandName, CommandSpec> = {
  render: {
    formats: ["text", "json", "github"],
    summary: "render [--cluster NAME]...  compile all specs and write clusters/ and .github/CODEOWNERS",
    usage: "usage: berth render [--cluster NAME]... [--root DIR] [--format text|json|github] [--schemas LOCATION]... [--offline] [--as-of YYYY-MM-DD]",
    examples: ["berth render", "berth render --cluster prod-us-east-1 --schemas ../shared/schemas"],
  },
  check: {
    formats: ["text", "json", "github", "sarif"],
    summary: "check                       fail if clusters/ differs from what render would write; print capacity",
    usage: "usage: berth check [--root DIR] [--format text|json|github|sarif] [--schemas LOCATION]... [--offline] [--as-of YYYY-MM-DD]",
    examples: ["berth check", "berth check --format sarif > berth.sarif"],
  },
  diff: {
    formats: ["text", "json", "github", "markdown"],
    summary: "diff --base REF             semantic diff of the rendered output between git REF and the working tree",
    usage: "usage: berth diff --base REF [--root DIR] [--format text|json|github|markdown] [--schemas LOCATION]... [--offline]",
    examples: ["berth diff --base main", "berth diff --base origin/main --format markdown > comment.md"],
  },
  schema: {
    formats: ["text", "json", "github"],
    summary: "schema [--out DIR]          write JSON Schemas of the input kinds, for editors",
    usage: "usage: berth schema [--out DIR] [--root DIR] [--format text|json|github]",
    examples: ["berth schema", "berth schema --out .vscode/berth-schemas"],
  },
  model: {
    formats: ["text", "json", "github"],
    summary: [
      "model add-version MODEL VERSION --artifact URI [--image REF] [--traffic N]",
      "                            add a version to a model's spec (docs/model-commands.md)",
      "model set-traffic MODEL VERSION=N... [--cluster NAME]",
      "                            set the split (on one cluster: its override)",
      "model promote MODEL VERSION [--step N] [--cluster NAME]",
      "                            move N points of traffic (default: all) to VERSION",
      "model retire MODEL VERSION  remove a version that has no traffic on any cluster",
    ].join("\n  "),
    usage: MODEL_USAGE,
    examples: [
      "berth model promote fraud-detection v1.3.0 --step 10 --dry-run",
      "berth model set-traffic fraud-detection v1.2.0=80 v1.3.0=20 --cluster prod-us-east-1",
    ],
  },
  report: {
    formats: ["text", "json", "github"],
    summary: "report [--out DIR]          write a static HTML report: capacity, quotas, routes, access (docs/report.md)",
    usage: "usage: berth report [--out DIR] [--root DIR] [--format text|json|github] [--schemas LOCATION]... [--offline]",
    examples: ["berth report", "berth report --out site/berth"],
  },
  explain: {
    formats: ["text", "json"],
    summary: "explain CODE                what a diagnostic code means and what to do about it",
    usage: "usage: berth explain CODE [--format text|json]",
    examples: ["berth explain BERTH0203", "berth explain 203 --format json"],
  },
};

const OPTIONS_HELP = `options:
  --root DIR        repository root (default: the current directory)
  --format FORMAT   text (default), json, github; sarif for check; markdown for diff
  --schemas LOC     where strict JSON Schemas are: a folder or an https:// URL template, as in
                    kubeconform (repeatable, tried in order; overrides BERTH_SCHEMAS and the
                    schemas of berth.config.yaml; see docs/schemas.md)
  --offline         use only cached downloads of schemas
  --cluster NAME    render only this cluster (repeatable)
  --base REF        git revision to diff against
  --out DIR         where schema writes (default: schemas/) or report writes (default: report/)
  --dry-run         model: print the unified diff instead of writing
  --as-of DATE      the day the EKS support calendar is read on, YYYY-MM-DD (default: today, UTC)
  --help            this text (berth help COMMAND or berth COMMAND --help: one command's)
  --version         berth's version`;

const EXIT_HELP = `exit codes: 0 ok (warnings allowed), 1 errors (in the specs, or from the file system: the path and
the reason are named), 2 usage error, 3 internal error (a bug in berth)`;

const HELP = `${USAGE}

commands:
${Object.values(COMMANDS)
  .map((c) => `  ${c.summary}`)
  .join("\n")}
  help [COMMAND]              this text, or one command's with examples

${OPTIONS_HELP}

${EXIT_HELP}`;

function commandHelp(name: CommandName): string {
  const c = COMMANDS[name];
  return `${c.usage}\n\n  ${c.summary}\n\nexamples:\n${c.examples.map((e) => `  ${e}`).join("\n")}\n\n${OPTIONS_HELP}\n\n${EXIT_HELP}`;
}

const FORMATS: Record<CommandName, readonly Format[]> = Object.fromEntries(Object.entries(COMMANDS).map(([n, c]) => [n, c.formats])) as Record<
  CommandName,
  readonly Format[]
>;

const OPTIONS = {
  root: { type: "string" },
  format: { type: "string" },
  schemas: { type: "string", multiple: true },
  offline: { type: "boolean" },
  cluster: { type: "string", multiple: true },
  base: { type: "string" },
  out: { type: "string" },
  artifact: { type: "string" },
  image: { type: "string" },
  traffic: { type: "string" },
  step: { type: "string" },
  "dry-run": { type: "boolean" },
  "as-of": { type: "string" },
  help: { type: "boolean", short: "h" },
  version: { type: "boolean" },
} as const;

/** Flags only the model commands take. */
const MODEL_FLAGS = ["artifact", "image", "traffic", "step", "dry-run"] as const;

export async function main(argv: string[], io: Io): Promise<number> {
  const unknown = unknownFlag(argv);
  if (unknown) return usage(io, unknown);
  let parsed;
  try {
    parsed = parseArgs({ args: argv, allowPositionals: true, strict: true, options: OPTIONS });
  } catch (e) {
    return usage(io, (e as Error).message);
  }
  const { values, positionals } = parsed;
  if (values.version) {
    io.stdout.write(`berth ${version()}\n`);
    return 0;
  }
  if (positionals[0] === "help") {
    const topic = positionals[1];
    if (topic === undefined) io.stdout.write(HELP + "\n");
    else if (isCommand(topic)) io.stdout.write(commandHelp(topic) + "\n");
    else return usage(io, `unknown command ${JSON.stringify(topic)}${didYouMean(topic, Object.keys(COMMANDS))}`);
    return 0;
  }
  if (values.help) {
    const topic = positionals[0];
    io.stdout.write((topic !== undefined && isCommand(topic) ? commandHelp(topic) : HELP) + "\n");
    return 0;
  }
  const [command, ...extra] = positionals;
  if (!command) return usage(io, "no command given");
  if (!isCommand(command)) return usage(io, `unknown command ${JSON.stringify(command)}${didYouMean(command, [...Object.keys(COMMANDS), "help"])}`);
  if (command === "explain") {
    if (extra.length !== 1) return usage(io, "explain takes one code, e.g. berth explain BERTH0203", COMMANDS.explain.usage);
    const format = values.format ?? "text";
    if (!FORMATS.explain.includes(format as Format))
      return usage(
        io,
        `--format ${format} is not available for explain (use ${FORMATS.explain.join(", ")})${didYouMean(format, FORMATS.explain)}`,
        COMMANDS.explain.usage,
      );
    return runCommand({ command, schemas: [], offline: true, out: "", code: extra[0]! }, { root: io.cwd, format: format as Format }, io);
  }
  if (command !== "model" && extra.length > 0) return usage(io, `unexpected argument ${JSON.stringify(extra[0])}`);
  const format = values.format ?? "text";
  if (!FORMATS[command].includes(format as Format))
    return usage(
      io,
      `--format ${format} is not available for ${command} (use ${FORMATS[command].join(", ")})${didYouMean(format, FORMATS[command])}`,
      COMMANDS[command].usage,
    );
  const modelFlag = MODEL_FLAGS.find((f) => values[f] !== undefined);
  if (command !== "model" && modelFlag) return usage(io, `--${modelFlag} goes with model`);
  let model: ModelArgs | string | undefined;
  if (command === "model") {
    model = parseModelArgs(extra, values);
    if (typeof model === "string") return usage(io, model, MODEL_USAGE);
  }
  if (command !== "render" && command !== "model" && values.cluster) return usage(io, "--cluster goes with render");
  if (command !== "diff" && values.base) return usage(io, "--base goes with diff");
  if (command !== "schema" && command !== "report" && values.out) return usage(io, "--out goes with schema or report");

  const asOf = values["as-of"];
  if (asOf !== undefined && !isIsoDate(asOf)) return usage(io, `--as-of takes a date written YYYY-MM-DD (got ${JSON.stringify(asOf)})`);
  if (command === "diff" && !values.base) return usage(io, "diff needs --base REF");

  const root = resolve(io.cwd, values.root ?? ".");
  if (!isFolder(root))
    return usage(
      io,
      `--root ${values.root}: no such folder${didYouMean(basename(root), siblings(root), (n) => join(dirname(values.root!), n))}`,
      COMMANDS[command].usage,
    );
  return runCommand(
    {
      command,
      schemas: values.schemas ?? [],
      offline: values.offline ?? false,
      out: resolve(root, values.out ?? (command === "report" ? "report" : "schemas")),
      base: values.base,
      model: command === "model" ? { args: model as ModelArgs, argv, dryRun: values["dry-run"] === true } : undefined,
    },
    { root, format: format as Format, clusters: values.cluster, asOf },
    io,
  );
}

function usage(io: Io, why: string, line = USAGE): number {
  io.stderr.write(`berth: ${why}\n${line}\n`);
  return 2;
}

function isCommand(name: string): name is CommandName {
  return Object.hasOwn(COMMANDS, name);
}

/** " (did you mean X?)" when a candidate is near enough to be a typo, else "". */
function didYouMean(word: string, candidates: readonly string[], show: (c: string) => string = (c) => c): string {
  // Two letters swapped (--bsae) is one slip, though edit distance counts two.
  const sorted = (w: string) => [...w].sort().join("");
  const near = closest(word, candidates) ?? candidates.find((c) => c.length === word.length && sorted(c) === sorted(word));
  return near === undefined || near === word ? "" : ` (did you mean ${show(near)}?)`;
}

/** The first `--flag` berth does not know, said in berth's words (Node's own advice misleads here). */
function unknownFlag(argv: readonly string[]): string | undefined {
  const names = Object.keys(OPTIONS);
  for (const arg of argv) {
    if (arg === "--") return undefined;
    if (!arg.startsWith("--")) continue;
    const name = arg.slice(2).split("=")[0]!;
    if (!names.includes(name)) return `unknown flag --${name}${didYouMean(name, names, (n) => `--${n}`)}`;
  }
  return undefined;
}

function isFolder(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

/** The folders next to a missing one, to suggest the one meant. */
function siblings(path: string): string[] {
  try {
    return readdirSync(dirname(path), { withFileTypes: true })
      .filter((e) => e.isDirectory())
      .map((e) => e.name);
  } catch {
    return [];
  }
}

/** package.json's version: found upward from this file, which runs from dist/ or, in tests, from source. */
function version(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    try {
      const pkg = JSON.parse(readFileSync(join(dir, "package.json"), "utf8")) as { name?: string; version?: string };
      if (pkg.name === "berth" && pkg.version) return pkg.version;
    } catch {
      // not here: look further up
    }
    const up = dirname(dir);
    if (up === dir) return "unknown";
    dir = up;
  }
}
