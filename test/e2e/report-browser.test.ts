// The report in a real browser: headless Chromium (Debian's `chromium`, started here) opens the
// page of every golden case from file:// and the test checks what a person sees: bars as wide as
// the numbers say, a search box that filters, keyboard focus, no console error and no request
// but the page itself. A screenshot per case goes to .screenshots/ (ignored by git: fonts differ
// between machines, so screenshots are kept to look at, not compared).
import { existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { main } from "../../compiler/cli.js";
import { compile, type CompileResult } from "../../compiler/compile.js";
import { diskTree } from "../../compiler/load/load.js";
import { capacityReport } from "../../compiler/verify/capacity.js";
import { quotaUsage } from "../../compiler/verify/quota.js";
import { Browser, findChromium, type Page } from "../helpers/browser.js";
import { baseFiles, edit, MODEL, REPO_ROOT, SCHEMA_ARGS, tempRepo } from "../helpers/fixture.js";

const chromium = findChromium();
if (!chromium.path) console.warn(`report browser tests skipped: ${chromium.why}`);
const withBrowser = chromium.path ? describe : describe.skip;

const CASES_DIR = join(REPO_ROOT, "test", "cases");
const SHOTS = join(REPO_ROOT, ".screenshots");
const CASES = readdirSync(CASES_DIR)
  .filter((c) => existsSync(join(CASES_DIR, c, "input")))
  .sort();

/** Writes the case's report into a temp folder and returns the page's path and the compile behind it. */
async function report(root: string): Promise<{ page: string; out: string; result: CompileResult; code: number }> {
  const out = tempRepo({});
  const code = await main(["report", "--root", root, "--out", out, "--format", "json", ...SCHEMA_ARGS], {
    cwd: REPO_ROOT,
    env: {},
    stdout: { write: () => true },
    stderr: { write: () => true },
  });
  return { page: join(out, "index.html"), out, result: compile({ tree: diskTree(root) }), code };
}

/** Every bar's drawn widths as fractions of its track, with its row's label and text. */
const MEASURE_BARS = `(() => {
  for (const d of document.querySelectorAll("details")) d.open = true;
  const bars = (root) => Array.from(root.querySelectorAll("table.measures > tbody > tr")).map((tr) => {
    const svg = tr.querySelector("svg.bar");
    const track = svg.clientWidth;
    const w = (sel) => svg.querySelector(sel).getBoundingClientRect().width / track;
    return { label: tr.querySelector("th").textContent, hi: w(".hi"), lo: w(".lo"), text: tr.querySelector(".meter span").textContent, track };
  });
  const pools = {};
  for (const s of document.querySelectorAll("section.pool")) pools[s.getAttribute("aria-labelledby")] = bars(s);
  const tenants = {};
  for (const t of document.querySelectorAll("details.t")) {
    for (const tr of t.querySelectorAll(":scope > table > tbody > tr")) tenants[t.id + "/" + tr.querySelector("th").textContent] = bars(tr);
  }
  return { pools, tenants };
})()`;

const LABEL = { cpu: "CPU cores", memory: "Memory", gpu: "GPUs", pods: "Pods" } as const;
type Dim = keyof typeof LABEL;
const expectedWidth = (used: number, limit: number) => (limit === 0 ? (used > 0 ? 1 : 0) : Math.min(1, used / limit));

/**
 * Types into the search box and reports what is left on screen, and whether exactly the entries
 * whose text holds every typed word (in any case) are the ones shown.
 */
async function typeSearch(page: Page, text: string): Promise<{ count: string; models: string[]; tenants: string[]; exact: boolean }> {
  return page.evaluate(`(() => {
    const q = document.getElementById("q");
    q.focus(); q.value = ${JSON.stringify(text)}; q.dispatchEvent(new Event("input", { bubbles: true }));
    const words = q.value.toLowerCase().split(/\\s+/).filter(Boolean);
    const entries = Array.from(document.querySelectorAll("details.m, details.t"));
    const visible = (e) => !e.hidden && e.getClientRects().length > 0;
    const exact = entries.every((e) => visible(e) === words.every((w) => e.textContent.toLowerCase().includes(w)));
    const shown = (sel) => Array.from(document.querySelectorAll(sel)).filter(visible).map((e) => e.querySelector("h3").textContent);
    return { count: document.getElementById("count").textContent, models: shown("details.m"), tenants: shown("details.t"), exact };
  })()`);
}

async function pressTab(page: Page): Promise<string> {
  await page.send("Input.dispatchKeyEvent", { type: "keyDown", key: "Tab", code: "Tab", windowsVirtualKeyCode: 9 });
  await page.send("Input.dispatchKeyEvent", { type: "keyUp", key: "Tab", code: "Tab", windowsVirtualKeyCode: 9 });
  return page.evaluate(
    `(() => { const e = document.activeElement; const s = getComputedStyle(e); return e.tagName.toLowerCase() + (e.id ? "#" + e.id : "") + "|" + (e.getAttribute("href") ?? "") + "|" + s.outlineStyle + " " + s.outlineWidth; })()`,
  );
}

test("without chromium the browser tests skip and say how to get it", () => {
  expect(findChromium({ PATH: "/nonexistent" })).toEqual({
    why: expect.stringMatching(/^no chromium on PATH: install Debian's package \(apt-get install -y chromium; \.ci\/run does\) or set BERTH_CHROMIUM/),
  });
  expect(findChromium({ PATH: "/nonexistent", BERTH_CHROMIUM: "/opt/chrome/chrome" })).toEqual({ path: "/opt/chrome/chrome" });
});

withBrowser(`report in headless Chromium (${chromium.path ?? "absent"})`, () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await Browser.launch(chromium.path!);
    mkdirSync(SHOTS, { recursive: true });
  });
  afterAll(async () => browser?.close());

  describe.each(CASES)("golden case %s", (name) => {
    let page: Page;
    let made: Awaited<ReturnType<typeof report>>;
    let log: { errors: string[]; requests: string[] };
    beforeAll(async () => {
      made = await report(join(CASES_DIR, name, "input"));
      page = await browser.newPage(1280, 900);
      log = await page.watch();
      await page.open(pathToFileURL(made.page).href);
    });
    afterAll(async () => {
      await page?.close();
      rmSync(made.out, { recursive: true, force: true });
    });

    test("the report was written for a repository without errors", () => {
      expect(made.code).toBe(0);
      expect(made.result.ok).toBe(true);
    });

    test("each pool's and tenant's bars are as wide as the compiler's numbers", async () => {
      const seen = await page.evaluate<{ pools: Record<string, any[]>; tenants: Record<string, any[]> }>(MEASURE_BARS);
      const rows = capacityReport(made.result.plan!).data;
      expect(Object.keys(seen.pools).sort()).toEqual(rows.map((r) => `p-${r.cluster}-${r.pool}`).sort());
      let checked = 0;
      for (const r of rows) {
        const bars = seen.pools[`p-${r.cluster}-${r.pool}`]!;
        for (const [dim, field] of [
          ["cpu", "cpuMilli"],
          ["memory", "memoryBytes"],
          ["gpu", "gpus"],
          ["pods", "pods"],
        ] as const) {
          const bar = bars.find((b) => b.label === LABEL[dim]);
          if (!bar) {
            expect(dim === "gpu" && r.atMax.requests.gpus === 0 && (r.allocatable?.gpus ?? 0) === 0).toBe(true);
            continue;
          }
          expect(bar.track).toBeGreaterThan(100);
          // One pixel of the track either way: the bar is drawn, not only labelled.
          const tolerance = 1.01 / bar.track;
          expect(Math.abs(bar.hi - expectedWidth(r.atMax.requests[field], r.allocatable![field]))).toBeLessThan(tolerance);
          expect(Math.abs(bar.lo - expectedWidth(r.atMin.requests[field], r.allocatable![field]))).toBeLessThan(tolerance);
          expect(bar.text).toMatch(/^min .+ \((\d+%|<1%|—)\) · max .+ \((\d+%|<1%|—)\) of .+/);
          checked++;
        }
      }
      for (const q of quotaUsage(made.result.plan!)) {
        const bars = seen.tenants[`t-${q.tenant}/${q.cluster}`]!;
        const bar = bars.find((b) => b.label === LABEL[q.dimension as Dim]);
        if (!bar) continue; // GPUs without quota or use
        const tolerance = 1.01 / bar.track;
        expect(Math.abs(bar.hi - expectedWidth(q.atMax, q.quota))).toBeLessThan(tolerance);
        expect(Math.abs(bar.lo - expectedWidth(q.atMin, q.quota))).toBeLessThan(tolerance);
        checked++;
      }
      expect(checked).toBeGreaterThan(3);
    });

    test("the search box filters models and tenants", async () => {
      const plan = made.result.plan!;
      const models = [...new Set(plan.clusters.flatMap((c) => c.models.map((m) => m.name)))].sort();
      const tenants = [...plan.world.tenants.keys()].sort();
      const all = await typeSearch(page, "");
      expect(all.models.sort()).toEqual(models);
      expect(all.tenants.sort()).toEqual(tenants);
      expect(all.count).toBe("");
      const one = models[models.length - 1]!;
      const hit = await typeSearch(page, `  ${one.toUpperCase()} `);
      expect(hit.models).toContain(one);
      expect(hit.exact).toBe(true);
      expect(hit.models.length).toBeLessThanOrEqual(models.length);
      expect(hit.count).toMatch(new RegExp(`^Showing ${hit.models.length} of ${models.length} models and ${hit.tenants.length} of ${tenants.length} tenants$`));
      const none = await typeSearch(page, "no-such-thing-anywhere");
      expect(none).toEqual({ count: `Showing 0 of ${models.length} models and 0 of ${tenants.length} tenants`, models: [], tenants: [], exact: true });
      const tenant = tenants[0]!;
      const byTenant = await typeSearch(page, tenant);
      expect(byTenant.exact).toBe(true);
      expect(byTenant.tenants).toContain(tenant);
      const ownModels = plan.world.models.filter((m) => m.tenant === tenant && models.includes(m.name)).map((m) => m.name);
      for (const m of ownModels) expect(byTenant.models).toContain(m);
      expect((await typeSearch(page, "")).models).toHaveLength(models.length);
    });

    test("keyboard: skip link, sections, then the labelled search box, each with a visible focus ring", async () => {
      // A page of its own: Tab starts from the top only on a page nobody has focused yet.
      const page = await browser.newPage(1280, 900);
      await page.open(pathToFileURL(made.page).href);
      const stops: string[] = [];
      for (let i = 0; i < 8; i++) stops.push(await pressTab(page));
      expect(stops[0]).toMatch(/^a\|#main\|solid 3px$/);
      // A page with diagnostics links to them from its status line, before the section links.
      const first = stops[1]!.split("|")[1] === "#diagnostics" ? 2 : 1;
      expect(stops.slice(first, first + 5).map((s) => s.split("|")[1])).toEqual(["#overview", "#capacity", "#tenants", "#models", "#diagnostics"]);
      expect(stops[first + 5]).toMatch(/^input#q\|\|solid 3px$/);
      expect(await page.evaluate(`document.getElementById("q").labels[0].textContent`)).toBe("Filter models and tenants");
      // A model's summary opens and closes from the keyboard.
      const toggled = await page.evaluate<boolean[]>(
        `(() => { const d = document.querySelector("details.m"); d.querySelector("summary").focus(); const before = d.open; return [before]; })()`,
      );
      await page.send("Input.dispatchKeyEvent", { type: "keyDown", key: "Enter", code: "Enter", windowsVirtualKeyCode: 13, text: "\r" });
      await page.send("Input.dispatchKeyEvent", { type: "keyUp", key: "Enter", code: "Enter", windowsVirtualKeyCode: 13 });
      expect(await page.evaluate(`document.querySelector("details.m").open`)).toBe(!toggled[0]);
      await page.close();
    });

    test("headings in order, a label beside every bar", async () => {
      const outline = await page.evaluate<string[]>(`Array.from(document.querySelectorAll("h1,h2")).map((h) => h.tagName + " " + h.textContent)`);
      expect(outline[0]).toMatch(/^H1 /);
      expect(outline.slice(1).map((h) => h.split(" ")[0])).toEqual(["H2", "H2", "H2", "H2", "H2"]);
      const unlabelled = await page.evaluate<number>(
        `Array.from(document.querySelectorAll("svg.bar")).filter((s) => !/\\d+%/.test(s.parentElement.textContent)).length`,
      );
      expect(unlabelled).toBe(0);
    });

    test("no console error, no request but the page itself; a screenshot is kept", async () => {
      const png = await page.screenshot();
      writeFileSync(join(SHOTS, `report-${name}.png`), png);
      expect(png.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))).toBe(true);
      expect(log.errors).toEqual([]);
      expect(log.requests).toEqual([pathToFileURL(made.page).href]);
    });
  });

  test("a repository with errors gets a page that lists them, and it opens cleanly too", async () => {
    const repo = tempRepo({ ...baseFiles(), "models/team-a/fraud.yaml": edit(MODEL, "minReplicas: 2", "minReplicas: 9") });
    const made = await report(repo);
    expect(made.code).toBe(1);
    const page = await browser.newPage();
    const log = await page.watch();
    await page.open(pathToFileURL(made.page).href);
    const seen = await page.evaluate<{ alert: string; rows: string[]; href: string }>(`(() => ({
      alert: document.querySelector("[role=alert]").textContent,
      rows: Array.from(document.querySelectorAll("#diagnostics tbody tr")).map((r) => r.textContent),
      href: document.querySelector("#diagnostics tbody a").href,
    }))()`);
    expect(seen.alert).toMatch(/The specs do not compile: 1 error/);
    expect(seen.rows.some((r) => r.includes("BERTH0203") && r.includes("minReplicas: 9"))).toBe(true);
    expect(seen.href).toMatch(new RegExp(`^${pathToFileURL(repo).href}/models/team-a/fraud\\.yaml#L\\d+$`));
    writeFileSync(join(SHOTS, "report-with-errors.png"), await page.screenshot());
    expect(log.errors).toEqual([]);
    expect(log.requests).toEqual([pathToFileURL(made.page).href]);
    await page.close();
    rmSync(repo, { recursive: true, force: true });
    rmSync(made.out, { recursive: true, force: true });
  });
});
