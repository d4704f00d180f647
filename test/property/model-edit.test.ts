// Properties of the model commands over every model spec of the example repository and of
// generated fleets: an edit followed by its inverse gives back the same bytes; an edit changes
// only the lines of the values it changes; every cluster's weights still sum to 100 and the
// compiler sees the split the command reports.
import fc from "fast-check";
import { parse, parseDocument } from "yaml";
import { Diagnostics } from "../../compiler/diagnostics.js";
import { baseSplit, clusterSplit, readModelFile, splitsByCluster } from "../../compiler/edit/model-file.js";
import { compile } from "../../compiler/compile.js";
import type { ModelCommand } from "../../compiler/edit/operations.js";
import { diffLines } from "../../compiler/edit/unified-diff.js";
import { total, type Split } from "../../compiler/edit/weights.js";
import { memoryTree } from "../helpers/fixture.js";
import { exampleFiles, fleetFiles, linesOfChangedValues, runEdit, specCases, versionNames, type SpecCase } from "../helpers/model-edit.js";

const example = exampleFiles();
const fleets = [
  fleetFiles({ tenants: 2, models: 10, versions: 1, clusters: 2, seed: 3 }),
  fleetFiles({ tenants: 3, models: 30, versions: 2, clusters: 3, seed: 5 }),
  fleetFiles({ tenants: 2, models: 20, versions: 3, clusters: 3, seed: 9 }),
];
const corpus: SpecCase[] = [example, ...fleets].flatMap(specCases);

/** Weights over `n` versions that add up to 100. */
const splitOf = (n: number) =>
  fc.array(fc.integer({ min: 0, max: 100 }), { minLength: n - 1, maxLength: n - 1 }).map((cuts) => {
    const points = [0, ...cuts.sort((x, y) => x - y), 100];
    return points.slice(1).map((p, i) => p - points[i]!);
  });

function commandFor(spec: SpecCase): fc.Arbitrary<ModelCommand> {
  const names = versionNames(spec.text);
  const cluster = spec.clusters.length ? fc.option(fc.constantFrom(...spec.clusters), { nil: undefined }) : fc.constant(undefined);
  return fc.oneof(
    fc.record({
      kind: fc.constant("add-version" as const),
      version: fc.constant("v9.9.9"),
      artifact: fc.constant("s3://ml-models/new/9.9.9/"),
      traffic: fc.integer({ min: 0, max: 100 }),
      image: fc.option(fc.constant("123456789012.dkr.ecr.us-east-1.amazonaws.com/models/new:9.9.9"), { nil: undefined }),
    }),
    fc.record({
      kind: fc.constant("set-traffic" as const),
      weights: splitOf(names.length).map((w) => names.map((version, i) => ({ version, weight: w[i]! }))),
      cluster,
    }),
    fc.record({
      kind: fc.constant("promote" as const),
      version: fc.constantFrom(...names),
      step: fc.option(fc.integer({ min: 1, max: 100 }), { nil: undefined }),
      cluster,
    }),
    fc.record({ kind: fc.constant("retire" as const), version: fc.constantFrom(...names) }),
  );
}

const anyEdit = fc.integer({ min: 0, max: corpus.length - 1 }).chain((i) => commandFor(corpus[i]!).map((cmd) => ({ spec: corpus[i]!, cmd })));

const weights = (s: Split) => [...s].map(([version, weight]) => ({ version, weight }));

/** Commands that put back the splits of `before` (and remove a version the edit added). */
function inverse(cmd: ModelCommand, before: { base: Split; clusters: ReadonlyMap<string, Split> }): ModelCommand[] {
  const withNew = (s: Split) => (cmd.kind === "add-version" ? new Map([...s, [cmd.version, 0]]) : s);
  const own = [...before.clusters].filter(([, s]) => [...s].some(([v, w]) => before.base.get(v) !== w));
  const everywhere: ModelCommand[] = [
    { kind: "set-traffic", weights: weights(withNew(before.base)) },
    ...own.map(([c, s]) => ({ kind: "set-traffic" as const, weights: weights(withNew(s)), cluster: c })),
  ];
  switch (cmd.kind) {
    case "add-version":
      return [...(cmd.traffic > 0 ? everywhere : []), { kind: "retire", version: cmd.version }];
    case "set-traffic":
    case "promote":
      return cmd.cluster ? [{ kind: "set-traffic", weights: weights(withNew(before.clusters.get(cmd.cluster)!)), cluster: cmd.cluster }] : everywhere;
    case "retire":
      return [];
  }
}

function versionsOf(text: string): { name: string; traffic?: number }[] {
  return (parse(text) as { spec: { versions: { name: string; traffic?: number }[] } }).spec.versions;
}

/** The spec's own split, as the file says it. */
function baseOf(text: string): Split {
  const vs = versionsOf(text);
  return new Map(vs.map((v) => [v.name, v.traffic ?? (vs.length === 1 ? 100 : 0)]));
}

function splitsOf(spec: SpecCase, text: string): Map<string, Split> {
  const m = readModelFile(spec.path, text, parseDocument(text), spec.clusters, new Diagnostics())!;
  return splitsByCluster(m);
}

/** A cluster override whose weights give the cluster exactly the spec's split. */
function restatesSpec(spec: SpecCase): boolean {
  const m = readModelFile(spec.path, spec.text, parseDocument(spec.text), spec.clusters, new Diagnostics())!;
  const base = JSON.stringify([...baseSplit(m)]);
  return spec.clusters.some((c) => m.clusterOverrides.get(c)?.entries.some((e) => e.traffic !== undefined) && JSON.stringify([...clusterSplit(m, c)]) === base);
}

/** Lines that differ only by a `traffic` the file had left implicit. */
function onlyWrittenOutWeights(original: string, restored: string): boolean {
  const ops = diffLines(original.split(/(?<=\n)/), restored.split(/(?<=\n)/));
  const strip = (l: string) => l.replace(/,? ?traffic: \d+/, "");
  const added = ops
    .filter((o) => o.kind === "add")
    .map((o) => strip(o.line))
    .filter((l) => l.trim() !== "");
  return JSON.stringify(added) === JSON.stringify(ops.filter((o) => o.kind === "del").map((o) => o.line));
}

test("the corpus covers the example's four models (not its store) and three fleets", () => {
  expect(corpus.filter((c) => c.repo === example)).toHaveLength(4);
  expect(corpus.length).toBe(4 + 10 + 30 + 20);
});

test("an edit followed by its inverse gives back the same bytes", () => {
  let checked = 0;
  fc.assert(
    fc.property(anyEdit, ({ spec, cmd }) => {
      const first = runEdit(spec, spec.text, cmd);
      if (!first.result?.changed || cmd.kind === "retire") return;
      const before = { base: baseOf(spec.text), clusters: new Map([...first.result.clusters].map(([c, s]) => [c, s.before])) };
      let text = first.result.text;
      for (const undo of inverse(cmd, before)) {
        const step = runEdit(spec, text, undo);
        expect(step.printed).toEqual([]);
        text = step.result!.text;
      }
      // Two documented exceptions: a weight the file left implicit is written out once a command
      // changes what the file implies; override weights that restated the spec's own split go
      // once a command brings that cluster back in line with the spec.
      if (versionsOf(spec.text).some((v) => v.traffic === undefined)) expect(onlyWrittenOutWeights(spec.text, text)).toBe(true);
      else if (restatesSpec(spec)) {
        expect(splitsOf(spec, text)).toEqual(splitsOf(spec, spec.text));
        const ops = diffLines(spec.text.split(/(?<=\n)/), text.split(/(?<=\n)/)).filter((o) => o.kind !== "same");
        for (const o of ops) expect(o).toEqual({ kind: "del", line: expect.stringMatching(/^\s*(versions:|- \{name: [^,]+, traffic: \d+\})\n$/) });
      } else expect(text).toBe(spec.text);
      checked++;
    }),
    { numRuns: 400, seed: 18 },
  );
  expect(checked).toBeGreaterThan(100);
});

test("an edit changes only the lines of the values it changes", () => {
  fc.assert(
    fc.property(anyEdit, ({ spec, cmd }) => {
      const r = runEdit(spec, spec.text, cmd).result;
      if (!r?.changed) return;
      const allowed = linesOfChangedValues(spec.text, r.text);
      let oldLine = 1;
      let newLine = 1;
      for (const o of diffLines(spec.text.split(/(?<=\n)/), r.text.split(/(?<=\n)/))) {
        if (o.kind === "del") expect({ line: oldLine, text: o.line, allowed: allowed.old.has(oldLine) }).toMatchObject({ allowed: true });
        if (o.kind === "add") expect({ line: newLine, text: o.line, allowed: allowed.new.has(newLine) }).toMatchObject({ allowed: true });
        if (o.kind !== "add") oldLine++;
        if (o.kind !== "del") newLine++;
      }
    }),
    { numRuns: 400, seed: 19 },
  );
});

test("the weights on every cluster still sum to 100, and bad weights are refused", () => {
  fc.assert(
    fc.property(anyEdit, ({ spec, cmd }) => {
      const { result, printed } = runEdit(spec, spec.text, cmd);
      if (!result) {
        expect(printed.length).toBeGreaterThan(0);
        return;
      }
      for (const [, { before, after }] of result.clusters) {
        expect(total(before)).toBe(100);
        expect(total(after)).toBe(100);
        for (const w of after.values()) expect(Number.isInteger(w) && w >= 0 && w <= 100).toBe(true);
      }
    }),
    { numRuns: 400, seed: 20 },
  );
});

test("the compiler sees the split the command reports, with no errors", () => {
  const small = [example, fleets[1]!, fleets[2]!].flatMap(specCases).filter((_, i) => i % 3 === 0);
  const edits = fc.integer({ min: 0, max: small.length - 1 }).chain((i) => commandFor(small[i]!).map((cmd) => ({ spec: small[i]!, cmd })));
  fc.assert(
    fc.property(edits, ({ spec, cmd }) => {
      const r = runEdit(spec, spec.text, cmd).result;
      if (!r?.changed) return;
      const compiled = compile({ tree: memoryTree({ ...spec.repo, [spec.path]: r.text }) });
      expect(compiled.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
      const name = spec.path.split("/")[2]!.replace(".yaml", "");
      for (const cluster of compiled.plan!.clusters) {
        const m = cluster.models.find((x) => x.name === name);
        if (!m) continue;
        expect(new Map(m.model.versions.map((v) => [v.name, v.traffic]))).toEqual(r.clusters.get(cluster.name)!.after);
      }
    }),
    { numRuns: 40, seed: 21 },
  );
});
