// The EKS release calendar (BERTH1001, BERTH1002): versions past extended support, not yet
// released or unknown are errors at kubernetesVersion; extended support is a warning naming the
// dates; the day is --as-of (default today, UTC), which changes diagnostics only, never output.
import { EKS_VERSIONS, eksSupport, inStandardSupport, isIsoDate, todayUtc } from "../../compiler/catalogue/eks-versions.js";
import { main } from "../../compiler/cli.js";
import { CLUSTER, compileFiles, edit, REPO_ROOT, SCHEMAS_DIR } from "../helpers/fixture.js";

const C = "platform/clusters/prod.yaml";
const withVersion = (v: string) => ({ [C]: edit(CLUSTER, 'kubernetesVersion: "1.35"', `kubernetesVersion: "${v}"`) });
const calendar = (v: string, asOf: string) =>
  compileFiles(withVersion(v), undefined, asOf).diagnostics.filter((d) => d.code === "BERTH1001" || d.code === "BERTH1002");

describe("the calendar", () => {
  test("dates follow AWS's table: extended support ends 12 months after standard support, which ends after release", () => {
    for (const v of EKS_VERSIONS) {
      const months = (a: string, b: string) => (Number(b.slice(0, 4)) - Number(a.slice(0, 4))) * 12 + Number(b.slice(5, 7)) - Number(a.slice(5, 7));
      expect([v.version, months(v.endOfStandard, v.endOfExtended)]).toEqual([v.version, 12]);
      expect(v.released < v.endOfStandard).toBe(true);
    }
    expect(eksSupport("1.28", "2025-11-26").phase).toBe("ended");
    expect(eksSupport("1.28", "2025-11-25").phase).toBe("extended");
    expect(eksSupport("1.34", "2026-12-01").phase).toBe("standard");
    expect(eksSupport("1.34", "2026-12-02").phase).toBe("extended");
    expect(eksSupport("1.36", "2026-06-01").phase).toBe("unreleased");
    expect(eksSupport("1.99", "2026-06-01").phase).toBe("unknown");
    expect(inStandardSupport("2026-11-30").map((v) => v.version)).toEqual(["1.36", "1.35", "1.34"]);
  });

  test("dates are real calendar days; today is read in UTC", () => {
    expect(isIsoDate("2026-11-30")).toBe(true);
    for (const bad of ["2026-02-30", "2026-13-01", "30-11-2026", "2026-11-30T00:00:00Z", "tomorrow"]) expect(isIsoDate(bad)).toBe(false);
    expect(todayUtc(new Date("2026-11-30T23:59:59-05:00"))).toBe("2026-12-01");
  });
});

describe("diagnostics at kubernetesVersion", () => {
  test("BERTH1001: 1.28, past the end of extended support on 2025-11-26", () => {
    expect(calendar("1.28", "2026-11-30")).toEqual([
      expect.objectContaining({
        code: "BERTH1001",
        severity: "error",
        file: C,
        line: 8,
        column: 22,
        message:
          "kubernetesVersion 1.28 reached the end of EKS extended support on 2025-11-26 (as of 2026-11-30): EKS no longer creates such clusters and upgrades existing ones on its own",
        hint: "move to a version in standard support: 1.36 (until 2027-08-02), 1.35 (until 2027-03-27), 1.34 (until 2026-12-02)",
      }),
    ]);
  });

  test("BERTH1002: 1.33 in extended support is a warning with both dates, and render still writes", () => {
    const result = compileFiles(withVersion("1.33"), undefined, "2026-11-30");
    expect(result.diagnostics).toEqual([
      expect.objectContaining({
        code: "BERTH1002",
        severity: "warning",
        line: 8,
        column: 22,
        message: expect.stringMatching(
          /left EKS standard support on 2026-07-29 \(as of 2026-11-30\): the cluster costs extended-support fees until 2027-07-29/,
        ),
      }),
    ]);
    expect(result.files.length).toBeGreaterThan(0);
  });

  test("BERTH1001: a version EKS has not released yet, and one it never offered", () => {
    expect(calendar("1.36", "2026-01-01")).toEqual([
      expect.objectContaining({
        code: "BERTH1001",
        message: "kubernetesVersion 1.36 is released on EKS on 2026-06-02, after 2026-01-01: EKS does not create such clusters yet",
      }),
    ]);
    expect(calendar("1.37", "2026-11-30")).toEqual([
      expect.objectContaining({
        code: "BERTH1001",
        message: "kubernetesVersion 1.37 is not in the EKS release calendar berth knows (1.23 to 1.36)",
        hint: expect.stringMatching(/if EKS has released 1.37 since, add its dates to compiler\/catalogue\/eks-versions.ts/),
      }),
    ]);
  });

  test("the day decides: 1.35 is in standard support until 2027-03-26 and in extended support from 2027-03-27", () => {
    expect(calendar("1.35", "2027-03-26")).toEqual([]);
    expect(calendar("1.35", "2027-03-27").map((d) => d.code)).toEqual(["BERTH1002"]);
    expect(calendar("1.35", "2028-03-27").map((d) => d.code)).toEqual(["BERTH1001"]);
  });

  test("--as-of changes diagnostics, never a byte of the output", () => {
    const a = compileFiles({}, undefined, "2026-11-30");
    const b = compileFiles({}, undefined, "2027-06-01");
    expect(a.diagnostics).toEqual([]);
    expect(b.diagnostics.map((d) => d.code)).toEqual(["BERTH1002"]);
    expect(b.files.map((f) => [f.path, f.content])).toEqual(a.files.map((f) => [f.path, f.content]));
  });
});

describe("the command line", () => {
  const run = async (...args: string[]) => {
    let out = "";
    let err = "";
    const code = await main([...args, "--root", REPO_ROOT, "--schemas", SCHEMAS_DIR], {
      cwd: REPO_ROOT,
      env: {},
      stdout: { write: (s: string) => (out += s) },
      stderr: { write: (s: string) => (err += s) },
    });
    return { code, out, err };
  };

  test("--as-of takes a date; anything else is a usage error", async () => {
    const bad = await run("check", "--as-of", "2026-02-30");
    expect(bad.code).toBe(2);
    expect(bad.err).toMatch(/--as-of takes a date written YYYY-MM-DD \(got "2026-02-30"\)/);
  });

  test("check --as-of a day in 1.35's extended support warns and still passes", async () => {
    const later = await run("check", "--as-of", "2027-06-01", "--format", "json");
    expect(later.code).toBe(0);
    const report = JSON.parse(later.out) as { diagnostics: { code: string; file: string }[] };
    expect(report.diagnostics.map((d) => [d.code, d.file])).toEqual([
      ["BERTH1002", "platform/clusters/prod-us-east-1.yaml"],
      ["BERTH1002", "platform/clusters/staging-eu-west-1.yaml"],
    ]);
  });
});
