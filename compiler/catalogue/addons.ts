// The platform layer's Helm charts: where each comes from and the exact chart versions berth
// knows to work with each Kubernetes minor version it renders for (1.28 to 1.35). A cluster gets,
// per component, the newest known-good release for its Kubernetes minor (Istio: one minor per
// Kubernetes minor, see ISTIO_DEFAULTS), unless platform.addons
// pins another (addon-rules.ts judges that pin). Each range cites the chart's own compatibility
// note; where a chart states only a floor, the ceiling is the newest minor berth renders for.

/** The components of the platform layer, as `platform.addons` names them. */
export const ADDON_NAMES = [
  "istio-base",
  "istio-cni",
  "istiod",
  "istio-gateway",
  "prometheus-operator-crds",
  "kube-prometheus-stack",
  "cluster-autoscaler",
  "aws-load-balancer-controller",
  "nvidia-device-plugin",
  "dcgm-exporter",
  "prometheus-adapter",
] as const;

export type AddonName = (typeof ADDON_NAMES)[number];

/** Kubernetes minor versions as numbers: 28 for 1.28. */
export interface MinorRange {
  readonly min: number;
  readonly max: number;
}

export interface ChartRelease {
  /** The exact chart version (Helm `version`), never a range. */
  readonly version: string;
  /** The version of the software it installs (Helm `appVersion`). */
  readonly appVersion: string;
  readonly kubernetes: MinorRange;
}

export interface AddonChart {
  readonly chart: string;
  readonly repoURL: string;
  /** Known-good releases, oldest first. */
  readonly releases: readonly ChartRelease[];
  /** Where the Kubernetes ranges come from. */
  readonly compatibility: string;
  /** The pick per Kubernetes minor where "newest that fits" would be wrong; else the newest that fits. */
  readonly defaults?: Readonly<Record<number, string>>;
}

/** The newest Kubernetes minor berth renders a platform layer for. */
export const NEWEST_MINOR = 35;
export const OLDEST_MINOR = 28;

const ISTIO_REPO = "https://istio-release.storage.googleapis.com/charts";
const release = (version: string, appVersion: string, min: number, max: number): ChartRelease =>
  Object.freeze({ version, appVersion, kubernetes: Object.freeze({ min, max }) });

/**
 * Istio publishes its four charts at the Istio version, so they share one list. Ranges: the
 * "Supported Kubernetes Versions" of istio.io's support table (istio/istio.io
 * data/compatibility/supportStatus.yml, `k8sVersions`): 1.24 on 1.28-1.31, 1.25 on 1.29-1.32,
 * 1.26 and 1.27 on 1.29-1.33, 1.28 on 1.30-1.34, 1.29 on 1.31-1.35, 1.30 on 1.32-1.36. The
 * patch is the last of each minor line at the time of writing.
 */
const ISTIO_RELEASES: readonly ChartRelease[] = [
  release("1.24.6", "1.24.6", 28, 31),
  release("1.25.5", "1.25.5", 29, 32),
  release("1.26.8", "1.26.8", 29, 33),
  release("1.27.9", "1.27.9", 29, 33),
  release("1.28.10", "1.28.10", 30, 34),
  release("1.29.6", "1.29.6", 31, 35),
  release("1.30.3", "1.30.3", 32, NEWEST_MINOR),
];

/**
 * Istio upgrades one minor at a time (istio.io "Upgrade Istio": skipping a minor is neither
 * tested nor supported), so one Kubernetes minor up moves Istio at most one minor up; the
 * newest release that fits would jump three (1.24 to 1.27 between 1.28 and 1.29). Each pick also
 * supports the Kubernetes minors on either side, so during a cluster upgrade the control plane
 * and the charts may move in either order (docs/bootstrap.md).
 */
const ISTIO_DEFAULTS: Readonly<Record<number, string>> = {
  28: "1.24.6",
  29: "1.24.6",
  30: "1.25.5",
  31: "1.26.8",
  32: "1.27.9",
  33: "1.28.10",
  34: "1.29.6",
  35: "1.30.3",
};

const ISTIO_COMPATIBILITY = "istio.io supported releases (data/compatibility/supportStatus.yml, k8sVersions); the four charts move together";

/**
 * The autoscaler's minor must equal the cluster's ("we recommend using Cluster Autoscaler with the
 * Kubernetes control plane version for which it was meant", kubernetes/autoscaler
 * cluster-autoscaler/README.md "Releases"); each chart version pins one autoscaler appVersion.
 */
const AUTOSCALER_RELEASES: readonly ChartRelease[] = [
  release("9.34.1", "1.28.2", 28, 28),
  release("9.36.0", "1.29.0", 29, 29),
  release("9.37.0", "1.30.0", 30, 30),
  release("9.44.0", "1.31.0", 31, 31),
  release("9.46.6", "1.32.0", 32, 32),
  release("9.51.0", "1.33.0", 33, 33),
  release("9.53.0", "1.34.2", 34, 34),
  release("9.59.0", "1.35.0", 35, 35),
];

/**
 * kube-prometheus-stack and prometheus-operator-crds ship the same Prometheus Operator version
 * and are pinned in pairs: 79.12.0 with 24.0.2 (operator v0.86.2), 87.21.0 with 30.0.1 (v0.92.1).
 */
const PROMETHEUS_PAIRS = { "79.12.0": "24.0.2", "87.21.0": "30.0.1" } as const;

export const ADDON_CHARTS: Readonly<Record<AddonName, AddonChart>> = Object.freeze({
  "istio-base": { chart: "base", repoURL: ISTIO_REPO, releases: ISTIO_RELEASES, compatibility: ISTIO_COMPATIBILITY, defaults: ISTIO_DEFAULTS },
  "istio-cni": { chart: "cni", repoURL: ISTIO_REPO, releases: ISTIO_RELEASES, compatibility: ISTIO_COMPATIBILITY, defaults: ISTIO_DEFAULTS },
  istiod: { chart: "istiod", repoURL: ISTIO_REPO, releases: ISTIO_RELEASES, compatibility: ISTIO_COMPATIBILITY, defaults: ISTIO_DEFAULTS },
  "istio-gateway": { chart: "gateway", repoURL: ISTIO_REPO, releases: ISTIO_RELEASES, compatibility: ISTIO_COMPATIBILITY, defaults: ISTIO_DEFAULTS },
  "prometheus-operator-crds": {
    chart: "prometheus-operator-crds",
    repoURL: "https://prometheus-community.github.io/helm-charts",
    releases: [
      release(PROMETHEUS_PAIRS["79.12.0"], "v0.86.2", OLDEST_MINOR, NEWEST_MINOR),
      release(PROMETHEUS_PAIRS["87.21.0"], "v0.92.1", OLDEST_MINOR, NEWEST_MINOR),
    ],
    compatibility: 'charts/prometheus-operator-crds/Chart.yaml kubeVersion ">=1.16.0-0"',
  },
  "kube-prometheus-stack": {
    chart: "kube-prometheus-stack",
    repoURL: "https://prometheus-community.github.io/helm-charts",
    releases: [release("79.12.0", "v0.86.2", OLDEST_MINOR, NEWEST_MINOR), release("87.21.0", "v0.92.1", OLDEST_MINOR, NEWEST_MINOR)],
    compatibility: 'charts/kube-prometheus-stack/Chart.yaml kubeVersion ">=1.25.0-0"',
  },
  "cluster-autoscaler": {
    chart: "cluster-autoscaler",
    repoURL: "https://kubernetes.github.io/autoscaler",
    releases: AUTOSCALER_RELEASES,
    compatibility: "kubernetes/autoscaler cluster-autoscaler/README.md: the autoscaler's minor version matches the cluster's",
  },
  "aws-load-balancer-controller": {
    chart: "aws-load-balancer-controller",
    repoURL: "https://aws.github.io/eks-charts",
    releases: [release("1.13.4", "v2.13.4", OLDEST_MINOR, NEWEST_MINOR), release("1.17.1", "v2.17.1", OLDEST_MINOR, NEWEST_MINOR)],
    compatibility: 'aws/eks-charts stable/aws-load-balancer-controller/README.md: "Chart version v1.5.0+ requires Kubernetes 1.22+"',
  },
  "nvidia-device-plugin": {
    chart: "nvidia-device-plugin",
    repoURL: "https://nvidia.github.io/k8s-device-plugin",
    releases: [release("0.17.4", "0.17.4", OLDEST_MINOR, NEWEST_MINOR), release("0.18.2", "0.18.2", OLDEST_MINOR, NEWEST_MINOR)],
    compatibility: 'NVIDIA/k8s-device-plugin deployments/helm/nvidia-device-plugin/Chart.yaml kubeVersion ">= 1.10.0-0"',
  },
  "dcgm-exporter": {
    chart: "dcgm-exporter",
    repoURL: "https://nvidia.github.io/dcgm-exporter/helm-charts",
    releases: [release("4.7.1", "4.7.1", OLDEST_MINOR, NEWEST_MINOR), release("4.8.2", "4.8.2", OLDEST_MINOR, NEWEST_MINOR)],
    compatibility: 'NVIDIA/dcgm-exporter deployment/Chart.yaml kubeVersion ">= 1.19.0-0"',
  },
  // Both releases run adapter v0.12.0 and register custom.metrics.k8s.io/v1beta1 through
  // apiregistration.k8s.io/v1; 5.0.0 dropped the policy/v1beta1 PDB and the PodSecurityPolicy.
  "prometheus-adapter": {
    chart: "prometheus-adapter",
    repoURL: "https://prometheus-community.github.io/helm-charts",
    releases: [release("4.14.2", "v0.12.0", OLDEST_MINOR, NEWEST_MINOR), release("5.3.0", "v0.12.0", OLDEST_MINOR, NEWEST_MINOR)],
    compatibility:
      'charts/prometheus-adapter/README.md Prerequisites: "Kubernetes 1.21+" from 5.0.0 ("Kubernetes 1.14+" in 4.x); its Chart.yaml states no kubeVersion',
  },
});

/** Components that share one version: Istio's control plane, CNI and gateways must match. */
export const VERSION_GROUPS: readonly (readonly AddonName[])[] = [["istio-base", "istio-cni", "istiod", "istio-gateway"]];

/**
 * Components a GPU-less cluster does without. The adapter serves only DCGM's GPU utilization
 * (plan/rollout.ts GPU_ADAPTER_RULE), which only GPU nodes report; elsewhere it would be an
 * APIService whose outage breaks API discovery (kubectl, Argo CD, namespace deletion) for nothing.
 */
export const GPU_ADDONS: ReadonlySet<AddonName> = new Set(["nvidia-device-plugin", "dcgm-exporter", "prometheus-adapter"]);

/** Components installed only where the platform asks: the platform spec field whose value names them. */
export const OPT_IN_ADDONS: Readonly<Partial<Record<AddonName, "metricsAdapter">>> = { "prometheus-adapter": "metricsAdapter" };

/** 28 for "1.28"; undefined for anything else. */
export function kubernetesMinor(version: string): number | undefined {
  const m = /^1\.(\d+)$/.exec(version);
  return m ? Number(m[1]) : undefined;
}

/** The release a cluster gets for its Kubernetes minor: the chart's own pick, else its newest that fits. */
export function defaultRelease(name: AddonName, minor: number): ChartRelease | undefined {
  const chart = ADDON_CHARTS[name];
  const fits = chart.releases.filter((r) => r.kubernetes.min <= minor && minor <= r.kubernetes.max);
  const picked = chart.defaults?.[minor];
  return picked !== undefined ? fits.find((r) => r.version === picked) : fits[fits.length - 1];
}

export function knownRelease(name: AddonName, version: string): ChartRelease | undefined {
  return ADDON_CHARTS[name].releases.find((r) => r.version === version);
}

/** The prometheus-operator-crds version that goes with a kube-prometheus-stack release, when berth knows it. */
export function pairedCrdsVersion(stackVersion: string): string | undefined {
  return (PROMETHEUS_PAIRS as Record<string, string>)[stackVersion];
}

export function formatRange(r: MinorRange): string {
  return r.min === r.max ? `1.${r.min}` : `1.${r.min}-1.${r.max}`;
}

/**
 * What each chart needs running (or its CRDs present) before it syncs: Istio's webhooks and CRDs,
 * the Prometheus Operator's CRDs for ServiceMonitors, the load balancer controller for the
 * gateway's NLB. Verified against the rendered sync waves (verify/installs.ts).
 */
export const ADDON_NEEDS: Readonly<Record<AddonName, readonly AddonName[]>> = {
  "istio-base": [],
  "istio-cni": [],
  istiod: ["istio-base"],
  "istio-gateway": ["istio-base", "istiod", "istio-cni", "aws-load-balancer-controller"],
  "prometheus-operator-crds": [],
  "kube-prometheus-stack": ["prometheus-operator-crds"],
  "cluster-autoscaler": [],
  "aws-load-balancer-controller": [],
  "nvidia-device-plugin": [],
  "dcgm-exporter": ["prometheus-operator-crds"],
  // It answers the HPA with Prometheus' answers; DCGM's series it finds on its next relist.
  "prometheus-adapter": ["kube-prometheus-stack"],
};
