// `berth diff` compiles the two revisions side by side, one cluster at a time, and compares each
// cluster's objects before letting them go. A cluster only one side has is all added or all
// removed, and what is compared cluster by cluster is what comparing everything at once finds.
import { fileURLToPath } from "node:url";
import { compile } from "../../compiler/compile.js";
import { diffRenders } from "../../compiler/diff/match.js";
import { filesUnder, memoryTree, TEST_AS_OF, type Files } from "../helpers/fixture.js";
import { berth, gitRepo, writeFiles } from "../helpers/git.js";

const INPUT = fileURLToPath(new URL("../cases/three-tenants/input", import.meta.url));

function caseFiles(): Files {
  return filesUnder(INPUT);
}

/** The case with a third cluster, dev, that tenant growth (and so its model churn) runs on. */
function withDev(files: Files): Files {
  return {
    ...files,
    "platform/clusters/dev.yaml": (files["platform/clusters/staging.yaml"] as string).replace("name: staging", "name: dev"),
    "tenants/growth.yaml": (files["tenants/growth.yaml"] as string).replace("clusters: [prod, staging]", "clusters: [prod, staging, dev]"),
  };
}

interface Json {
  summary: { changed: number; added: number; removed: number };
  changes: { change: string; kind: string; name: string; cluster?: string; owner?: { cluster: string } }[];
}

async function diffJson(dir: string): Promise<Json> {
  const r = await berth(dir, "diff", "--base", "HEAD", "--format", "json", "--as-of", TEST_AS_OF);
  expect({ code: r.code, stderr: r.stderr }).toEqual({ code: 0, stderr: "" });
  return JSON.parse(r.stdout) as Json;
}

/** What comparing both revisions' objects all at once finds: [change, kind, name] sorted. */
function wholeChanges(before: Files, after: Files): string[] {
  const a = compile({ tree: memoryTree(before), serialize: false, asOf: TEST_AS_OF });
  const b = compile({ tree: memoryTree(after), serialize: false, asOf: TEST_AS_OF });
  expect(a.ok && b.ok).toBe(true);
  return diffRenders(a.objects, b.objects)
    .map((c) => `${c.change} ${c.owner.cluster} ${c.kind} ${c.name}`)
    .sort();
}

const view = (out: Json) => out.changes.map((c) => `${c.change} ${c.cluster ?? c.owner?.cluster} ${c.kind} ${c.name}`).sort();

test("a cluster the change adds: all its objects are added, none elsewhere, as comparing everything at once finds", async () => {
  const base = caseFiles();
  const dir = gitRepo(base);
  const head = withDev(base);
  writeFiles(dir, { "platform/clusters/dev.yaml": head["platform/clusters/dev.yaml"]!, "tenants/growth.yaml": head["tenants/growth.yaml"]! });
  const out = await diffJson(dir);
  const expected = wholeChanges(base, head);
  expect(expected.length).toBeGreaterThan(5);
  expect(expected.filter((c) => c.startsWith("added dev "))).not.toEqual([]);
  expect(view(out)).toEqual(expected);
  expect(out.summary.removed).toBe(0);
});

test("a cluster the change removes: all its objects are removed", async () => {
  const base = withDev(caseFiles());
  const dir = gitRepo(base);
  const head = caseFiles();
  writeFiles(dir, { "platform/clusters/dev.yaml": null, "tenants/growth.yaml": head["tenants/growth.yaml"]! });
  const out = await diffJson(dir);
  const expected = wholeChanges(base, head);
  expect(expected.filter((c) => c.startsWith("removed dev "))).not.toEqual([]);
  expect(view(out)).toEqual(expected);
  expect(out.summary.added).toBe(0);
});

test("a change on both clusters: cluster by cluster finds what all at once finds", async () => {
  const base = caseFiles();
  const dir = gitRepo(base);
  const churn = (base["models/growth/churn.yaml"] as string).replace("cpu: 500m, memory: 1Gi", "cpu: 750m, memory: 1Gi");
  writeFiles(dir, { "models/growth/churn.yaml": churn });
  const out = await diffJson(dir);
  const expected = wholeChanges(base, { ...base, "models/growth/churn.yaml": churn });
  expect(expected.some((c) => c.includes(" prod ")) && expected.some((c) => c.includes(" staging "))).toBe(true);
  expect(view(out)).toEqual(expected);
});
