// argv -> command. Parses flags, then makes one call per command.
import { parseArgs } from "node:util";
import { resolve } from "node:path";
import { reportException, runCheck, runRender, runSchema, type Io, type RunOptions } from "./commands/run.js";
import type { Format } from "./diagnostics.js";
import { printSetupErrors, setupSchemas } from "./verify/schemas/setup.js";
import type { StrictValidator } from "./verify/strict.js";
import { isIsoDate } from "./catalogue/eks-versions.js";
import { MODEL_USAGE, parseModelArgs, type ModelArgs } from "./edit/args.js";

export const USAGE =
  "usage: berth <render|check|diff|schema|model|report|explain> [--root DIR] [--format text|json|github] [--schemas LOCATION]... [--offline] [--cluster NAME]... [--base REF] [--out DIR] [--as-of YYYY-MM-DD]";

const HELP = `${USAGE}

commands:
  render [--cluster NAME]...  compile all specs and write clusters/ and .github/CODEOWNERS
  check                       fail if clusters/ differs from what render would write; print capacity
  diff --base REF             semantic diff of the rendered output between git REF and the working tree
  schema [--out DIR]          write JSON Schemas of the input kinds, for editors
  model add-version MODEL VERSION --artifact URI [--image REF] [--traffic N]
                              add a version to a model's spec (docs/model-commands.md)
  model set-traffic MODEL VERSION=N... [--cluster NAME]
                              set the split (on one cluster: its override)
  model promote MODEL VERSION [--step N] [--cluster NAME]
                              move N points of traffic (default: all) to VERSION
  model retire MODEL VERSION  remove a version that has no traffic on any cluster
  report [--out DIR]          write a static HTML report: capacity, quotas, routes, access (docs/report.md)
  explain CODE                what a diagnostic code means and what to do about it

options:
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
  --help            this text

exit codes: 0 ok (warnings allowed), 1 errors (in the specs, or from the file system: the path and
the reason are named), 2 usage error, 3 internal error (a bug in berth)`;

const FORMATS: Record<string, readonly string[]> = {
  render: ["text", "json", "github"],
  check: ["text", "json", "github", "sarif"],
  diff: ["text", "json", "github", "markdown"],
  schema: ["text", "json", "github"],
  model: ["text", "json", "github"],
  report: ["text", "json", "github"],
  explain: ["text", "json"],
};

/** Flags only the model commands take. */
const MODEL_FLAGS = ["artifact", "image", "traffic", "step", "dry-run"] as const;

export async function main(argv: string[], io: Io): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      strict: true,
      options: {
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
      },
    });
  } catch (e) {
    return usage(io, (e as Error).message);
  }
  const { values, positionals } = parsed;
  if (values.help) {
    io.stdout.write(HELP + "\n");
    return 0;
  }
  const [command, ...extra] = positionals;
  if (!command) return usage(io, "no command given");
  if (!(command in FORMATS)) return usage(io, `unknown command ${JSON.stringify(command)}`);
  if (command === "explain") {
    if (extra.length !== 1) return usage(io, "explain takes one code, e.g. berth explain BERTH0203");
    const { runExplain } = await import("./commands/explain.js");
    return runExplain({ format: (values.format ?? "text") as Format }, extra[0]!, io);
  }
  if (command !== "model" && extra.length > 0) return usage(io, `unexpected argument ${JSON.stringify(extra[0])}`);
  const format = values.format ?? "text";
  if (!FORMATS[command]!.includes(format)) return usage(io, `--format ${format} is not available for ${command} (use ${FORMATS[command]!.join(", ")})`);
  const modelFlag = MODEL_FLAGS.find((f) => values[f] !== undefined);
  if (command !== "model" && modelFlag) return usage(io, `--${modelFlag} goes with model`);
  let model: ModelArgs | string | undefined;
  if (command === "model") {
    model = parseModelArgs(extra, values);
    if (typeof model === "string") return usage(io, model, MODEL_USAGE);
  }
  if (command !== "render" && command !== "model" && values.cluster) return usage(io, "--cluster goes with render");
  if (command !== "diff" && values.base) return usage(io, "--base goes with diff");
  const asOf = values["as-of"];
  if (asOf !== undefined && !isIsoDate(asOf)) return usage(io, `--as-of takes a date written YYYY-MM-DD (got ${JSON.stringify(asOf)})`);
  if (command !== "schema" && command !== "report" && values.out) return usage(io, "--out goes with schema or report");

  const root = resolve(io.cwd, values.root ?? ".");
  let strict: StrictValidator | undefined;
  if (command !== "schema") {
    const setup = await setupSchemas({
      root,
      cwd: io.cwd,
      env: io.env,
      flags: values.schemas ?? [],
      offline: values.offline ?? false,
      clusters: command === "model" ? undefined : values.cluster,
      stderr: io.stderr,
    });
    if (setup.errors.length > 0) return printSetupErrors(setup.errors, command, format as Format | "markdown", io);
    strict = setup.strict;
  }
  const opts: RunOptions = { root, format: format as Format | "markdown", strict, clusters: values.cluster, asOf };
  try {
    switch (command) {
      case "render":
        return runRender(opts, io);
      case "check":
        return runCheck(opts, io);
      case "schema":
        return runSchema(opts, resolve(opts.root, values.out ?? "schemas"), io);
      case "report": {
        const { runReport } = await import("./commands/report.js");
        return runReport(opts, resolve(opts.root, values.out ?? "report"), io);
      }
      case "diff": {
        if (!values.base) return usage(io, "diff needs --base REF");
        const { runDiff } = await import("./commands/diff.js");
        return runDiff(opts, values.base, io);
      }
      case "model": {
        const { runModel } = await import("./commands/model.js");
        return runModel({ args: model as ModelArgs, argv, dryRun: values["dry-run"] === true }, { ...opts, clusters: undefined }, io);
      }
    }
  } catch (e) {
    return reportException(e, command, opts, io);
  }
  return 2;
}

function usage(io: Io, why: string, line = USAGE): number {
  io.stderr.write(`berth: ${why}\n${line}\n`);
  return 2;
}
