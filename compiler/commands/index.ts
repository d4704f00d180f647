// One entry for every command: set up the strict schemas (every command but schema), then run it.
// Errors that stop a command before it runs are reported like any run's, in its format.
import { sortDiagnostics } from "../diagnostics.js";
import { isSystemError } from "../write/fs.js";
import type { ModelArgs } from "../edit/args.js";
import { finish } from "../report/index.js";
import type { CommandName } from "../report/reporter.js";
import { setupSchemas } from "../verify/schemas/setup.js";
import { runCheck } from "./check.js";
import { systemDiagnostic, type Io, type RunOptions } from "./context.js";
import { runRender } from "./render.js";
import { runSchema } from "./schema.js";
import { resultCacheFor } from "../verify/result-cache.js";

/** What the CLI parsed besides the run options. */
export interface Invocation {
  readonly command: CommandName;
  readonly schemas: readonly string[];
  readonly offline: boolean;
  /** schema, report: where to write. */
  readonly out: string;
  /** diff: the revision. */
  readonly base?: string;
  /** explain: the code asked about. */
  readonly code?: string;
  /** model: the parsed arguments, the whole argv (for argument columns), --dry-run. */
  readonly model?: { readonly args: ModelArgs; readonly argv: readonly string[]; readonly dryRun: boolean };
}

export async function runCommand(inv: Invocation, opts: RunOptions, io: Io): Promise<number> {
  try {
    return await dispatch(inv, opts, io);
  } catch (e) {
    return reportException(e, inv.command, opts, io);
  }
}

/**
 * What the CLI does with an exception that reached it: an operating system error is the user's
 * (exit 1, a diagnostic in the asked format); anything else is a bug in berth (exit 3).
 */
export function reportException(e: unknown, command: CommandName, opts: RunOptions, io: Io): number {
  if (isSystemError(e))
    return finish(opts.format, io, { ok: false, diagnostics: [systemDiagnostic(e, opts.root)], outcome: { command, stopped: "environment" } });
  io.stderr.write(`berth: internal error (a bug in berth, not in your specs or your environment): ${(e as Error | null)?.message ?? String(e)}\n`);
  if (io.env.BERTH_DEBUG) io.stderr.write(`${(e as Error).stack}\n`);
  else io.stderr.write("berth: please report it with the command you ran and the output of the same run with BERTH_DEBUG=1 (it adds the stack trace)\n");
  return 3;
}

/** Said once per run, so a render without strict validation is never mistaken for a validated one. */
export const NO_STRICT_NOTE =
  "berth: strict schema validation is off (no schema location): objects are checked against the kubernetes-models validators only; " +
  "to turn it on, pass --schemas DIR, set BERTH_SCHEMAS, or list schemas in berth.config.yaml (docs/schemas.md)\n";

async function dispatch(inv: Invocation, opts: RunOptions, io: Io): Promise<number> {
  let run = opts;
  if (inv.command === "explain") {
    const { runExplain } = await import("./explain.js");
    return runExplain(opts, inv.code!, io);
  }
  if (inv.command !== "schema") {
    const setup = await setupSchemas({
      root: opts.root,
      cwd: io.cwd,
      env: io.env,
      flags: inv.schemas,
      offline: inv.offline,
      clusters: inv.command === "model" ? undefined : opts.clusters,
      stderr: io.stderr,
    });
    if (setup.errors.length > 0)
      return finish(opts.format, io, { ok: false, diagnostics: sortDiagnostics(setup.errors), outcome: { command: inv.command, stopped: "setup" } });
    run = { ...opts, strict: setup.strict, results: resultCacheFor(opts.root, io.env) };
    if (!setup.strict && opts.format !== "json") io.stderr.write(NO_STRICT_NOTE);
  }
  switch (inv.command) {
    case "render":
      return runRender(run, io);
    case "check":
      return runCheck(run, io);
    case "schema":
      return runSchema(run, inv.out, io);
    case "report": {
      const { runReport } = await import("./report.js");
      return runReport(run, inv.out, io);
    }
    case "diff": {
      const { runDiff } = await import("./diff.js");
      return runDiff(run, inv.base!, io);
    }
    case "model": {
      const { runModel } = await import("./model.js");
      return runModel(inv.model!, { ...run, clusters: undefined }, io);
    }
  }
}
