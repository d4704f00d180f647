// Issue 22, findings 2, 4 and 6 at a git revision: `diff --base` reads the base with the same
// discovery as the working tree, so both see the same layout, links and problems.
import { mkdirSync, renameSync, rmSync, symlinkSync } from "node:fs";
import { join } from "node:path";
import { baseFiles, MODEL, tempRepo } from "../helpers/fixture.js";
import { berth, commitAll, git, gitRepo } from "../helpers/git.js";

describe("a git revision is read like the working tree", () => {
  test("two `-> .` links committed: reported in the base as in the work tree, quickly and once each", async () => {
    const dir = tempRepo(baseFiles());
    symlinkSync(".", join(dir, "models/team-a/a"));
    symlinkSync(".", join(dir, "models/team-a/b"));
    git(dir, "init", "-q", "-b", "main");
    commitAll(dir, "base with looping links");
    const r = await berth(dir, "diff", "--base", "HEAD");
    expect(r.code).toBe(1);
    const lines = r.stderr.split("\n").filter((l) => l.includes("error"));
    expect(lines).toEqual([
      "HEAD:models/team-a/a:1:1: error BERTH0016: symbolic link leads to models/team-a, a folder already read",
      "HEAD:models/team-a/b:1:1: error BERTH0016: symbolic link leads to models/team-a, a folder already read",
      "models/team-a/a:1:1: error BERTH0016: symbolic link leads to models/team-a, a folder already read",
      "models/team-a/b:1:1: error BERTH0016: symbolic link leads to models/team-a, a folder already read",
    ]);
  });

  test("a top-level folder committed as a link out of the root is BERTH0003 in the base", async () => {
    const dir = tempRepo(baseFiles());
    const tenants = join(dir, "tenants");
    const outside = join(dir, "..", `${dir.split("/").pop()}-tenants`); // beside the repository, removed below
    try {
      renameSync(tenants, outside);
      symlinkSync(`../${dir.split("/").pop()}-tenants`, tenants);
      git(dir, "init", "-q", "-b", "main");
      commitAll(dir, "tenants outside");
      const r = await berth(dir, "diff", "--base", "HEAD");
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(/^HEAD:tenants:1:1: error BERTH0003: symbolic link points outside the repository root/m);
      expect(r.stderr).toMatch(/^tenants:1:1: error BERTH0003/m);
      expect(r.stderr).not.toMatch(/BERTH030[12]/);
    } finally {
      rmSync(outside, { recursive: true, force: true });
    }
  });

  test("a .YAML spelling in the base is reported there, not read as a deleted model", async () => {
    const dir = tempRepo(baseFiles());
    renameSync(join(dir, "models/team-a/fraud.yaml"), join(dir, "models/team-a/fraud.YAML"));
    git(dir, "init", "-q", "-b", "main");
    commitAll(dir, "upper-case extension");
    const r = await berth(dir, "diff", "--base", "HEAD");
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^HEAD:models\/team-a\/fraud\.YAML:1:1: error BERTH0017: /m);
  });

  test("a tenant folder linked to a shared folder elsewhere in the root is followed in the base too", async () => {
    const dir = gitRepo({ ...baseFiles(), "models/team-a/fraud.yaml": null, "shared/team-a/fraud.yaml": MODEL });
    mkdirSync(join(dir, "models"));
    symlinkSync("../shared/team-a", join(dir, "models/team-a"));
    commitAll(dir, "models through a link");
    const r = await berth(dir, "diff", "--base", "HEAD", "--format", "json");
    expect({ code: r.code, stderr: r.stderr }).toEqual({ code: 0, stderr: "" });
    expect(JSON.parse(r.stdout).summary).toMatchObject({ changed: 0, added: 0, removed: 0 });
  });
});
