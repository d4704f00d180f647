// `berth diff --base REF` end to end: a temp git repository, fixture commits, the CLI run
// in-process. Each kind of change must raise the risk a reviewer needs to see.
import { symlinkSync } from "node:fs";
import { join } from "node:path";
import { baseFiles, edit, MODEL, tempRepo } from "../helpers/fixture.js";
import { berth, commitAll, git, gitRepo, writeFiles } from "../helpers/git.js";

const SCORER = `apiVersion: berth.dev/v1alpha1
kind: Model
metadata:
  name: scorer
spec:
  framework: sklearn
  versions:
    - {name: v2.0.0, artifact: "s3://models/scorer/2.0.0/"}
  resources: {requests: {cpu: 250m, memory: 512Mi}, limits: {cpu: "1", memory: 1Gi}}
  autoscaling: {minReplicas: 1, maxReplicas: 3}
  access: [team-a]
`;

const CANARY_50 = edit(edit(MODEL, "traffic: 90}", "traffic: 50}"), "traffic: 10}", "traffic: 50}");

interface Json {
  summary: { changed: number; added: number; removed: number; risks: Record<string, number> };
  risks: { kind: string; cluster: string; tenant?: string; model?: string; subject: string; message: string }[];
  changes: { change: string; kind: string; name: string; model?: string; fields: { path: string; op: string; old?: unknown; new?: unknown }[] }[];
}

async function diffJson(dir: string, base = "HEAD"): Promise<Json> {
  const r = await berth(dir, "diff", "--base", base, "--format", "json");
  expect({ code: r.code, stderr: r.stderr }).toEqual({ code: 0, stderr: "" });
  return JSON.parse(r.stdout) as Json;
}

describe("berth diff against a git revision", () => {
  test("a canary shift 90/10 -> 50/50 is a traffic risk with both weights", async () => {
    const dir = gitRepo(baseFiles());
    writeFiles(dir, { "models/team-a/fraud.yaml": CANARY_50 });
    const out = await diffJson(dir);
    expect(out.risks).toContainEqual({
      kind: "traffic",
      cluster: "prod",
      tenant: "team-a",
      model: "fraud",
      subject: "model fraud",
      message: "weights v1.0.0 90 → 50, v1.1.0 10 → 50",
    });
    expect(out.summary.risks.deletion).toBe(0);
  });

  test("a new model is a capacity risk naming its replicas and requests, and its objects are added", async () => {
    const dir = gitRepo(baseFiles());
    writeFiles(dir, { "models/team-a/scorer.yaml": SCORER });
    const out = await diffJson(dir);
    expect(out.risks).toContainEqual(
      expect.objectContaining({
        kind: "capacity",
        model: "scorer",
        subject: "Deployment team-a/scorer-v2-0-0",
        message: "new workload: 1–3 replicas × (cpu 250m, memory 512Mi)",
      }),
    );
    const scorer = out.changes.filter((c) => c.model === "scorer");
    expect(scorer.every((c) => c.change === "added")).toBe(true);
    expect(scorer.map((c) => c.kind)).toEqual(expect.arrayContaining(["Deployment", "HorizontalPodAutoscaler", "Service", "ServiceAccount"]));
    expect(out.summary.removed).toBe(0);
  });

  test("a model deleted between two commits is one deletion risk for the model", async () => {
    const dir = gitRepo({ ...baseFiles(), "models/team-a/scorer.yaml": SCORER });
    git(dir, "rm", "-q", "models/team-a/scorer.yaml");
    commitAll(dir, "retire scorer");
    const out = await diffJson(dir, "HEAD~1");
    const deletions = out.risks.filter((r) => r.kind === "deletion");
    expect(deletions).toEqual([
      {
        kind: "deletion",
        cluster: "prod",
        tenant: "team-a",
        model: "scorer",
        subject: "model scorer",
        message: `model removed from prod: ${out.summary.removed} objects deleted (Deployments scorer-v2-0-0)`,
      },
    ]);
    expect(out.changes.filter((c) => c.change === "removed").every((c) => c.model === "scorer")).toBe(true);
    expect(out.summary.removed).toBeGreaterThanOrEqual(4); // SA, Service, Deployment, HPA, and what other areas render per model
  });

  test("a version removed from a model is a deletion of that version, its HPA and PDB folded in", async () => {
    const dir = gitRepo(baseFiles());
    const single = edit(edit(MODEL, `    - {name: v1.0.0, artifact: "s3://models/fraud/1.0.0/", traffic: 90}\n`, ""), "traffic: 10}", "traffic: 100}");
    writeFiles(dir, { "models/team-a/fraud.yaml": single });
    const out = await diffJson(dir);
    expect(out.risks.filter((r) => r.kind === "deletion")).toEqual([
      expect.objectContaining({ subject: "Deployment team-a/fraud-v1-0-0", message: expect.stringMatching(/^version v1\.0\.0 of fraud removed/) }),
    ]);
    expect(out.summary.removed).toBe(3);
  });

  test("a selector change (a version renamed to its DNS form) is an immutable-field risk on the Deployment and the PDB", async () => {
    const dir = gitRepo(baseFiles());
    writeFiles(dir, { "models/team-a/fraud.yaml": edit(MODEL, "{name: v1.0.0,", "{name: v1-0-0,") });
    const out = await diffJson(dir);
    const immutable = out.risks.filter((r) => r.kind === "immutable");
    expect(immutable.map((r) => r.subject)).toEqual(["Deployment team-a/fraud-v1-0-0", "PodDisruptionBudget team-a/fraud-v1-0-0"]);
    expect(immutable[0]!.message).toMatch(/^spec\.selector is immutable.*spec\.selector\.matchLabels\["app\.kubernetes\.io\/version"\]: v1\.0\.0 → v1-0-0/);
    const deployment = out.changes.find((c) => c.kind === "Deployment" && c.name === "fraud-v1-0-0")!;
    expect(deployment.change).toBe("changed");
    expect(deployment.fields).toContainEqual({
      path: "spec.template.spec.containers[name=model].env[name=MODEL_VERSION].value",
      op: "changed",
      old: "v1.0.0",
      new: "v1-0-0",
    });
  });

  test("a capacity change names the old and new bounds", async () => {
    const dir = gitRepo(baseFiles());
    writeFiles(dir, { "models/team-a/fraud.yaml": edit(MODEL, "maxReplicas: 4", "maxReplicas: 8") });
    const out = await diffJson(dir);
    expect(out.risks.filter((r) => r.kind === "capacity").map((r) => r.message)).toEqual(["spec.maxReplicas: 4 → 8", "spec.maxReplicas: 4 → 8"]);
  });

  test("an access change on the tenant reaches its Argo CD project roles", async () => {
    const dir = gitRepo(baseFiles());
    const tenant = baseFiles()["tenants/team-a.yaml"] as string;
    writeFiles(dir, {
      "tenants/team-a.yaml": edit(tenant, "- {group: team-a, role: edit}", "- {group: team-a, role: edit}\n    - {group: contractors, role: admin}"),
    });
    const out = await diffJson(dir);
    expect(out.risks).toContainEqual(expect.objectContaining({ kind: "access", subject: "AppProject argocd/tenant-team-a" }));
  });

  test("a new artifact prefix is a new S3 grant, and an opened API endpoint an exposure: access risks", async () => {
    const dir = gitRepo(baseFiles());
    const cluster = baseFiles()["platform/clusters/prod.yaml"] as string;
    writeFiles(dir, {
      "models/team-a/fraud.yaml": edit(MODEL, 'artifact: "s3://models/fraud/1.1.0/"', 'artifact: "s3://models/fraud/1.2.0/"'),
      "platform/clusters/prod.yaml": edit(cluster, "  pools:", "  endpoint: {publicAccessCIDRs: [203.0.113.0/24]}\n  pools:"),
    });
    const access = (await diffJson(dir)).risks.filter((r) => r.kind === "access");
    expect(access).toContainEqual(
      expect.objectContaining({
        subject: "ServiceAccount team-a/fraud",
        message: "AWS grant widened: s3:GetObject arn:aws:s3:::models/fraud/1.2.0/*; s3:ListBucket arn:aws:s3:::models under fraud/1.2.0/*",
      }),
    );
    expect(access).toContainEqual(expect.objectContaining({ subject: "Kubernetes API endpoint", message: "opened to 203.0.113.0/24" }));
  });

  test("the markdown comment: marker, risk table, change table, folded details", async () => {
    const dir = gitRepo({ ...baseFiles(), "models/team-a/scorer.yaml": SCORER });
    writeFiles(dir, { "models/team-a/fraud.yaml": CANARY_50, "models/team-a/scorer.yaml": null });
    const r = await berth(dir, "diff", "--base", "HEAD", "--format", "markdown");
    expect(r.code).toBe(0);
    const md = r.stdout;
    expect(md.startsWith("<!-- berth-diff -->\n## berth diff\n")).toBe(true);
    // Counts allow for the objects other areas render per model (routes, policies).
    const removed = Number(/\*\*\d+ changed, 0 added, (\d+) removed in 1 cluster\*\*/.exec(md)?.[1]);
    expect(removed).toBeGreaterThanOrEqual(4);
    // The removed model's Pod Identity association leaves the eksctl config, which eksctl applies by hand.
    expect(md).toMatch(/### ⚠️ Risks: 1 deletion, \d+ traffic, 1 manual\n/);
    expect(md).toContain(
      `| 🗑️ | deletion | prod | team-a / scorer | model scorer | model removed from prod: ${removed} objects deleted (Deployments scorer-v2-0-0) |`,
    );
    expect(md).toContain("| 🔀 | traffic | prod | team-a / fraud | model fraud | weights v1.0.0 90 → 50, v1.1.0 10 → 50 |");
    // The model's own Application file is synced by the root app; everything else of the model by its Application.
    expect(md).toContain(`| prod | team-a | scorer | berth-root, berth-platform, model-scorer | 0 | 0 | ${removed} |`);
    expect(md).toContain(`<summary><code>prod</code> · team-a / scorer — ${removed} removed · Argo CD berth-root, berth-platform, model-scorer</summary>`);
    // A group that lands in several Applications names each object's.
    expect(md).toMatch(/```diff\n(- \w+ [\w-]+\/\S*scorer\S*  \(Application [\w-]+\)\n)*- Deployment team-a\/scorer-v2-0-0  \(Application model-scorer\)\n/);
    expect(md).toContain("<summary><code>prod</code> · team-a / fraud — 1 changed · Argo CD berth-platform</summary>");
    expect(md).toContain("<summary><code>prod</code> · platform — 1 changed · not synced by Argo CD</summary>");
    expect(md.match(/<details>/g)!.length).toBe(md.match(/<\/details>/g)!.length);
  });

  test("--format github: the text diff, each change and risk annotated at the spec line it comes from", async () => {
    const dir = gitRepo(baseFiles());
    writeFiles(dir, { "models/team-a/fraud.yaml": CANARY_50 });
    const r = await berth(dir, "diff", "--base", "HEAD", "--format", "github");
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^berth diff HEAD \([0-9a-f]{12}\) → working tree: /);
    // The split is rendered from the model's versions list: line 8 of the fixture, where the weights were edited.
    const versions = CANARY_50.split("\n").findIndex((l) => l.includes("versions:")) + 2;
    expect(r.stdout).toContain(
      `::warning file=models/team-a/fraud.yaml,line=${versions},col=5,title=berth diff%3A traffic::prod model fraud: weights v1.0.0 90 → 50, v1.1.0 10 → 50\n`,
    );
    expect(r.stdout).toContain(
      `::notice file=models/team-a/fraud.yaml,line=${versions},col=5,title=berth diff%3A 1 object change::~ VirtualService istio-system/model-fraud on prod (Application berth-platform): spec.http[name=fraud-split].route[subset=v1-0-0].weight: 90 → 50; spec.http[name=fraud-split].route[subset=v1-1-0].weight: 10 → 50\n`,
    );
  });

  test("nothing changed: exit 0 and says so", async () => {
    const dir = gitRepo(baseFiles());
    const r = await berth(dir, "diff", "--base", "HEAD");
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/no rendered object changes/);
  });

  test("diff reads git objects only: the work tree, the index and HEAD are untouched", async () => {
    const dir = gitRepo(baseFiles());
    writeFiles(dir, { "models/team-a/fraud.yaml": CANARY_50, "notes.txt": "untracked\n" });
    git(dir, "add", "models/team-a/fraud.yaml");
    writeFiles(dir, { "models/team-a/fraud.yaml": edit(CANARY_50, "maxReplicas: 4", "maxReplicas: 5") });
    const before = [git(dir, "status", "--porcelain"), git(dir, "rev-parse", "HEAD"), git(dir, "diff", "--cached")];
    const out = await diffJson(dir);
    // The work tree's edit (maxReplicas 5 on both versions), not the index's.
    expect(out.risks.filter((r) => r.kind === "capacity").map((r) => r.message)).toEqual(["spec.maxReplicas: 4 → 5", "spec.maxReplicas: 4 → 5"]);
    expect(out.risks).toContainEqual(expect.objectContaining({ kind: "traffic", message: "weights v1.0.0 90 → 50, v1.1.0 10 → 50" }));
    expect([git(dir, "status", "--porcelain"), git(dir, "rev-parse", "HEAD"), git(dir, "diff", "--cached")]).toEqual(before);
  });

  test("--root in a subfolder of the repository reads the same subfolder at the revision", async () => {
    const files = Object.fromEntries(Object.entries(baseFiles()).map(([p, c]) => [`specs/${p}`, c]));
    const dir = gitRepo(files);
    writeFiles(dir, { "specs/models/team-a/fraud.yaml": CANARY_50 });
    const r = await berth(dir, "diff", "--root", "specs", "--base", "HEAD", "--format", "json");
    expect(r.code).toBe(0);
    expect((JSON.parse(r.stdout) as Json).risks).toContainEqual(
      expect.objectContaining({ kind: "traffic", message: "weights v1.0.0 90 → 50, v1.1.0 10 → 50" }),
    );
  });

  test("a revision from before the specs existed: everything is added", async () => {
    const dir = tempRepo({ "README.md": "empty\n" });
    git(dir, "init", "-q", "-b", "main");
    commitAll(dir, "empty");
    writeFiles(dir, baseFiles());
    const out = await diffJson(dir);
    expect(out.summary.removed).toBe(0);
    expect(out.summary.added).toBeGreaterThan(5);
  });
});

describe("berth diff failures", () => {
  test("spec errors in the working tree: diagnostics, exit 1", async () => {
    const dir = gitRepo(baseFiles());
    writeFiles(dir, { "models/team-a/fraud.yaml": edit(MODEL, "traffic: 10}", "traffic: 5}") });
    const r = await berth(dir, "diff", "--base", "HEAD");
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^models\/team-a\/fraud\.yaml:\d+:\d+: error BERTH0211: /m);
    expect(r.stdout).toBe("");
  });

  test("spec errors at the base revision are named REF:path", async () => {
    const dir = gitRepo({ ...baseFiles(), "models/team-a/fraud.yaml": edit(MODEL, "traffic: 10}", "traffic: 5}") });
    writeFiles(dir, { "models/team-a/fraud.yaml": MODEL });
    const r = await berth(dir, "diff", "--base", "HEAD");
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^HEAD:models\/team-a\/fraud\.yaml:\d+:\d+: error BERTH0211: /m);
  });

  test("spec errors in markdown: a comment that says why there is no diff", async () => {
    const dir = gitRepo(baseFiles());
    writeFiles(dir, { "models/team-a/fraud.yaml": edit(MODEL, "traffic: 10}", "traffic: 5}") });
    const r = await berth(dir, "diff", "--base", "HEAD", "--format", "markdown");
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^<!-- berth-diff -->\n## berth diff\n\n❌ The specs do not compile/);
    expect(r.stdout).toMatch(/error BERTH0211/);
  });

  test("BERTH0810: a revision that does not exist", async () => {
    const dir = gitRepo(baseFiles());
    const r = await berth(dir, "diff", "--base", "origin/nope");
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^--base:1:1: error BERTH0810: git revision origin\/nope is not a commit in /);
    expect(r.stderr).toMatch(/hint: .*fetch-depth: 0/);
    const option = await berth(dir, "diff", "--base=--output=/tmp/x");
    expect(option.code).toBe(1);
    expect(option.stderr).toMatch(/BERTH0810: .*cannot start with '-'/);
  });

  test("BERTH0811: not a git repository", async () => {
    const dir = tempRepo(baseFiles());
    const r = await berth(dir, "diff", "--base", "HEAD", "--format", "json");
    expect(r.code).toBe(1);
    expect(JSON.parse(r.stdout)).toEqual({ ok: false, diagnostics: [expect.objectContaining({ code: "BERTH0811", file: "--base" })] });
  });

  test("a symbolic link leaving the root at the base revision is reported there", async () => {
    const dir = tempRepo(baseFiles());
    symlinkSync("/etc/hostname", join(dir, "models/team-a/evil.yaml"));
    git(dir, "init", "-q", "-b", "main");
    commitAll(dir, "base with a bad link");
    writeFiles(dir, { "models/team-a/evil.yaml": null });
    const r = await berth(dir, "diff", "--base", "HEAD");
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^HEAD:models\/team-a\/evil\.yaml:1:1: error BERTH0003: symbolic link points outside the repository root \(\/etc\/hostname\)/m);
  });
});
