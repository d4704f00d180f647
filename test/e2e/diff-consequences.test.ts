// `berth diff` says what a change does, not only which fields moved: the warnings it adds or
// fixes, risks grouped by their cause, changed strings shown where they differ, annotations at
// the spec line, and the Argo CD Application each change lands in. Temp git repositories, the
// CLI in-process; goldens in test/diff-cases (UPDATE_GOLDEN=1 rewrites them).
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { baseFiles, compileFiles, edit, MODEL, REPO_ROOT, TENANT } from "../helpers/fixture.js";
import { berth, git, gitRepo, writeFiles } from "../helpers/git.js";

interface Located {
  file: string;
  line: number;
  column: number;
  severity: string;
  code: string;
  message: string;
  hint?: string;
}
interface Group {
  kind: string;
  cluster: string;
  tenant?: string;
  model?: string;
  subject: string;
  message: string;
  count: number;
  risks: { subject: string; message: string }[];
}
interface Json {
  summary: { diagnosticsAdded: number; diagnosticsRemoved: number };
  risks: { kind: string; tenant?: string; subject: string; message: string }[];
  riskGroups: Group[];
  diagnosticsAdded: Located[];
  diagnosticsRemoved: Located[];
  changes: { kind: string; name: string; application?: string; spec?: { file: string; line: number; column: number } }[];
}

const CUT = edit(TENANT, "pods: 100}", "pods: 6}"); // the model needs 4 pods at minReplicas, 8 at maxReplicas
const TEAM_B = edit(edit(TENANT, "name: team-a", "name: team-b"), "namespace: team-a", "namespace: team-b")
  .replace("@example/team-a", "@example/team-b")
  .replace("{group: team-a, role: edit}", "{group: team-b, role: edit}\n    - {group: team-b-viewers, role: view}");

async function run(dir: string, format: string) {
  const r = await berth(dir, "diff", "--base", "HEAD", "--format", format);
  expect({ code: r.code, stderr: r.stderr }).toEqual({ code: 0, stderr: "" });
  return r.stdout;
}
const json = async (dir: string) => JSON.parse(await run(dir, "json")) as Json;

/** The warning `render` itself raises for the specs with `changes`, where it raises it. */
function renderWarning(code: string, changes = {}) {
  const found = compileFiles(changes).diagnostics.filter((d) => d.code === code);
  expect(found).toHaveLength(1);
  return found[0]!;
}

describe("diagnostics the change adds or fixes", () => {
  test("cutting a quota: the BERTH0503 warning render raises is a new warning at its spec position, in every format", async () => {
    const dir = gitRepo(baseFiles());
    writeFiles(dir, { "tenants/team-a.yaml": CUT });
    const w = renderWarning("BERTH0503", { "tenants/team-a.yaml": CUT });
    const out = await json(dir);
    expect(out.diagnosticsAdded).toEqual([
      { file: "tenants/team-a.yaml", line: w.line, column: w.column, severity: "warning", code: "BERTH0503", message: w.message, hint: w.hint },
    ]);
    expect(out.diagnosticsRemoved).toEqual([]);
    expect(out.summary).toMatchObject({ diagnosticsAdded: 1, diagnosticsRemoved: 0 });

    const text = await run(dir, "text");
    expect(text).toMatch(/^berth diff HEAD \([0-9a-f]{12}\) → working tree: 1 changed, 0 added, 0 removed in 1 cluster; 1 new warning\n/);
    expect(text).toContain(
      `\ndiagnostics: 1 new warning\n  new warning: tenants/team-a.yaml:${w.line}:${w.column}: BERTH0503: ${w.message}\n    hint: ${w.hint}\n`,
    );
    const md = await run(dir, "markdown");
    expect(md).toContain(`### ⚠️ Diagnostics: 1 new warning\n`);
    expect(md).toContain(`| ⚠️ | new warning | tenants/team-a.yaml:${w.line}:${w.column} | BERTH0503 | ${w.message}<br>hint: ${w.hint} |`);
    const gh = await run(dir, "github");
    expect(gh).toContain(
      `::warning file=tenants/team-a.yaml,line=${w.line},col=${w.column},title=berth diff%3A new BERTH0503::${w.message} (hint: ${w.hint})\n`,
    );
  });

  test("raising the quota back: the warning is fixed, shown at its base position", async () => {
    const dir = gitRepo({ ...baseFiles(), "tenants/team-a.yaml": CUT });
    writeFiles(dir, { "tenants/team-a.yaml": TENANT });
    const w = renderWarning("BERTH0503", { "tenants/team-a.yaml": CUT });
    const out = await json(dir);
    expect(out.diagnosticsAdded).toEqual([]);
    expect(out.diagnosticsRemoved).toEqual([expect.objectContaining({ file: "tenants/team-a.yaml", line: w.line, code: "BERTH0503", message: w.message })]);
    const text = await run(dir, "text");
    expect(text).toContain(`; 1 fixed warning\n`);
    expect(text).toContain(`  fixed warning: HEAD:tenants/team-a.yaml:${w.line}:${w.column}: BERTH0503: ${w.message}\n`);
    expect(await run(dir, "markdown")).toContain(`| ✅ | fixed warning | HEAD:tenants/team-a.yaml:${w.line}:${w.column} | BERTH0503 |`);
  });

  test("an EKS version past its support at the base does not stop the diff; upgrading it fixes that error and may add a warning", async () => {
    const cluster = baseFiles()["platform/clusters/prod.yaml"] as string;
    const dir = gitRepo({ ...baseFiles(), "platform/clusters/prod.yaml": edit(cluster, 'kubernetesVersion: "1.35"', 'kubernetesVersion: "1.31"') });
    writeFiles(dir, { "platform/clusters/prod.yaml": edit(cluster, 'kubernetesVersion: "1.35"', 'kubernetesVersion: "1.32"') });
    const r = await berth(dir, "diff", "--base", "HEAD", "--format", "json", "--as-of", "2026-11-30");
    expect({ code: r.code, stderr: r.stderr }).toEqual({ code: 0, stderr: "" });
    const out = JSON.parse(r.stdout) as Json;
    expect(out.diagnosticsRemoved).toEqual([
      expect.objectContaining({
        severity: "error",
        code: "BERTH1001",
        message: expect.stringContaining("kubernetesVersion 1.31 reached the end of EKS extended support"),
      }),
    ]);
    expect(out.diagnosticsAdded).toEqual([
      expect.objectContaining({ severity: "warning", code: "BERTH1002", message: expect.stringContaining("kubernetesVersion 1.32 left EKS standard support") }),
    ]);
    const text = await berth(dir, "diff", "--base", "HEAD", "--as-of", "2026-11-30");
    expect(text.stdout).toMatch(/; 1 new warning, 1 fixed error\n/);
  });

  test("a warning that only moves (a line inserted above it) is neither new nor fixed", async () => {
    const dir = gitRepo({ ...baseFiles(), "tenants/team-a.yaml": CUT });
    writeFiles(dir, {
      "tenants/team-a.yaml": CUT.replace("spec:\n", "spec:\n  # quota cut on purpose\n"),
      "models/team-a/fraud.yaml": edit(MODEL, "traffic: 90}", "traffic: 80}").replace("traffic: 10}", "traffic: 20}"),
    });
    const out = await json(dir);
    expect({ added: out.diagnosticsAdded, removed: out.diagnosticsRemoved }).toEqual({ added: [], removed: [] });
  });
});

describe("risks grouped by cause", () => {
  test("a new tenant's guardrails are one access line with a count; its members listed in JSON and folded in markdown", async () => {
    const dir = gitRepo(baseFiles());
    writeFiles(dir, { "tenants/team-b.yaml": TEAM_B });
    const out = await json(dir);
    const mine = out.risks.filter((r) => r.kind === "access" && r.tenant === "team-b");
    expect(mine.length).toBeGreaterThanOrEqual(10); // NetworkPolicies, RoleBindings, mesh policies, the project
    const groups = out.riskGroups.filter((g) => g.kind === "access" && g.tenant === "team-b");
    expect(groups).toHaveLength(1);
    const [g] = groups;
    expect(g).toMatchObject({ cluster: "prod", subject: "tenant team-b", count: mine.length });
    expect(g!.risks).toEqual(mine.map(({ subject, message }) => ({ subject, message })));
    expect(g!.message).toMatch(new RegExp(`^guardrails of the new tenant: ${mine.length} access objects \\(\\d+ NetworkPolicy, 2 RoleBinding, `));
    // Who gets in stays on the line: the grants are what a reviewer must read.
    expect(g!.message).toContain("binds Group team-b to ClusterRole edit; binds Group team-b-viewers to ClusterRole view");

    const text = await run(dir, "text");
    expect(text.split("\n").filter((l) => /^ {2}access .* team-b {2}/.test(l))).toEqual([
      expect.stringContaining(`tenant team-b: guardrails of the new tenant: ${mine.length} access objects`),
    ]);
    const md = await run(dir, "markdown");
    expect(md).toContain(`| 🔐 | access | prod | team-b | tenant team-b | guardrails of the new tenant: ${mine.length} access objects (`);
    expect(md).toContain(`<summary>🔐 access · <code>prod</code> · tenant team-b: the ${mine.length} objects</summary>`);
    for (const r of mine) expect(md).toContain(`| ${r.subject} | ${r.message} |`);
    // github: one annotation for the group, not one per object.
    expect((await run(dir, "github")).match(/^::warning .*title=berth diff%3A access::prod tenant team-b: /gm)).toHaveLength(1);
  });

  test("a tenant removed: its objects are one deletion line", async () => {
    const dir = gitRepo({ ...baseFiles(), "tenants/team-b.yaml": TEAM_B });
    writeFiles(dir, { "tenants/team-b.yaml": null });
    const out = await json(dir);
    const deleted = out.risks.filter((r) => r.kind === "deletion" && r.tenant === "team-b" && r.message === "deleted");
    expect(deleted.length).toBeGreaterThan(5);
    expect(out.riskGroups).toContainEqual(
      expect.objectContaining({
        kind: "deletion",
        subject: "tenant team-b",
        count: deleted.length,
        message: expect.stringMatching(new RegExp(`^tenant removed from prod: ${deleted.length} objects \\(.*\\) deleted$`)),
      }),
    );
    // The namespace's own warning (Argo CD holds the prune) keeps its line.
    expect(out.riskGroups).toContainEqual(expect.objectContaining({ kind: "deletion", subject: "Namespace team-b", count: 1 }));
  });

  test("one bound moved the same way on two autoscalers: one capacity line, count 2", async () => {
    const dir = gitRepo(baseFiles());
    writeFiles(dir, { "models/team-a/fraud.yaml": edit(MODEL, "maxReplicas: 4", "maxReplicas: 8") });
    const out = await json(dir);
    expect(out.risks.filter((r) => r.kind === "capacity")).toHaveLength(2);
    expect(out.riskGroups.filter((g) => g.kind === "capacity")).toEqual([
      expect.objectContaining({ model: "fraud", subject: "2 HorizontalPodAutoscaler", message: "spec.maxReplicas: 4 → 8", count: 2 }),
    ]);
  });
});

describe("changed strings shown where they differ", () => {
  test("a version added to a model: the route's error body shows the new version on the new side, not two equal prefixes", async () => {
    const long = edit(MODEL, "name: fraud\n", "name: fraud-detection-payments\n");
    const file = "models/team-a/fraud-detection-payments.yaml";
    const dir = gitRepo({ ...baseFiles(), "models/team-a/fraud.yaml": null, [file]: long });
    writeFiles(dir, { [file]: edit(long, "traffic: 10}", 'traffic: 10}\n    - {name: v1.2.0, artifact: "s3://models/fraud/1.2.0/", traffic: 0}') });
    const out = await json(dir);
    const risk = out.risks.find((r) => r.kind === "traffic" && r.message.includes("directResponse.body.string"))!;
    const [, was, now] = /directResponse\.body\.string: (.*?) → (.*?)(?:; |$)/.exec(risk.message)!;
    expect(was).toMatch(/^…/);
    expect(now).toMatch(/^…/);
    expect(now).toContain('\\"v1.2.0\\"');
    expect(was).not.toContain("v1.2.0");
    expect(was).not.toEqual(now);
  });
});

describe("annotations at the spec line; the Application each change lands in", () => {
  test("--format github: a notice per spec position, naming the Application; every JSON change carries its spec position", async () => {
    const dir = gitRepo(baseFiles());
    writeFiles(dir, { "tenants/team-a.yaml": CUT });
    const out = await json(dir);
    const quota = out.changes.find((c) => c.kind === "ResourceQuota")!;
    const quotaLine = CUT.split("\n").findIndex((l) => l.includes("quota:")) + 1;
    expect(quota).toMatchObject({ application: "berth-platform", spec: { file: "tenants/team-a.yaml", line: quotaLine } });
    const gh = await run(dir, "github");
    expect(gh).toContain(
      `::notice file=tenants/team-a.yaml,line=${quotaLine},col=${quota.spec!.column},title=berth diff%3A 1 object change::~ ResourceQuota team-a/tenant-quota on prod (Application berth-platform): spec.hard.pods: "100" → "6"\n`,
    );
    expect(gh).toContain(`::warning file=tenants/team-a.yaml,line=${quotaLine},col=${quota.spec!.column},title=berth diff%3A capacity::`);
  });

  test("an object whose own spec is untouched points at the edited spec it is made of: a new tenant in the platform's project", async () => {
    const dir = gitRepo(baseFiles());
    writeFiles(dir, { "tenants/team-b.yaml": TEAM_B });
    const out = await json(dir);
    // berth-platform's project is rooted in platform.yaml, which did not change; team-b.yaml is new.
    expect(out.changes.find((c) => c.kind === "AppProject" && c.name === "berth-platform")).toMatchObject({
      application: "berth-root",
      spec: { file: "tenants/team-b.yaml", line: 1, column: 1 },
    });
    // The tenant's own objects point at their spec node: the Namespace at `namespace: team-b`.
    const line = TEAM_B.split("\n").findIndex((l) => l.includes("namespace: team-b")) + 1;
    expect(out.changes.find((c) => c.kind === "Namespace" && c.name === "team-b")).toMatchObject({ spec: { file: "tenants/team-b.yaml", line } });
  });

  test("golden: text, markdown and github of a quota cut", async () => {
    const dir = gitRepo(baseFiles());
    writeFiles(dir, { "tenants/team-a.yaml": CUT });
    const commit = git(dir, "rev-parse", "HEAD").trim();
    const golden = join(REPO_ROOT, "test", "diff-cases", "quota-cut");
    for (const [format, name] of [
      ["text", "text.txt"],
      ["markdown", "markdown.md"],
      ["github", "github.txt"],
    ] as const) {
      const actual = (await run(dir, format)).split(commit.slice(0, 12)).join("<commit>");
      const path = join(golden, name);
      if (process.env.UPDATE_GOLDEN === "1") {
        mkdirSync(golden, { recursive: true });
        writeFileSync(path, actual);
      }
      expect({ format, actual }).toEqual({ format, actual: existsSync(path) ? readFileSync(path, "utf8") : "(no golden: run with UPDATE_GOLDEN=1)" });
    }
  });
});

test("no write: diff leaves the work tree, the index and HEAD as they were", async () => {
  const dir = gitRepo(baseFiles());
  writeFiles(dir, { "tenants/team-a.yaml": CUT, "tenants/team-b.yaml": TEAM_B });
  const before = [git(dir, "status", "--porcelain"), git(dir, "rev-parse", "HEAD")];
  for (const f of ["text", "json", "markdown", "github"]) await run(dir, f);
  expect([git(dir, "status", "--porcelain"), git(dir, "rev-parse", "HEAD")]).toEqual(before);
});
