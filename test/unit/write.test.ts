// write.ts: changed files only, nothing left behind, hand-written files never touched, and
// existing files read only as far as needed.
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { OutputFile } from "../../compiler/output/files.js";
import { header } from "../../compiler/output/header.js";
import { diffTree, readExisting } from "../../compiler/write/changes.js";
import { applyChanges } from "../../compiler/write/apply.js";
import { tempRepo } from "../helpers/fixture.js";

const gen = (path: string, body: string): OutputFile => ({ path, content: header(["models/a/m.yaml"]) + body });

function tree(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string, rel: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const r = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory()) walk(join(d, e.name), r);
      else out.push(r);
    }
  };
  walk(dir, "");
  return out.sort();
}

function render(root: string, files: OutputFile[]) {
  const changes = diffTree(files, readExisting(root, {}));
  applyChanges(root, changes);
  return changes;
}

test("a first render writes every file and leaves no temp file", () => {
  const root = tempRepo({ "platform/platform.yaml": "x" });
  const files = [
    gen("clusters/a/tenants/t/m/deployment-m.yaml", "a: 1\n"),
    gen("clusters/a/tenants/t/m/service-m.yaml", "b: 2\n"),
    gen("clusters/b/x.yaml", "c: 3\n"),
    gen(".github/CODEOWNERS", "* @o\n"),
  ];
  const changes = render(root, files);
  expect(changes.write).toHaveLength(4);
  expect(tree(root)).toEqual([
    ".github/CODEOWNERS",
    "clusters/a/tenants/t/m/deployment-m.yaml",
    "clusters/a/tenants/t/m/service-m.yaml",
    "clusters/b/x.yaml",
    "platform/platform.yaml",
  ]);
  for (const f of files) expect(readFileSync(join(root, f.path), "utf8")).toBe(f.content);
});

test("a second render writes nothing; a changed file and a file in a new folder are written, a stale one removed", () => {
  const root = tempRepo({});
  render(root, [gen("clusters/a/m1/x.yaml", "a: 1\n"), gen("clusters/a/m1/y.yaml", "b: 2\n"), gen("clusters/a/old/z.yaml", "z: 0\n")]);
  expect(render(root, [gen("clusters/a/m1/x.yaml", "a: 1\n"), gen("clusters/a/m1/y.yaml", "b: 2\n"), gen("clusters/a/old/z.yaml", "z: 0\n")]).write).toEqual(
    [],
  );
  const changes = render(root, [gen("clusters/a/m1/x.yaml", "a: 1\n"), gen("clusters/a/m1/y.yaml", "b: 3\n"), gen("clusters/a/m2/w.yaml", "w: 1\n")]);
  expect(changes.write.map((f) => f.path)).toEqual(["clusters/a/m1/y.yaml", "clusters/a/m2/w.yaml"]);
  expect(changes.remove).toEqual(["clusters/a/old/z.yaml"]);
  expect(changes.unchanged).toBe(1);
  expect(tree(root)).toEqual(["clusters/a/m1/x.yaml", "clusters/a/m1/y.yaml", "clusters/a/m2/w.yaml"]);
  expect(readFileSync(join(root, "clusters/a/m1/y.yaml"), "utf8")).toContain("b: 3");
});

test("a file of the same size but other content is rewritten; one edited by hand to another size too", () => {
  const root = tempRepo({});
  render(root, [gen("clusters/a/x.yaml", "a: 1\n"), gen("clusters/a/y.yaml", "b: 1\n")]);
  writeFileSync(join(root, "clusters/a/x.yaml"), gen("", "a: 2\n").content);
  writeFileSync(join(root, "clusters/a/y.yaml"), gen("", "b: 1\n# note\n").content);
  const changes = render(root, [gen("clusters/a/x.yaml", "a: 1\n"), gen("clusters/a/y.yaml", "b: 1\n")]);
  expect(changes.write.map((f) => f.path)).toEqual(["clusters/a/x.yaml", "clusters/a/y.yaml"]);
  expect(readFileSync(join(root, "clusters/a/x.yaml"), "utf8")).toContain("a: 1");
});

test("hand-written files block or stay; temp files with berth's header are removed, others named so stay", () => {
  const root = tempRepo({ "clusters/a/hand.yaml": "mine: true\n", "clusters/a/notes.md": "# notes\n" });
  writeFileSync(join(root, "clusters/a/.x.yaml.berth-tmp-1"), gen("", "a: 1\n").content);
  writeFileSync(join(root, "clusters/a/.y.yaml.berth-tmp-2-0a1b2c3d"), "my own notes, named oddly\n");
  const existing = readExisting(root, {});
  expect(existing.map((f) => [f.path, f.generated])).toEqual([
    ["clusters/a/.x.yaml.berth-tmp-1", true],
    ["clusters/a/.y.yaml.berth-tmp-2-0a1b2c3d", false],
    ["clusters/a/hand.yaml", false],
    ["clusters/a/notes.md", false],
  ]);
  const changes = diffTree([gen("clusters/a/hand.yaml", "a: 1\n")], existing);
  expect(changes.blocked).toEqual(["clusters/a/hand.yaml"]);
  expect(changes.remove).toEqual(["clusters/a/.x.yaml.berth-tmp-1"]);
  expect(changes.foreign).toEqual(["clusters/a/.y.yaml.berth-tmp-2-0a1b2c3d", "clusters/a/notes.md"]);
});

test("a failure while writing changes nothing: no file, no temp file, no new folder", () => {
  const root = tempRepo({});
  render(root, [gen("clusters/a/x.yaml", "a: 1\n")]);
  const broken = {
    path: "clusters/b/z.yaml",
    get content(): string {
      throw new Error("serializer bug");
    },
  };
  const changes = diffTree([gen("clusters/a/x.yaml", "a: 2\n"), gen("clusters/a/y.yaml", "y: 1\n"), broken], readExisting(root, {}));
  expect(() => applyChanges(root, changes)).toThrow("serializer bug");
  expect(tree(root)).toEqual(["clusters/a/x.yaml"]);
  expect(readFileSync(join(root, "clusters/a/x.yaml"), "utf8")).toContain("a: 1");
});

test("a changed file is serialized once: the text compared with the disk is the text written", () => {
  const root = tempRepo({});
  render(root, [gen("clusters/a/x.yaml", "a: 1\n"), gen("clusters/a/new/y.yaml", "y: 1\n")]);
  const reads = new Map<string, number>();
  // A file made on each read, as output/files.ts makes them: counts how often it is serialized.
  const counted = (f: OutputFile): OutputFile => ({
    path: f.path,
    get content() {
      reads.set(f.path, (reads.get(f.path) ?? 0) + 1);
      return f.content;
    },
  });
  const changes = render(root, [
    counted(gen("clusters/a/x.yaml", "a: 22\n")),
    counted(gen("clusters/a/new/y.yaml", "y: 1\n")),
    counted(gen("clusters/a/z.yaml", "z: 1\n")),
  ]);
  expect(changes.write.map((f) => f.path)).toEqual(["clusters/a/x.yaml", "clusters/a/z.yaml"]);
  expect(Object.fromEntries(reads)).toEqual({ "clusters/a/x.yaml": 1, "clusters/a/new/y.yaml": 1, "clusters/a/z.yaml": 1 });
  expect(readFileSync(join(root, "clusters/a/x.yaml"), "utf8")).toBe(gen("", "a: 22\n").content);
});
