import type { CodeInfo } from "./info.js";

/** Workload identity, enforcement of what is rendered, and a cluster closed by default (11xx). */
export const securityCodes = {
  // 110x: inputs that would open access
  BERTH1101: {
    severity: "error",
    title: "JWT audiences missing",
    example:
      "platform/platform.yaml:21:3: error BERTH1101: spec.auth: audiences is missing, so any token the issuer signs for any application would be accepted\n  hint: list the aud values of tokens meant for the model API, e.g. audiences: [models-api]",
  },
  BERTH1102: {
    severity: "error",
    title: "artifact outside the allowed buckets",
    example:
      "models/a/fraud.yaml:8:40: error BERTH1102: artifact s3://scratch/fraud/1.0/ of version v1.0 is in none of the platform's artifactBuckets (ml-models, ml-shared/public/)\n  hint: move the artifact into an allowed bucket, or ask the platform team to add it to spec.artifactBuckets in platform/platform.yaml",
  },
  BERTH1103: {
    severity: "error",
    title: "endpoint CIDR malformed",
    example:
      'platform/clusters/prod.yaml:9:34: error BERTH1103: spec.endpoint.publicAccessCIDRs[0]: "203.0.113.7/24" has host bits set\n  hint: write the network address: 203.0.113.0/24',
  },
  BERTH1104: {
    severity: "error",
    title: "API endpoint open to the internet",
    example:
      "platform/clusters/prod.yaml:9:34: error BERTH1104: spec.endpoint.publicAccessCIDRs[0]: 0.0.0.0/0 opens the Kubernetes API endpoint to the whole internet\n  hint: list the CIDRs of your offices, VPN or CI runners, or remove endpoint for a private endpoint only",
  },
  BERTH1105: {
    severity: "error",
    title: "too many endpoint CIDRs",
    example:
      "platform/clusters/prod.yaml:9:5: error BERTH1105: spec.endpoint.publicAccessCIDRs: 41 CIDRs; EKS accepts at most 40 public access CIDRs per cluster",
  },
  BERTH1106: {
    severity: "warning",
    title: "artifact is a whole bucket",
    example:
      "models/a/fraud.yaml:8:40: warning BERTH1106: artifact s3://ml-models/ is a whole bucket: the model's pods may read every object in ml-models, other teams' models included\n  hint: point the artifact at the model's own prefix, e.g. s3://ml-models/fraud/1.0.0/",
  },
  BERTH1107: {
    severity: "error",
    title: "permission policy too large for IAM",
    example:
      "models/a/fraud.yaml:3:9: error BERTH1107: the S3 permission policy of fraud on cluster prod is 10412 characters; IAM allows 10240 for a role's inline policies\n  hint: retire versions that no longer serve, or keep the versions' artifacts under one prefix",
  },
  // 111x: the rendered output proven against what enforces it
  BERTH1110: {
    severity: "error",
    title: "workload identity does not match its artifacts",
    example:
      "models/a/fraud.yaml:3:9: error BERTH1110: ServiceAccount team-a/fraud on cluster prod: its Pod Identity association does not grant s3:GetObject on arn:aws:s3:::models/fraud/1.1.0/*, which Deployment fraud-v1-1-0 reads",
  },
  BERTH1111: {
    severity: "error",
    title: "link-local egress not as required",
    example:
      "tenants/a.yaml:6:14: error BERTH1111: Deployment team-a/fraud-v1-0-0 on cluster prod: egress reaches link-local 169.254.169.254 (the instance metadata service) through NetworkPolicy allow-x",
  },
  BERTH1112: {
    severity: "error",
    title: "feature rendered without its enforcing component",
    example:
      'platform/clusters/prod.yaml:3:9: error BERTH1112: cluster prod renders 6 NetworkPolicies but its vpc-cni add-on does not set enableNetworkPolicy: "true": the policies would be accepted and ignored',
  },
  BERTH1113: {
    severity: "warning",
    title: "tenant guardrails not protected by admission",
    example:
      "platform/clusters/prod.yaml:8:22: warning BERTH1113: Kubernetes 1.28 on cluster prod has no ValidatingAdmissionPolicy (v1 from 1.30): a tenant admin can add NetworkPolicies, Roles and RoleBindings that Argo CD does not revert\n  hint: upgrade the cluster to 1.30 or later",
  },
  BERTH1114: {
    severity: "error",
    title: "cluster config not closed by default",
    example:
      "platform/clusters/prod.yaml:3:9: error BERTH1114: ClusterConfig prod (clusters/prod/eksctl/cluster.yaml): node group general does not set disablePodIMDS: pods could take the node's IAM role from the instance metadata service",
  },
} as const satisfies Record<string, CodeInfo>;
