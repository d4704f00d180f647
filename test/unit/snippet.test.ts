// Text diagnostics show the spec line they point at, as rustc does; the first line stays the one
// scripts parse, and colour reaches terminals only.
import { formatDiagnostics, type LocatedDiagnostic } from "../../compiler/diagnostics.js";
import { SourceMap } from "../../compiler/parse.js";
import { snippet, textDecoration, wantsColor } from "../../compiler/report/snippet.js";
import { main } from "../../compiler/cli.js";
import { compileFiles, edit, MODEL, REPO_ROOT, tempRepo, baseFiles } from "../helpers/fixture.js";
import { rmSync } from "node:fs";

function printed(changes: Record<string, string>, code: string, color = false): string {
  const result = compileFiles(changes);
  const list = result.diagnostics.filter((d) => d.code === code);
  expect(list).toHaveLength(1);
  return formatDiagnostics(list, "text", { decoration: textDecoration(result.sources, { color }) });
}

test("a value is underlined under its column, between the first line and the hint", () => {
  const model = edit(MODEL, "autoscaling: {minReplicas: 2, maxReplicas: 4}", "autoscaling: {minReplicas: 15, maxReplicas: 4}");
  expect(printed({ "models/team-a/fraud.yaml": model }, "BERTH0203")).toBe(
    [
      "models/team-a/fraud.yaml:11:30: error BERTH0203: autoscaling.minReplicas (15) is greater than maxReplicas (4)",
      "   |",
      "11 |   autoscaling: {minReplicas: 15, maxReplicas: 4}",
      "   |                              ^^",
      "  hint: lower minReplicas or raise maxReplicas",
      "",
    ].join("\n"),
  );
});

test("an unknown key is underlined whole, a quoted value with its quotes", () => {
  const model = edit(MODEL, "  access: [team-a]", "  acess: [team-a]");
  expect(printed({ "models/team-a/fraud.yaml": model }, "BERTH0201")).toContain("14 |   acess: [team-a]\n   |   ^^^^^\n");
  const image = edit(MODEL, 'artifact: "s3://models/fraud/1.0.0/"', 'artifact: "s3://models/fraud/1.0.0/", image: "docker.io/x:1"');
  expect(printed({ "models/team-a/fraud.yaml": image }, "BERTH0215")).toContain(
    'artifact: "s3://models/fraud/1.0.0/", image: "docker.io/x:1", traffic: 90}\n  |' + " ".repeat(67) + "^".repeat(15) + "\n",
  );
});

test("the first line is the same with and without the snippet; colour only when asked", () => {
  const model = edit(MODEL, "autoscaling: {minReplicas: 2, maxReplicas: 4}", "autoscaling: {minReplicas: 5, maxReplicas: 4}");
  const result = compileFiles({ "models/team-a/fraud.yaml": model });
  const plain = formatDiagnostics(result.diagnostics, "text");
  const decorated = formatDiagnostics(result.diagnostics, "text", { decoration: textDecoration(result.sources, { color: false }) });
  expect(decorated.split("\n")[0]).toBe(plain.split("\n")[0]);
  expect(decorated).not.toContain("\u001b");
  const coloured = formatDiagnostics(result.diagnostics, "text", { decoration: textDecoration(result.sources, { color: true }) });
  expect(coloured).toContain("\u001b[1;31merror\u001b[0m");
  expect(coloured.replace(/\u001b\[[0-9;]*m/g, "")).toBe(decorated);
});

test("no snippet without a usable position: unknown file, empty line, column past the end", () => {
  const sources = new SourceMap();
  sources.add("tenants/a.yaml", "\n");
  sources.add("models/a/b.yaml", "kind: Model\n");
  const at = (file: string, line: number, column: number): LocatedDiagnostic => ({ file, line, column, severity: "error", code: "BERTH0104", message: "m" });
  expect(snippet(at("--cluster", 1, 1), sources)).toBe("");
  expect(snippet(at("tenants/a.yaml", 1, 1), sources)).toBe("");
  expect(snippet(at("models/a/b.yaml", 1, 40), sources)).toBe("");
  expect(snippet(at("models/a/b.yaml", 9, 1), sources)).toBe("");
  expect(snippet(at("models/a/b.yaml", 1, 7), sources)).toBe("  |\n1 | kind: Model\n  |       ^^^^^\n");
});

test("control characters in the source line are escaped and the caret stays under the column", () => {
  const sources = new SourceMap();
  sources.add("m.yaml", "a: \u001b[2Jb\n");
  const out = snippet({ file: "m.yaml", line: 1, column: 8, severity: "error", code: "BERTH0202", message: "m" }, sources);
  expect(out).toBe("  |\n1 | a: \\u001b[2Jb\n  |" + " ".repeat(13) + "^\n");
});

test("long lines are shown as a window around the column", () => {
  const sources = new SourceMap();
  sources.add("m.yaml", `k: [${"1, ".repeat(200)}x]\n`);
  const out = snippet({ file: "m.yaml", line: 1, column: 605, severity: "error", code: "BERTH0202", message: "m" }, sources);
  const [, row, marks] = out.split("\n");
  expect(row!.length).toBeLessThanOrEqual(130);
  expect(row![marks!.indexOf("^")]).toBe("x");
});

test.each([
  [{}, true, true],
  [{}, false, false],
  [{}, undefined, false],
  [{ NO_COLOR: "1" }, true, false],
  [{ NO_COLOR: "" }, true, true],
  [{ FORCE_COLOR: "1" }, false, true],
  [{ FORCE_COLOR: "1", NO_COLOR: "1" }, false, true],
  [{ FORCE_COLOR: "0" }, true, false],
])("colour with env %j and a terminal %s: %s", (env, tty, want) => {
  expect(wantsColor(env, tty)).toBe(want);
});

describe("the CLI", () => {
  let repo: string;
  beforeEach(() => (repo = tempRepo({ ...baseFiles(), "models/team-a/fraud.yaml": edit(MODEL, "minReplicas: 2", "minReplicas: 9") })));
  afterEach(() => rmSync(repo, { recursive: true, force: true }));

  async function render(env: Record<string, string>, isTTY: boolean): Promise<string> {
    let stderr = "";
    const code = await main(["render", "--root", repo], {
      cwd: REPO_ROOT,
      env,
      stdout: { write: () => true },
      stderr: { write: (s: string) => (stderr += s), isTTY },
    });
    expect(code).toBe(1);
    return stderr;
  }

  test("prints the snippet to a pipe without colour", async () => {
    const out = await render({}, false);
    expect(out).toContain(
      "models/team-a/fraud.yaml:11:30: error BERTH0203: autoscaling.minReplicas (9) is greater than maxReplicas (4)\n   |\n11 |   autoscaling: {minReplicas: 9, maxReplicas: 4}\n   |                              ^\n  hint:",
    );
    expect(out).not.toContain("\u001b");
  });

  test("colours a terminal, unless NO_COLOR", async () => {
    expect(await render({}, true)).toContain("\u001b[");
    expect(await render({ NO_COLOR: "1" }, true)).not.toContain("\u001b");
    expect(await render({ FORCE_COLOR: "1" }, false)).toContain("\u001b[");
  });
});
