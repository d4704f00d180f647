// A spec file may be named with a newline, `::`, `%`, backticks or bidi controls, and messages quote
// spec values: no output format may let them add a line, a workflow command, a table row or HTML
// (issue 22, finding 7).
import { formatDiagnostics, githubProperty, printable, uriPath, type LocatedDiagnostic } from "../../compiler/diagnostics.js";
import type { ObjectChange } from "../../compiler/diff/match.js";
import { codeSpan, formatMarkdown, formatMarkdownErrors, formatText, type DiffReport } from "../../compiler/report/diff.js";
import { baseFiles, MODEL, tempRepo } from "../helpers/fixture.js";
import { berth } from "../helpers/git.js";

const HOSTILE_FILE = "models/team-a/x\n::error file=evil.yaml::pwned,%0A\r`\u202e.yaml";
const diagnostic: LocatedDiagnostic = {
  file: HOSTILE_FILE,
  line: 4,
  column: 9,
  severity: "error",
  code: "BERTH0207",
  message: 'metadata.name "fraud" must match the file name "x\n::warning::injected\u001b[31m"',
  hint: "rename the file\r\n::notice::also injected",
};

test("printable escapes control, C1, separator and bidi characters and nothing else", () => {
  expect(printable("a\nb\rc\td\u0000e\u001bf\u0085g\u2028h\u202ei\u2066j")).toBe("a\\nb\\rc\\td\\u0000e\\u001bf\\u0085g\\u2028h\\u202ei\\u2066j");
  expect(printable("Développeurs — ok: 100% `x` \\n")).toBe("Développeurs — ok: 100% `x` \\n");
});

test("text: one line per diagnostic and one per hint, the file name escaped", () => {
  const out = formatDiagnostics([diagnostic], "text");
  const lines = out.split("\n");
  expect(lines).toHaveLength(3);
  expect(lines[0]).toBe(
    'models/team-a/x\\n::error file=evil.yaml::pwned,%0A\\r`\\u202e.yaml:4:9: error BERTH0207: metadata.name "fraud" must match the file name "x\\n::warning::injected\\u001b[31m"',
  );
  expect(lines[1]).toBe("  hint: rename the file\\r\\n::notice::also injected");
  expect(lines[2]).toBe("");
});

test("github: one workflow command, with % CR LF escaped in data and also : and , in properties", () => {
  const out = formatDiagnostics([diagnostic], "github");
  expect(out.split("\n")).toEqual([expect.stringMatching(/^::error file=/), ""]);
  const [, props, data] = /^::error (.*?)::(.*)$/.exec(out.trimEnd())!;
  expect(props).toBe("file=models/team-a/x%0A%3A%3Aerror file=evil.yaml%3A%3Apwned%2C%250A%0D`\\u202e.yaml,line=4,col=9,title=BERTH0207");
  expect(data).toContain('file name "x%0A::warning::injected\\u001b[31m"');
  expect(data).toContain("(hint: rename the file%0D%0A::notice::also injected)");
  expect(githubProperty("a:b,c%d")).toBe("a%3Ab%2Cc%25d");
});

test("json: the file name and message survive exactly, on escaped lines", () => {
  const out = formatDiagnostics([diagnostic], "json");
  expect(JSON.parse(out)).toEqual([diagnostic]);
  expect(out.split("\n").every((line) => !line.startsWith("::"))).toBe(true);
});

test("sarif: the file is a percent-encoded URI reference and the message one line", () => {
  const log = JSON.parse(formatDiagnostics([diagnostic], "sarif"));
  const result = log.runs[0].results[0];
  const uri: string = result.locations[0].physicalLocation.artifactLocation.uri;
  expect(uri).toBe(uriPath(HOSTILE_FILE));
  expect(uri).toMatch(/^[A-Za-z0-9\-._~%!$&'()*+,;=/]*$/);
  expect(uri.split("/").map(decodeURIComponent).join("/")).toBe(HOSTILE_FILE);
  expect(result.message.text).not.toMatch(/[\n\r\u001b\u202e]/);
});

function change(name: string, value: string): ObjectChange {
  return {
    change: "changed",
    owner: { cluster: "prod|<b>x</b>", tenant: "team-a\n## injected", model: "fraud" },
    apiVersion: "apps/v1",
    kind: "Deployment",
    namespace: "team-a",
    name,
    file: HOSTILE_FILE,
    fields: [{ path: "spec.template.spec.containers[name=model].env[name=X].value", op: "changed", old: "a", new: value }],
  };
}

test("markdown: values stay inside their cell, summary and fence", () => {
  const report: DiffReport = {
    base: { ref: "main`\n# ref", commit: "0123456789abcdef" },
    changes: [change("fraud-v1", "```\n</details>\n<script>alert(1)</script>\n````")],
    risks: [
      {
        kind: "access",
        cluster: "prod|x",
        tenant: "team-a",
        model: "fraud",
        subject: "Deployment team-a/fraud-v1",
        message: "groups <img src=x>\n| injected | row |",
      },
    ],
  };
  const md = formatMarkdown(report);
  const outsideFences = md.replace(/^(`{3,})diff\n[\s\S]*?\n\1$/gm, "");
  expect(outsideFences).not.toMatch(/<script>|<img|<b>/);
  expect(md).toContain("prod\\|x");
  // Every row keeps its table's columns (risks six, changes seven), whatever the values held.
  const rows = md.split("\n").filter((l) => l.startsWith("|"));
  expect(rows).toHaveLength(6);
  const pipes = rows.map((row) => row.replace(/\\\|/g, "").split("|").length - 1);
  expect(pipes).toEqual([7, 7, 7, 8, 8, 8]);
  expect(md).not.toMatch(/^## injected/m);
  expect(md).toContain("Rendered objects against ``main`\\n# ref``");
  // The fence is longer than every backtick run in the values, so nothing inside can close it.
  const fence = /^(`{3,})diff$/m.exec(md)![1]!;
  const body = md.slice(md.indexOf(`${fence}diff\n`) + fence.length + 5, md.lastIndexOf(`\n${fence}`));
  expect(body.split("\n").some((l) => /^`+$/.test(l.trim()) && l.trim().length >= fence.length)).toBe(false);
  expect(md.split("\n").filter((l) => l === "</details>")).toHaveLength(1);
});

test("markdown errors: diagnostics fenced past any backtick run, one line each", () => {
  const md = formatMarkdownErrors([{ ...diagnostic, file: "models/team-a/````x\n```\n## injected.yaml" }]);
  const lines = md.split("\n");
  const fence = lines.find((l) => /^`{3,}$/.test(l))!;
  expect(fence.length).toBeGreaterThan(4);
  expect(lines.filter((l) => l === fence)).toHaveLength(2);
  expect(lines.some((l) => l.startsWith("## injected"))).toBe(false);
});

test("codeSpan: a backtick inside cannot end the span", () => {
  expect(codeSpan("a`b")).toBe("``a`b``");
  expect(codeSpan("`x")).toBe("`` `x ``");
});

test("diff text: each change and risk stays on its line", () => {
  const out = formatText({
    base: { ref: "main", commit: "0123456789abcdef" },
    changes: [change("fraud-v1", "v")],
    risks: [{ kind: "access", cluster: "prod", subject: "s", message: "m\n::error::x" }],
  });
  expect(out.split("\n").some((l) => l.startsWith("::"))).toBe(false);
});

describe("issue 22: a spec file named with a newline and a workflow command, end to end", () => {
  const name = "x\n::error file=evil.yaml::pwned.yaml";
  const repo = tempRepo({ ...baseFiles(), [`models/team-a/${name}`]: MODEL.replace("name: fraud", "name: fraud2") });

  test("text", async () => {
    const run = await berth(repo, "render");
    expect(run.code).toBe(1);
    expect(run.stderr).toContain("models/team-a/x\\n::error file=evil.yaml::pwned.yaml:4:9: error BERTH0207");
    expect(run.stderr.split("\n").some((l) => l.trimStart().startsWith("::"))).toBe(false);
  });

  test("github", async () => {
    const run = await berth(repo, "render", "--format", "github");
    expect(run.code).toBe(1);
    const lines = run.stdout.trimEnd().split("\n");
    expect(lines.every((l) => l.startsWith("::error file=models/"))).toBe(true);
    expect(run.stdout).toContain("file=models/team-a/x%0A%3A%3Aerror file=evil.yaml%3A%3Apwned.yaml,line=4,col=9");
  });

  test("json", async () => {
    const run = await berth(repo, "check", "--format", "json");
    expect(JSON.parse(run.stdout).diagnostics.map((d: LocatedDiagnostic) => d.file)).toContain(`models/team-a/${name}`);
  });
});
