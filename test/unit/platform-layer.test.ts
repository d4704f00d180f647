// The platform layer: the catalogue covers every Kubernetes minor berth renders for, the chart
// Applications carry values derived from the specs, the waves put installers first (and the
// verifier notices when they do not), and diff names a chart or Kubernetes upgrade as such.
import { ADDON_CHARTS, ADDON_NAMES, NEWEST_MINOR, OLDEST_MINOR, defaultRelease } from "../../compiler/catalogue/addons.js";
import { Diagnostics } from "../../compiler/diagnostics.js";
import { diffRenders } from "../../compiler/diff/match.js";
import { assessRisks } from "../../compiler/diff/risks.js";
import { formatMarkdown } from "../../compiler/report/diff.js";
import { mergeValues } from "../../compiler/emit/addon-values.js";
import type { KubeObject, Rendered } from "../../compiler/emit/types.js";
import { verifyInstalls } from "../../compiler/verify/installs.js";
import { CLUSTER, PLATFORM, compileFiles, edit } from "../helpers/fixture.js";

type Any = any; // eslint-disable-line @typescript-eslint/no-explicit-any

function compileOk(changes = {}) {
  const result = compileFiles(changes);
  expect(result.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
  return result;
}

const app = (objects: readonly Rendered[], name: string) =>
  objects.find((r) => r.object.kind === "Application" && r.object.metadata.name === name)!.object as Any;
const wave = (o: Any) => Number(o.metadata.annotations["argocd.argoproj.io/sync-wave"]);

describe("catalogue", () => {
  test.each(ADDON_NAMES)("%s has a known-good release for every Kubernetes minor berth renders for", (name) => {
    for (let minor = OLDEST_MINOR; minor <= NEWEST_MINOR; minor++) {
      const release = defaultRelease(name, minor);
      expect(release).toBeDefined();
      expect(release!.version).toMatch(/^\d+\.\d+\.\d+$/);
    }
  });

  test("the autoscaler's minor always equals the cluster's", () => {
    for (let minor = OLDEST_MINOR; minor <= NEWEST_MINOR; minor++)
      expect(defaultRelease("cluster-autoscaler", minor)!.appVersion).toMatch(new RegExp(`^1\\.${minor}\\.`));
  });

  test("one Kubernetes minor up moves Istio at most one minor up (Istio upgrades one minor at a time)", () => {
    const istioMinor = (k: number) => Number(defaultRelease("istiod", k)!.version.split(".")[1]);
    for (let minor = OLDEST_MINOR; minor < NEWEST_MINOR; minor++) expect(istioMinor(minor + 1) - istioMinor(minor)).toBeLessThanOrEqual(1);
  });

  test("mid-upgrade, Istio's pick for either Kubernetes minor supports both", () => {
    for (let minor = OLDEST_MINOR; minor < NEWEST_MINOR; minor++)
      for (const pick of [defaultRelease("istiod", minor)!, defaultRelease("istiod", minor + 1)!]) {
        expect(pick.kubernetes.min).toBeLessThanOrEqual(minor);
        expect(pick.kubernetes.max).toBeGreaterThanOrEqual(minor + 1);
      }
  });

  test("the four Istio charts share one release list, so they default to one version", () => {
    for (let minor = OLDEST_MINOR; minor <= NEWEST_MINOR; minor++)
      expect(new Set(["istio-base", "istio-cni", "istiod", "istio-gateway"].map((n) => defaultRelease(n as Any, minor)!.version)).size).toBe(1);
    expect(ADDON_CHARTS.istiod.repoURL).toBe("https://istio-release.storage.googleapis.com/charts");
  });
});

describe("Applications of pinned charts", () => {
  const { objects } = compileOk();

  test("one Application per component, each an exact chart version from its repository, valid against the strict schema", () => {
    const charts = objects.filter((r) => r.object.kind === "Application" && (r.object.spec as Any).source.chart).map((r) => r.object as Any);
    // prometheus-adapter only where the platform asks for it (test/unit/metrics-adapter.test.ts).
    expect(charts.map((a) => a.metadata.name).sort()).toEqual(
      ADDON_NAMES.filter((n) => n !== "prometheus-adapter")
        .map((n) => `platform-${n}`)
        .sort(),
    );
    for (const a of charts) {
      expect(a.spec.source.targetRevision).toMatch(/^\d+\.\d+\.\d+$/);
      expect(a.spec.project).toBe("berth-platform-layer");
    }
    expect(app(objects, "platform-cluster-autoscaler").spec.source).toMatchObject({
      repoURL: "https://kubernetes.github.io/autoscaler",
      chart: "cluster-autoscaler",
      targetRevision: "9.59.0",
    });
  });

  test("autoscaler: auto-discovery of this cluster in its region, as the ServiceAccount eksctl gave IAM permissions", () => {
    const a = app(objects, "platform-cluster-autoscaler");
    const eksctl = objects.find((r) => r.object.kind === "ClusterConfig")!.object as Any;
    expect(a.spec.source.helm.valuesObject).toMatchObject({
      cloudProvider: "aws",
      awsRegion: "us-east-1",
      autoDiscovery: { clusterName: "prod" },
      rbac: { serviceAccount: { name: "cluster-autoscaler" } },
    });
    expect(eksctl.iam.podIdentityAssociations).toContainEqual({
      namespace: a.spec.destination.namespace,
      serviceAccountName: "cluster-autoscaler",
      wellKnownPolicies: { autoScaler: true },
    });
  });

  test("GPU daemons run on the GPU pools' nodes, tolerating their taints", () => {
    for (const name of ["platform-nvidia-device-plugin", "platform-dcgm-exporter"]) {
      const values = app(objects, name).spec.source.helm.valuesObject;
      expect(values.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms).toEqual([
        { matchExpressions: [{ key: "workload-type", operator: "In", values: ["gpu-inference"] }] },
      ]);
      expect(values.tolerations).toEqual([{ key: "nvidia.com/gpu", operator: "Equal", value: "true", effect: "NoSchedule" }]);
    }
  });

  test("no GPU pool, no GPU daemons", () => {
    const noGpu = compileOk({
      "platform/clusters/prod.yaml": edit(CLUSTER, "    - {name: gpu-inference, instanceType: g4dn.xlarge, minSize: 0, maxSize: 5, gpu: true}\n", ""),
    });
    expect(noGpu.objects.some((r) => /nvidia|dcgm/.test(r.object.metadata.name))).toBe(false);
  });

  test("gateway: an internal NLB in IP mode, pods labelled as the Gateway and the JWT check select", () => {
    const values = app(objects, "platform-istio-gateway").spec.source.helm.valuesObject;
    expect(values.service.annotations).toEqual({
      "service.beta.kubernetes.io/aws-load-balancer-nlb-target-type": "ip",
      "service.beta.kubernetes.io/aws-load-balancer-scheme": "internal",
      "service.beta.kubernetes.io/aws-load-balancer-type": "external",
    });
    const gateway = objects.find((r) => r.object.kind === "Gateway")!.object as Any;
    const jwt = objects.find((r) => r.object.kind === "RequestAuthentication" && r.object.metadata.name === "berth-ingress-jwt")!.object as Any;
    expect(gateway.spec.selector).toEqual(values.labels);
    expect(jwt.spec.selector.matchLabels).toEqual(values.labels);
    expect(gateway.spec.servers[0].hosts).toEqual(["models.example.internal"]);
  });

  test("gatewaySelector moves the gateway pods' labels, the Gateway and the JWT check together", () => {
    const r = compileOk({
      "platform/platform.yaml": edit(
        PLATFORM,
        "    gateway: istio-system/models-gateway\n",
        "    gateway: istio-system/models-gateway\n    gatewaySelector: {istio: edge, team: platform}\n",
      ),
    });
    const values = app(r.objects, "platform-istio-gateway").spec.source.helm.valuesObject;
    const jwt = r.objects.find((o) => o.object.metadata.name === "berth-ingress-jwt")!.object as Any;
    expect(values.labels).toEqual({ istio: "edge", team: "platform" });
    expect(jwt.spec.selector.matchLabels).toEqual({ istio: "edge", team: "platform" });
  });

  test("istiod: CNI on, apps wait for their proxy, the proxy drains before the pod's grace period ends; strict mTLS mesh-wide", () => {
    const values = app(objects, "platform-istiod").spec.source.helm.valuesObject;
    expect(values.cni).toEqual({ enabled: true });
    expect(values.meshConfig.defaultConfig).toEqual({ holdApplicationUntilProxyStarts: true, terminationDrainDuration: "20s" });
    const deployment = objects.find((r) => r.object.kind === "Deployment")!.object as Any;
    expect(deployment.spec.template.spec.terminationGracePeriodSeconds).toBeGreaterThan(20);
    const mtls = objects.find((r) => r.object.kind === "PeerAuthentication" && r.object.metadata.namespace === "istio-system")!.object as Any;
    expect(mtls.spec).toEqual({ mtls: { mode: "STRICT" } });
  });

  test("Prometheus keeps 15 days on the encrypted gp3 class, which waits for its pod", () => {
    const spec = app(objects, "platform-kube-prometheus-stack").spec.source.helm.valuesObject.prometheus.prometheusSpec;
    expect(spec.retention).toBe("15d");
    expect(spec.storageSpec.volumeClaimTemplate.spec.storageClassName).toBe("gp3-encrypted");
    const sc = objects.find((r) => r.object.kind === "StorageClass")!.object as Any;
    expect(sc).toMatchObject({ provisioner: "ebs.csi.aws.com", parameters: { type: "gp3", encrypted: "true" }, volumeBindingMode: "WaitForFirstConsumer" });
  });

  test("addons values merge over berth's: a nested key replaces one value, its siblings stay", () => {
    const r = compileOk({
      "platform/platform.yaml": `${PLATFORM}  addons:\n    kube-prometheus-stack:\n      values:\n        prometheus: {prometheusSpec: {retention: 30d}}\n`,
    });
    const spec = app(r.objects, "platform-kube-prometheus-stack").spec.source.helm.valuesObject.prometheus.prometheusSpec;
    expect(spec.retention).toBe("30d");
    expect(spec.retentionSize).toBe("45GB");
    expect(mergeValues({ a: [1, 2], b: { c: 1 } }, { a: [3], b: { d: 2 } })).toEqual({ a: [3], b: { c: 1, d: 2 } });
  });

  test("platform namespaces per tier, each with a quota and container defaults; the platform PriorityClass outranks every tenant tier", () => {
    const namespaces = objects
      .filter((r) => r.path.includes("/platform-base/") && r.object.kind === "Namespace")
      .map((r) => r.object.metadata.name)
      .sort();
    expect(namespaces).toEqual(["ai-platform-core", "batch-processing", "istio-system", "monitoring"]);
    for (const ns of namespaces) {
      expect(objects.some((r) => r.object.kind === "ResourceQuota" && r.object.metadata.namespace === ns)).toBe(true);
      expect(objects.some((r) => r.object.kind === "LimitRange" && r.object.metadata.namespace === ns)).toBe(true);
    }
    const platformClass = objects.find((r) => r.object.metadata.name === "berth-platform" && r.object.kind === "PriorityClass")!.object as Any;
    expect(platformClass.value).toBeGreaterThan(100_000 + 1_000 * 100);
    expect(platformClass.value).toBeLessThan(1_000_000_000);
  });
});

describe("sync order", () => {
  const { objects, plan } = compileOk();

  test("projects, then namespaces and classes, then CRDs, then controllers, then the gateway, then berth-platform, then tenants", () => {
    const w = (name: string) => wave(app(objects, name));
    const project = wave(objects.find((r) => r.object.kind === "AppProject")!.object as Any);
    expect(project).toBeLessThan(w("berth-platform-base"));
    expect(w("berth-platform-base")).toBeLessThan(w("platform-istio-base"));
    expect(w("platform-istio-base")).toBeLessThan(w("platform-istiod"));
    expect(w("platform-prometheus-operator-crds")).toBeLessThan(w("platform-kube-prometheus-stack"));
    expect(w("platform-istiod")).toBeLessThan(w("platform-istio-gateway"));
    expect(w("platform-istio-gateway")).toBeLessThan(w("berth-platform"));
    expect(w("berth-platform")).toBeLessThan(w("model-fraud"));
  });

  const tampered = (name: string, newWave: string) =>
    objects.map((r) =>
      r.object.kind === "Application" && r.object.metadata.name === name
        ? { ...r, object: { ...r.object, metadata: { ...r.object.metadata, annotations: { "argocd.argoproj.io/sync-wave": newWave } } } as KubeObject }
        : r,
    );

  test("BERTH1206 istiod moved after berth-platform: its Istio objects and the gateway chart are named", () => {
    const diags = new Diagnostics();
    verifyInstalls(plan!, tampered("platform-istiod", "0"), diags);
    const messages = diags.items.filter((d) => d.code === "BERTH1206").map((d) => d.message);
    expect(messages).toEqual(
      expect.arrayContaining([
        expect.stringMatching(
          /^Gateway istio-system\/models-gateway \(clusters\/prod\/platform\/gateway-models-gateway\.yaml\) needs istiod, which Application platform-istiod syncs in wave 0, not before berth-platform \(wave -1\)$/,
        ),
        expect.stringMatching(/^Application platform-istio-gateway \(chart gateway 1\.30\.3\) needs istiod \(platform-istiod\)/),
      ]),
    );
  });

  test("BERTH1206 a kind no component installs, and a namespace nobody creates first", () => {
    const diags = new Diagnostics();
    const stray: Rendered = {
      path: "clusters/prod/platform/widget-x.yaml",
      object: { apiVersion: "example.com/v1", kind: "Widget", metadata: { name: "x", namespace: "nowhere" } },
      sources: [],
      origin: { file: "x.yaml", path: [] },
      owner: { cluster: "prod" },
    };
    verifyInstalls(plan!, [...objects, stray], diags);
    expect(diags.items.map((d) => d.message)).toEqual([
      "Widget nowhere/x (clusters/prod/platform/widget-x.yaml) is of kind example.com/Widget, which neither Kubernetes nor any component of the platform layer installs",
      "Widget nowhere/x (clusters/prod/platform/widget-x.yaml) needs namespace nowhere, which berth does not render on cluster prod",
    ]);
  });

  test("BERTH1206 a planned component whose Application is missing", () => {
    const diags = new Diagnostics();
    verifyInstalls(
      plan!,
      objects.filter((r) => r.object.metadata.name !== "platform-istiod"),
      diags,
    );
    expect(diags.items.map((d) => d.message)).toContain(
      "Gateway istio-system/models-gateway (clusters/prod/platform/gateway-models-gateway.yaml) needs istiod, which berth does not render on cluster prod",
    );
  });

  test("the rendered order holds: no BERTH1206 on the example", () => {
    const diags = new Diagnostics();
    verifyInstalls(plan!, objects, diags);
    expect(diags.items).toEqual([]);
  });
});

describe("diff: platform upgrades", () => {
  const on = (v: string) => compileOk({ "platform/clusters/prod.yaml": edit(CLUSTER, 'kubernetesVersion: "1.35"', `kubernetesVersion: "${v}"`) }).objects;
  const before = on("1.34");
  const after = on("1.35");
  const risks = assessRisks(diffRenders(before, after)).filter((r) => r.kind === "platform-upgrade");

  test("each chart that moves is a platform-upgrade risk naming both versions; so is the Kubernetes version", () => {
    const messages = risks.map((r) => `${r.subject}: ${r.message}`);
    expect(messages).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^Application argocd\/platform-cluster-autoscaler: chart cluster-autoscaler 9\.53\.0 → cluster-autoscaler 9\.59\.0/),
        expect.stringMatching(/^Application argocd\/platform-istiod: chart istiod 1\.29\.6 → istiod 1\.30\.3/),
        expect.stringMatching(/^ClusterConfig prod: Kubernetes 1\.34 → 1\.35: run eksctl upgrade cluster/),
      ]),
    );
    expect(messages.some((m) => m.includes("kube-prometheus-stack"))).toBe(false);
  });

  test("the pull-request comment lists them under their own class", () => {
    const text = formatMarkdown({
      base: { ref: "main", commit: "0123456789abcdef" },
      changes: diffRenders(before, after),
      risks: assessRisks(diffRenders(before, after)),
    });
    expect(text).toMatch(/\| ⬆️ \| platform-upgrade \| prod \| platform \| Application argocd\/platform-istiod \| chart istiod 1\.29\.6 → istiod 1\.30\.3/);
  });
});
