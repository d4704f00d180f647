// Schema locations end to end: berth render against a real catalogue server on 127.0.0.1 that
// serves ../shared/schemas in the layouts of yannh/kubernetes-json-schema and
// datreeio/CRDs-catalog. Downloads, the cache, --offline, concurrent runs and every failure path.
import { execFileSync, spawn } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { main } from "../../compiler/cli.js";
import { REPO_ROOT, SCHEMAS_DIR, SCHEMAS_PRESENT, tempRepo } from "../helpers/fixture.js";
import { startSchemaServer, type SchemaServer } from "../helpers/schema-server.js";

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

// The catalogue serves ../shared/schemas: without it, there is nothing to serve.
const suite = SCHEMAS_PRESENT ? describe : describe.skip;
/** The example repository's Kubernetes version (the tests copy it), and the minor version after it. */
const V = /kubernetesVersion: "(\d+\.\d+)"/.exec(readFileSync(join(REPO_ROOT, "platform/clusters/prod-us-east-1.yaml"), "utf8"))![1]!;
const NEXT = `1.${Number(V.split(".")[1]) + 1}`;

let server: SchemaServer;
let repo: string;
let cache: string;

beforeAll(async () => {
  if (SCHEMAS_PRESENT) server = await startSchemaServer();
});
afterAll(() => server?.close());

beforeEach(() => {
  if (!SCHEMAS_PRESENT) return;
  repo = tempRepo({});
  execFileSync("cp", ["-r", join(REPO_ROOT, "platform"), join(REPO_ROOT, "tenants"), join(REPO_ROOT, "models"), repo]);
  cache = mkdtempSync(join(tmpdir(), "berth-cache-"));
  server.requests.length = 0;
  server.rules.clear();
  server.overrides.clear();
});
afterEach(() => {
  if (!SCHEMAS_PRESENT) return;
  rmSync(repo, { recursive: true, force: true });
  rmSync(cache, { recursive: true, force: true });
});

async function berth(args: string[], env: Record<string, string> = {}, isTTY = false): Promise<Run> {
  let stdout = "";
  let stderr = "";
  const code = await main([...args, "--root", repo], {
    cwd: REPO_ROOT,
    // A generous limit: this machine is shared, and a slow download must not fail a test by chance.
    env: { XDG_CACHE_HOME: cache, BERTH_SCHEMA_TIMEOUT: "10", ...env },
    stdout: { write: (s: string) => (stdout += s) },
    stderr: { write: (s: string) => (stderr += s), isTTY },
  });
  return { code, stdout, stderr };
}

/** The exit code, with stderr beside it so that a failure shows berth's own words. */
const exit = (r: Run | { code: number | null; stderr: string }) => ({ code: r.code, stderr: r.stderr });
const exited = (code: number) => ({ code, stderr: expect.any(String) });

const catalogues = () => ["--schemas", server.kubernetes, "--schemas", server.crds];
const codes = (r: Run) => [...r.stderr.matchAll(/ (error|warning) (BERTH\d{4}):/g)].map((m) => `${m[2]} ${m[1]}`);

suite("downloading from the catalogues", () => {
  test("a cold render downloads each schema once, in parallel; only eksctl's ClusterConfig has no schema", async () => {
    const run = await berth(["render", ...catalogues()]);
    expect(exit(run)).toEqual(exited(0));
    expect(codes(run)).toEqual(["BERTH0040 warning"]);
    const v = V.replace(".", "\\.");
    expect(run.stderr).toMatch(
      new RegExp(
        `warning BERTH0040: no strict schema for ClusterConfig eksctl\\.io/v1alpha5 \\(Kubernetes ${v}\\).*Tried: .*/k8s/v${v}\\.0-standalone-strict/clusterconfig-eksctl-v1alpha5\\.json \\(404\\), .*/crds/eksctl\\.io/clusterconfig_v1alpha5\\.json \\(404\\)`,
      ),
    );
    expect(new Set(server.requests).size).toBe(server.requests.length);
    expect(server.requests).toContain(`/k8s/v${V}.0-standalone-strict/deployment-apps-v1.json`);
    expect(server.requests).toContain("/crds/networking.istio.io/virtualservice_v1beta1.json");
    expect(server.peak()).toBeGreaterThan(1);
    // The same output as the example repository's, rendered with the folder.
    expect(readFileSync(join(repo, "clusters/prod-us-east-1/tenants/data-science-team/fraud-detection/deployment-fraud-detection-v1-2-0.yaml"), "utf8")).toBe(
      readFileSync(join(REPO_ROOT, "clusters/prod-us-east-1/tenants/data-science-team/fraud-detection/deployment-fraud-detection-v1-2-0.yaml"), "utf8"),
    );
  });

  test("a progress line on a terminal only, cleared when the downloads are done", async () => {
    const quiet = await berth(["render", ...catalogues()]);
    expect(quiet.stderr).not.toMatch(/downloading/);
    rmSync(cache, { recursive: true, force: true });
    const tty = await berth(["check", ...catalogues()], {}, true);
    expect(tty.stderr).toMatch(/^\rberth: downloading strict schemas 0\/1/);
    expect(tty.stderr).toMatch(/\rberth: downloading strict schemas (\d+)\/\1\r\x1b\[K/);
    // NO_COLOR: diagnostics on a terminal are coloured; this is about the progress line only.
    const warm = await berth(["check", ...catalogues()], { NO_COLOR: "1" }, true);
    expect(warm.stderr).not.toMatch(/downloading|\x1b/);
  });

  test("a warm render asks nothing of the network, 404s included", async () => {
    expect(exit(await berth(["render", ...catalogues()]))).toEqual(exited(0));
    const cold = server.requests.length;
    expect(cold).toBeGreaterThan(18);
    const warm = await berth(["check", ...catalogues()]);
    expect(exit(warm)).toEqual(exited(0));
    expect(server.requests.length).toBe(cold);
    expect(codes(warm)).toEqual(["BERTH0040 warning"]);
  });

  test("--offline uses the cache only: nothing cached is one warning per kind, never a request", async () => {
    const run = await berth(["render", "--offline", ...catalogues()]);
    expect(server.requests).toEqual([]);
    expect(exit(run)).toEqual(exited(0));
    // One warning per kind the example renders (at least the 18 kinds it had when this was written).
    expect(codes(run).length).toBeGreaterThanOrEqual(18);
    expect(new Set(codes(run))).toEqual(new Set(["BERTH0040 warning"]));
    expect(run.stderr).toMatch(/no strict schema for Deployment apps\/v1 .*deployment-apps-v1\.json \(not in the cache; --offline\)/);
    expect(exit(await berth(["render", ...catalogues()]))).toEqual(exited(0));
    const requests = server.requests.length;
    const offline = await berth(["check", "--offline", ...catalogues()]);
    expect(exit(offline)).toEqual(exited(0));
    expect(codes(offline)).toEqual(["BERTH0040 warning"]);
    expect(server.requests.length).toBe(requests);
  });

  test("a corrupt cache entry is ignored and downloaded again", async () => {
    expect(exit(await berth(["render", ...catalogues()]))).toEqual(exited(0));
    const dir = join(cache, "berth", "schemas");
    const entry = readdirSync(dir).find((f) => f.endsWith("-deployment-apps-v1.json"))!;
    expect(entry).toMatch(/^[0-9a-f]{32}-deployment-apps-v1\.json$/);
    writeFileSync(join(dir, entry), '{"type": "obj');
    server.requests.length = 0;
    const run = await berth(["check", ...catalogues()]);
    expect(exit(run)).toEqual(exited(0));
    expect(server.requests).toEqual([`/k8s/v${V}.0-standalone-strict/deployment-apps-v1.json`]);
    expect(JSON.parse(readFileSync(join(dir, entry), "utf8")).properties.kind.enum).toEqual(["Deployment"]);
  });

  test("each cluster's Kubernetes version picks its Kubernetes schemas", async () => {
    const staging = join(repo, "platform/clusters/staging-eu-west-1.yaml");
    writeFileSync(staging, readFileSync(staging, "utf8").replace(`kubernetesVersion: "${V}"`, `kubernetesVersion: "${NEXT}"`));
    // A next-version Deployment schema that rejects every field of spec: only staging's Deployments fail.
    const deployment = JSON.parse(readFileSync(join(SCHEMAS_DIR, "deployment-apps-v1.json"), "utf8"));
    deployment.properties.spec = { type: "object", additionalProperties: false };
    server.overrides.set(`/k8s/v${NEXT}.0-standalone-strict/deployment-apps-v1.json`, JSON.stringify(deployment));
    const run = await berth(["render", ...catalogues()]);
    expect(server.requests).toEqual(
      expect.arrayContaining([`/k8s/v${V}.0-standalone-strict/deployment-apps-v1.json`, `/k8s/v${NEXT}.0-standalone-strict/deployment-apps-v1.json`]),
    );
    expect(exit(run)).toEqual(exited(1));
    const failing = [...run.stderr.matchAll(/error BERTH0403: Deployment \S+ \((clusters\/[^/]+)\//g)].map((m) => m[1]);
    expect(failing.length).toBeGreaterThan(0);
    expect(new Set(failing)).toEqual(new Set(["clusters/staging-eu-west-1"]));
  });

  test("two concurrent runs share the cache safely", async () => {
    const env = { ...process.env, XDG_CACHE_HOME: cache, BERTH_SCHEMA_TIMEOUT: "5" };
    const child = () =>
      new Promise<{ code: number | null; stderr: string }>((done) => {
        const p = spawn(process.execPath, [join(REPO_ROOT, "bin/berth.js"), "check", "--root", repo, ...catalogues()], { env });
        let stderr = "";
        p.stderr.on("data", (d) => (stderr += d));
        p.on("close", (code) => done({ code, stderr }));
      });
    await berth(["render", "--offline", "--schemas", SCHEMAS_DIR]);
    const [a, b] = await Promise.all([child(), child()]);
    expect([exit(a), exit(b)]).toEqual([exited(0), exited(0)]);
    for (const r of [a, b]) expect(r.stderr).not.toMatch(/error|internal/);
    const files = readdirSync(join(cache, "berth", "schemas"));
    expect(files.filter((f) => f.endsWith(".tmp"))).toEqual([]);
    for (const f of files.filter((f) => f.endsWith(".json"))) expect(() => JSON.parse(readFileSync(join(cache, "berth", "schemas", f), "utf8"))).not.toThrow();
  });
});

suite("when a schema cannot be had", () => {
  test("BERTH0041: an HTTP 500 is one error naming the URL and the status, and nothing is written", async () => {
    server.rules.set("/deployment-apps-v1.json", "500");
    const run = await berth(["render", ...catalogues()]);
    expect(exit(run)).toEqual(exited(1));
    expect(run.stderr).toMatch(
      /^--schemas: error BERTH0041: cannot download http:\/\/127\.0\.0\.1:\d+\/k8s\/v1\.\d+\.0-standalone-strict\/deployment-apps-v1\.json: HTTP 500 Internal Server Error$/m,
    );
    expect(codes(run).filter((c) => c.includes("error"))).toEqual(["BERTH0041 error"]);
    expect(run.stderr).not.toMatch(/\n\s+at /);
    expect(existsSync(join(repo, "clusters"))).toBe(false);
  });

  test("BERTH0041: a response slower than the time limit", async () => {
    server.rules.set("/service-v1.json", "slow");
    const run = await berth(["render", ...catalogues()], { BERTH_SCHEMA_TIMEOUT: "0.3" });
    expect(exit(run)).toEqual(exited(1));
    expect(run.stderr).toMatch(/error BERTH0041: cannot download \S+\/service-v1\.json: no complete answer within 0\.3 s/);
  });

  test("BERTH0041: a truncated body is an error and is not cached", async () => {
    server.rules.set("/namespace-v1.json", "truncated");
    const run = await berth(["render", ...catalogues()]);
    expect(exit(run)).toEqual(exited(1));
    expect(run.stderr).toMatch(/error BERTH0041: cannot download \S+\/namespace-v1\.json: \S+/);
    server.rules.clear();
    server.requests.length = 0;
    expect(exit(await berth(["render", ...catalogues()]))).toEqual(exited(0));
    expect(server.requests).toEqual([`/k8s/v${V}.0-standalone-strict/namespace-v1.json`]);
  });

  test("BERTH0042: a body that is not JSON names the URL", async () => {
    server.rules.set("/crds/argoproj.io/application_v1alpha1.json", "garbage");
    const run = await berth(["render", ...catalogues()]);
    expect(exit(run)).toEqual(exited(1));
    expect(run.stderr).toMatch(/error BERTH0042: schema at \S+\/crds\/argoproj\.io\/application_v1alpha1\.json is malformed: not JSON/);
  });

  test("BERTH0042: a malformed schema file in a folder names the file", async () => {
    const folder = tempRepo({ "service-v1.json": '{"type": "object",' });
    const run = await berth(["render", "--schemas", folder, "--schemas", SCHEMAS_DIR]);
    expect(exit(run)).toEqual(exited(1));
    expect(run.stderr).toContain(`--schemas: error BERTH0042: schema file ${join(folder, "service-v1.json")} is not valid JSON`);
    expect(run.stderr).not.toMatch(/internal error/);
    rmSync(folder, { recursive: true });
  });

  test("an unreachable host is one error, not one per kind", async () => {
    const closed = createServer();
    await new Promise<void>((ok) => closed.listen(0, "127.0.0.1", ok));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((ok) => closed.close(ok));
    const run = await berth(["render", "--schemas", `http://127.0.0.1:${port}/{{ .ResourceKind }}.json`]);
    expect(exit(run)).toEqual(exited(1));
    expect(codes(run)).toEqual(["BERTH0041 error"]);
    expect(run.stderr).toMatch(
      new RegExp(`cannot download http://127\\.0\\.0\\.1:${port}/\\w+\\.json: .*ECONNREFUSED.* \\(and \\d+ more URLs at 127\\.0\\.0\\.1:${port}\\)`),
    );
  });

  test("BERTH0011: a missing folder is one error; an empty one too", async () => {
    const missing = await berth(["render", "--schemas", join(repo, "no-such-folder")]);
    expect(exit(missing)).toEqual(exited(1));
    expect(codes(missing)).toEqual(["BERTH0011 error"]);
    expect(missing.stderr).toMatch(/--schemas: error BERTH0011: schema folder \S+no-such-folder does not exist/);
    const empty = tempRepo({ "README.md": "no schemas here" });
    const run = await berth(["render", "--schemas", empty]);
    expect(codes(run)).toEqual(["BERTH0011 error"]);
    expect(run.stderr).toMatch(/holds no schema \(\*\.json\) files/);
    rmSync(empty, { recursive: true });
  });

  test("a missing folder followed by a catalogue is skipped: the catalogue serves", async () => {
    const run = await berth(["render", "--schemas", join(repo, "no-such-folder"), ...catalogues()]);
    expect(exit(run)).toEqual(exited(0));
    expect(codes(run)).toEqual(["BERTH0040 warning"]);
    expect(run.stderr).toMatch(/Tried: \S+no-such-folder \(schema folder \S+no-such-folder does not exist\)/);
  });

  test("BERTH0043: plain http beyond this machine, an unknown variable, another scheme", async () => {
    for (const [location, message] of [
      ["http://schemas.example.com/{{ .ResourceKind }}.json", /https only/],
      ["https://schemas.example.com/{{ .Kind }}.json", /unsupported template expression \{\{ \.Kind \}\}/],
      ["ftp://schemas.example.com/x.json", /https only/],
    ] as const) {
      const run = await berth(["render", "--schemas", location]);
      expect(exit(run)).toEqual(exited(1));
      expect(run.stderr).toMatch(new RegExp(`--schemas: error BERTH0043: .*${message.source}`));
      expect(server.requests).toEqual([]);
    }
  });
});

suite("berth.config.yaml", () => {
  const config = (schemas: string[], extra = "") =>
    writeFileSync(
      join(repo, "berth.config.yaml"),
      `apiVersion: berth.dev/v1alpha1\nkind: Config\n${extra}schemas:\n${schemas.map((s) => `  - ${JSON.stringify(s)}\n`).join("")}`,
    );

  test("its schemas are used; folders are relative to the repository root; warnings point at it", async () => {
    config(["schemas-here", server.kubernetes, server.crds]);
    const run = await berth(["render"]);
    expect(exit(run)).toEqual(exited(0));
    expect(run.stderr).toMatch(/^berth\.config\.yaml:3:1: warning BERTH0040: no strict schema for ClusterConfig/m);
    expect(run.stderr).toContain(`Tried: schemas-here (schema folder ${join(repo, "schemas-here")} does not exist)`);
  });

  test("--schemas overrides it, and so does BERTH_SCHEMAS", async () => {
    config([server.kubernetes, server.crds]);
    const flag = await berth(["render", "--schemas", SCHEMAS_DIR]);
    expect(exit(flag)).toEqual(exited(0));
    expect(codes(flag)).toEqual([]);
    const env = await berth(["check"], { BERTH_SCHEMAS: SCHEMAS_DIR });
    expect(exit(env)).toEqual(exited(0));
    expect(server.requests).toEqual([]);
  });

  test("an unknown key is an error at its line and column, with a suggestion", async () => {
    writeFileSync(join(repo, "berth.config.yaml"), "apiVersion: berth.dev/v1alpha1\nkind: Config\nschema:\n  - ../shared/schemas\n");
    const run = await berth(["render"]);
    expect(exit(run)).toEqual(exited(1));
    expect(run.stderr).toMatch(/^berth\.config\.yaml:3:1: error BERTH0201: unknown field schema\n  hint: did you mean `schemas`\?/m);
    expect(existsSync(join(repo, "clusters"))).toBe(false);
  });

  test("a location it cannot use is an error at its line", async () => {
    config(["../shared/schemas", "http://catalogue.example.com/{{ .ResourceKind }}.json"]);
    const run = await berth(["check", "--format", "json"]);
    expect(exit(run)).toEqual(exited(1));
    expect(JSON.parse(run.stdout)).toEqual({
      command: "check",
      ok: false,
      diagnostics: [expect.objectContaining({ file: "berth.config.yaml", line: 5, column: 5, code: "BERTH0043" })],
    });
  });

  test("the example repository's config puts ../shared/schemas first, then the public catalogues", () => {
    const text = readFileSync(join(REPO_ROOT, "berth.config.yaml"), "utf8");
    const list = [...text.matchAll(/^  - (.+)$/gm)].map((m) => m[1]);
    expect(list[0]).toBe("../shared/schemas");
    expect(list.slice(1).every((l) => l!.startsWith("https://raw.githubusercontent.com/"))).toBe(true);
    expect(list.join("\n")).toMatch(/yannh\/kubernetes-json-schema[\s\S]*datreeio\/CRDs-catalog/);
  });
});
