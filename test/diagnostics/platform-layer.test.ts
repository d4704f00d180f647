// Table tests for the platform layer's diagnostics (12xx): pinned add-on versions judged against
// the catalogue and the cluster's Kubernetes version, values that break what berth relies on, and
// ingress.gatewaySelector. BERTH1206 (sync order) is a berth bug; test/unit/platform-layer.test.ts
// provokes it on tampered output.
import { CLUSTER, MODEL, PLATFORM, edit } from "../helpers/fixture.js";
import { runTable } from "../helpers/table.js";

const P = "platform/platform.yaml";
const C = "platform/clusters/prod.yaml";
/** The platform with an addons block appended (its first entry is on line 33). */
const withAddons = (body: string) => ({ [P]: `${PLATFORM}  addons:\n${body}` });
/** The platform asking for the metrics adapter, with an addons block (its first entry on line 34), and a GPU model that scales on its GPUs. */
const withAdapterAddons = (body: string) => ({
  [P]: `${edit(PLATFORM, "  defaults:", "  metricsAdapter: prometheus-adapter\n  defaults:")}  addons:\n${body}`,
  "models/team-a/fraud.yaml": edit(
    edit(MODEL, 'limits: {cpu: "1", memory: 2Gi}}', 'limits: {cpu: "1", memory: 2Gi}, gpu: 1}'),
    "minReplicas: 2, maxReplicas: 4",
    "minReplicas: 1, maxReplicas: 2",
  ),
});
const onVersion = (v: string) => ({ [C]: edit(CLUSTER, 'kubernetesVersion: "1.35"', `kubernetesVersion: "${v}"`) });

runTable([
  {
    name: "BERTH1201 an autoscaler chart for another Kubernetes minor",
    files: withAddons("    cluster-autoscaler:\n      version: 9.46.6\n"),
    expect: [
      {
        code: "BERTH1201",
        file: P,
        line: 34,
        column: 16,
        message: /addons\.cluster-autoscaler\.version 9\.46\.6 installs cluster-autoscaler 1\.32\.0, made for Kubernetes 1\.32, but cluster prod runs 1\.35/,
        hint: /use 9\.59\.0 \(the known-good release for Kubernetes 1\.35\)/,
      },
    ],
  },
  {
    name: "BERTH1201 an Istio release that does not support the cluster's version (all four charts pinned alike)",
    files: withAddons(["istio-base", "istio-cni", "istiod", "istio-gateway"].map((n) => `    ${n}: {version: 1.24.6}\n`).join("")),
    expect: [
      {
        code: "BERTH1201",
        line: 35,
        message:
          /istiod\.version 1\.24\.6 installs istiod 1\.24\.6, made for Kubernetes 1\.28-1\.31, but cluster prod runs 1\.35 \(istio\.io supported releases/,
      },
    ],
    others: true,
  },
  {
    name: "BERTH1202 a version the catalogue does not know is a warning",
    files: withAddons("    kube-prometheus-stack:\n      version: 87.20.0\n"),
    expect: [
      {
        code: "BERTH1202",
        severity: "warning",
        file: P,
        line: 34,
        column: 16,
        message:
          /kube-prometheus-stack\.version 87\.20\.0 is not among berth's known-good kube-prometheus-stack releases for Kubernetes 1\.35 on cluster prod \(79\.12\.0, 87\.21\.0\)/,
      },
    ],
  },
  {
    name: "BERTH1202 operator CRDs pinned apart from the stack they ship with",
    files: withAddons("    prometheus-operator-crds:\n      version: 24.0.2\n"),
    expect: [
      { code: "BERTH1202", severity: "warning", line: 34, message: /24\.0\.2 is not the release that ships with kube-prometheus-stack 87\.21\.0 \(30\.0\.1\)/ },
    ],
  },
  {
    name: "BERTH1203 a Kubernetes minor the catalogue has no release for",
    files: onVersion("1.36"),
    expect: [
      {
        code: "BERTH1203",
        file: C,
        line: 8,
        column: 22,
        message:
          /^berth knows no release of istio-base, istio-cni, istiod, istio-gateway, prometheus-operator-crds, kube-prometheus-stack, cluster-autoscaler, aws-load-balancer-controller, nvidia-device-plugin, dcgm-exporter for Kubernetes 1\.36 \(istio-base is known-good on 1\.28-1\.31, /,
        hint: /platform\.addons\.<component>\.version/,
      },
    ],
  },
  {
    name: "BERTH1204 a version range",
    files: withAddons('    istiod:\n      version: "^1.29"\n'),
    expect: [{ code: "BERTH1204", file: P, line: 34, column: 16, message: /"\^1\.29" is not an exact chart version/, hint: /pin one version/ }],
  },
  {
    name: "BERTH1204 latest",
    files: withAddons("    dcgm-exporter: {version: latest}\n"),
    expect: [{ code: "BERTH1204", line: 33, message: /"latest" is not an exact chart version/ }],
  },
  {
    name: "BERTH1204 a v prefix names the version to write",
    files: withAddons("    nvidia-device-plugin: {version: v0.18.2}\n"),
    expect: [{ code: "BERTH1204", line: 33, hint: /write 0\.18\.2/ }],
  },
  {
    name: "BERTH1205 one Istio chart pinned apart from the others",
    files: { ...withAddons("    istiod:\n      version: 1.29.6\n"), ...onVersion("1.35") },
    expect: [
      {
        code: "BERTH1205",
        file: P,
        line: 34,
        column: 16,
        message: /on cluster prod istiod would run 1\.29\.6 but istio-base 1\.30\.3, istio-cni 1\.30\.3, istio-gateway 1\.30\.3/,
      },
    ],
  },
  {
    name: "BERTH1207 the autoscaler renamed away from its Pod Identity association",
    files: withAddons("    cluster-autoscaler:\n      values:\n        rbac: {serviceAccount: {name: autoscaler}}\n"),
    expect: [
      {
        code: "BERTH1207",
        file: P,
        line: 35,
        column: 9,
        message:
          /cluster-autoscaler: the chart would run as ServiceAccount kube-system\/autoscaler, but the eksctl config gives autoScaler permissions to kube-system\/cluster-autoscaler only/,
      },
    ],
  },
  {
    name: "BERTH1207 gateway pod labels changed by values: the Gateway and the JWT check select nothing",
    files: withAddons("    istio-gateway:\n      values: {labels: {istio: edge}}\n"),
    expect: [
      {
        code: "BERTH1207",
        line: 34,
        message: /Gateway istio-system\/models-gateway selects \{istio: ingressgateway\} \(istio differ\)/,
        hint: /platform\.ingress\.gatewaySelector/,
      },
      { code: "BERTH1207", line: 34, message: /RequestAuthentication istio-system\/berth-ingress-jwt selects/ },
    ],
  },
  {
    name: "BERTH1208 a GPU add-on pinned for a cluster without GPUs",
    files: {
      ...withAddons("    dcgm-exporter:\n      version: 4.8.2\n"),
      [C]: edit(CLUSTER, "    - {name: gpu-inference, instanceType: g4dn.xlarge, minSize: 0, maxSize: 5, gpu: true}\n", ""),
    },
    expect: [
      { code: "BERTH1208", severity: "warning", file: P, line: 33, column: 5, message: /addons\.dcgm-exporter is set, but cluster prod has no GPU pool/ },
    ],
  },
  {
    name: "BERTH1207 adapter rules replaced: the HPAs' GPU metric is served by no rule",
    files: withAdapterAddons("    prometheus-adapter:\n      values: {rules: {custom: []}}\n"),
    expect: [
      {
        code: "BERTH1207",
        file: P,
        line: 35,
        column: 15,
        message:
          /^addons\.prometheus-adapter: 2 HPAs \(team-a\/fraud-v1-0-0, team-a\/fraud-v1-1-0\) scale on DCGM_FI_DEV_GPU_UTIL, but no rule of rules\.custom serves it \(served: none\)$/,
        hint: /remove rules from addons\.prometheus-adapter\.values/,
      },
    ],
  },
  {
    name: "BERTH1207 adapter rules from a ConfigMap berth cannot see",
    files: withAdapterAddons("    prometheus-adapter:\n      values: {rules: {existing: my-rules}}\n"),
    expect: [{ code: "BERTH1207", line: 35, message: /rules\.existing replaces berth's rules with ConfigMap my-rules, which berth cannot see/ }],
  },
  {
    name: "BERTH1207 DCGM scraped without honorLabels: every GPU would count as the exporter's",
    files: withAdapterAddons("    dcgm-exporter:\n      values: {serviceMonitor: {honorLabels: false}}\n"),
    expect: [
      { code: "BERTH1207", line: 35, message: /addons\.dcgm-exporter: serviceMonitor\.honorLabels is not true/, hint: /remove serviceMonitor\.honorLabels/ },
    ],
  },
  {
    name: "BERTH1208 the adapter pinned while the platform asks for none",
    files: withAddons("    prometheus-adapter:\n      version: 5.3.0\n"),
    expect: [
      {
        code: "BERTH1208",
        severity: "warning",
        file: P,
        line: 33,
        column: 5,
        message:
          /^addons\.prometheus-adapter is set, but spec\.metricsAdapter is not prometheus-adapter, so berth installs no prometheus-adapter on any cluster$/,
        hint: /set spec\.metricsAdapter: prometheus-adapter/,
      },
    ],
  },
  {
    name: "BERTH0201 an add-on berth does not install",
    files: withAddons("    istio-egress: {version: 1.24.6}\n"),
    expect: [{ code: "BERTH0201", line: 33 }],
  },
  {
    name: "BERTH0202 an empty gatewaySelector",
    files: { [P]: edit(PLATFORM, "    gateway: istio-system/models-gateway\n", "    gateway: istio-system/models-gateway\n    gatewaySelector: {}\n") },
    expect: [{ code: "BERTH0202", line: 19, message: /gatewaySelector is empty/ }],
  },
]);
