import type { CodeInfo } from "./info.js";

/** Routes, canaries and access (07xx). */
export const trafficCodes = {
  BERTH0701: {
    severity: "error",
    title: "ingress host malformed",
    example:
      'platform/platform.yaml:22:11: error BERTH0701: ingress host "https://models.example.internal" is not a fully qualified DNS name\n  hint: write the bare host name, e.g. models.example.internal (no scheme, port, path or wildcard)',
  },
  BERTH0702: {
    severity: "error",
    title: "gateway reference malformed",
    example:
      'platform/platform.yaml:23:14: error BERTH0702: gateway "models-gateway" is not <namespace>/<name>\n  hint: name the Istio Gateway with its namespace, e.g. istio-system/models-gateway',
  },
  BERTH0703: {
    severity: "error",
    title: "route can never match",
    example:
      "models/a/fraud.yaml:16:7: error BERTH0703: route fraud-detection-group-ml-engineers-1 (routing[1] (group ml-engineers), models/a/fraud.yaml) can never match on cluster prod: fraud-detection-group-ml-engineers (routing[0] (group ml-engineers), models/a/fraud.yaml) comes first and claims every request it would\n  hint: every model-id, version pin and group rule may be claimed once; remove or change one of the two",
  },
  BERTH0704: {
    severity: "error",
    title: "route leads to no Deployment on the cluster",
    example:
      "models/a/fraud.yaml:14:7: error BERTH0704: route fraud-detection-group-ml-engineers (routing[0] (group ml-engineers), models/a/fraud.yaml) sends traffic to subset v1-3-0 of fraud-detection.ds.svc.cluster.local, but no Deployment on cluster prod carries its labels\n  hint: route only to versions deployed on this cluster",
  },
  BERTH0705: {
    severity: "error",
    title: "routing group not allowed to call the model",
    example:
      "models/a/fraud.yaml:14:16: error BERTH0705: routing sends group beta-testers to v1.3.0, but beta-testers is not in access (data-science-team, ml-engineers), so its requests are denied\n  hint: add beta-testers to access, or remove the rule",
  },
  BERTH0706: {
    severity: "warning",
    title: "nobody can call the model",
    example:
      "models/a/fraud.yaml:15:11: warning BERTH0706: access is empty: the model's AuthorizationPolicy denies every caller\n  hint: list the identity-provider groups that may call the model, e.g. access: [data-science-team]",
  },
} as const satisfies Record<string, CodeInfo>;
