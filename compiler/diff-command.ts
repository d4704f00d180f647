import type { Io, RunOptions } from "./commands.js";

export function runDiff(_opts: RunOptions, _base: string, io: Io): number {
  io.stderr.write("berth diff: not implemented yet\n");
  return 2;
}
