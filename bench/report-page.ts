// `npm run bench:report`: the HTML report of a generated fleet (5,000 models by default), its
// size, the time `berth report` takes, and how long headless Chromium takes to open it from
// file:// (median of several fresh tabs). Figures, not pass/fail; targets: under 5 MB, under 2 s.
import { existsSync, mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { parseArgs } from "node:util";
import { Browser, findChromium } from "../test/helpers/browser.js";
import { fleetOptionsFrom, writeFleet } from "./generate.js";
import { median, runNode } from "./measure.js";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const BERTH = join(ROOT, "bin", "berth.js");
const MB = 1_000_000;

interface Opened {
  wallMs: number;
  domContentLoadedMs: number;
  loadMs: number;
  firstPaintMs: number;
  nodes: number;
  /** Typing a query into the search box: the first (reads every entry's text) and a second one. */
  firstSearchMs: number;
  searchMs: number;
}

async function main(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      models: { type: "string", default: "5000" },
      runs: { type: "string", default: "5" },
      schemas: { type: "string" },
      dir: { type: "string" },
      keep: { type: "boolean", default: false },
    },
  });
  const models = Number(values.models);
  const runs = Number(values.runs);
  const chromium = findChromium();
  if (!chromium.path) throw new Error(chromium.why);
  const schemas = resolve(values.schemas ?? process.env.BERTH_SCHEMAS ?? join(ROOT, "..", "shared", "schemas"));
  const work = values.dir ? resolve(values.dir) : mkdtempSync(join(tmpdir(), "berth-bench-report-"));
  try {
    const fleet = fleetOptionsFrom({}, models);
    writeFleet(fleet, work);
    const made = runNode([], [BERTH, "report", "--root", work, ...(existsSync(schemas) ? ["--schemas", schemas] : [])], ROOT);
    if (made.code !== 0) throw new Error(`berth report failed (${made.code}):\n${made.stderr}`);
    const page = join(work, "report", "index.html");
    const bytes = statSync(page).size;
    const opened = await openRepeatedly(chromium.path, pathToFileURL(page).href, runs);
    const med = (pick: (o: Opened) => number) => Math.round(median(opened.map(pick)));
    const lines = [
      `## berth report: ${models} models, ${fleet.tenants} tenants, ${fleet.versions} versions, ${fleet.clusters} clusters`,
      "",
      "| figure | value | target |",
      "|---|--:|---|",
      `| page size | ${(bytes / MB).toFixed(2)} MB (${bytes} bytes) | under 5 MB |`,
      `| \`berth report\` wall / CPU / peak RSS | ${Math.round(made.wallMs)} ms / ${Math.round(made.cpuMs)} ms / ${Math.round(made.rssKiB / 1024)} MiB | |`,
      `| open in Chromium, navigate → load event (median of ${runs}) | ${med((o) => o.wallMs)} ms | under 2 s |`,
      `| DOMContentLoaded / load / first contentful paint (median) | ${med((o) => o.domContentLoadedMs)} / ${med((o) => o.loadMs)} / ${med((o) => o.firstPaintMs)} ms | |`,
      `| DOM elements | ${opened[0]!.nodes} | |`,
      `| search: first query / next query (median) | ${med((o) => o.firstSearchMs)} / ${med((o) => o.searchMs)} ms | |`,
      "",
      `each open: ${opened.map((o) => Math.round(o.wallMs)).join(", ")} ms`,
      "",
    ];
    process.stdout.write(lines.join("\n"));
  } finally {
    if (!values.dir && !values.keep) rmSync(work, { recursive: true, force: true });
  }
  return 0;
}

/** Each run in a fresh tab of one browser, so the first open does not also pay for the start. */
async function openRepeatedly(chromium: string, url: string, runs: number): Promise<Opened[]> {
  const browser = await Browser.launch(chromium);
  const out: Opened[] = [];
  try {
    for (let i = 0; i < runs; i++) {
      const page = await browser.newPage(1280, 900);
      const wallMs = await page.open(url, 60_000);
      const t = await page.evaluate<Omit<Opened, "wallMs" | "firstSearchMs" | "searchMs">>(`(() => {
        const n = performance.getEntriesByType("navigation")[0];
        const p = performance.getEntriesByName("first-contentful-paint")[0];
        return { domContentLoadedMs: n.domContentLoadedEventEnd, loadMs: n.loadEventEnd, firstPaintMs: p ? p.startTime : -1, nodes: document.getElementsByTagName("*").length };
      })()`);
      const search = await page.evaluate<{ firstSearchMs: number; searchMs: number }>(`(() => {
        const q = document.getElementById("q");
        const type = (text) => { const t0 = performance.now(); q.value = text; q.dispatchEvent(new Event("input")); return performance.now() - t0; };
        const firstSearchMs = type("team-03"), searchMs = type("classifier-0004");
        type("");
        return { firstSearchMs, searchMs };
      })()`);
      out.push({ wallMs, ...t, ...search });
      await page.close();
    }
  } finally {
    await browser.close();
  }
  return out;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (e) => {
    process.stderr.write(`bench:report: ${(e as Error).message}\n`);
    process.exit(1);
  },
);
