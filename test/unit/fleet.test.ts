// The benchmark's fleet generator: every fleet it writes is a valid repository (no errors, no
// warnings, strict schemas included), and the same options always give the same files.
import fc from "fast-check";
import { generateFleet, type FleetOptions } from "../../bench/fleet.js";
import { compile } from "../../compiler/compile.js";
import { memoryTree, sharedStrict, TEST_AS_OF } from "../helpers/fixture.js";

function compileFleet(opts: FleetOptions) {
  const files = generateFleet(opts);
  return { files, result: compile({ tree: memoryTree(Object.fromEntries(files)), strict: sharedStrict(), asOf: TEST_AS_OF }) };
}

function problems(opts: FleetOptions): string[] {
  return compileFleet(opts).result.diagnostics.map((d) => `${d.file}:${d.line}:${d.column}: ${d.severity} ${d.code}: ${d.message}`);
}

test("a small fleet (3 tenants, 40 models x 2 versions, 3 clusters) compiles with no diagnostics", () => {
  const { files, result } = compileFleet({ tenants: 3, models: 40, versions: 2, clusters: 3, seed: 1 });
  expect(result.diagnostics.map((d) => `${d.file}:${d.line}: ${d.code} ${d.message}`)).toEqual([]);
  expect(result.ok).toBe(true);
  // platform, clusters, tenants, models, and the first tenant's store
  expect(files.size).toBe(1 + 3 + 3 + 40 + 1);
  // Every model is deployed to every cluster, with both versions.
  const deployments = result.objects.filter((o) => o.object.kind === "Deployment");
  expect(deployments).toHaveLength(40 * 2 * 3);
});

test("the fleet mixes GPU, memory and general models, canaries, group routing and overrides", () => {
  const texts = [...generateFleet({ tenants: 4, models: 200, versions: 2, clusters: 3, seed: 7 }).values()].join("\n");
  expect(texts).toContain("gpu: 1");
  expect(texts).toContain("pool: memory");
  expect(texts).toContain("traffic: 90");
  expect(texts).toContain("routing:");
  expect(texts).toContain("overrides:");
  expect(texts).toContain("env: {");
  expect(texts).toContain("image: ");
  expect(texts).toContain("kind: Store");
  expect(texts).toContain("uses: [");
  expect(texts).toContain("  batch:\n    - name: nightly");
  for (const fw of ["sklearn", "xgboost", "tensorflow", "onnx", "pytorch"]) expect(texts).toContain(`framework: ${fw}`);
});

test("the same options give the same files; another seed gives others", () => {
  const opts = { tenants: 2, models: 30, versions: 2, clusters: 2, seed: 42 };
  expect(generateFleet(opts)).toEqual(generateFleet({ ...opts }));
  expect(generateFleet({ ...opts, seed: 43 })).not.toEqual(generateFleet(opts));
});

test("fleets of any small shape compile with no diagnostics", () => {
  fc.assert(
    fc.property(
      fc.record({
        tenants: fc.integer({ min: 1, max: 4 }),
        models: fc.integer({ min: 1, max: 25 }),
        versions: fc.integer({ min: 1, max: 4 }),
        clusters: fc.integer({ min: 1, max: 4 }),
        seed: fc.integer({ min: 0, max: 2 ** 31 - 1 }),
      }),
      (opts) => {
        expect(problems(opts)).toEqual([]);
      },
    ),
    { numRuns: 25 },
  );
});

test("nonsense options are refused", () => {
  expect(() => generateFleet({ tenants: 0, models: 1, versions: 1, clusters: 1, seed: 1 })).toThrow(/--tenants/);
});
