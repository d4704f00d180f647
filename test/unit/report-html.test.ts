// The HTML report without a browser: escaping, the view model's figures against the compiler's
// own (capacityReport, quotaUsage), Applications, SLOs, diagnostics links, determinism.
import fc from "fast-check";
import { buildView } from "../../compiler/report/html/data.js";
import { escapeHtml, html, relativeHref } from "../../compiler/report/html/escape.js";
import { renderPage } from "../../compiler/report/html/page.js";
import { capacityReport } from "../../compiler/verify/capacity.js";
import { quotaUsage } from "../../compiler/verify/quota.js";
import { baseFiles, compileFiles, edit, MODEL, CLUSTER } from "../helpers/fixture.js";

const decode = (s: string) =>
  s
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, "&");

describe("escaping", () => {
  test("every interpolated string comes out as text, whatever it holds", () => {
    fc.assert(
      fc.property(fc.string(), (s) => {
        const out = html`<td title="${s}">${s}</td>`.text;
        const inner = out.slice('<td title="'.length, out.length - "</td>".length);
        const [attr, text] = inner.split('">');
        expect(attr).not.toMatch(/[<>"']/);
        expect(text).not.toMatch(/[<>"']/);
        expect(decode(attr!)).toBe(s);
        expect(decode(text!)).toBe(s);
      }),
    );
  });

  test("markup made by html is inserted as is; arrays are joined", () => {
    expect(html`<ul>${["a<b", "c"].map((x) => html`<li>${x}</li>`)}</ul>`.text).toBe("<ul><li>a&lt;b</li><li>c</li></ul>");
    expect(escapeHtml(`<script>alert("x")</script>&'`)).toBe("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&amp;&#39;");
  });

  test("a link to a spec file is always relative, never a scheme, a query or a second fragment", () => {
    fc.assert(
      // Segments of a spec path: never empty, ".", ".." or holding a slash (discovery only yields such paths).
      fc.property(
        fc.array(
          fc.string({ minLength: 1 }).filter((s) => !/^\.{1,2}$/.test(s) && !s.includes("/")),
          { minLength: 1, maxLength: 4 },
        ),
        fc.nat(),
        (segments, line) => {
          const href = relativeHref("..", segments.join("/"), `L${line}`);
          expect(href.startsWith("../")).toBe(true);
          expect(href.split("#")).toHaveLength(2);
          expect(href).not.toMatch(/[\s"'<>?]/);
          expect(href.split("#")[0]).not.toMatch(/:/);
        },
      ),
      { numRuns: 2000 },
    );
    expect(relativeHref("", "javascript:alert(1)")).toBe("javascript%3Aalert%281%29");
    expect(relativeHref("../..", "models/a b/x#y.yaml", "L3")).toBe("../../models/a%20b/x%23y.yaml#L3");
  });
});

describe("view model", () => {
  const result = compileFiles();
  const view = buildView(result, { upToRoot: ".." });

  test("pool bars carry exactly the capacity report's figures", () => {
    const rows = capacityReport(result.plan!).data;
    const pools = view.clusters.flatMap((c) => c.pools);
    expect(pools.map((p) => `${p.cluster}/${p.name}`)).toEqual(rows.map((r) => `${r.cluster}/${r.pool}`));
    for (const r of rows) {
      const p = pools.find((x) => x.cluster === r.cluster && x.name === r.pool)!;
      const cpu = p.measures.find((m) => m.dimension === "cpu")!;
      expect(cpu).toEqual({ dimension: "cpu", atMin: r.atMin.requests.cpuMilli, atMax: r.atMax.requests.cpuMilli, limit: r.allocatable!.cpuMilli });
      const pods = p.measures.find((m) => m.dimension === "pods")!;
      expect([pods.atMin, pods.atMax, pods.limit]).toEqual([r.atMin.requests.pods, r.atMax.requests.pods, r.allocatable!.pods]);
    }
    // The general pool holds fraud (2 versions, 2..4 replicas): 4 pods at min, 8 at max.
    const general = pools.find((p) => p.name === "general")!;
    expect(general.measures.find((m) => m.dimension === "pods")).toMatchObject({ atMin: 4, atMax: 8 });
    expect(general.largest.map((c) => c.model)).toEqual(["fraud"]);
  });

  test("tenant bars carry exactly the quota check's figures", () => {
    const uses = quotaUsage(result.plan!);
    const tenant = view.tenants.find((t) => t.name === "team-a")!;
    const measures = tenant.clusters.find((c) => c.cluster === "prod")!.measures;
    for (const m of measures) {
      const q = uses.find((u) => u.tenant === "team-a" && u.cluster === "prod" && u.dimension === m.dimension)!;
      expect([m.atMin, m.atMax, m.limit]).toEqual([q.atMin, q.atMax, q.quota]);
    }
    expect(measures.find((m) => m.dimension === "cpu")!.limit).toBe(40_000);
  });

  test("a model shows its split, routes, callers and the Application that syncs it", () => {
    const fraud = view.models.find((m) => m.name === "fraud")!;
    expect(fraud.placements).toHaveLength(1);
    expect(fraud.placements[0]).toMatchObject({
      clusters: ["prod"],
      versions: [
        { name: "v1.0.0", traffic: 90 },
        { name: "v1.1.0", traffic: 10 },
      ],
      routes: [{ group: "team-a", version: "v1.1.0" }],
      access: ["team-a"],
      application: { name: "model-fraud", project: "tenant-team-a", file: "clusters/prod/apps/application-model-fraud.yaml" },
      pool: "general",
      replicas: "2–4",
    });
    expect(result.objects.some((o) => o.path === "clusters/prod/apps/application-model-fraud.yaml")).toBe(true);
    expect(fraud.slo).toBeNull();
  });

  test("clusters where the model is the same share a row; a different split gets its own", () => {
    const staging = edit(CLUSTER, "name: prod", "name: staging");
    const twoClusters = {
      ...baseFiles(),
      "platform/clusters/staging.yaml": staging,
      "tenants/team-a.yaml": edit(baseFiles()["tenants/team-a.yaml"] as string, "clusters: [prod]", "clusters: [prod, staging]"),
    };
    const same = buildView(compileFiles({}, twoClusters), { upToRoot: ".." }).models[0]!;
    expect(same.placements.map((p) => p.clusters)).toEqual([["prod", "staging"]]);
    const split = edit(
      MODEL,
      "  access: [team-a]\n",
      "  access: [team-a]\n  overrides:\n    staging:\n      versions:\n        - {name: v1.0.0, traffic: 50}\n        - {name: v1.1.0, traffic: 50}\n",
    );
    const differs = buildView(compileFiles({ "models/team-a/fraud.yaml": split }, twoClusters), { upToRoot: ".." }).models[0]!;
    expect(differs.placements.map((p) => [p.clusters, p.versions.map((v) => v.traffic)])).toEqual([
      [["prod"], [90, 10]],
      [["staging"], [50, 50]],
    ]);
  });

  test("an SLO is shown when the spec has one", () => {
    const withSlo = compileFiles();
    (withSlo.plan!.world.models[0]!.spec as Record<string, unknown>).slo = { availability: 99.9, latencyP99: "300ms" };
    const fraud = buildView(withSlo, { upToRoot: ".." }).models[0]!;
    expect(fraud.slo).toEqual([
      ["availability", "99.9"],
      ["latencyP99", "300ms"],
    ]);
    expect(renderPage(buildView(withSlo, { upToRoot: ".." }), { upToRoot: ".." })).toContain("SLO: availability 99.9, latencyP99 300ms");
  });
});

describe("diagnostics on the page", () => {
  test("each links to its spec line with a GitHub #L anchor and quotes the line", () => {
    const bad = edit(MODEL, "autoscaling: {minReplicas: 2, maxReplicas: 4}", "autoscaling: {minReplicas: 5, maxReplicas: 4}");
    const result = compileFiles({ "models/team-a/fraud.yaml": bad });
    const lines = bad.split("\n");
    const view = buildView(result, { upToRoot: "../..", sourceLine: (f, n) => (f === "models/team-a/fraud.yaml" ? lines[n - 1] : undefined) });
    const d = view.diagnostics.find((x) => x.code === "BERTH0203")!;
    expect(d.href).toBe(`../../models/team-a/fraud.yaml#L${d.line}`);
    expect(d.source).toContain("minReplicas: 5");
    expect(d.title).not.toBe("");
    const page = renderPage(view, { upToRoot: "../.." });
    expect(page).toContain(`href="../../models/team-a/fraud.yaml#L${d.line}"`);
    expect(page).toContain("The specs do not compile");
  });

  test("a value from a spec never becomes markup", () => {
    const hostile = edit(CLUSTER, "region: us-east-1", `region: "<img src=x onerror=alert(1)>"`);
    const result = compileFiles({ "platform/clusters/prod.yaml": hostile });
    expect(result.diagnostics.some((d) => d.message.includes("<img"))).toBe(true);
    const page = renderPage(buildView(result, { upToRoot: ".." }), { upToRoot: ".." });
    expect(page).not.toContain("<img");
    expect(page).toContain("&lt;img src=x onerror=alert(1)&gt;");
  });
});

test("the page is the same bytes for the same specs, and loads nothing from elsewhere", () => {
  const a = renderPage(buildView(compileFiles(), { upToRoot: ".." }), { upToRoot: ".." });
  const b = renderPage(buildView(compileFiles(), { upToRoot: ".." }), { upToRoot: ".." });
  expect(a).toBe(b);
  expect(a).toMatch(
    /<meta http-equiv="Content-Security-Policy" content="default-src &#39;none&#39;; style-src &#39;sha256-[A-Za-z0-9+/=]+&#39;; script-src &#39;sha256-/,
  );
  // No URL that a browser could fetch: no src attributes, no http(s) links, no @import or url() but the page's own patterns.
  expect(a).not.toMatch(/\ssrc=|https?:\/\/|@import/);
  expect(a.match(/url\([^)]*\)/g)?.every((u) => u === "url(#hatch)" || u === "url(#dots)")).toBe(true);
});

test("a pool past its limit at maximum replicas: the bar fills the track, is hatched and says so", () => {
  const result = compileFiles({
    "models/team-a/fraud.yaml": edit(MODEL, "autoscaling: {minReplicas: 2, maxReplicas: 4}", "autoscaling: {minReplicas: 2, maxReplicas: 120}"),
  });
  expect(result.diagnostics.some((d) => d.severity === "warning")).toBe(true);
  const page = renderPage(buildView(result, { upToRoot: ".." }), { upToRoot: ".." });
  const general = page.slice(page.indexOf('id="p-prod-general"'), page.indexOf('id="p-prod-gpu-inference"'));
  const pods =
    /<tr><th scope="row">Pods<\/th><td><div class="meter over"><svg class="bar" aria-hidden="true" data-min="4" data-max="240" data-limit="230"><rect class="hi" width="100%"\/><rect class="lo" width="([\d.]+)%"\/><\/svg><span>min 4 \(2%\) · max 240 \(104%\) of 230 — over<\/span>/.exec(
      general,
    );
  expect(pods).not.toBeNull();
  expect(Number(pods![1])).toBeCloseTo((4 / 230) * 100, 2);
  expect(general).toContain("✗ overflows the pool at maximum replicas");
});
