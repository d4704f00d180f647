// Finding 1 of issue 22: a warning deleted a model, a tenant or everything. A spec that exists is
// rendered or fails the render with an error; a warning never changes which objects exist.
import type { z } from "zod";
import { compile } from "../../compiler/compile.js";
import { Diagnostics } from "../../compiler/diagnostics.js";
import { DOC_SCHEMAS } from "../../compiler/schema/validate.js";
import { verifyEverySpecRendered } from "../../compiler/verify/every-spec.js";
import { baseFiles, CLUSTER, compileFiles, edit, memoryTree, MODEL, PLATFORM, sharedStrict, TENANT } from "../helpers/fixture.js";

const M = "models/team-a/fraud.yaml";
const T = "tenants/team-a.yaml";
const P = "platform/platform.yaml";
const C = "platform/clusters/prod.yaml";
const basePaths = compileFiles().files.map((f) => f.path);

describe("a warning never changes which objects exist", () => {
  test.each([
    ["model", M, edit(MODEL, "requests: {cpu: 500m, memory: 1Gi}", "requests: {cpu: 500m, memory: 1073741824000m}"), "BERTH0209"],
    ["tenant", T, edit(TENANT, "memory: 160Gi", "memory: 171798691840000m"), "BERTH0209"],
    ["platform", P, edit(PLATFORM, 'limits: {cpu: "2", memory: 4Gi}', 'limits: {cpu: "2", memory: 4294967296000m}'), "BERTH0209"],
    ["cluster", C, edit(CLUSTER, "g4dn.xlarge, minSize: 0, maxSize: 5, gpu: true", "g4dn.xlarge, minSize: 0, maxSize: 5, gpu: false"), "BERTH0605"],
  ])("%s spec with a warning renders every object it did without it", (_kind, file, text, code) => {
    const result = compileFiles({ [file]: text });
    expect(result.diagnostics.map((d) => `${d.severity} ${d.code} ${d.file}`)).toEqual([`warning ${code} ${file}`]);
    expect(result.ok).toBe(true);
    expect(result.files.map((f) => f.path)).toEqual(basePaths);
  });
});

describe("the issue's `memory: 4096m` is an error at the spec, with nothing rendered", () => {
  test.each([
    ["model limits", M, edit(MODEL, 'limits: {cpu: "1", memory: 2Gi}', 'limits: {cpu: "1", memory: 4096m}'), "BERTH0210"],
    ["tenant quota", T, edit(TENANT, "memory: 160Gi", "memory: 4096m"), "BERTH0502"],
    ["platform defaults, used by a model", P, edit(PLATFORM, 'limits: {cpu: "2", memory: 4Gi}', 'limits: {cpu: "2", memory: 4096m}'), "BERTH0210"],
  ])("%s", (_name, file, text, code) => {
    // The platform's defaults reach a model only where it is silent: let it be.
    const model = file === P ? edit(MODEL, '  resources: {requests: {cpu: 500m, memory: 1Gi}, limits: {cpu: "1", memory: 2Gi}}\n', "") : MODEL;
    const result = compileFiles({ [M]: model, [file]: text });
    expect(result.diagnostics).toContainEqual(expect.objectContaining({ severity: "warning", code: "BERTH0209", file }));
    expect(result.diagnostics).toContainEqual(expect.objectContaining({ severity: "error", code }));
    expect(result.ok).toBe(false);
    expect(result.files).toEqual([]);
  });
});

test("the input schemas transform nothing, so a document that only warns is its own value", () => {
  const found: string[] = [];
  const seen = new Set<unknown>();
  const walk = (s: unknown, at: string) => {
    if (seen.has(s)) return;
    seen.add(s);
    const def = (s as { def?: Record<string, unknown> } | undefined)?.def;
    if (!def) return;
    if (["transform", "pipe", "default", "prefault", "catch"].includes(def.type as string)) found.push(`${at}: ${String(def.type)}`);
    for (const [k, v] of Object.entries(def)) {
      if (k === "shape") for (const [f, inner] of Object.entries(v as object)) walk(inner, `${at}.${f}`);
      else if (k === "options") for (const o of v as unknown[]) walk(o, at);
      else if (["innerType", "element", "valueType", "keyType", "in", "out"].includes(k)) walk(v, at);
    }
  };
  for (const [kind, schema] of Object.entries(DOC_SCHEMAS)) walk(schema as z.ZodType, kind);
  expect(found).toEqual([]);
  expect(seen.size).toBeGreaterThan(50); // the walk reached the leaves
});

describe("a spec dropped without an error is an error, never a deletion (BERTH0405)", () => {
  const files = baseFiles();
  const loaded = Object.keys(files);
  const base = compile({ tree: memoryTree(files), strict: sharedStrict() });

  test("an object set that lost a model's objects is reported at the model", () => {
    const diags = new Diagnostics();
    verifyEverySpecRendered(
      loaded,
      base.plan,
      base.objects.filter((o) => !o.sources.includes(M)),
      diags,
    );
    expect(diags.items).toEqual([
      expect.objectContaining({
        severity: "error",
        code: "BERTH0405",
        at: { file: M, path: ["metadata", "name"] },
        message: expect.stringMatching(/renders nothing on cluster prod/),
      }),
    ]);
  });

  test("no plan at all reports every spec loaded", () => {
    const diags = new Diagnostics();
    verifyEverySpecRendered(loaded, undefined, [], diags);
    expect(diags.items.map((d) => `${d.code} ${d.at.file}`).sort()).toEqual(loaded.map((f) => `BERTH0405 ${f}`).sort());
    expect(diags.items[0]!.message).toMatch(/dropped before rendering/);
  });

  test("a model that is placed on no selected cluster is not expected to render", () => {
    const diags = new Diagnostics();
    const only = compile({ tree: memoryTree(files), clusters: ["prod"], strict: sharedStrict() });
    verifyEverySpecRendered(loaded, only.plan, only.objects, diags);
    expect(diags.items).toEqual([]);
  });

  test("when an error was already reported nothing is written, so nothing more is said", () => {
    const diags = new Diagnostics();
    diags.report("BERTH0210", { file: M, path: [] }, "request above limit");
    verifyEverySpecRendered(loaded, undefined, [], diags);
    expect(diags.items).toHaveLength(1);
  });

  test("a complete render passes", () => {
    expect(base.ok).toBe(true);
    const diags = new Diagnostics();
    verifyEverySpecRendered(loaded, base.plan, base.objects, diags);
    expect(diags.items).toEqual([]);
  });
});
