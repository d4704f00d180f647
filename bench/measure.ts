// Runs one Node.js child process and measures it: wall time from spawn to exit, and the peak
// resident set size and CPU time (user + system) of that process alone, from /usr/bin/time -v,
// or from the child's own getrusage through rss.js when /usr/bin/time is missing. CPU time is
// reported beside wall time because it moves less when other work shares the machine.
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

export interface Sample {
  readonly wallMs: number;
  readonly rssKiB: number;
  readonly cpuMs: number;
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

const GNU_TIME = "/usr/bin/time";
const RSS_REPORTER = fileURLToPath(new URL("./rss.js", import.meta.url));

export function rssSource(): string {
  return hasGnuTime() ? "/usr/bin/time -v" : "process.resourceUsage().maxRSS";
}

let gnuTime: boolean | undefined;
function hasGnuTime(): boolean {
  if (gnuTime === undefined)
    gnuTime = existsSync(GNU_TIME) && spawnSync(GNU_TIME, ["-v", "true"], { encoding: "utf8" }).stderr.includes("Maximum resident set size");
  return gnuTime;
}

/** `node <nodeArgs> <args>` in `cwd`, measured. */
export function runNode(nodeArgs: readonly string[], args: readonly string[], cwd: string, env: Record<string, string> = {}): Sample {
  const scratch = mkdtempSync(join(tmpdir(), "berth-bench-rss-"));
  const rssFile = join(scratch, "rss");
  try {
    const useTime = hasGnuTime();
    const command = useTime ? GNU_TIME : process.execPath;
    const argv = useTime ? ["-v", "-o", rssFile, process.execPath, ...nodeArgs, ...args] : ["--import", RSS_REPORTER, ...nodeArgs, ...args];
    const start = process.hrtime.bigint();
    const r = spawnSync(command, argv, {
      cwd,
      encoding: "utf8",
      maxBuffer: 1 << 28,
      env: { ...process.env, ...env, BERTH_BENCH_RSS_FILE: rssFile, NODE_OPTIONS: "" },
    });
    const wallMs = Number(process.hrtime.bigint() - start) / 1e6;
    if (r.error) throw r.error;
    const report = existsSync(rssFile) ? readFileSync(rssFile, "utf8") : "";
    const { rssKiB, cpuMs } = useTime ? fromGnuTime(report) : (JSON.parse(report || "{}") as { rssKiB: number; cpuMs: number });
    return { wallMs, rssKiB: rssKiB ?? NaN, cpuMs: cpuMs ?? NaN, code: r.status ?? 1, stdout: r.stdout, stderr: r.stderr };
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

function fromGnuTime(report: string): { rssKiB: number; cpuMs: number } {
  const field = (name: string) => Number(new RegExp(`${name}: ([\\d.]+)`).exec(report)?.[1] ?? NaN);
  return {
    rssKiB: field("Maximum resident set size \\(kbytes\\)"),
    cpuMs: (field("User time \\(seconds\\)") + field("System time \\(seconds\\)")) * 1000,
  };
}

export function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}
