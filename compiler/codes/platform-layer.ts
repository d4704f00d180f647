import type { CodeInfo } from "./info.js";

/** The platform layer: pinned add-on charts, their overrides and the order they sync in (12xx). */
export const platformLayerCodes = {
  BERTH1201: {
    severity: "error",
    title: "add-on version incompatible with the cluster's Kubernetes version",
    example:
      "platform/platform.yaml:30:16: error BERTH1201: addons.cluster-autoscaler.version 9.37.0 installs cluster-autoscaler 1.30.0, made for Kubernetes 1.30, but cluster prod runs 1.32 (kubernetes/autoscaler cluster-autoscaler/README.md: the autoscaler's minor version matches the cluster's)\n  hint: use 9.46.6 (the known-good release for Kubernetes 1.32), or remove the pin",
  },
  BERTH1202: {
    severity: "warning",
    title: "add-on version outside the known-good set",
    example:
      "platform/platform.yaml:30:16: warning BERTH1202: addons.istiod.version 1.29.9 is not among berth's known-good istiod releases for Kubernetes 1.32 on cluster prod (1.26.8, 1.27.9, 1.28.10, 1.29.6, 1.30.3)\n  hint: berth cannot vouch for it; test it on a staging cluster first, or pin a known-good release",
  },
  BERTH1203: {
    severity: "error",
    title: "no known-good add-on release for the cluster's Kubernetes version",
    example:
      "platform/clusters/prod.yaml:8:22: error BERTH1203: berth knows no release of istio-base, istio-cni, istiod, istio-gateway, cluster-autoscaler for Kubernetes 1.36 (istio-base is known-good on 1.28-1.31, 1.29-1.32, 1.29-1.33, 1.29-1.33, 1.30-1.34, 1.31-1.35, 1.32-1.35)\n  hint: pin tested releases with platform.addons.<component>.version (istio-base, istio-cni, istiod, istio-gateway, cluster-autoscaler), or add them to compiler/catalogue/addons.ts",
  },
  BERTH1204: {
    severity: "error",
    title: "add-on version not an exact chart version",
    example:
      'platform/platform.yaml:30:16: error BERTH1204: addons.istiod.version "^1.29" is not an exact chart version\n  hint: pin one version, e.g. 1.29.6: a range or latest lets the cluster change without a pull request',
  },
  BERTH1205: {
    severity: "error",
    title: "Istio charts pinned to different versions",
    example:
      "platform/platform.yaml:30:16: error BERTH1205: on cluster prod istiod would run 1.29.6 but istio-base 1.28.10, istio-cni 1.28.10, istio-gateway 1.28.10; Istio's charts must share one version\n  hint: pin the same version for istio-base, istio-cni, istiod and istio-gateway",
  },
  BERTH1206: {
    severity: "error",
    title: "kind not installed before it syncs",
    example:
      "platform/platform.yaml:23:14: error BERTH1206: Gateway istio-system/models-gateway (clusters/prod/platform/gateway-models-gateway.yaml) needs istiod, which Application platform-istiod syncs in wave -7, not before berth-platform (wave -8)\n  hint: this is a berth bug: the platform layer's sync waves must put every installer before what uses it",
  },
  BERTH1207: {
    severity: "error",
    title: "add-on values break what berth relies on",
    example:
      "platform/platform.yaml:31:9: error BERTH1207: addons.cluster-autoscaler: the chart would run as ServiceAccount kube-system/autoscaler, but the eksctl config gives IAM permissions to kube-system/cluster-autoscaler only\n  hint: remove rbac.serviceAccount.name from addons.cluster-autoscaler.values: berth names the ServiceAccount its Pod Identity association expects",
  },
  BERTH1208: {
    severity: "warning",
    title: "add-on pinned but not installed on a cluster",
    example:
      "platform/platform.yaml:30:5: warning BERTH1208: addons.dcgm-exporter is set, but cluster staging has no GPU pool, so berth installs no dcgm-exporter there",
  },
} as const satisfies Record<string, CodeInfo>;
