// `node dist/bench/profile.js FILE.cpuprofile [N]`: where a `node --cpu-prof` run spent its time,
// as three top-N lists: self time by file (package), self time by function, and inclusive time by
// function (a function counted once per sample however deep it recurses).
import { readFileSync } from "node:fs";

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}

interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

/** A package's files from its node_modules folder on, berth's own from dist/ on. */
const shortUrl = (url: string) => (url.includes("/node_modules/") ? url.replace(/^.*\/node_modules\//, "node_modules/") : url.replace(/^.*\/dist\//, "dist/"));
const label = (n: ProfileNode) => `${n.callFrame.functionName || "(anonymous)"} ${shortUrl(n.callFrame.url)}:${n.callFrame.lineNumber + 1}`;
const packageOf = (n: ProfileNode) => shortUrl(n.callFrame.url).replace(/^(node_modules\/(@[^/]+\/)?[^/]+).*/, "$1") || n.callFrame.functionName;

export function summarize(profile: CpuProfile, top: number): string {
  const nodes = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const timeOf = new Map<number, number>();
  profile.samples.forEach((id, i) => timeOf.set(id, (timeOf.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));

  const self = new Map<string, number>();
  const byPackage = new Map<string, number>();
  const inclusive = new Map<string, number>();
  const add = (m: Map<string, number>, k: string, t: number) => m.set(k, (m.get(k) ?? 0) + t);
  let total = 0;
  for (const [id, t] of timeOf) {
    total += t;
    const n = nodes.get(id)!;
    add(self, label(n), t);
    add(byPackage, packageOf(n), t);
    const seen = new Set<string>();
    for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) {
      const l = label(nodes.get(cur)!);
      if (!seen.has(l)) (add(inclusive, l, t), seen.add(l));
    }
  }
  const list = (m: Map<string, number>) =>
    [...m]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([l, t]) => `${(t / 1000).toFixed(0).padStart(8)} ms  ${l}`)
      .join("\n");
  return `sampled ${(total / 1000).toFixed(0)} ms\n\n== self time by file\n${list(byPackage)}\n\n== self time\n${list(self)}\n\n== inclusive time\n${list(inclusive)}\n`;
}

const [file, n] = process.argv.slice(2);
if (!file) {
  process.stderr.write("usage: node dist/bench/profile.js FILE.cpuprofile [TOP]\n");
  process.exitCode = 2;
} else process.stdout.write(summarize(JSON.parse(readFileSync(file, "utf8")) as CpuProfile, Number(n ?? 40)));
