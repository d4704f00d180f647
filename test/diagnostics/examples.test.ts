// The catalogue's examples (docs/diagnostics.md, `berth explain`) are what berth prints: each code
// in this table is produced from its situation and compared with its example, word for word.
import { readdirSync, readFileSync, rmSync, statSync, unlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { main } from "../../compiler/cli.js";
import { CATALOGUE, type Code } from "../../compiler/codes/index.js";
import type { LocatedDiagnostic } from "../../compiler/diagnostics.js";
import { baseFiles, compileFiles, edit, MODEL, REPO_ROOT, TENANT, tempRepo, type Files } from "../helpers/fixture.js";

const M = "models/team-a/fraud.yaml";

function shown(d: LocatedDiagnostic): string {
  return `${d.file}:${d.line}:${d.column}: ${d.severity} ${d.code}: ${d.message}${d.hint ? `\n  hint: ${d.hint}` : ""}`;
}

/** Spec situations: the files to change in the base fixture. */
const SPECS: [Code, Files][] = [
  ["BERTH0101", { [M]: edit(MODEL, "access: [team-a]", "access: [team-a") }],
  ["BERTH0102", { [M]: edit(MODEL, "  framework: sklearn", "\tframework: sklearn") }],
  ["BERTH0103", { [M]: MODEL + "  framework: xgboost\n" }],
  ["BERTH0104", { "tenants/team-a.yaml": "" }],
  ["BERTH0105", { "tenants/team-a.yaml": TENANT + "---\n" + TENANT }],
  ["BERTH0201", { [M]: edit(MODEL, "autoscaling:", "autoscale:") }],
  ["BERTH0203", { [M]: edit(MODEL, "minReplicas: 2", "minReplicas: 5") }],
  ["BERTH0206", { "tenants/fraud.yaml": MODEL }],
  ["BERTH0218", { [M]: edit(MODEL, "framework: sklearn", "framework: onnx") }],
  [
    "BERTH0606",
    {
      [M]: edit(MODEL, "  autoscaling: {minReplicas: 2, maxReplicas: 4}", "  autoscaling: {minReplicas: 1, maxReplicas: 2}\n  pool: general").replace(
        "memory: 2Gi}}",
        "memory: 2Gi}, gpu: 1}",
      ),
    },
  ],
  [
    "BERTH0608",
    {
      [M]: edit(MODEL, 'memory: 1Gi}, limits: {cpu: "1", memory: 2Gi}}', 'memory: 24Gi}, limits: {cpu: "1", memory: 24Gi}}').replace(
        "maxReplicas: 4",
        "maxReplicas: 2",
      ),
    },
  ],
];

test.each(SPECS)("%s: the example is what the situation prints", (code, files) => {
  const found = compileFiles(files).diagnostics.filter((d) => d.code === code);
  expect(found.length).toBeGreaterThan(0);
  expect(shown(found[0]!)).toBe(CATALOGUE[code].example);
});

/** The generated tree: a rendered copy of the base fixture, changed by hand, then checked. */
describe("the generated tree", () => {
  let repo: string;
  let generated: string[];
  beforeAll(async () => {
    repo = tempRepo(baseFiles());
    expect(await berth("render")).toMatchObject({ code: 0 });
    generated = files(join(repo, "clusters"));
  });
  afterAll(() => rmSync(repo, { recursive: true, force: true }));

  async function berth(...args: string[]): Promise<{ code: number; stderr: string }> {
    let stderr = "";
    const code = await main([...args, "--root", repo], {
      cwd: REPO_ROOT,
      env: {},
      stdout: { write: () => true },
      stderr: { write: (s: string) => (stderr += s) },
    });
    return { code, stderr };
  }

  function files(dir: string): string[] {
    return readdirSync(dir).flatMap((n) => (statSync(join(dir, n)).isDirectory() ? files(join(dir, n)) : [join(dir, n)]));
  }

  /** The diagnostic of `code` that `command` prints after `change`, as text; the change is undone after. */
  async function printedAfter(command: string, code: Code, change: () => () => void): Promise<string> {
    const undo = change();
    try {
      const run = await berth(command);
      const lines = run.stderr.split("\n");
      const at = lines.findIndex((l) => l.includes(` ${code}: `));
      expect(at).toBeGreaterThanOrEqual(0);
      const hint = lines.slice(at + 1).find((l) => l.startsWith("  hint: ") || /: (error|warning) BERTH/.test(l));
      return lines[at]! + (hint?.startsWith("  hint: ") ? `\n${hint}` : "");
    } finally {
      undo();
    }
  }

  const handWritten = (name: string) => () => {
    const p = join(repo, "clusters", "prod", name);
    writeFileSync(p, "kind: ConfigMap\n");
    return () => unlinkSync(p);
  };
  const edited = (how: (text: string) => string | undefined) => () => {
    const p = generated.find((f) => f.endsWith(".yaml"))!;
    const before = readFileSync(p, "utf8");
    const after = how(before);
    if (after === undefined) unlinkSync(p);
    else writeFileSync(p, after);
    return () => writeFileSync(p, before);
  };
  const stale = () => {
    const from = generated.find((f) => f.endsWith(".yaml"))!;
    const p = join(repo, "clusters", "prod", "old.yaml");
    writeFileSync(p, readFileSync(from, "utf8"));
    return () => unlinkSync(p);
  };

  test.each([
    ["BERTH0006", "check", handWritten("notes.yaml")],
    ["BERTH0013", "render", handWritten("notes.yaml")],
    ["BERTH0007", "check", edited((t) => t + "# edited by hand\n")],
    ["BERTH0008", "check", edited(() => undefined)],
    ["BERTH0009", "check", stale],
  ] as [Code, string, () => () => void][])("%s: the example is what `%s` prints", async (code, command, change) => {
    const text = await printedAfter(command, code, change);
    expect(text.replace(/^clusters\/prod\/[^:]*/, "clusters/prod/FILE")).toBe(CATALOGUE[code].example.replace(/^clusters\/prod\/[^:]*/, "clusters/prod/FILE"));
  });
});
