// Issue 22, finding 6 (discovery): links never make discovery revisit a folder. Linear is
// asserted by counting folder reads, not by timing: each real folder is read at most once.
import fc from "fast-check";
import { mkdirSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import { compile } from "../../compiler/compile.js";
import { discover, type DirIO, type TreeProblem } from "../../compiler/load/discover.js";
import { diskIO, diskTree } from "../../compiler/load/load.js";
import { baseFiles, tempRepo } from "../helpers/fixture.js";

/** Discovery of `dir` with every folder read recorded; `reverse` feeds entries in the opposite order. */
function run(root: string, dir: string, reverse = false) {
  const io = diskIO(root);
  const reads: string[] = [];
  const counted: DirIO = {
    resolve: io.resolve,
    readdir(real) {
      reads.push(real);
      const entries = io.readdir(real);
      return reverse ? [...entries].reverse() : entries;
    },
  };
  const problems = new Map<string, TreeProblem>();
  const files = discover(counted, dir, problems);
  return { files, problems: [...problems].map(([p, why]) => `${p} ${why.code}`).sort(), reads };
}

describe("finding 6: discovery is linear whatever the links", () => {
  test("two `-> .` links in one folder: every folder read once, both links reported", () => {
    const repo = tempRepo(baseFiles());
    symlinkSync(".", join(repo, "models/team-a/a"));
    symlinkSync(".", join(repo, "models/team-a/b"));
    const { files, problems, reads } = run(repo, "models");
    expect(reads).toEqual(["models", "models/team-a"]);
    expect(files).toEqual(["models/team-a/fraud.yaml"]);
    expect(problems).toEqual(["models/team-a/a BERTH0016", "models/team-a/b BERTH0016"]);
    const result = compile({ tree: diskTree(repo) });
    expect(result.diagnostics.map((d) => `${d.file} ${d.code} ${d.message}`)).toEqual([
      "models/team-a/a BERTH0016 symbolic link leads to models/team-a, a folder already read",
      "models/team-a/b BERTH0016 symbolic link leads to models/team-a, a folder already read",
    ]);
  });

  test("ten nested folders with five `-> .`, `-> ..` and `-> /root` links each: one read per folder", () => {
    const repo = tempRepo(baseFiles());
    let dir = join(repo, "models/team-a");
    for (let depth = 0; depth < 10; depth++) {
      dir = join(dir, `d${depth}`);
      mkdirSync(dir);
      for (const [i, to] of [".", "..", ".", "..", relative(dir, repo)].entries()) symlinkSync(to, join(dir, `l${i}`));
    }
    const { reads, problems } = run(repo, "models");
    expect(reads).toHaveLength(12); // models, team-a, d0..d9
    expect(new Set(reads).size).toBe(reads.length);
    expect(problems).toHaveLength(50);
    expect(problems.every((p) => p.endsWith("BERTH0016"))).toBe(true);
  });

  test("a link cycle through two folders (a/x -> ../b, b/y -> ../a) is reported, not followed forever", () => {
    const repo = tempRepo({ ...baseFiles(), "models/team-a/a/f.yaml": "x", "models/team-a/b/g.yaml": "x" });
    symlinkSync("../b", join(repo, "models/team-a/a/x"));
    symlinkSync("../a", join(repo, "models/team-a/b/y"));
    const { reads, problems } = run(repo, "models");
    expect(reads).toEqual(["models", "models/team-a", "models/team-a/a", "models/team-a/b"]);
    expect(problems).toEqual(["models/team-a/a/x BERTH0016", "models/team-a/b/y BERTH0016"]);
  });

  test("links into one shared folder elsewhere in the root: the first is followed, the rest reported", () => {
    const repo = tempRepo({ ...baseFiles(), "shared/specs/one.yaml": "x" });
    symlinkSync("../../shared/specs", join(repo, "models/team-a/z-second"));
    symlinkSync("../../shared/specs", join(repo, "models/team-a/a-first"));
    const { files, problems } = run(repo, "models");
    expect(files).toEqual(["models/team-a/fraud.yaml", "models/team-a/a-first/one.yaml"]);
    expect(problems).toEqual(["models/team-a/z-second BERTH0016"]);
  });

  // A random folder tree under models/ plus a shared folder beside it, and random links between them.
  const shape = fc.record({
    parents: fc.array(fc.nat(), { maxLength: 8 }),
    links: fc.array(fc.record({ from: fc.nat(), to: fc.nat(), shared: fc.boolean() }), { maxLength: 10 }),
  });

  test("any links: each real folder read at most once, each real file listed once, order-free", () => {
    fc.assert(
      fc.property(shape, ({ parents, links }) => {
        const repo = tempRepo({ "shared/s.yaml": "x", "models/f.yaml": "x" });
        try {
          const folders = ["models"];
          parents.forEach((p, i) => {
            const dir = `${folders[p % folders.length]}/d${i}`;
            mkdirSync(join(repo, dir));
            writeFileSync(join(repo, dir, "f.yaml"), "x");
            folders.push(dir);
          });
          links.forEach(({ from, to, shared }, i) => {
            const at = join(repo, folders[from % folders.length]!, `l${i}`);
            symlinkSync(relative(join(at, ".."), join(repo, shared ? "shared" : folders[to % folders.length]!)) || ".", at);
          });
          const forward = run(repo, "models");
          const backward = run(repo, "models", true);
          expect(backward.files).toEqual(forward.files);
          expect(backward.problems).toEqual(forward.problems);
          expect(new Set(forward.reads).size).toBe(forward.reads.length);
          expect(forward.reads.length).toBeLessThanOrEqual(folders.length + 1);
          const real = forward.files.filter((f) => !/\/l\d+\//.test(f));
          expect(real).toHaveLength(folders.length);
          const viaShared = forward.files.filter((f) => f.endsWith("/s.yaml"));
          expect(viaShared).toHaveLength(links.some((l) => l.shared) ? 1 : 0);
          expect(forward.problems).toHaveLength(links.length - viaShared.length);
        } finally {
          rmSync(repo, { recursive: true, force: true });
        }
      }),
      { numRuns: 60 },
    );
  });
});
