// Runs `berth` in-process on a repository folder, for the model commands' end-to-end tests.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { main } from "../../compiler/cli.js";
import { REPO_ROOT, SCHEMAS_DIR } from "./fixture.js";

export interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** `berth <args> --root <root> --schemas <shared schemas>`. */
export async function berth(root: string, ...args: string[]): Promise<Run> {
  let stdout = "";
  let stderr = "";
  const code = await main([...args, "--root", root, "--schemas", SCHEMAS_DIR], {
    cwd: REPO_ROOT,
    env: {},
    stdout: { write: (s: string) => (stdout += s) },
    stderr: { write: (s: string) => (stderr += s) },
  });
  return { code, stdout, stderr };
}

export function readRel(root: string, path: string): string {
  return readFileSync(join(root, path), "utf8");
}

/** The column of `arg` on the command line as berth echoes it: `berth <args...>`. */
export function columnOf(args: readonly string[], index: number): number {
  return "berth ".length + args.slice(0, index).reduce((n, a) => n + a.length + 1, 0) + 1;
}
