// .github/CODEOWNERS: generated from the platform's and the tenants' owners, and kept in sync by
// `berth check` like every generated file.
import { readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { runCheck, runRender, type Io, type RunOptions } from "../../compiler/commands/run.js";
import { HEADER_PREFIX } from "../../compiler/output/header.js";
import { SCHEMAS, TENANT, baseFiles, compileFiles, edit, tempRepo } from "../helpers/fixture.js";

function io(): Io & { out: string[] } {
  const out: string[] = [];
  return { cwd: "/", env: {}, out, stdout: { write: (s: string) => out.push(s) }, stderr: { write: (s: string) => out.push(s) } };
}

const codeowners = (files = {}) => compileFiles(files).files.find((f) => f.path === ".github/CODEOWNERS")!.content;

test("models/<tenant>/ belongs to the tenant's owners, everything else to the platform's, later rules winning", () => {
  const text = codeowners({
    "tenants/team-b.yaml": edit(
      edit(edit(TENANT, "name: team-a", "name: team-b"), "namespace: team-a", "namespace: team-b"),
      '["@example/team-a"]',
      '["@example/team-b", "lead@example.com"]',
    ),
  });
  const [header, ...lines] = text.trimEnd().split("\n");
  expect(header).toMatch(new RegExp(`^${HEADER_PREFIX} from platform/platform\\.yaml, tenants/team-a\\.yaml, tenants/team-b\\.yaml\\. DO NOT EDIT`));
  expect(lines.filter((l) => !l.startsWith("#"))).toEqual([
    "* @example/platform",
    "/models/team-a/ @example/team-a",
    "/models/team-b/ @example/team-b lead@example.com",
  ]);
});

test("tenant order in the file does not depend on file order", () => {
  const b = edit(edit(TENANT, "name: team-a", "name: b"), "namespace: team-a", "namespace: b");
  const z = edit(edit(TENANT, "name: team-a", "name: z"), "namespace: team-a", "namespace: z");
  expect(codeowners({ "tenants/z.yaml": z, "tenants/b.yaml": b })).toBe(codeowners({ "tenants/b.yaml": b, "tenants/z.yaml": z }));
});

describe("berth check keeps CODEOWNERS in sync", () => {
  let root: string;
  let opts: RunOptions;
  beforeEach(() => {
    root = tempRepo(baseFiles());
    opts = { root, format: "text", schemas: SCHEMAS };
    expect(runRender(opts, io())).toBe(0);
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  const check = () => {
    const out = io();
    return { code: runCheck(opts, out), text: out.out.join("") };
  };

  test("a fresh render checks clean", () => {
    expect(readFileSync(join(root, ".github/CODEOWNERS"), "utf8")).toContain("/models/team-a/ @example/team-a");
    expect(check()).toMatchObject({ code: 0 });
  });

  test("a hand edit is out of date", () => {
    const path = join(root, ".github/CODEOWNERS");
    writeFileSync(path, readFileSync(path, "utf8") + "/models/team-a/ @someone/else\n");
    const r = check();
    expect(r.code).toBe(1);
    expect(r.text).toContain(".github/CODEOWNERS:1:1: error BERTH0007");
  });

  test("a deleted file is missing", () => {
    rmSync(join(root, ".github/CODEOWNERS"));
    const r = check();
    expect(r.code).toBe(1);
    expect(r.text).toContain(".github/CODEOWNERS:1:1: error BERTH0008");
  });

  test("a changed tenant owner makes it out of date until the next render", () => {
    writeFileSync(join(root, "tenants/team-a.yaml"), edit(TENANT, '["@example/team-a"]', '["@example/new-owners"]'));
    expect(check().text).toContain(".github/CODEOWNERS:1:1: error BERTH0007");
    expect(runRender(opts, io())).toBe(0);
    expect(check().code).toBe(0);
    expect(readFileSync(join(root, ".github/CODEOWNERS"), "utf8")).toContain("/models/team-a/ @example/new-owners");
  });

  test("a hand-written CODEOWNERS (no header) is never overwritten", () => {
    writeFileSync(join(root, ".github/CODEOWNERS"), "* @someone\n");
    const out = io();
    expect(runRender(opts, out)).toBe(1);
    expect(out.out.join("")).toContain(".github/CODEOWNERS:1:1: error BERTH0010");
    expect(readFileSync(join(root, ".github/CODEOWNERS"), "utf8")).toBe("* @someone\n");
  });
});
