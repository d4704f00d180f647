// Compiled strict validators kept between runs (verify/schemas/compiled-cache.ts): a warm run loads
// the code instead of compiling, with the same verdicts; a damaged entry is ignored and replaced;
// two runs sharing the directory never leave a partial entry.
import { Ajv } from "ajv";
import { spawn } from "node:child_process";
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { generateFleet } from "../../bench/fleet.js";
import { compile } from "../../compiler/compile.js";
import { LazySchemas, type Schema } from "../../compiler/verify/lazy-schema.js";
import { CompiledCache } from "../../compiler/verify/schemas/compiled-cache.js";
import { StrictValidator } from "../../compiler/verify/strict.js";
import { memoryTree, REPO_ROOT, SCHEMAS_DIR, strictDescribe, strictTest, tempDir, tempRepo } from "../helpers/fixture.js";

const big = (extra: Schema = {}): Schema => ({
  type: "object",
  properties: Object.fromEntries(Array.from({ length: 60 }, (_, i) => [`field${i}`, { type: "string" }])),
  additionalProperties: false,
  ...extra,
});
const SCHEMA: Schema = {
  type: "object",
  properties: { a: big(), b: big({ required: ["field0"] }), c: { $ref: "#/definitions/Node" } },
  additionalProperties: false,
  definitions: {
    Node: { type: "object", properties: { name: { type: "string" }, next: { $ref: "#/definitions/Node" }, pad: big() }, additionalProperties: false },
  },
};
const SAMPLES: unknown[] = [
  {},
  { a: { field1: "x" } },
  { a: { field1: 1 } },
  { b: {} },
  { b: { field0: "y" } },
  { c: { name: "n", next: { name: "m", next: { name: "o" } } } },
  { c: { name: "n", next: { name: 7 } } },
  { c: { next: { unknown: true } } },
  { zz: 1 },
];

/** Counts compilations, so a test can tell loading stored code from compiling. */
function counting(): { ajv: Ajv; count: () => number } {
  const ajv = new Ajv({ strict: false, allErrors: false, validateFormats: false, validateSchema: false, code: { source: true, optimize: false } });
  let n = 0;
  const original = ajv.compile.bind(ajv);
  ajv.compile = ((s: Schema) => (n++, original(s))) as typeof ajv.compile;
  return { ajv, count: () => n };
}

function verdicts(fn: (d: unknown) => boolean): boolean[] {
  return SAMPLES.map((s) => fn(s));
}

const whole = new Ajv({ strict: false, validateFormats: false, validateSchema: false }).compile(SCHEMA);
const expected = verdicts((d) => whole(d) as boolean);

describe("compiled validators kept between runs", () => {
  test("a second run loads the code it needs instead of compiling, with the same verdicts", () => {
    const store = new CompiledCache(tempDir("berth-cc-"), "salt");
    const key = store.key("digest-1", "{}");
    const first = counting();
    const lazy1 = new LazySchemas(first.ajv, store);
    expect(verdicts(lazy1.compile(SCHEMA, key))).toEqual(expected);
    expect(first.count()).toBeGreaterThan(3); // root, a, b, Node, its pad...
    lazy1.flush();

    const second = counting();
    let prepared = 0;
    const lazy2 = new LazySchemas(second.ajv, store);
    expect(verdicts(lazy2.compile(() => (prepared++, SCHEMA), key))).toEqual(expected);
    expect(second.count()).toBe(0);
    expect(prepared).toBe(0); // the schema was not even split
  });

  test("pieces a later run reaches for the first time are compiled and added to the entry", () => {
    const store = new CompiledCache(tempDir("berth-cc-"), "salt");
    const key = store.key("digest-2", "{}");
    const lazy1 = new LazySchemas(counting().ajv, store);
    expect(lazy1.compile(SCHEMA, key)({ a: { field1: "x" } })).toBe(true); // reaches a only
    lazy1.flush();

    const run2 = counting();
    const lazy2 = new LazySchemas(run2.ajv, store);
    expect(verdicts(lazy2.compile(SCHEMA, key))).toEqual(expected); // reaches b, c, Node too
    expect(run2.count()).toBeGreaterThan(0);
    lazy2.flush();

    const run3 = counting();
    expect(verdicts(new LazySchemas(run3.ajv, store).compile(SCHEMA, key))).toEqual(expected);
    expect(run3.count()).toBe(0);
  });

  test.each([
    ["truncated", (t: string) => t.slice(0, t.length / 2)],
    ["not JSON", () => "\u0000\u0001garbage"],
    ["code edited (checksum mismatch)", (t: string) => t.replace(/return errors === 0/g, "return true")],
    ["another key's entry", (t: string) => t.replace(/"key":"[0-9a-f]+"/, '"key":"0000"')],
  ])("a damaged entry (%s) is ignored, compiled anew and replaced", (_what, damage) => {
    const dir = tempDir("berth-cc-");
    const store = new CompiledCache(dir, "salt");
    const key = store.key("digest-3", "{}");
    const lazy1 = new LazySchemas(counting().ajv, store);
    verdicts(lazy1.compile(SCHEMA, key));
    lazy1.flush();
    const file = join(dir, "validators", `${key}.json`);
    writeFileSync(file, damage(readFileSync(file, "utf8")));
    expect(store.read(key)).toBeUndefined();

    const run = counting();
    const lazy2 = new LazySchemas(run.ajv, store);
    expect(verdicts(lazy2.compile(SCHEMA, key))).toEqual(expected);
    expect(run.count()).toBeGreaterThan(0);
    lazy2.flush();
    expect(store.read(key)).toBeDefined();
  });

  test("the key changes with the schema's content, the options and berth's code", () => {
    const a = new CompiledCache("/x", "one");
    expect(new Set([a.key("d1", "{}"), a.key("d2", "{}"), a.key("d1", '{"allErrors":true}'), new CompiledCache("/x", "two").key("d1", "{}")]).size).toBe(4);
  });

  test("an unwritable cache directory costs a compile, never the run", () => {
    const file = join(tempDir("berth-cc-"), "a-file");
    writeFileSync(file, "not a folder");
    const store = new CompiledCache(file, "salt"); // its validators/ cannot be made
    const lazy = new LazySchemas(counting().ajv, store);
    expect(verdicts(lazy.compile(SCHEMA, store.key("d", "{}")))).toEqual(expected);
    expect(() => lazy.flush()).not.toThrow();
  });
});

strictDescribe("strict validation from the cache", () => {
  test("rendered objects: a warm validator reaches the verdicts of a cold one without compiling", () => {
    const files = Object.fromEntries(generateFleet({ tenants: 2, models: 6, versions: 2, clusters: 2, seed: 5 }));
    const dir = tempDir("berth-cc-");
    const cold = compile({ tree: memoryTree(files), strict: new StrictValidator(SCHEMAS_DIR, undefined, new CompiledCache(dir)), asOf: false });
    expect(cold.diagnostics).toEqual([]);
    expect(readdirSync(join(dir, "validators")).length).toBeGreaterThan(5);
    const warmStrict = new StrictValidator(SCHEMAS_DIR, undefined, new CompiledCache(dir));
    const warm = compile({ tree: memoryTree(files), strict: warmStrict, asOf: false });
    expect(warm.diagnostics).toEqual([]);
    // A broken object still fails from stored code, with the whole schema's errors.
    const deployment = warm.objects.find((r) => r.object.kind === "Deployment")!;
    const broken = { ...deployment.object, spec: { ...(deployment.object.spec as object), replicaz: 2 } };
    expect(warmStrict.validatorFor("apps/v1", "Deployment")!(broken)).toBe(false);
    expect(warmStrict.errorsOf("apps/v1", "Deployment", broken).map((e) => e.params)).toEqual([{ additionalProperty: "replicaz" }]);
  });

  strictTest(
    "two renders sharing one cache directory at once both succeed and leave whole entries",
    async () => {
      const files = Object.fromEntries(generateFleet({ tenants: 1, models: 3, versions: 1, clusters: 1, seed: 9 }));
      const cache = tempDir("berth-cc-home-");
      const run = (repo: string) =>
        new Promise<{ code: number | null; out: string }>((done) => {
          const child = spawn(process.execPath, [join(REPO_ROOT, "bin/berth.js"), "render", "--root", repo, "--schemas", SCHEMAS_DIR], {
            env: { ...process.env, XDG_CACHE_HOME: cache },
          });
          let out = "";
          child.stdout.on("data", (d) => (out += d));
          child.stderr.on("data", (d) => (out += d));
          child.on("close", (code) => done({ code, out }));
        });
      const results = await Promise.all([run(tempRepo(files)), run(tempRepo(files))]);
      for (const r of results) expect(r).toMatchObject({ code: 0 });
      const entries = readdirSync(join(cache, "berth", "validators"));
      expect(entries.filter((f) => !f.endsWith(".json"))).toEqual([]); // no temp file left
      const store = new CompiledCache(join(cache, "berth"));
      for (const f of entries) expect(store.read(f.replace(/\.json$/, ""))).toBeDefined();
      const warm = await run(tempRepo(files));
      expect(warm).toMatchObject({ code: 0 });
    },
    60_000,
  );
});
