// The EKS add-ons a cluster's rendered objects depend on, each pinned, so that creating or
// upgrading a cluster installs what berth proved against, not whatever is newest that day.
// Versions are AWS's EKS add-on versions (`aws eks describe-addon-versions --addon-name <name>`).

export interface EksAddon {
  name: string;
  version?: string;
  useDefaultPodIdentityAssociations?: boolean;
  configurationValues?: string;
}

export const ADDON = {
  vpcCni: "vpc-cni",
  coreDns: "coredns",
  kubeProxy: "kube-proxy",
  podIdentityAgent: "eks-pod-identity-agent",
  metricsServer: "metrics-server",
  ebsCsi: "aws-ebs-csi-driver",
} as const;

/**
 * Pinned versions. CoreDNS and kube-proxy are not pinned here: their versions follow the
 * cluster's Kubernetes minor, and eksctl installs the default one for `metadata.version`.
 */
export const PINNED_VERSIONS: Readonly<Record<string, string>> = {
  [ADDON.vpcCni]: "v1.19.5-eksbuild.1",
  [ADDON.podIdentityAgent]: "v1.3.7-eksbuild.2",
  [ADDON.metricsServer]: "v0.7.2-eksbuild.4",
  [ADDON.ebsCsi]: "v1.45.0-eksbuild.2",
};

/** The VPC CNI enforces NetworkPolicies only when told to; without it every policy is accepted and ignored. */
export const VPC_CNI_CONFIGURATION = { enableNetworkPolicy: "true" } as const;

/**
 * In order: pod networking (with NetworkPolicy enforcement), DNS, the service proxy, the Pod
 * Identity agent (credentials for every association), metrics-server (the resource metrics HPAs
 * scale on), the EBS CSI driver (volumes of stateful services, with its own Pod Identity role
 * from EKS's recommended association).
 */
export function eksAddons(): EksAddon[] {
  return [
    { name: ADDON.vpcCni, version: PINNED_VERSIONS[ADDON.vpcCni], configurationValues: JSON.stringify(VPC_CNI_CONFIGURATION) },
    { name: ADDON.coreDns },
    { name: ADDON.kubeProxy },
    { name: ADDON.podIdentityAgent, version: PINNED_VERSIONS[ADDON.podIdentityAgent] },
    { name: ADDON.metricsServer, version: PINNED_VERSIONS[ADDON.metricsServer] },
    { name: ADDON.ebsCsi, version: PINNED_VERSIONS[ADDON.ebsCsi], useDefaultPodIdentityAssociations: true },
  ];
}
