// The parts of a diff that say what a change does, on hand-made data: strings cut where they
// differ (a property: the two sides never read the same), line diffs of multi-line strings, the
// diagnostic delta's matching, and risk groups without a base plan.
import fc from "fast-check";
import type { LocatedDiagnostic } from "../../compiler/diagnostics.js";
import { diagnosticDelta } from "../../compiler/diff/diagnostics.js";
import { diffRenders, inline, inlinePair, lineDiff } from "../../compiler/diff/match.js";
import { groupRisks } from "../../compiler/diff/risk-groups.js";
import { assessRisks } from "../../compiler/diff/risks.js";
import type { KubeObject, Owner, Rendered } from "../../compiler/emit/types.js";
import { formatMarkdown, formatText } from "../../compiler/report/diff.js";
import { riskPlace } from "../../compiler/report/diff-sections.js";
import { formatAnnotations } from "../../compiler/report/diff-github.js";

function at(object: KubeObject, path: string, owner: Owner): Rendered {
  return { path, object, sources: [], origin: { file: "x.yaml", path: [] }, owner };
}
const obj = (kind: string, name: string, rest: Record<string, unknown> = {}, namespace = "team-b"): KubeObject => ({
  apiVersion: "v1",
  kind,
  metadata: { name, namespace },
  ...rest,
});

describe("changed strings", () => {
  const body = (versions: string[]) => JSON.stringify({ error: "unknown model-version for model fraud-detection", versions });

  test("both sides cut from the same point, a little before the first difference", () => {
    const [was, now] = inlinePair(body(["v1.2.0", "v1.3.0"]), body(["v1.2.0", "v1.3.0", "v1.4.0"]), 60);
    expect([was, now]).toEqual(['…\\":[\\"v1.2.0\\",\\"v1.3.0\\"]}"', '…\\":[\\"v1.2.0\\",\\"v1.3.0\\",\\"v1.4.0\\"]}"']);
    // The old way: each cut at its own end, both the same.
    expect(inline(body(["v1.2.0", "v1.3.0"]), 60)).toBe(inline(body(["v1.2.0", "v1.3.0", "v1.4.0"]), 60));
  });

  test("values that fit are left whole; a difference at the start keeps the start", () => {
    expect(inlinePair("a", "b")).toEqual(["a", "b"]);
    const [was, now] = inlinePair("x".repeat(100), "y" + "x".repeat(99), 20);
    expect([was, now]).toEqual([`${"x".repeat(19)}…`, `y${"x".repeat(18)}…`]);
  });

  test("property: whenever two values differ, their cut forms differ and fit", () => {
    const value = fc.oneof(fc.string({ maxLength: 300 }), fc.array(fc.string({ maxLength: 40 }), { maxLength: 8 }));
    fc.assert(
      fc.property(value, value, fc.integer({ min: 30, max: 200 }), (a, b, max) => {
        fc.pre(JSON.stringify(a) !== JSON.stringify(b));
        const [x, y] = inlinePair(a, b, max);
        return x !== y && x.length <= max && y.length <= max;
      }),
      { numRuns: 500 },
    );
  });

  test("a multi-line string shows the lines that differ, with one line of context", () => {
    expect(lineDiff("a\nb\nc\nd", "a\nb\nC\nd")).toEqual(["  b", "- c", "+ C", "  d"]);
    expect(lineDiff("one line", "another")).toBeUndefined();
    const long = Array.from({ length: 30 }, (_, i) => `line ${i}`);
    const out = lineDiff(long.join("\n"), long.map((l) => l.toUpperCase()).join("\n"), 12)!;
    expect(out).toHaveLength(13);
    expect(out[12]).toBe("… 48 more lines");
  });

  test("text and markdown print a changed multi-line string as its differing lines", () => {
    const cm = (text: string) => obj("ConfigMap", "rules", { data: { "rules.yaml": text } });
    const owner = { cluster: "prod" };
    const changes = diffRenders([at(cm("groups:\n- alert: A\n  expr: up == 0\n"), "f", owner)], [at(cm("groups:\n- alert: A\n  expr: up == 1\n"), "f", owner)]);
    const report = { base: { ref: "main", commit: "0123456789abcdef" }, changes, risks: [] };
    expect(formatText(report)).toContain(
      '\n        data["rules.yaml"]: (lines)\n            - alert: A\n          -   expr: up == 0\n          +   expr: up == 1\n\nrisks: none\n',
    );
    expect(formatMarkdown(report)).toContain('~   data["rules.yaml"]: (lines)\n      - alert: A\n-       expr: up == 0\n+       expr: up == 1\n');
  });
});

describe("the diagnostic delta", () => {
  const d = (line: number, message: string, code = "BERTH0503"): LocatedDiagnostic => ({
    file: "tenants/t.yaml",
    line,
    column: 3,
    severity: "warning",
    code: code as LocatedDiagnostic["code"],
    message,
  });

  test("matched by code, file and message, whatever the position; counted", () => {
    const before = [d(5, "quota short"), d(9, "pool full", "BERTH0610")];
    const after = [d(7, "quota short"), d(8, "quota short"), d(2, "other")];
    expect(diagnosticDelta(before, after)).toEqual({ added: [d(8, "quota short"), d(2, "other")], removed: [d(9, "pool full", "BERTH0610")] });
  });
});

describe("risk groups", () => {
  test("without a base plan (a revision before the specs), every tenant is new: its access objects are one line", () => {
    const owner = { cluster: "prod", tenant: "team-b" };
    const added = [
      obj("NetworkPolicy", "default-deny"),
      obj("NetworkPolicy", "allow-dns"),
      { ...obj("RoleBinding", "edit-team-b"), subjects: [{ kind: "Group", name: "team-b" }], roleRef: { kind: "ClusterRole", name: "edit" } },
    ];
    const changes = diffRenders(
      [],
      added.map((o) => at(o, `clusters/prod/platform/tenants/team-b/${o.metadata.name}.yaml`, owner)),
    );
    const risks = assessRisks(changes);
    expect(risks).toHaveLength(3);
    expect(groupRisks(risks, changes)).toEqual([
      {
        kind: "access",
        cluster: "prod",
        tenant: "team-b",
        subject: "tenant team-b",
        count: 3,
        risks,
        message: "guardrails of the new tenant: 3 access objects (2 NetworkPolicy, 1 RoleBinding); binds Group team-b to ClusterRole edit",
      },
    ]);
  });

  const risk = (cluster: string, tenant: string | undefined, model: string | undefined, subject: string, message: string) => ({
    kind: "access" as const,
    cluster,
    ...(tenant ? { tenant } : {}),
    ...(model ? { model } : {}),
    subject,
    message,
  });

  test("one message on objects of several tenants and models (a platform setting) is one line per cluster, naming what it spans", () => {
    const issuer = "spec.jwtRules[0].issuer: https://a → https://b";
    const risks = [
      risk("prod", undefined, undefined, "RequestAuthentication istio-system/berth-ingress-jwt", issuer),
      risk("prod", "t1", undefined, "RequestAuthentication t1/berth-jwt", issuer),
      risk("prod", "t2", undefined, "RequestAuthentication t2/berth-jwt", issuer),
      risk("prod", "t1", "a", "AuthorizationPolicy t1/a", "principals"),
      risk("prod", "t1", "b", "AuthorizationPolicy t1/b", "principals"),
      risk("staging", "t1", undefined, "RequestAuthentication t1/berth-jwt", issuer),
    ];
    const groups = groupRisks(risks, []);
    expect(groups.map((g) => [g.cluster, riskPlace(g), g.subject, g.message, g.count])).toEqual([
      ["prod", "platform and 2 tenants", "3 RequestAuthentication", issuer, 3],
      ["prod", "t1 / 2 models", "2 AuthorizationPolicy", "principals", 2],
      ["staging", "t1", "RequestAuthentication t1/berth-jwt", issuer, 1],
    ]);
    expect(groups[1]).toMatchObject({ tenant: "t1" });
    expect(groups[1]!.model).toBeUndefined();
  });

  test("different messages stay apart; a lone risk is its own line, unchanged", () => {
    const risks = [
      risk("prod", "t", "a", "HorizontalPodAutoscaler t/a-v1", "spec.maxReplicas: 4 → 8"),
      risk("prod", "t", "a", "HorizontalPodAutoscaler t/a-v2", "spec.maxReplicas: 4 → 6"),
    ];
    expect(groupRisks(risks, [])).toEqual(risks.map((r) => ({ ...r, count: 1, risks: [r] })));
  });
});

describe("escaping in the new sections", () => {
  const hostile: LocatedDiagnostic = {
    file: "tenants/a,b:c.yaml",
    line: 3,
    column: 4,
    severity: "warning",
    code: "BERTH0503",
    message: "x | y <img src=z>\n## injected",
    hint: "h\n::error::no",
  };

  test("markdown keeps diagnostics and grouped risks inside their cells; github keeps them inside one command", () => {
    const members = [
      { kind: "access" as const, cluster: "prod", tenant: "t", subject: "RoleBinding t/a|b", message: "<b>m</b>" },
      { kind: "access" as const, cluster: "prod", tenant: "t", subject: "RoleBinding t/c", message: "<b>m</b>" },
    ];
    const report = {
      base: { ref: "main", commit: "abc" },
      changes: [],
      risks: members,
      riskGroups: groupRisks(members, []),
      diagnosticsAdded: [hostile],
      diagnosticsRemoved: [],
    };
    const md = formatMarkdown(report);
    expect(md).toContain("| ⚠️ | new warning | tenants/a,b:c.yaml:3:4 | BERTH0503 | x \\| y &lt;img src=z&gt;\\n## injected<br>hint: h\\n::error::no |");
    const full = formatMarkdown({ ...report, changes: diffRenders([], [at(obj("ConfigMap", "c"), "f", { cluster: "prod" })]) });
    expect(full).toContain("| RoleBinding t/a\\|b | &lt;b&gt;m&lt;/b&gt; |");
    const gh = formatAnnotations(report);
    expect(gh.split("\n").filter((l) => l.startsWith("::"))).toHaveLength(2);
    expect(gh).toContain(
      "::warning file=tenants/a%2Cb%3Ac.yaml,line=3,col=4,title=berth diff%3A new BERTH0503::x | y <img src=z>%0A## injected (hint: h%0A::error::no)\n",
    );
  });
});
