// Argo CD delivery: the app of apps, the projects' confinement, and the verifier that proves
// every rendered object is synced by exactly one Application whose project admits it.
import fc from "fast-check";
import { Diagnostics } from "../../compiler/diagnostics.js";
import { APP_WAVE, SYNC_OPTIONS } from "../../compiler/emit/gitops.js";
import { CLUSTER_SCOPED_KINDS, IN_CLUSTER, TENANT_KINDS, tenantProject } from "../../compiler/emit/gitops-projects.js";
import { SYNC_WAVE } from "../../compiler/emit/meta.js";
import type { KubeObject, Rendered } from "../../compiler/emit/types.js";
import type { TenantPlan } from "../../compiler/plan/types.js";
import { verifyGitops } from "../../compiler/verify/gitops.js";
import { compileFiles, edit, MODEL, TENANT } from "../helpers/fixture.js";
import { runTable } from "../helpers/table.js";

const REPO = "https://git.example.com/ml/ai-platform.git";

function compiled(changes = {}) {
  const result = compileFiles(changes);
  expect(result.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
  return result;
}

const byPath = (objects: readonly Rendered[], path: string) => {
  const r = objects.find((o) => o.path === path);
  if (!r) throw new Error(`nothing rendered at ${path}; have ${objects.map((o) => o.path).join(", ")}`);
  return r;
};

/** Runs the verifier on a copy of the objects after `mutate`; returns the codes it reports. */
function verifyAfter(mutate: (objects: Rendered[]) => Rendered[]): { code: string; message: string }[] {
  const result = compiled();
  const copy = result.objects.map((r) => ({ ...r, object: structuredClone(r.object) }));
  const diags = new Diagnostics();
  verifyGitops(result.plan!, mutate(copy), diags);
  return diags.items.map((d) => ({ code: d.code, message: d.message }));
}

describe("app of apps", () => {
  const { objects } = compiled();

  test("bootstrap holds the root app and its project, pointing at apps/", () => {
    const root = byPath(objects, "clusters/prod/bootstrap/application-berth-root.yaml").object as KubeObject & { spec: any };
    expect(root.metadata.namespace).toBe("argocd");
    expect(root.spec.project).toBe("berth-bootstrap");
    expect(root.spec.source).toEqual({ repoURL: REPO, targetRevision: "main", path: "clusters/prod/apps" });
    expect(root.metadata).not.toHaveProperty("finalizers"); // deleting the root never cascades
    const project = byPath(objects, "clusters/prod/bootstrap/appproject-berth-bootstrap.yaml").object as any;
    expect(project.spec.destinations).toEqual([{ server: IN_CLUSTER, namespace: "argocd" }]);
    expect(project.spec.clusterResourceWhitelist).toEqual([]);
  });

  test("a model's Application syncs its own folder, recursively, into its tenant's namespace, in its tenant's project", () => {
    const app = byPath(objects, "clusters/prod/apps/application-model-fraud.yaml").object as any;
    expect(objects.some((r) => r.path === "clusters/prod/apps/application-tenant-team-a.yaml")).toBe(false);
    // Argo CD regenerates it only for commits to its own folder (manifest-generate-paths).
    expect(app.metadata.annotations["argocd.argoproj.io/manifest-generate-paths"]).toBe(".");
    expect(app.metadata.labels).toMatchObject({ "app.kubernetes.io/name": "fraud", "berth.dev/tenant": "team-a" });
    expect(app.spec).toEqual({
      project: "tenant-team-a",
      source: { repoURL: REPO, targetRevision: "main", path: "clusters/prod/tenants/team-a/fraud", directory: { recurse: true } },
      destination: { server: IN_CLUSTER, namespace: "team-a" },
      syncPolicy: {
        automated: { prune: true, selfHeal: true },
        syncOptions: [...SYNC_OPTIONS],
        retry: { limit: 5, backoff: { duration: "10s", factor: 2, maxDuration: "3m" } },
      },
    });
    expect(app.metadata.finalizers).toEqual(["resources-finalizer.argocd.argoproj.io"]);
  });

  test("every Application applies server-side, never creates namespaces, and ignores no field", () => {
    const apps = objects.filter((r) => r.object.kind === "Application").map((r) => r.object as any);
    expect(apps.length).toBeGreaterThan(1);
    for (const app of apps) {
      expect(app.spec.syncOptions ?? app.spec.syncPolicy.syncOptions).toEqual(expect.arrayContaining(["ServerSideApply=true", "CreateNamespace=false"]));
      // Charts of the platform layer ignore the webhook CA bundles their controllers patch (platform-layer-apps.ts).
      if (!app.spec.source.chart) expect(app.spec).not.toHaveProperty("ignoreDifferences");
    }
  });

  test("no Deployment under an HPA carries spec.replicas, so the replica count is never a diff", () => {
    const deployments = objects.filter((r) => r.object.kind === "Deployment").map((r) => r.object as any);
    const hpaTargets = new Set(objects.filter((r) => r.object.kind === "HorizontalPodAutoscaler").map((r) => (r.object as any).spec.scaleTargetRef.name));
    expect(hpaTargets.size).toBeGreaterThan(0);
    for (const d of deployments) if (hpaTargets.has(d.metadata.name)) expect(d.spec).not.toHaveProperty("replicas");
  });

  test("root-level waves: projects, then the platform, then tenants", () => {
    const wave = (p: string) => Number(byPath(objects, p).object.metadata.annotations?.[SYNC_WAVE]);
    expect(wave("clusters/prod/apps/appproject-tenant-team-a.yaml")).toBe(Number(APP_WAVE.projects));
    expect(wave("clusters/prod/apps/appproject-berth-platform.yaml")).toBe(Number(APP_WAVE.projects));
    expect(wave("clusters/prod/apps/application-model-fraud.yaml")).toBe(Number(APP_WAVE.tenants));
    expect(Number(APP_WAVE.projects)).toBeLessThan(Number(APP_WAVE.platform));
    expect(Number(APP_WAVE.platform)).toBeLessThan(Number(APP_WAVE.tenants));
  });

  test("a tenant with no model on a cluster gets its project but no Application (git has no folder to sync)", () => {
    const { objects: objs } = compiled({ "models/team-a/fraud.yaml": null });
    expect(objs.some((r) => r.path === "clusters/prod/apps/appproject-tenant-team-a.yaml")).toBe(true);
    expect(
      objs.some((r) => r.path === "clusters/prod/apps/application-tenant-team-a.yaml" || r.path === "clusters/prod/apps/application-model-fraud.yaml"),
    ).toBe(false);
  });

  test("without platform objects there is no platform Application, but the platform project stays", () => {
    expect(objects.some((r) => r.path === "clusters/prod/apps/appproject-berth-platform.yaml")).toBe(true);
    const platformObjects = objects.filter((r) => r.path.startsWith("clusters/prod/platform/"));
    expect(objects.some((r) => r.path === "clusters/prod/apps/application-berth-platform.yaml")).toBe(platformObjects.length > 0);
  });

  test("tenant roles: every access group reads, edit and admin groups may sync", () => {
    const tenant = edit(TENANT, "- {group: team-a, role: edit}", "- {group: team-a, role: edit}\n    - {group: auditors, role: view}");
    const project = byPath(compiled({ "tenants/team-a.yaml": tenant }).objects, "clusters/prod/apps/appproject-tenant-team-a.yaml").object as any;
    expect(project.spec.roles.map((r: any) => [r.name, r.groups])).toEqual([
      ["read", ["auditors", "team-a"]],
      ["deploy", ["team-a"]],
    ]);
  });
});

describe("tenant projects are confined by construction", () => {
  test("no tenant kind is cluster-scoped", () => {
    for (const k of TENANT_KINDS) expect(CLUSTER_SCOPED_KINDS.has(k.kind)).toBe(false);
  });

  const label = fc.stringMatching(/^[a-z0-9]([-a-z0-9]{0,20}[a-z0-9])?$/);
  const tenantPlan = fc.record({
    name: label,
    namespace: label,
    access: fc.array(fc.record({ group: label, role: fc.constantFrom("view" as const, "edit" as const, "admin" as const) }), { maxLength: 4 }),
  });

  test("whatever the tenant, its project reaches its namespace on this cluster, and namespaced kinds only", () => {
    fc.assert(
      fc.property(tenantPlan, ({ name, namespace, access }) => {
        const t = {
          name,
          namespace,
          file: `tenants/${name}.yaml`,
          spec: { owners: ["@x/y"], clusters: ["prod"], quota: { cpu: "1", memory: "1Gi", pods: 1 }, access },
          priority: 0,
          priorityClassName: "berth-tier-0",
        } as TenantPlan;
        const p = tenantProject(t, REPO, {});
        expect(p.spec.destinations).toEqual([{ server: IN_CLUSTER, namespace }]);
        expect(p.spec.clusterResourceWhitelist).toEqual([]);
        expect(p.spec.sourceRepos).toEqual([REPO]);
        expect(p.spec.namespaceResourceWhitelist).toEqual(TENANT_KINDS.map((k) => ({ ...k })));
        for (const role of p.spec.roles ?? [])
          for (const pol of role.policies ?? [])
            expect(pol).toMatch(new RegExp(`^p, proj:tenant-${name}:\\w+, applications, (get|sync), tenant-${name}/\\*, allow$`));
      }),
    );
  });

  test("the verifier finds nothing to report on a valid render", () => {
    expect(verifyAfter((o) => o)).toEqual([]);
  });
});

describe("the delivery verifier fires on hand-broken objects", () => {
  const tenantProjectPath = "clusters/prod/apps/appproject-tenant-team-a.yaml";
  const spec = (objects: Rendered[], path: string) => (objects.find((r) => r.path === path)!.object as any).spec;

  test("BERTH0803: a tenant project with a wildcard namespace", () => {
    const found = verifyAfter((o) => {
      spec(o, tenantProjectPath).destinations = [{ server: IN_CLUSTER, namespace: "*" }];
      return o;
    });
    expect(found).toContainEqual({ code: "BERTH0803", message: expect.stringMatching(/destination namespace "\*" is not the tenant's namespace team-a/) });
  });

  test("BERTH0803: a tenant project admitting a cluster-scoped kind or another cluster", () => {
    const found = verifyAfter((o) => {
      spec(o, tenantProjectPath).clusterResourceWhitelist = [{ group: "rbac.authorization.k8s.io", kind: "ClusterRoleBinding" }];
      spec(o, tenantProjectPath).destinations.push({ server: "https://other.example.com", namespace: "team-a" });
      return o;
    });
    expect(found.map((f) => f.code)).toEqual(["BERTH0803", "BERTH0803"]);
    expect(found.map((f) => f.message).join("\n")).toMatch(/ClusterRoleBinding[\s\S]*other\.example\.com|other\.example\.com[\s\S]*ClusterRoleBinding/);
  });

  test("BERTH0801: an object of a kind its project does not admit", () => {
    const found = verifyAfter((o) => {
      spec(o, tenantProjectPath).namespaceResourceWhitelist = spec(o, tenantProjectPath).namespaceResourceWhitelist.filter((k: any) => k.kind !== "Deployment");
      return o;
    });
    expect(found).toContainEqual({
      code: "BERTH0801",
      message: expect.stringMatching(
        /^Deployment team-a\/fraud-v1-0-0 .*kind apps\/Deployment is not in AppProject tenant-team-a's namespaceResourceWhitelist/,
      ),
    });
  });

  test("BERTH0801: an object in a namespace outside its project", () => {
    const found = verifyAfter((o) => {
      o.find((r) => r.object.kind === "Service")!.object.metadata.namespace = "kube-system";
      return o;
    });
    expect(found).toContainEqual({
      code: "BERTH0801",
      message: expect.stringMatching(/namespace kube-system is not among AppProject tenant-team-a's destinations/),
    });
  });

  test("BERTH0802: an object in a folder no Application syncs, and eksctl/ synced by an Application", () => {
    const stray = (path: string, kind: string): Rendered => ({
      path,
      object: { apiVersion: "v1", kind, metadata: { name: "x", namespace: "team-a" } },
      sources: [],
      origin: { file: "platform/platform.yaml", path: [] },
      owner: { cluster: "prod" },
    });
    expect(verifyAfter((o) => [...o, stray("clusters/prod/eksctl/clusterconfig-prod.yaml", "ClusterConfig")])).toEqual([]);
    const found = verifyAfter((o) => [...o, stray("clusters/prod/extra/configmap-x.yaml", "ConfigMap")]);
    expect(found).toEqual([{ code: "BERTH0802", message: expect.stringMatching(/ConfigMap team-a\/x .* is synced by no Application/) }]);
    const synced = verifyAfter((o) => {
      spec(o, "clusters/prod/bootstrap/application-berth-root.yaml").source.path = "clusters/prod";
      spec(o, "clusters/prod/bootstrap/application-berth-root.yaml").source.directory = { recurse: true };
      return [...o, stray("clusters/prod/eksctl/clusterconfig-prod.yaml", "ClusterConfig")];
    });
    expect(synced.some((f) => f.code === "BERTH0802" && /eksctl\/ is applied by hand/.test(f.message))).toBe(true);
  });
});

describe("derived Argo CD names", () => {
  const long = "f".repeat(58);
  runTable([
    {
      name: "BERTH0401: a model name that makes its Application name longer than 63",
      files: {
        "models/team-a/fraud.yaml": null,
        [`models/team-a/${long}.yaml`]: edit(edit(edit(MODEL, "name: fraud", `name: ${long}`), "name: v1.0.0", "name: v1"), "name: v1.1.0", "name: v2").replace(
          "version: v1.1.0",
          "version: v2",
        ),
      },
      expect: [{ code: "BERTH0401", file: `models/team-a/${long}.yaml`, line: 4, column: 9, message: /derived Argo CD name "model-f{58}" is 64 characters/ }],
    },
  ]);
});
