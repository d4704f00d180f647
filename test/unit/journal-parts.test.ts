// Render stages its changes cluster by cluster: the journal's first line is the first part of the
// plan, each later part one more line, then "commit". Recovery undoes every complete part; a
// part cut short while being appended had not started.
import { appendFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { Transaction } from "../../compiler/write/apply.js";
import { nodeFs } from "../../compiler/write/fs.js";
import { JOURNAL_FILE, recoverJournal } from "../../compiler/write/journal.js";
import { header } from "../../compiler/output/header.js";
import { tempDir } from "../helpers/temp.js";
import { snapshotTree } from "../helpers/tree.js";

const file = (path: string, body = "kind: ConfigMap\n") => ({ path, content: header(["models/x.yaml"]) + body });

function setUp(): { root: string; before: Record<string, string> } {
  const root = tempDir("berth-journal-parts-");
  mkdirSync(join(root, "clusters/a"), { recursive: true });
  writeFileSync(join(root, "clusters/a/old.yaml"), file("clusters/a/old.yaml").content);
  return { root, before: snapshotTree(root) };
}

test("two staged parts, a third cut short, no commit: recovery removes every temp and new folder of both parts", () => {
  const { root, before } = setUp();
  const t = new Transaction(root, { ops: nodeFs, suffix: "4242-0a0b0c0d" });
  t.stage([file("clusters/a/new.yaml"), file("clusters/a/old.yaml", "kind: Secret\n")], new Set(["clusters/a/old.yaml"]));
  t.stage([file("clusters/b/m/one.yaml")], new Set());
  const journal = readFileSync(join(root, JOURNAL_FILE), "utf8");
  expect(journal.split("\n")).toHaveLength(3); // two lines, and the empty rest after the last newline
  expect(existsSync(join(root, "clusters/b/m/.one.yaml.berth-tmp-4242-0a0b0c0d"))).toBe(true);
  appendFileSync(join(root, JOURNAL_FILE), '{"journal":"berth-journal/1","plan":{"suffix":"4242-0a0b0c0d","dirs":["clusters/c"'); // killed mid-append
  expect(recoverJournal(root, nodeFs)).toEqual([]);
  expect(snapshotTree(root)).toEqual(before);
  expect(existsSync(join(root, "clusters/b"))).toBe(false);
});

test("parts staged, then committed: every part lands, the removals of the last part included, and the journal is gone", () => {
  const { root } = setUp();
  const t = new Transaction(root, { ops: nodeFs, suffix: "4242-0a0b0c0e" });
  t.stage([file("clusters/a/new.yaml")], new Set());
  t.stage([file("clusters/b/one.yaml")], new Set(), ["clusters/a/old.yaml"]);
  expect(t.commit()).toEqual([]);
  expect(snapshotTree(root)).toEqual({
    "clusters/a/new.yaml": file("clusters/a/new.yaml").content,
    "clusters/b/one.yaml": file("clusters/b/one.yaml").content,
  });
});

test("abort undoes every part staged so far", () => {
  const { root, before } = setUp();
  const t = new Transaction(root, { ops: nodeFs, suffix: "4242-0a0b0c0f" });
  t.stage([file("clusters/a/new.yaml")], new Set());
  t.stage([file("clusters/b/one.yaml")], new Set());
  expect(t.abort()).toEqual([]);
  expect(snapshotTree(root)).toEqual(before);
  expect(() => t.stage([file("clusters/c/x.yaml")], new Set())).toThrow(/berth bug/);
});

test("a journal whose later line is not a part of the same render is not recovered from", () => {
  const { root, before } = setUp();
  const t = new Transaction(root, { ops: nodeFs, suffix: "4242-0a0b0c10" });
  t.stage([file("clusters/a/new.yaml")], new Set());
  appendFileSync(join(root, JOURNAL_FILE), '{"journal":"berth-journal/1","plan":{"suffix":"other","dirs":[],"writes":[],"removes":[]}}\n');
  expect(recoverJournal(root, nodeFs)).toEqual([{ path: JOURNAL_FILE, what: "recover from", reason: "not a berth journal" }]);
  expect(existsSync(join(root, JOURNAL_FILE))).toBe(true);
  expect(snapshotTree(root)).not.toEqual(before);
});
