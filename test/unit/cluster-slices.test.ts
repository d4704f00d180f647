// compile renders and verifies one cluster at a time, and render and check take each cluster's
// files as it is done (onCluster) so its objects can be let go. Both ways of asking must give
// the same files and the same diagnostics, including the checks that need every cluster.
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { compile, type CompileResult } from "../../compiler/compile.js";
import { Diagnostics, type LocatedDiagnostic } from "../../compiler/diagnostics.js";
import { locateAll } from "../../compiler/locate.js";
import { SourceMap } from "../../compiler/parse.js";
import { verifySlice } from "../../compiler/verify/index.js";
import type { OutputFile } from "../../compiler/output/files.js";
import { filesUnder, memoryTree, sharedStrict, TEST_AS_OF, type Files } from "../helpers/fixture.js";

const CASES = fileURLToPath(new URL("../cases", import.meta.url));

function inputOf(name: string): Files {
  return filesUnder(join(CASES, name, "input"));
}

interface Both {
  readonly whole: CompileResult;
  readonly sliced: CompileResult;
  /** The files onCluster received, cluster by cluster, then the result's own (CODEOWNERS). */
  readonly slicedFiles: { path: string; content: string }[];
  readonly clusters: string[];
}

function both(files: Files): Both {
  const strict = sharedStrict();
  const whole = compile({ tree: memoryTree(files), strict, asOf: TEST_AS_OF });
  const slicedFiles: { path: string; content: string }[] = [];
  const clusters: string[] = [];
  const take = (list: readonly OutputFile[]) => slicedFiles.push(...list.map((f) => ({ path: f.path, content: f.content })));
  const sliced = compile({
    tree: memoryTree(files),
    strict,
    asOf: TEST_AS_OF,
    onCluster: (cluster, list) => {
      clusters.push(cluster);
      for (const f of list) expect(f.path.startsWith(`clusters/${cluster}/`)).toBe(true);
      take(list);
    },
  });
  if (sliced.ok) take(sliced.files);
  return { whole, sliced, slicedFiles, clusters };
}

const view = (ds: readonly LocatedDiagnostic[]) => ds.map((d) => `${d.file}:${d.line}:${d.column} ${d.code} ${d.message}`);

describe.each(readdirSync(CASES).sort())("case %s", (name) => {
  test("cluster by cluster: the same files, in content and number, and the same diagnostics", () => {
    const { whole, sliced, slicedFiles, clusters } = both(inputOf(name));
    expect(whole.ok).toBe(true);
    expect(view(sliced.diagnostics)).toEqual(view(whole.diagnostics));
    expect(clusters).toEqual(whole.plan!.clusters.map((c) => c.name));
    const sorted = [...slicedFiles].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
    expect(sorted).toEqual(whole.files.map((f) => ({ path: f.path, content: f.content })));
    expect(sliced.counts).toEqual({ objects: whole.objects.length, files: whole.files.length });
    expect(whole.counts).toEqual(sliced.counts);
    expect(sliced.objects).toEqual([]);
  });
});

/** Two models of case three-tenants (prod and staging) whose Deployment names meet: churn `a-b` version `c` and churn-a `b-c`. */
function colliding(): Files {
  const files = inputOf("three-tenants");
  const churn = files["models/growth/churn.yaml"] as string;
  return {
    ...files,
    "models/growth/churn.yaml": null,
    "models/growth/churn-a.yaml": churn.replace("name: churn", "name: churn-a").replace("name: v1.4.0", "name: b-c"),
    "models/growth/churn-a-b.yaml": churn.replace("name: churn", "name: churn-a-b").replace("name: v1.4.0", "name: c"),
  };
}

test("a collision on two clusters is one diagnostic per side naming both clusters, and no cluster's files are handed over", () => {
  const { whole, sliced, clusters } = both(colliding());
  const collisions = sliced.diagnostics.filter((d) => d.code === "BERTH0404");
  expect(collisions).toHaveLength(2);
  for (const d of collisions) expect(d.message).toMatch(/ on clusters prod, staging (is|are) also rendered from /);
  expect(view(sliced.diagnostics)).toEqual(view(whole.diagnostics));
  expect(sliced.ok).toBe(false);
  expect(clusters).toEqual([]);
});

test("an error in the specs: the same diagnostics, and onCluster is never called", () => {
  const files = inputOf("three-tenants");
  files["models/growth/churn.yaml"] = (files["models/growth/churn.yaml"] as string).replace("maxReplicas: 4", "maxReplicas: 0");
  const { whole, sliced, clusters } = both(files);
  expect(whole.ok).toBe(false);
  expect(view(sliced.diagnostics)).toEqual(view(whole.diagnostics));
  expect(clusters).toEqual([]);
});

/** The verifiers' findings on a compiled case: over all clusters at once, or one cluster at a time. */
function verifierFindings(result: CompileResult, perCluster: boolean): string[] {
  const plan = result.plan!;
  const diags = new Diagnostics();
  const strict = sharedStrict()?.begin();
  const parts = perCluster
    ? plan.clusters.map((c) => ({ plan: { world: plan.world, clusters: [c] }, objects: result.objects.filter((o) => o.owner.cluster === c.name) }))
    : [{ plan, objects: result.objects }];
  for (const part of parts) verifySlice({ ...part, strict, asOf: TEST_AS_OF }, diags);
  strict?.end(diags);
  return view(locateAll(diags.items, new SourceMap())).sort();
}

describe.each(readdirSync(CASES).sort())("case %s", (name) => {
  test("every verifier judges one cluster at a time: verifying them all at once finds the same", () => {
    const files = inputOf(name);
    const whole = compile({ tree: memoryTree(files), strict: sharedStrict(), asOf: TEST_AS_OF });
    expect(whole.objects.length).toBeGreaterThan(0);
    expect(verifierFindings(whole, true)).toEqual(verifierFindings(whole, false));
  });
});

test("the same on findings: a model scaled past its pool and its tenant's quota on both clusters", () => {
  const files = inputOf("three-tenants");
  files["models/growth/churn.yaml"] = (files["models/growth/churn.yaml"] as string)
    .replace("maxReplicas: 4}", "maxReplicas: 400}")
    .replace("minReplicas: 2,", "minReplicas: 300,");
  const whole = compile({ tree: memoryTree(files), strict: sharedStrict(), asOf: TEST_AS_OF });
  const findings = verifierFindings(whole, true);
  expect(findings.length).toBeGreaterThan(1);
  expect(findings.join("\n")).toMatch(/prod/);
  expect(findings).toEqual(verifierFindings(whole, false));
  expect(verifierFindings(compile({ tree: memoryTree(inputOf("warnings")), strict: sharedStrict(), asOf: TEST_AS_OF }), true)).not.toEqual([]);
});
