// Schema locations without a network: kubeconform's template language, berth's flat folder
// names, the cache's behaviour on its own, and the list of kinds fetched before compile.
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { compile } from "../../compiler/compile.js";
import { diskTree } from "../../compiler/load/load.js";
import { SchemaCache, cacheDir } from "../../compiler/verify/schemas/cache.js";
import { RENDERED_KINDS } from "../../compiler/verify/schemas/kinds.js";
import { candidates, expand, normalizedVersion, parseLocation, type Location } from "../../compiler/verify/schemas/locations.js";
import { REPO_ROOT } from "../helpers/fixture.js";

const YANNH =
  "https://raw.githubusercontent.com/yannh/kubernetes-json-schema/master/{{ .NormalizedKubernetesVersion }}-standalone{{ .StrictSuffix }}/{{ .ResourceKind }}{{ .KindSuffix }}.json";
const DATREE = "https://raw.githubusercontent.com/datreeio/CRDs-catalog/main/{{.Group}}/{{.ResourceKind}}_{{.ResourceAPIVersion}}.json";

function location(text: string): Location {
  const loc = parseLocation(text, "/repo");
  if ("error" in loc) throw new Error(loc.error);
  return loc;
}

describe("templates, as kubeconform fills them in", () => {
  test.each([
    [
      YANNH,
      "apps/v1",
      "Deployment",
      "1.35",
      "https://raw.githubusercontent.com/yannh/kubernetes-json-schema/master/v1.35.0-standalone-strict/deployment-apps-v1.json",
    ],
    [YANNH, "v1", "Service", "1.28", "https://raw.githubusercontent.com/yannh/kubernetes-json-schema/master/v1.28.0-standalone-strict/service-v1.json"],
    [
      YANNH,
      "networking.k8s.io/v1",
      "NetworkPolicy",
      undefined,
      "https://raw.githubusercontent.com/yannh/kubernetes-json-schema/master/master-standalone-strict/networkpolicy-networking-v1.json",
    ],
    [
      DATREE,
      "networking.istio.io/v1beta1",
      "VirtualService",
      "1.28",
      "https://raw.githubusercontent.com/datreeio/CRDs-catalog/main/networking.istio.io/virtualservice_v1beta1.json",
    ],
    [DATREE, "argoproj.io/v1alpha1", "AppProject", "1.28", "https://raw.githubusercontent.com/datreeio/CRDs-catalog/main/argoproj.io/appproject_v1alpha1.json"],
  ])("%s for %s %s at %s", (template, apiVersion, kind, k8sVersion, url) => {
    expect(candidates(location(template), { apiVersion, kind, k8sVersion })).toEqual([url]);
  });

  test("a URL naming no .json file gets kubeconform's yannh layout appended", () => {
    expect(candidates(location("https://example.com/schemas/"), { apiVersion: "apps/v1", kind: "Deployment", k8sVersion: "1.30" })).toEqual([
      "https://example.com/schemas/v1.30.0-standalone-strict/deployment-apps-v1.json",
    ]);
  });

  test("a flat folder offers berth's full-group name, then yannh's first-label name", () => {
    expect(candidates(location("schemas"), { apiVersion: "networking.k8s.io/v1", kind: "NetworkPolicy" })).toEqual([
      "/repo/schemas/networkpolicy-networking.k8s.io-v1.json",
      "/repo/schemas/networkpolicy-networking-v1.json",
    ]);
    expect(candidates(location("/s"), { apiVersion: "apps/v1", kind: "Deployment" })).toEqual(["/s/deployment-apps-v1.json"]);
  });

  test("a folder may be a template too", () => {
    expect(
      candidates(location("local/{{ .NormalizedKubernetesVersion }}/{{ .ResourceKind }}.json"), { apiVersion: "v1", kind: "Namespace", k8sVersion: "1.29" }),
    ).toEqual(["/repo/local/v1.29.0/namespace.json"]);
  });

  test("versions normalize as yannh's folders are named", () => {
    expect([normalizedVersion("1.28"), normalizedVersion("v1.30.2"), normalizedVersion(undefined)]).toEqual(["v1.28.0", "v1.30.2", "master"]);
  });

  test.each([
    ["https://x.example/{{ .Kind }}.json", /unsupported template expression/],
    ["https://x.example/{{ .ResourceKind }.json", /unbalanced/],
    ["https://x.example/{{ ResourceKind }}.json", /unsupported template expression/],
    ["http://x.example/{{ .ResourceKind }}.json", /https only/],
    ["file:///etc/{{ .ResourceKind }}.json", /https only/],
    ["  ", /empty/],
  ])("%j is not a location", (text, message) => {
    const loc = parseLocation(text, "/repo");
    expect("error" in loc && loc.error).toMatch(message);
  });

  test("plain http is accepted for this machine only", () => {
    for (const host of ["127.0.0.1:8080", "localhost", "[::1]:9000"]) expect(location(`http://${host}/{{ .ResourceKind }}.json`).type).toBe("url");
  });

  test("property: expansion leaves no placeholder and never changes the text around them", () => {
    const vars = ["ResourceKind", "ResourceAPIVersion", "Group", "KindSuffix", "NormalizedKubernetesVersion", "StrictSuffix"];
    const piece = fc.oneof(fc.stringMatching(/^[a-z0-9/_.-]{0,8}$/), fc.constantFrom(...vars.map((v) => `{{ .${v} }}`), ...vars.map((v) => `{{.${v}}}`)));
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 8 }), fc.constantFrom("v1", "apps/v1", "networking.istio.io/v1beta1"), (pieces, apiVersion) => {
        const out = expand(pieces.join(""), { apiVersion, kind: "Thing", k8sVersion: "1.30" });
        expect(out).not.toMatch(/\{\{|\}\}/);
        expect(out.startsWith(pieces[0]?.startsWith("{{") ? "" : (pieces[0] ?? ""))).toBe(true);
      }),
    );
  });
});

describe("the download cache", () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), "berth-cache-"))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  test("$XDG_CACHE_HOME/berth when set (absolute), else node_modules/.cache/berth under the root", () => {
    expect(cacheDir("/repo", { XDG_CACHE_HOME: "/home/u/.cache" })).toBe("/home/u/.cache/berth");
    expect(cacheDir("/repo", { XDG_CACHE_HOME: "relative" })).toBe("/repo/node_modules/.cache/berth");
    expect(cacheDir("/repo", {})).toBe("/repo/node_modules/.cache/berth");
  });

  test("entries are keyed by URL and leave no temporary files", () => {
    const cache = new SchemaCache(dir);
    cache.writeSchema("https://a.example/x/deployment.json", '{"a":1}');
    cache.writeSchema("https://b.example/x/deployment.json", '{"b":2}');
    expect(cache.read("https://a.example/x/deployment.json", false)).toMatchObject({ kind: "schema", schema: { a: 1 } });
    expect(cache.read("https://b.example/x/deployment.json", false)).toMatchObject({ kind: "schema", schema: { b: 2 } });
    expect(cache.read("https://c.example/x/deployment.json", false)).toBeUndefined();
    expect(readdirSync(join(dir, "schemas")).filter((f) => f.endsWith(".tmp"))).toEqual([]);
  });

  test("a remembered 404 is trusted for a day online, always offline", () => {
    let now = 1_000_000;
    const cache = new SchemaCache(dir, () => now);
    cache.writeMissing("https://a.example/none.json");
    expect(cache.read("https://a.example/none.json", false)).toEqual({ kind: "missing" });
    now += 25 * 3600 * 1000;
    expect(cache.read("https://a.example/none.json", false)).toBeUndefined();
    expect(cache.read("https://a.example/none.json", true)).toEqual({ kind: "missing" });
  });

  test("a corrupt entry reads as absent and is removed", () => {
    const cache = new SchemaCache(dir);
    cache.writeSchema("https://a.example/s.json", "{}");
    const [file] = readdirSync(join(dir, "schemas"));
    for (const junk of ['{"trunc', "[1,2]", ""]) {
      writeFileSync(join(dir, "schemas", file!), junk);
      expect(cache.read("https://a.example/s.json", false)).toBeUndefined();
      expect(readdirSync(join(dir, "schemas"))).toEqual([]);
      cache.writeSchema("https://a.example/s.json", "{}");
    }
  });
});

describe("the kinds fetched before compile", () => {
  test("cover every kind the golden cases and the example repository render", () => {
    const listed = new Set(RENDERED_KINDS.map((k) => `${k.apiVersion} ${k.kind}`));
    const cases = join(REPO_ROOT, "test", "cases");
    const roots = [REPO_ROOT, ...readdirSync(cases).map((c) => join(cases, c, "input"))];
    const rendered = new Set<string>();
    for (const root of roots)
      for (const r of compile({ tree: diskTree(root), serialize: false }).objects) rendered.add(`${r.object.apiVersion} ${r.object.kind}`);
    expect([...rendered].filter((k) => !listed.has(k))).toEqual([]);
    expect(rendered.size).toBeGreaterThan(10);
  });
});
