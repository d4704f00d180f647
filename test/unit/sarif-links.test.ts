// SARIF links its rules to the catalogue page in the platform's own GitOps repository, which holds
// docs/diagnostics.md with an anchor per code; never to a placeholder.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { main } from "../../compiler/cli.js";
import { catalogueUrl, formatDiagnostics, type LocatedDiagnostic } from "../../compiler/diagnostics.js";
import { baseFiles, edit, MODEL, REPO_ROOT, tempRepo } from "../helpers/fixture.js";

test.each([
  ["https://git.example.com/ml/ai-platform.git", "main", "https://git.example.com/ml/ai-platform/blob/main/docs/diagnostics.md"],
  ["https://github.com/acme/platform", "release/1", "https://github.com/acme/platform/blob/release%2F1/docs/diagnostics.md"],
  ["https://github.com/acme/platform/", "HEAD", "https://github.com/acme/platform/blob/HEAD/docs/diagnostics.md"],
  ["git@github.com:acme/platform.git", "main", undefined],
  ["http://git.internal/platform.git", "main", undefined],
])("the catalogue of %s at %s", (repoURL, revision, url) => {
  expect(catalogueUrl(repoURL, revision)).toBe(url);
});

test("rules link to their anchor; without a known URL the links are left out, not made up", () => {
  const d: LocatedDiagnostic = { file: "models/a/b.yaml", line: 3, column: 5, severity: "error", code: "BERTH0203", message: "m" };
  const linked = JSON.parse(formatDiagnostics([d], "sarif", { catalogueUrl: "https://git.example.com/p/blob/main/docs/diagnostics.md" })).runs[0].tool.driver;
  expect(linked.informationUri).toBe("https://git.example.com/p/blob/main/docs/diagnostics.md");
  expect(linked.rules[0].helpUri).toBe("https://git.example.com/p/blob/main/docs/diagnostics.md#berth0203");
  expect(readFileSync(join(REPO_ROOT, "docs", "diagnostics.md"), "utf8")).toContain('<a id="berth0203"></a>BERTH0203');
  const bare = JSON.parse(formatDiagnostics([d], "sarif")).runs[0].tool.driver;
  expect(bare.informationUri).toBeUndefined();
  expect(bare.rules[0].helpUri).toBeUndefined();
});

test("`check --format sarif` links to the platform's repository", async () => {
  const repo = tempRepo({ ...baseFiles(), "models/team-a/fraud.yaml": edit(MODEL, "  access: [team-a]\n", "  access: [team-a]\n  pool: gpu-inference\n") });
  let stdout = "";
  const code = await main(["check", "--format", "sarif", "--root", repo], {
    cwd: REPO_ROOT,
    env: {},
    stdout: { write: (s: string) => (stdout += s) },
    stderr: { write: () => true },
  });
  expect(code).toBe(1);
  const driver = JSON.parse(stdout).runs[0].tool.driver;
  expect(driver.informationUri).toBe("https://git.example.com/ml/ai-platform/blob/main/docs/diagnostics.md");
  expect(driver.rules.map((r: { helpUri: string }) => r.helpUri)).toContain("https://git.example.com/ml/ai-platform/blob/main/docs/diagnostics.md#berth0607");
});
