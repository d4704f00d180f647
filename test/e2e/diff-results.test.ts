// `berth diff` takes the base revision's findings from the result cache when a render, a check or
// an earlier diff kept them for the base's very specs (verify/result-cache.ts), and then emits the
// base without verifying it. Its report must be the one it makes without the cache, in every
// format: the warnings a change adds and fixes, an error at the base, a base that does not compile.
import { createHash } from "node:crypto";
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { main } from "../../compiler/cli.js";
import { baseFiles, CLUSTER, edit, SCHEMA_ARGS, TENANT, TEST_AS_OF, type Files } from "../helpers/fixture.js";
import { gitRepo, writeFiles } from "../helpers/git.js";
import { tempDir } from "../helpers/temp.js";
import { STORE, STORE_FILE, storeFiles } from "../workloads/fixtures.js";

async function run(dir: string, env: Record<string, string>, ...args: string[]) {
  let stdout = "";
  let stderr = "";
  const code = await main([...args, ...SCHEMA_ARGS, "--as-of", TEST_AS_OF], {
    cwd: dir,
    env,
    stdout: { write: (s: string) => (stdout += s) },
    stderr: { write: (s: string) => (stderr += s) },
  });
  return { code, stdout, stderr };
}

const CUT = edit(TENANT, "pods: 100}", "pods: 6}"); // BERTH0503: the quota's pods are short of maxReplicas
const OLD_EKS = edit(CLUSTER, 'kubernetesVersion: "1.35"', 'kubernetesVersion: "1.31"'); // BERTH1001 on the calendar

const CASES: { name: string; base: Files; head: Files }[] = [
  { name: "a change that adds a warning", base: {}, head: { "tenants/team-a.yaml": CUT } },
  { name: "a change that fixes a warning", base: { "tenants/team-a.yaml": CUT }, head: { "tenants/team-a.yaml": TENANT } },
  {
    name: "an EKS version past its support at the base, upgraded",
    base: { "platform/clusters/prod.yaml": OLD_EKS },
    head: { "platform/clusters/prod.yaml": CLUSTER },
  },
  { name: "a base that does not compile", base: { "models/team-a/fraud.yaml": "kind: Model\nmetadata: {name: [" }, head: { "tenants/team-a.yaml": CUT } },
  { name: "a head that does not compile", base: {}, head: { "models/team-a/fraud.yaml": "kind: Model\nmetadata: {name: [" } },
];

describe.each(CASES)("$name: the same report with the base's findings kept as without", ({ base, head }) => {
  test.each(["json", "text", "markdown", "github"])("--format %s", async (format) => {
    const dir = gitRepo({ ...baseFiles(), ...base });
    const cache = tempDir("berth-results-e2e-");
    // A check of the base keeps its findings, as main's CI does before the pull request's diff.
    await run(dir, { XDG_CACHE_HOME: cache }, "check");
    expect(readdirSync(join(cache, "berth", "results"))).toHaveLength(1);
    writeFiles(dir, head);
    const plain = await run(dir, {}, "diff", "--base", "HEAD", "--format", format);
    const kept = await run(dir, { XDG_CACHE_HOME: cache }, "diff", "--base", "HEAD", "--format", format);
    expect(kept).toEqual(plain);
    // That diff kept the working tree's findings too; once more, both sides have an entry.
    expect(readdirSync(join(cache, "berth", "results"))).toHaveLength(2);
    expect(await run(dir, { XDG_CACHE_HOME: cache }, "diff", "--base", "HEAD", "--format", format)).toEqual(plain);
  });
});

test("the base is really taken from the cache: a finding kept for it is what the diff reports as fixed", async () => {
  const dir = gitRepo({ ...baseFiles(), "tenants/team-a.yaml": CUT });
  const cache = tempDir("berth-results-e2e-");
  await run(dir, { XDG_CACHE_HOME: cache }, "check");
  // The entry rewritten with another message and its checksum made to match, as only a test would.
  const [name] = readdirSync(join(cache, "berth", "results"));
  const path = join(cache, "berth", "results", name!);
  const entry = JSON.parse(readFileSync(path, "utf8")) as { sum: string; lookups: unknown; diagnostics: { code: string; message: string }[] };
  entry.diagnostics = entry.diagnostics.map((d) => (d.code === "BERTH0503" ? { ...d, message: "as kept" } : d));
  entry.sum = createHash("sha256")
    .update(JSON.stringify([entry.lookups, entry.diagnostics]))
    .digest("hex");
  writeFileSync(path, JSON.stringify(entry));
  writeFiles(dir, { "tenants/team-a.yaml": TENANT });
  const out = JSON.parse((await run(dir, { XDG_CACHE_HOME: cache }, "diff", "--base", "HEAD", "--format", "json")).stdout) as {
    diagnosticsRemoved: { code: string; message: string }[];
  };
  expect(out.diagnosticsRemoved.map((d) => [d.code, d.message])).toEqual([["BERTH0503", "as kept"]]);
});

// With kept findings the base is emitted after the working tree is verified, and only its
// StatefulSets are held during that verification, for the storage check (BERTH1425).
test.each([
  ["shrunk (an error against the base)", "12Gi"],
  ["grown (the claim template's risk)", "50Gi"],
])("a store %s: the same report with the base's findings kept as without", async (_, size) => {
  const dir = gitRepo(storeFiles());
  const cache = tempDir("berth-results-e2e-");
  await run(dir, { XDG_CACHE_HOME: cache }, "check");
  expect(readdirSync(join(cache, "berth", "results"))).toHaveLength(1);
  writeFiles(dir, { [STORE_FILE]: edit(STORE, "size: 20Gi", `size: ${size}`) });
  const plain = await run(dir, {}, "diff", "--base", "HEAD");
  if (size === "12Gi") expect(plain).toMatchObject({ code: 1, stderr: expect.stringMatching(/models\/team-a\/vectors\.yaml:9:19: error BERTH1425/) });
  else expect(plain).toMatchObject({ code: 0, stdout: expect.stringMatching(/StatefulSet team-a\/vectors/) });
  expect(await run(dir, { XDG_CACHE_HOME: cache }, "diff", "--base", "HEAD")).toEqual(plain);
});
