// Stores as rendered: a StatefulSet with a gp3 claim per replica, a headless Service, a PDB, and
// the network and mesh policies that admit exactly the models that use it.
import { applicationOf } from "../../compiler/emit/gitops.js";
import type { Rendered } from "../../compiler/emit/types.js";
import { poolDemands } from "../../compiler/verify/capacity.js";
import { compileFiles, edit, MODEL } from "../helpers/fixture.js";
import { PLATFORM_STORES, RANKER, RANKER_FILE, STORE_FILE, storeFiles } from "./fixtures.js";

type Any = any; // eslint-disable-line @typescript-eslint/no-explicit-any

function render(changes: Record<string, string | null> = {}) {
  const r = compileFiles({ ...storeFiles(), ...changes });
  expect(r.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
  return r;
}

const of = (r: { objects: Rendered[] }, kind: string, name: string, namespace?: string): Any =>
  r.objects.find((o) => o.object.kind === kind && o.object.metadata.name === name && (namespace === undefined || o.object.metadata.namespace === namespace))
    ?.object;

describe("a store", () => {
  const r = render();
  const sts = of(r, "StatefulSet", "vectors");

  test("a Store in models/<tenant>/ is told from a Model by its kind, and renders in its tenant's folder", () => {
    const paths = r.objects.filter((o) => o.sources.includes(STORE_FILE) && o.path.includes("/tenants/team-a/vectors/")).map((o) => o.path.split("/").pop());
    expect(paths.sort()).toEqual([
      "authorizationpolicy-vectors.yaml",
      "poddisruptionbudget-vectors.yaml",
      "service-vectors.yaml",
      "serviceaccount-vectors.yaml",
      "statefulset-vectors.yaml",
    ]);
  });

  test("one encrypted gp3 claim per replica, mounted writable at the engine's data path", () => {
    expect(sts.spec).toMatchObject({
      serviceName: "vectors",
      replicas: 2,
      persistentVolumeClaimRetentionPolicy: { whenDeleted: "Retain", whenScaled: "Retain" },
    });
    expect(sts.spec.volumeClaimTemplates).toEqual([
      {
        metadata: { name: "data", labels: expect.any(Object) },
        spec: { accessModes: ["ReadWriteOnce"], storageClassName: "gp3-encrypted", resources: { requests: { storage: "20Gi" } } },
      },
    ]);
    const pod = sts.spec.template.spec;
    expect(pod.containers[0].volumeMounts).toContainEqual({ name: "data", mountPath: "/qdrant/storage" });
    expect(pod.securityContext).toMatchObject({ runAsNonRoot: true, fsGroup: 65532, fsGroupChangePolicy: "OnRootMismatch" });
    expect(pod.containers[0].securityContext.readOnlyRootFilesystem).toBe(true);
    expect(pod.affinity.podAntiAffinity.requiredDuringSchedulingIgnoredDuringExecution[0].topologyKey).toBe("kubernetes.io/hostname");
  });

  test("ports and probes come from the catalogue: TCP probes without paths, HTTP with them", () => {
    const c = sts.spec.template.spec.containers[0];
    expect(c.image).toBe("123456789012.dkr.ecr.us-east-1.amazonaws.com/stores/qdrant:1.12.4");
    expect(c.ports).toEqual([
      { name: "store", containerPort: 6333, protocol: "TCP" },
      { name: "istio-metrics", containerPort: 15020, protocol: "TCP" },
    ]);
    expect(c.readinessProbe.tcpSocket).toEqual({ port: 6333 });
    const withProbes = edit(PLATFORM_STORES, "minStorage: 10Gi}", "minStorage: 10Gi, probes: {readiness: /readyz, liveness: /livez}}");
    const http = of(render({ "platform/platform.yaml": withProbes }), "StatefulSet", "vectors").spec.template.spec.containers[0];
    expect(http.readinessProbe.httpGet).toEqual({ path: "/readyz", port: 6333 });
    expect(http.livenessProbe.httpGet).toEqual({ path: "/livez", port: 6333 });
  });

  test("its own Argo CD Application syncs its folder, as a model's does: one store's failing sync holds up nothing else", () => {
    const app = of(r, "Application", "store-vectors");
    expect(app.spec.source.path).toBe("clusters/prod/tenants/team-a/vectors");
    expect(app.spec.project).toBe("tenant-team-a");
    expect(app.metadata.finalizers).toEqual(["resources-finalizer.argocd.argoproj.io"]);
    expect(of(r, "Application", "model-vectors")).toBeUndefined();
    expect(of(r, "Application", "tenant-team-a-vectors")).toBeUndefined();
    // diff names the same Application for each of the store's objects.
    const stsPath = r.objects.find((o) => o.object.kind === "StatefulSet")!;
    expect(applicationOf(stsPath.path, stsPath.owner)).toBe("store-vectors");
  });

  test("store pods get the mesh sizing, a proxy up before the engine, the tenant's tier and the pool's tolerations", () => {
    const tpl = sts.spec.template;
    expect(tpl.metadata.annotations).toMatchObject({
      "sidecar.istio.io/proxyCPU": "100m",
      "proxy.istio.io/config": JSON.stringify({ holdApplicationUntilProxyStarts: true }),
    });
    expect(tpl.spec.priorityClassName).toMatch(/^berth-tier-/);
    expect(tpl.spec.automountServiceAccountToken).toBe(false);
  });

  test("a headless Service and a PDB that lets one replica go at a time", () => {
    expect(of(r, "Service", "vectors").spec).toMatchObject({
      clusterIP: "None",
      selector: { "app.kubernetes.io/name": "vectors" },
      ports: [{ port: 6333, targetPort: 6333 }],
    });
    expect(of(r, "PodDisruptionBudget", "vectors").spec).toMatchObject({
      maxUnavailable: 1,
      selector: { matchLabels: { "app.kubernetes.io/name": "vectors" } },
    });
  });

  test("the StorageClass: once per cluster, encrypted gp3, bound where the pod lands, expandable", () => {
    const classes = r.objects.filter((o) => o.object.kind === "StorageClass");
    expect(classes.map((o) => o.path)).toEqual(["clusters/prod/platform-base/cluster/storageclass-gp3-encrypted.yaml"]);
    expect(classes[0]!.object).toMatchObject({
      provisioner: "ebs.csi.aws.com",
      parameters: { type: "gp3", encrypted: "true" },
      volumeBindingMode: "WaitForFirstConsumer",
      allowVolumeExpansion: true,
    });
    const platformProject = of(r, "AppProject", "berth-platform");
    expect(platformProject.spec.clusterResourceWhitelist).not.toContainEqual({ group: "storage.k8s.io", kind: "StorageClass" }); // the platform layer syncs it
    expect(of(r, "AppProject", "tenant-team-a").spec.namespaceResourceWhitelist).toEqual(
      expect.arrayContaining([
        { group: "apps", kind: "StatefulSet" },
        { group: "", kind: "PersistentVolumeClaim" },
      ]),
    );
  });
});

describe("who may reach a store", () => {
  // fraud (team-a, the store's own tenant) uses it too; a third model of team-b does not.
  const files = {
    "models/team-a/fraud.yaml": `${MODEL}  uses: [vectors]\n`,
    "models/team-b/other.yaml": edit(edit(RANKER, "name: ranker", "name: other"), "  uses: [vectors]\n", ""),
  };
  const r = render(files);

  test("ingress to the replicas from exactly the models that use it, by namespace, and from each other", () => {
    const np = of(r, "NetworkPolicy", "store-vectors", "team-a");
    expect(np.spec.podSelector).toEqual({ matchLabels: { "app.kubernetes.io/name": "vectors" } });
    expect(np.spec.ingress).toEqual([
      {
        from: [
          { podSelector: { matchExpressions: [{ key: "app.kubernetes.io/name", operator: "In", values: ["fraud"] }] } },
          {
            namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "team-b" } },
            podSelector: { matchExpressions: [{ key: "app.kubernetes.io/name", operator: "In", values: ["ranker"] }] },
          },
        ],
        ports: [{ protocol: "TCP", port: 6333 }],
      },
      { from: [{ podSelector: { matchLabels: { "app.kubernetes.io/name": "vectors" } } }] },
    ]);
  });

  test("egress to the store from the using models of each namespace, and no one else", () => {
    const b = of(r, "NetworkPolicy", "uses-vectors", "team-b");
    expect(b.spec.podSelector).toEqual({ matchExpressions: [{ key: "app.kubernetes.io/name", operator: "In", values: ["ranker"] }] });
    expect(b.spec.egress).toEqual([
      {
        to: [
          {
            namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "team-a" } },
            podSelector: { matchLabels: { "app.kubernetes.io/name": "vectors" } },
          },
        ],
        ports: [{ protocol: "TCP", port: 6333 }],
      },
    ]);
    const a = of(r, "NetworkPolicy", "uses-vectors", "team-a");
    expect(a.spec.egress[0].to).toEqual([{ podSelector: { matchLabels: { "app.kubernetes.io/name": "vectors" } } }]);
  });

  test("the clients' mesh learns the store's host (mutual TLS needs it in the registry); the store's own namespace has it already", () => {
    const hosts = (ns: string) => of(r, "Sidecar", "default", ns).spec.egress[0].hosts;
    expect(hosts("team-b")).toContain("team-a/vectors.team-a.svc.cluster.local");
    expect(hosts("team-a").filter((h: string) => h.includes("vectors"))).toEqual([]);
  });

  test("the mesh admits the same models by identity", () => {
    expect(of(r, "AuthorizationPolicy", "vectors").spec.rules).toEqual([
      { from: [{ source: { principals: ["cluster.local/ns/team-a/sa/vectors", "cluster.local/ns/team-a/sa/fraud", "cluster.local/ns/team-b/sa/ranker"] } }] },
    ]);
  });

  test("a store nobody uses admits its replicas only (an empty `from` would admit everyone)", () => {
    const alone = render({ [RANKER_FILE]: edit(RANKER, "  uses: [vectors]\n", "") });
    expect(of(alone, "NetworkPolicy", "store-vectors").spec.ingress).toEqual([
      { from: [{ podSelector: { matchLabels: { "app.kubernetes.io/name": "vectors" } } }] },
    ]);
    expect(alone.objects.filter((o) => o.object.metadata.name === "uses-vectors")).toEqual([]);
  });

  test("an override can drop `uses` on one cluster", () => {
    const dropped = render({ [RANKER_FILE]: `${RANKER}  overrides:\n    prod:\n      uses: []\n` });
    expect(dropped.objects.filter((o) => o.object.metadata.name === "uses-vectors")).toEqual([]);
  });
});

describe("stores in quota and the scheduling proof", () => {
  test("every replica counts, sidecar included, each with one EBS volume, one per node", () => {
    const r = render();
    const general = poolDemands(r.plan!).find((d) => d.pool.spec.name === "general")!;
    const store = general.models.find((m) => m.kind === "store")!;
    expect(store).toMatchObject({ name: "vectors", minPods: 2, maxPods: 2, spread: true, pod: { cpuMilli: 600, volumes: 1 } });
    expect(general.min.requests.volumes).toBe(2);
    // m5.large: 28 shared attachments, less the root volume and 3 network interfaces.
    expect(general.pool.node!.volumes).toBe(24);
  });

  test("store replicas count in the tenant's quota", () => {
    const tight = edit(storeFiles()["tenants/team-a.yaml"] as string, "pods: 100", "pods: 5");
    const r = compileFiles({ ...storeFiles(), "tenants/team-a.yaml": tight });
    expect(r.diagnostics.map((d) => d.code)).toContain("BERTH0502");
    expect(r.diagnostics.find((d) => d.code === "BERTH0502")!.message).toMatch(
      /request 6 pods at minimum replicas; quota\.pods is 5; largest: fraud 4, vectors 2/,
    );
  });
});
