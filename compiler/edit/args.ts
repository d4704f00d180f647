// `berth model <sub> ...` arguments -> a ModelCommand. A wrong shape (unknown subcommand, missing
// or foreign flag, wrong number of arguments) is a usage error; a malformed value is a diagnostic
// at that argument's column on the command line.
import type { Diagnostics, SpecRef } from "../diagnostics.js";
import type { ArgLocator, ArgName, ModelCommand } from "./operations.js";

export const MODEL_USAGE = [
  "usage: berth model add-version MODEL VERSION --artifact URI [--image REF] [--traffic N] [--dry-run]",
  "       berth model set-traffic MODEL VERSION=N... [--cluster NAME] [--dry-run]",
  "       berth model promote MODEL VERSION [--step N] [--cluster NAME] [--dry-run]",
  "       berth model retire MODEL VERSION [--dry-run]",
].join("\n");

/** The flags cli.ts parses that the model commands read. */
export interface ModelFlags {
  readonly artifact?: string;
  readonly image?: string;
  readonly traffic?: string;
  readonly step?: string;
  readonly cluster?: readonly string[];
  readonly base?: string;
  readonly out?: string;
}

export interface ModelArgs {
  readonly sub: string;
  readonly model: string;
  readonly parse: (argAt: ArgLocator, diags: Diagnostics) => ModelCommand | undefined;
}

const SHAPES: Record<string, { positionals: [min: number, max: number]; flags: readonly (keyof ModelFlags)[]; required?: keyof ModelFlags }> = {
  "add-version": { positionals: [2, 2], flags: ["artifact", "image", "traffic"], required: "artifact" },
  "set-traffic": { positionals: [2, Infinity], flags: ["cluster"] },
  promote: { positionals: [2, 2], flags: ["step", "cluster"] },
  retire: { positionals: [2, 2], flags: [] },
};

/** Returns the arguments, or the reason for a usage error. */
export function parseModelArgs(positionals: readonly string[], flags: ModelFlags): ModelArgs | string {
  const [sub, ...rest] = positionals;
  if (!sub) return "model needs a subcommand: add-version, set-traffic, promote or retire";
  const shape = SHAPES[sub];
  if (!shape) return `unknown model subcommand ${JSON.stringify(sub)} (use add-version, set-traffic, promote or retire)`;
  const [min, max] = shape.positionals;
  if (rest.length < min) return `model ${sub} needs ${sub === "set-traffic" ? "MODEL and at least one VERSION=N" : "MODEL and VERSION"}`;
  if (rest.length > max) return `unexpected argument ${JSON.stringify(rest[max])}`;
  for (const f of ["artifact", "image", "traffic", "step", "cluster", "base", "out"] as const)
    if (flags[f] !== undefined && !shape.flags.includes(f)) return `--${f} does not go with model ${sub}`;
  if (shape.required && flags[shape.required] === undefined) return `model ${sub} needs --${shape.required}`;
  if ((flags.cluster?.length ?? 0) > 1) return `model ${sub} takes one --cluster`;
  const [model, ...more] = rest as [string, ...string[]];
  const cluster = flags.cluster?.[0];
  const parse = (argAt: ArgLocator, diags: Diagnostics): ModelCommand | undefined => {
    const bad = (at: ArgName, message: string) => {
      diags.report("BERTH0906", argAt(at), message);
      return undefined;
    };
    switch (sub) {
      case "add-version": {
        const traffic = flags.traffic === undefined ? 0 : weight(flags.traffic, 0);
        if (traffic === undefined) return bad("--traffic", `--traffic must be a whole number from 0 to 100, not ${JSON.stringify(flags.traffic)}`);
        return { kind: "add-version", version: more[0]!, artifact: flags.artifact!, image: flags.image, traffic };
      }
      case "set-traffic": {
        const weights: { version: string; weight: number }[] = [];
        let ok = true;
        more.forEach((arg, i) => {
          const m = /^([^=]+)=(.*)$/.exec(arg);
          const w = m ? weight(m[2]!, 0) : undefined;
          if (m && w !== undefined) weights.push({ version: m[1]!, weight: w });
          else {
            bad({ weight: i }, `expected VERSION=N with N a whole number from 0 to 100, not ${JSON.stringify(arg)}`);
            ok = false;
          }
        });
        return ok ? { kind: "set-traffic", weights, cluster } : undefined;
      }
      case "promote": {
        const step = flags.step === undefined ? undefined : weight(flags.step, 1);
        if (flags.step !== undefined && step === undefined)
          return bad("--step", `--step must be a whole number from 1 to 100, not ${JSON.stringify(flags.step)}`);
        return { kind: "promote", version: more[0]!, step, cluster };
      }
      default:
        return { kind: "retire", version: more[0]! };
    }
  };
  return { sub, model, parse };
}

function weight(raw: string, min: number): number | undefined {
  if (!/^\d{1,3}$/.test(raw)) return undefined;
  const n = Number(raw);
  return n >= min && n <= 100 ? n : undefined;
}

/** Flags that take a value, so their value is not mistaken for a positional argument. */
const VALUE_FLAGS = new Set(["root", "format", "schemas", "cluster", "base", "out", "artifact", "image", "traffic", "step"]);

/**
 * Points at an argument as typed: `<command line>:1:<column>` where the column counts from the
 * start of `berth <args...>` joined by single spaces. Flags point at their value.
 */
export function argvLocator(argv: readonly string[]): ArgLocator {
  const positionals: number[] = [];
  const flagValue = new Map<string, number>();
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === "--") {
      for (let k = i + 1; k < argv.length; k++) positionals.push(k);
      break;
    }
    if (a.startsWith("--")) {
      const name = a.slice(2).split("=")[0]!;
      if (!a.includes("=") && VALUE_FLAGS.has(name)) flagValue.set(name, ++i);
      else flagValue.set(name, i);
    } else if (!a.startsWith("-") || a === "-") positionals.push(i);
  }
  // positionals: model, <sub>, MODEL, VERSION or VERSION=N...
  const indexOf = (arg: ArgName): number | undefined => {
    if (typeof arg === "object") return positionals[3 + arg.weight];
    if (arg === "model") return positionals[2];
    if (arg === "version") return positionals[3];
    return flagValue.get(arg.slice(2));
  };
  return (arg): SpecRef => {
    const i = indexOf(arg);
    const column = i === undefined ? 1 : "berth ".length + argv.slice(0, i).reduce((n, a) => n + a.length + 1, 0) + 1;
    return { file: COMMAND_LINE, path: [], line: 1, column };
  };
}

export const COMMAND_LINE = "<command line>";
