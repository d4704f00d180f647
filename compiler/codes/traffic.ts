import type { CodeInfo } from "./info.js";

/** Routes, canaries and access (07xx). */
export const trafficCodes = {
  BERTH0701: { severity: "error", title: "ingress host malformed", example: "platform/platform.yaml:22:11: error BERTH0701: ingress host \"https://models.example.internal\" is not a fully qualified DNS name\n  hint: write the bare host name, e.g. models.example.internal (no scheme, port, path or wildcard)" },
  BERTH0702: { severity: "error", title: "gateway reference malformed", example: "platform/platform.yaml:23:14: error BERTH0702: gateway \"models-gateway\" is not <namespace>/<name>\n  hint: name the Istio Gateway with its namespace, e.g. istio-system/models-gateway" },
  BERTH0703: { severity: "error", title: "route can never match", example: "models/a/fraud.yaml:16:7: error BERTH0703: route fraud-detection-group-ml-engineers (routing[1], models/a/fraud.yaml) can never match: fraud-detection-group-ml-engineers (routing[0], models/a/fraud.yaml) claims every request it would, and comes first" },
  BERTH0704: { severity: "error", title: "route to a version with no Deployment", example: "models/a/fraud.yaml:14:36: error BERTH0704: route fraud-detection-group-ml-engineers sends traffic to subset v1-3-0 of fraud-detection.ds.svc.cluster.local, but no Deployment on cluster prod carries its labels" },
  BERTH0705: { severity: "error", title: "routing group not allowed to call the model", example: "models/a/fraud.yaml:14:16: error BERTH0705: routing sends group beta-testers to v1.3.0, but beta-testers is not in access, so its requests are denied\n  hint: add beta-testers to access, or remove the rule" },
  BERTH0706: { severity: "warning", title: "nobody can call the model", example: "models/a/fraud.yaml:15:11: warning BERTH0706: access is empty: the model's AuthorizationPolicy denies every caller" },
} as const satisfies Record<string, CodeInfo>;
