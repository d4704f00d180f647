// Preloaded with `node --import` where /usr/bin/time is missing: at exit, the child writes its own
// peak resident set size (KiB) and CPU time (ms, user + system), from getrusage, to the file named
// by BERTH_BENCH_RSS_FILE.
import { writeFileSync } from "node:fs";

const file = process.env.BERTH_BENCH_RSS_FILE;
if (file)
  process.on("exit", () => {
    const u = process.resourceUsage();
    writeFileSync(file, JSON.stringify({ rssKiB: u.maxRSS, cpuMs: (u.userCPUTime + u.systemCPUTime) / 1000 }) + "\n");
  });
