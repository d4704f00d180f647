// Invariants: output bytes do not depend on discovery order, and a failed render changes nothing.
import fc from "fast-check";
import { execFileSync, spawnSync } from "node:child_process";
import { readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { main } from "../../compiler/cli.js";
import { compile } from "../../compiler/compile.js";
import type { SpecTree } from "../../compiler/load/load.js";
import { diskTree } from "../../compiler/load/load.js";
import { baseFiles, memoryTree, REPO_ROOT, SCHEMA_ARGS, sharedStrict, tempRepo } from "../helpers/fixture.js";
import { parse, stringify } from "yaml";
import { snapshotTree } from "../helpers/tree.js";

const quiet = { write: () => true };

function shuffled(tree: SpecTree, order: number[]): SpecTree {
  return {
    ...tree,
    list: (dir) => {
      const items = tree.list(dir);
      const keyed = items.map((p, i) => ({ p, k: order[i % order.length]! * 1000 + i }));
      return keyed.sort((a, b) => a.k - b.k).map((x) => x.p);
    },
  };
}

test("shuffled file discovery order gives byte-identical output", () => {
  const tree = diskTree(REPO_ROOT);
  const reference = compile({ tree, strict: sharedStrict() }).files;
  expect(reference.length).toBeGreaterThan(10);
  fc.assert(
    fc.property(fc.array(fc.nat(50), { minLength: 1, maxLength: 20 }), (order) => {
      const files = compile({ tree: shuffled(tree, order), strict: sharedStrict() }).files;
      expect(files).toEqual(reference);
    }),
    { numRuns: 25 },
  );
});

test("output does not depend on time zone, locale or clock", () => {
  for (const env of [
    { TZ: "Pacific/Kiritimati", LC_ALL: "tr_TR.UTF-8", LANG: "tr_TR.UTF-8" },
    { TZ: "America/Adak", LC_ALL: "C", LANG: "C" },
  ]) {
    const run = spawnSync(process.execPath, [join(REPO_ROOT, "bin/berth.js"), "check", "--offline"], {
      cwd: REPO_ROOT,
      encoding: "utf8",
      env: { ...process.env, ...env },
    });
    expect(run.status).toBe(0);
  }
});

type Mutation = { file: number; kind: "drop-line" | "dup-line" | "insert" | "truncate"; at: number; text: string };

function mutate(text: string, m: Mutation): string {
  const lines = text.split("\n");
  const i = m.at % Math.max(1, lines.length);
  switch (m.kind) {
    case "drop-line":
      return lines.filter((_, k) => k !== i).join("\n");
    case "dup-line":
      return [...lines.slice(0, i + 1), lines[i], ...lines.slice(i + 1)].join("\n");
    case "truncate":
      return text.slice(0, m.at % Math.max(1, text.length));
    default: {
      const at = m.at % Math.max(1, text.length);
      return text.slice(0, at) + m.text + text.slice(at);
    }
  }
}

test("a render that reports errors writes and deletes nothing, and never crashes", async () => {
  const repo = tempRepo({});
  execFileSync("cp", ["-r", join(REPO_ROOT, "platform"), join(REPO_ROOT, "tenants"), join(REPO_ROOT, "models"), repo]);
  let stderr = "";
  const io = { cwd: repo, env: {}, stdout: quiet, stderr: { write: (s: string) => (stderr += s) } };
  expect(await main(["render", "--root", repo, ...SCHEMA_ARGS], io)).toBe(0);
  const specs = Object.keys(snapshotTree(repo)).filter((p) => /^(platform|tenants|models)\/.*\.yaml$/.test(p));
  let failures = 0;
  await fc.assert(
    fc.asyncProperty(
      fc.record({
        file: fc.nat(specs.length - 1),
        kind: fc.constantFrom("drop-line", "dup-line", "insert", "truncate"),
        at: fc.nat(4000),
        text: fc.constantFrom(":", "\t", "- ", "{", "x: [", "  bogus: 1\n", "\n---\n", "minReplicas: 99\n", "&a *a", "\u00ff"),
      }) as fc.Arbitrary<Mutation>,
      async (m) => {
        const path = join(repo, specs[m.file]!);
        const original = readFileSync(path, "utf8");
        writeFileSync(path, mutate(original, m));
        const before = snapshotTree(repo);
        stderr = "";
        const code = await main(["render", "--root", repo, ...SCHEMA_ARGS], io);
        expect(stderr).not.toMatch(/internal error|\n\s+at /); // bad input is a diagnostic, never a crash
        if (code !== 0) {
          failures++;
          expect(snapshotTree(repo)).toEqual(before);
        }
        writeFileSync(path, original);
        expect(await main(["render", "--root", repo, ...SCHEMA_ARGS], io)).toBe(0);
      },
    ),
    { numRuns: 40, seed: 20261128 },
  );
  expect(failures).toBeGreaterThan(5); // the property saw real errors, not only harmless edits
  rmSync(repo, { recursive: true, force: true });
});

test("arbitrary YAML in any spec is a diagnostic, never an exception", () => {
  const targets = ["platform/platform.yaml", "platform/clusters/prod.yaml", "tenants/team-a.yaml", "models/team-a/fraud.yaml"];
  const base = baseFiles();
  fc.assert(
    fc.property(fc.constantFrom(...targets), fc.jsonValue(), fc.array(fc.string(), { maxLength: 3 }), (file, value, path) => {
      // Graft the random value somewhere into a valid spec, or replace the spec outright.
      const doc = parse(base[file] as string) as Record<string, unknown>;
      let node: Record<string, unknown> = doc;
      for (const key of ["spec", ...path.slice(0, -1)]) {
        if (typeof node[key] !== "object" || node[key] === null) node[key] = {};
        node = node[key] as Record<string, unknown>;
      }
      node[path[path.length - 1] ?? "extra"] = value;
      for (const text of [stringify(doc), stringify(value)]) {
        const result = compile({ tree: memoryTree({ ...base, [file]: text }) });
        expect(Array.isArray(result.diagnostics)).toBe(true);
      }
    }),
    { numRuns: 300 },
  );
});
