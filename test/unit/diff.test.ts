// The semantic diff on hand-made objects: field paths, keyed lists, and each risk rule,
// including kinds other helpers render (Istio, RBAC, quotas, eksctl).
import { diffRenders, inline } from "../../compiler/diff/match.js";
import { formatJson, formatMarkdown, formatText, COMMENT_MARKER } from "../../compiler/report/diff.js";
import { assessRisks } from "../../compiler/diff/risks.js";
import type { KubeObject, Owner, Rendered } from "../../compiler/emit/types.js";

/** An object; namespace null makes it cluster-scoped. */
function obj(apiVersion: string, kind: string, name: string, rest: Record<string, unknown> = {}, namespace: string | null = "team-a"): KubeObject {
  return { apiVersion, kind, metadata: { name, ...(namespace ? { namespace } : {}) }, ...rest };
}

function at(object: KubeObject, path: string, owner: Owner = { cluster: "prod", tenant: "team-a", model: "fraud" }): Rendered {
  return { path, object, sources: [], origin: { file: "x.yaml", path: [] }, owner };
}

const risksOf = (before: Rendered[], after: Rendered[]) => assessRisks(diffRenders(before, after));

describe("field diff", () => {
  test("list items are matched by name; paths quote keys that are not identifiers", () => {
    const a = obj("apps/v1", "Deployment", "d", {
      spec: {
        template: {
          metadata: { labels: { "app.kubernetes.io/name": "x" } },
          spec: {
            containers: [
              {
                name: "model",
                env: [
                  { name: "A", value: "1" },
                  { name: "B", value: "2" },
                ],
              },
            ],
          },
        },
      },
    });
    const b = structuredClone(a) as any;
    b.spec.template.metadata.labels["app.kubernetes.io/name"] = "y";
    b.spec.template.spec.containers[0].env = [
      { name: "C", value: "3" },
      { name: "B", value: "20" },
    ];
    const [change] = diffRenders([at(a, "f")], [at(b, "f")]);
    expect(change!.fields).toEqual([
      { path: 'spec.template.metadata.labels["app.kubernetes.io/name"]', op: "changed", old: "x", new: "y" },
      { path: "spec.template.spec.containers[name=model].env[name=A]", op: "removed", old: { name: "A", value: "1" } },
      { path: "spec.template.spec.containers[name=model].env[name=B].value", op: "changed", old: "2", new: "20" },
      { path: "spec.template.spec.containers[name=model].env[name=C]", op: "added", new: { name: "C", value: "3" } },
    ]);
  });

  test("a reorder of kept keyed items is reported (first-match route lists depend on it)", () => {
    const vs = (names: string[]) =>
      obj("networking.istio.io/v1beta1", "VirtualService", "models", { spec: { http: names.map((name) => ({ name })) } }, "istio-system");
    const [change] = diffRenders([at(vs(["a", "b"]), "f")], [at(vs(["b", "a"]), "f")]);
    expect(change!.fields).toEqual([{ path: "spec.http[*]", op: "changed", old: ["a", "b"], new: ["b", "a"] }]);
  });

  test("lists of scalars change as a whole; objects move files without being re-created", () => {
    const a = obj("argoproj.io/v1alpha1", "AppProject", "p", { spec: { sourceRepos: ["a"] } }, "argocd");
    const b = obj("argoproj.io/v1alpha1", "AppProject", "p", { spec: { sourceRepos: ["a", "b"] } }, "argocd");
    const changes = diffRenders([at(a, "old/place.yaml")], [at(b, "new/place.yaml")]);
    expect(changes.map((c) => [c.change, c.file, c.fields])).toEqual([
      ["changed", "new/place.yaml", [{ path: "spec.sourceRepos", op: "changed", old: ["a"], new: ["a", "b"] }]],
    ]);
  });

  test("inline values read as YAML flow", () => {
    expect(inline("500m")).toBe("500m");
    expect(inline("2")).toBe('"2"');
    expect(inline("on")).toBe('"on"');
    expect(inline({ cpu: "1", memory: "1Gi" })).toBe('{cpu: "1", memory: 1Gi}');
    expect(inline(["a b", 3])).toBe('["a b", 3]');
    expect(inline("x".repeat(300)).length).toBe(160);
  });
});

describe("risk rules", () => {
  test("a Service whose type changes, and one whose clusterIP changes: immutable", () => {
    const svc = (spec: object) => obj("v1", "Service", "fraud", { spec });
    const risks = risksOf([at(svc({ type: "ClusterIP", clusterIP: "10.0.0.1" }), "f")], [at(svc({ type: "NodePort", clusterIP: "10.0.0.2" }), "f")]);
    expect(risks.map((r) => [r.kind, r.message.split(":")[0]])).toEqual([
      ["immutable", "spec.clusterIP is immutable"],
      ["immutable", "spec.type changes how the Service is reached (and releases or allocates node ports or load balancers) (spec.type"],
    ]);
  });

  test("a Service selector change is a traffic risk: it sends requests to other pods", () => {
    const svc = (v: string) => obj("v1", "Service", "fraud", { spec: { selector: { app: v } } });
    expect(risksOf([at(svc("a"), "f")], [at(svc("b"), "f")])).toEqual([expect.objectContaining({ kind: "traffic", message: "spec.selector.app: a → b" })]);
  });

  test("quota and pool sizes are capacity; eksctl changes are applied by hand", () => {
    const platform = { cluster: "prod" };
    const quota = (cpu: string) => obj("v1", "ResourceQuota", "team-a", { spec: { hard: { "requests.cpu": cpu } } });
    const eks = (max: number) =>
      obj("eksctl.io/v1alpha5", "ClusterConfig", "prod", { managedNodeGroups: [{ name: "general", minSize: 2, maxSize: max }] }, null);
    const risks = risksOf(
      [at(quota("40"), "clusters/prod/platform/tenants/team-a/q.yaml", platform), at(eks(10), "clusters/prod/eksctl/cluster.yaml", platform)],
      [at(quota("20"), "clusters/prod/platform/tenants/team-a/q.yaml", platform), at(eks(6), "clusters/prod/eksctl/cluster.yaml", platform)],
    );
    expect(risks.map((r) => `${r.kind}: ${r.message}`)).toEqual([
      "capacity: managedNodeGroups[name=general].maxSize: 10 → 6",
      'capacity: spec.hard["requests.cpu"]: "40" → "20"',
      expect.stringMatching(/^manual: changed: Argo CD never applies the eksctl config; run eksctl against clusters\/prod\/eksctl\/cluster\.yaml/),
    ]);
  });

  test("an HPA taking over removes spec.replicas: capacity, with the reset-to-1 warning", () => {
    const d = (replicas?: number) => obj("apps/v1", "Deployment", "fraud-v1", { spec: { ...(replicas ? { replicas } : {}), selector: {} } });
    const [risk] = risksOf([at(d(2), "f")], [at(d(), "f")]);
    expect(risk).toEqual(
      expect.objectContaining({
        kind: "capacity",
        message: expect.stringMatching(/^spec\.replicas: − 2; spec\.replicas leaves the manifest as the HPA takes over/),
      }),
    );
  });

  test("RoleBindings and AuthorizationPolicies: added, changed and removed are access risks", () => {
    const rb = (groups: string[]) =>
      obj("rbac.authorization.k8s.io/v1", "RoleBinding", "team-a-edit", {
        subjects: groups.map((name) => ({ kind: "Group", name, apiGroup: "rbac.authorization.k8s.io" })),
        roleRef: { kind: "ClusterRole", name: "edit", apiGroup: "rbac.authorization.k8s.io" },
      });
    const ap = obj("security.istio.io/v1beta1", "AuthorizationPolicy", "fraud", {
      spec: { action: "ALLOW", rules: [{ when: [{ key: "request.auth.claims[groups]", values: ["team-a"] }] }] },
    });
    const tenant = { cluster: "prod", tenant: "team-a" };
    const risks = risksOf(
      [at(rb(["team-a"]), "p/rb.yaml", tenant), at(ap, "t/ap.yaml"), at(obj("v1", "ServiceAccount", "fraud"), "t/sa.yaml")],
      [
        at(rb(["team-a", "contractors"]), "p/rb.yaml", tenant),
        at(obj("v1", "ServiceAccount", "fraud"), "t/sa.yaml"),
        at(
          obj("rbac.authorization.k8s.io/v1", "RoleBinding", "new", {
            subjects: [{ kind: "Group", name: "x" }],
            roleRef: { kind: "ClusterRole", name: "view" },
          }),
          "p/rb2.yaml",
          tenant,
        ),
      ],
    );
    expect(risks.filter((r) => r.kind === "access").map((r) => `${r.subject}: ${r.message}`)).toEqual([
      "RoleBinding team-a/new: new RoleBinding: binds Group x to ClusterRole view",
      "RoleBinding team-a/team-a-edit: subjects[name=contractors] added",
      "AuthorizationPolicy team-a/fraud: removed: where no ALLOW policy selects a workload, Istio admits every caller",
    ]);
  });

  test("an AppProject reaching a new namespace is an access risk", () => {
    const p = (ns: string[]) =>
      obj(
        "argoproj.io/v1alpha1",
        "AppProject",
        "berth-platform",
        { spec: { destinations: ns.map((namespace) => ({ server: "https://kubernetes.default.svc", namespace })) } },
        "argocd",
      );
    const risks = risksOf([at(p(["a"]), "f", { cluster: "prod" })], [at(p(["a", "b"]), "f", { cluster: "prod" })]);
    expect(risks).toEqual([expect.objectContaining({ kind: "access", message: "spec.destinations[namespace=b] added" })]);
  });

  test("VirtualService route changes other than weights are traffic risks; weights come from the plans", () => {
    const vs = (weight: number, timeout: string) =>
      obj(
        "networking.istio.io/v1beta1",
        "VirtualService",
        "models",
        { spec: { http: [{ name: "fraud", timeout, route: [{ destination: { host: "fraud", subset: "v1" }, weight }] }] } },
        "istio-system",
      );
    const risks = risksOf([at(vs(90, "30s"), "f", { cluster: "prod" })], [at(vs(50, "60s"), "f", { cluster: "prod" })]);
    expect(risks.map((r) => r.message)).toEqual(["spec.http[name=fraud].timeout: 30s → 60s"]);
    const [change] = diffRenders([at(vs(90, "30s"), "f")], [at(vs(50, "30s"), "f")]);
    expect(change!.fields).toEqual([{ path: "spec.http[name=fraud].route[subset=v1].weight", op: "changed", old: 90, new: 50 }]);
  });

  test("a removed Namespace waits for confirmation; a removed Application cascades", () => {
    const platform = { cluster: "prod" };
    const risks = risksOf(
      [
        at(obj("v1", "Namespace", "team-a", {}, null), "clusters/prod/platform/tenants/team-a/namespace-team-a.yaml", platform),
        at(obj("argoproj.io/v1alpha1", "Application", "tenant-team-a", {}, "argocd"), "clusters/prod/apps/application-tenant-team-a.yaml", {
          cluster: "prod",
          tenant: "team-a",
        }),
      ],
      [],
    );
    expect(risks.map((r) => `${r.kind} ${r.subject}: ${r.message}`)).toEqual([
      "deletion Namespace team-a: namespace deleted: Argo CD holds the prune until someone confirms it (Prune=confirm); confirming deletes everything left in it",
      "deletion Application argocd/tenant-team-a: Application deleted: Argo CD deletes every object it synced (cascade finalizer)",
    ]);
  });

  test("a Namespace label change (pod security, mesh injection) is an access risk", () => {
    const ns = (level: string) => ({
      ...obj("v1", "Namespace", "team-a", {}, null),
      metadata: { name: "team-a", labels: { "pod-security.kubernetes.io/enforce": level } },
    });
    const risks = risksOf([at(ns("restricted"), "f", { cluster: "prod", tenant: "team-a" })], [at(ns("baseline"), "f", { cluster: "prod", tenant: "team-a" })]);
    expect(risks).toEqual([
      expect.objectContaining({ kind: "access", message: 'metadata.labels["pod-security.kubernetes.io/enforce"]: restricted → baseline' }),
    ]);
  });

  test("a bootstrap change must be applied by hand", () => {
    const root = (rev: string) => obj("argoproj.io/v1alpha1", "Application", "berth-root", { spec: { source: { targetRevision: rev } } }, "argocd");
    const risks = risksOf(
      [at(root("main"), "clusters/prod/bootstrap/application-berth-root.yaml", { cluster: "prod" })],
      [at(root("release"), "clusters/prod/bootstrap/application-berth-root.yaml", { cluster: "prod" })],
    );
    expect(risks).toEqual([
      expect.objectContaining({
        kind: "manual",
        message: "changed: Argo CD does not sync bootstrap/; re-apply it by hand (kubectl apply -n argocd -f clusters/prod/bootstrap/)",
      }),
    ]);
  });
});

describe("markdown", () => {
  const report = (n: number) => {
    const before = Array.from({ length: n }, (_, i) =>
      at(
        obj("apps/v1", "Deployment", `m${i}-v1`, { spec: { template: { spec: { containers: [{ name: "model", image: `img:${"x".repeat(200)}1` }] } } } }),
        `f${i}`,
        { cluster: "prod", tenant: "t", model: `m${String(i).padStart(4, "0")}` },
      ),
    );
    const after = before.map((r) => ({ ...r, object: JSON.parse(JSON.stringify(r.object).replace(/x1"/, 'x2"')) as KubeObject }));
    const changes = diffRenders(before, after);
    return { base: { ref: "origin/main", commit: "0123456789abcdef" }, changes, risks: assessRisks(changes) };
  };

  test("table cells escape pipes and HTML; fences outgrow backticks in values", () => {
    const a = at(obj("v1", "ConfigMap", "c", { data: { k: "a|b" } }), "f", { cluster: "prod" });
    const b = at(obj("v1", "ConfigMap", "c", { data: { k: "```<x>" } }), "f", { cluster: "prod" });
    const changes = diffRenders([a], [b]);
    const md = formatMarkdown({ base: { ref: "main", commit: "abc" }, changes, risks: [{ kind: "access", cluster: "prod", subject: "x|y", message: "<b>" }] });
    expect(md).toContain("| 🔐 | access | prod | platform | x\\|y | &lt;b&gt; |");
    expect(md).toContain('````diff\n~ ConfigMap team-a/c\n-   data.k: "a|b"\n+   data.k: "```<x>"\n````');
  });

  test("a huge diff stays under GitHub's comment limit and says what it left out", () => {
    const md = formatMarkdown(report(600));
    expect(md.length).toBeLessThan(65_536);
    expect(md).toMatch(/_\d+ groups left out to fit a comment: run `npx berth diff --base origin\/main` for the full diff\._/);
    expect(md.startsWith(COMMENT_MARKER)).toBe(true);
  });

  test("text output groups by cluster, tenant and model", () => {
    const text = formatText(report(2));
    expect(text.split("\n").slice(0, 6)).toEqual([
      "berth diff origin/main (0123456789ab) → working tree: 2 changed, 0 added, 0 removed in 1 cluster",
      "",
      "cluster prod",
      "  tenant t",
      "    model m0000",
      "      ~ Deployment team-a/m0-v1  (f0)",
    ]);
  });
});

describe("the Argo CD Application each change lands in", () => {
  const cm = (data: string) => obj("v1", "ConfigMap", "c", { data: { k: data } });
  const pair = (path: string, owner: Owner) => diffRenders([at(cm("a"), path, owner)], [at(cm("b"), path, owner)])[0]!;

  test("a model's folder is its own Application; platform/ and apps/ are the platform's and the root's; bootstrap/ and eksctl/ none", () => {
    expect(pair("clusters/prod/tenants/team-a/fraud/configmap-c.yaml", { cluster: "prod", tenant: "team-a", model: "fraud" }).application).toBe("model-fraud");
    expect(pair("clusters/prod/tenants/team-a/embeddings/configmap-c.yaml", { cluster: "prod", tenant: "team-a" }).application).toBe(
      "tenant-team-a-embeddings",
    );
    expect(pair("clusters/prod/platform/tenants/team-a/configmap-c.yaml", { cluster: "prod", tenant: "team-a" }).application).toBe("berth-platform");
    expect(pair("clusters/prod/apps/configmap-c.yaml", { cluster: "prod" }).application).toBe("berth-root");
    expect(pair("clusters/prod/eksctl/cluster.yaml", { cluster: "prod" }).application).toBeUndefined();
  });

  test("text names it per object and per model; markdown in the changes table; JSON per change", () => {
    const c = pair("clusters/prod/tenants/team-a/fraud/configmap-c.yaml", { cluster: "prod", tenant: "team-a", model: "fraud" });
    const r = { base: { ref: "main", commit: "abc" }, changes: [c], risks: [] };
    const text = formatText(r);
    expect(text).toContain("    model fraud  (Application model-fraud)\n");
    expect(text).toContain("(clusters/prod/tenants/team-a/fraud/configmap-c.yaml, Application model-fraud)");
    expect(formatMarkdown(r)).toContain("| prod | team-a | fraud | model-fraud | 1 | 0 | 0 |");
    expect(JSON.parse(formatJson(r)).changes[0].application).toBe("model-fraud");
  });
});
