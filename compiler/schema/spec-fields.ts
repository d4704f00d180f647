// Generated from docs/specs.md by `npm run docs` (compiler/schema/field-docs.ts): do not edit.
import type { FieldDocs } from "./field-docs.js";

export const SPEC_FIELDS: FieldDocs = {
  "Platform": {
    "owners": {
      "type": "list of @user, @org/team or e-mail",
      "meaning": "CODEOWNERS for everything outside models/<tenant>/"
    },
    "gitops.repoURL": {
      "type": "https, ssh or git@host:path URL",
      "meaning": "the repository Argo CD syncs"
    },
    "gitops.targetRevision": {
      "type": "string",
      "meaning": "the branch, tag or commit Argo CD follows",
      "default": "HEAD"
    },
    "registries": {
      "type": "list of registry prefixes",
      "meaning": "images must start with one of these"
    },
    "runtimes.<framework>.image": {
      "type": "image",
      "meaning": "the serving container for a framework"
    },
    "runtimes.<framework>.port": {
      "type": "1–65535",
      "meaning": "the container port (probes, metrics, Service target)",
      "default": "8080"
    },
    "stores.<engine>": {
      "type": "{image, port, dataPath, minStorage?, probes?}",
      "meaning": "the engines a Store may run (stores)"
    },
    "ingress.host": {
      "type": "DNS name",
      "meaning": "the shared host every model is reached on"
    },
    "ingress.gateway": {
      "type": "namespace/name",
      "meaning": "the Istio Gateway the VirtualService binds to"
    },
    "ingress.gatewaySelector": {
      "type": "label map",
      "meaning": "the labels of the gateway's pods: berth gives them to the gateway chart and selects them in the Gateway and the gateway's RequestAuthentication",
      "default": "{istio: ingressgateway}"
    },
    "auth.issuer": {
      "type": "https URL",
      "meaning": "JWT issuer and its keys"
    },
    "auth.jwksUri": {
      "type": "https URL",
      "meaning": "JWT issuer and its keys"
    },
    "auth.groupsClaim": {
      "type": "claim name",
      "meaning": "the JWT claim holding the caller's groups",
      "default": "groups"
    },
    "auth.audiences": {
      "type": "list, at least one",
      "meaning": "accepted JWT audiences (aud): without them any token of the issuer, for any application, would pass (BERTH1101)"
    },
    "artifactBuckets": {
      "type": "list of bucket or bucket/prefix (an s3:// form is accepted)",
      "meaning": "where model artifacts may live; an artifact outside every entry is an error at its line (BERTH1102). Each model's pods get read on exactly their versions' prefixes either way (docs/security.md)",
      "default": "none: any bucket"
    },
    "defaults.resources": {
      "type": "as a model's resources",
      "meaning": "applied where a model is silent"
    },
    "defaults.autoscaling": {
      "type": "as a model's autoscaling",
      "meaning": "applied where a model is silent; targetMemoryUtilization and targetGPUUtilization only on models (BERTH1507)"
    },
    "metricsAdapter": {
      "type": "prometheus-adapter or none",
      "meaning": "the custom-metrics adapter the platform layer installs (the prometheus-adapter chart, on every cluster with a GPU pool); GPU models scale on GPU utilization only with it, else on CPU alone (rollouts)",
      "default": "none"
    },
    "monitoring.namespace": {
      "type": "DNS label",
      "meaning": "where Prometheus runs (network policy, authorization)",
      "default": "monitoring"
    },
    "addons.<component>.version": {
      "type": "exact chart version",
      "meaning": "pins a platform chart (istio-base, istio-cni, istiod, istio-gateway, prometheus-operator-crds, kube-prometheus-stack, cluster-autoscaler, aws-load-balancer-controller, nvidia-device-plugin, dcgm-exporter, prometheus-adapter); see bootstrap.md",
      "default": "the catalogue's pick for the cluster's Kubernetes version"
    },
    "addons.<component>.values": {
      "type": "map",
      "meaning": "Helm values merged over berth's (maps key by key; lists and scalars replace)"
    }
  },
  "Cluster": {
    "environment": {
      "type": "string",
      "meaning": "free text (production, staging)"
    },
    "region": {
      "type": "AWS region",
      "meaning": "e.g. us-east-1"
    },
    "kubernetesVersion": {
      "type": "quoted string, a version EKS supports on the --as-of day (default today, UTC): past its end of extended support, not released yet or unknown is an error (BERTH1001), in extended support a warning naming the dates (BERTH1002); see docs/admission.md",
      "meaning": "a bare 1.30 is read by YAML as the number 1.3: berth says so; before 1.30 the tenant guardrails get no admission policy (warning BERTH1113)"
    },
    "targetRevision": {
      "type": "git branch, tag or commit",
      "meaning": "the revision Argo CD syncs to this cluster; default the platform's gitops.targetRevision. Lets production follow a promoted branch while staging follows main"
    },
    "endpoint.publicAccessCIDRs": {
      "type": "list of 1–40 IPv4 CIDRs",
      "meaning": "opens the Kubernetes API endpoint to these ranges only; without endpoint it is private (reachable from the VPC). 0.0.0.0/0 (BERTH1104), a malformed CIDR or one with host bits set (BERTH1103) and more than 40 (BERTH1105) are errors"
    },
    "pools[]": {
      "type": "list",
      "meaning": "node pools (see pools)"
    },
    "pools[].name": {
      "type": "DNS label",
      "meaning": "unique in the cluster"
    },
    "pools[].instanceType": {
      "type": "EC2 type from the catalogue",
      "meaning": "unknown types are rejected"
    },
    "pools[].minSize": {
      "type": "integers",
      "meaning": "min ≤ desired ≤ max"
    },
    "pools[].maxSize": {
      "type": "integers",
      "meaning": "min ≤ desired ≤ max"
    },
    "pools[].desiredCapacity": {
      "type": "integers",
      "meaning": "min ≤ desired ≤ max"
    },
    "pools[].gpu": {
      "type": "boolean",
      "meaning": "a GPU pool: tainted nvidia.com/gpu=true:NoSchedule"
    },
    "pools[].labels": {
      "type": "map",
      "meaning": "node labels; default workload-type: <pool name>"
    },
    "pools[].taints": {
      "type": "list of {key, value?, effect}",
      "meaning": "as in eksctl"
    },
    "pools[].volumeSize": {
      "type": "GiB",
      "meaning": "node root volume"
    },
    "pools[].zones": {
      "type": "list of availability zones of the cluster's region",
      "meaning": "the node group's availabilityZones; with two or more, models with minReplicas ≥ 2 must spread over them, proven at maxSize (BERTH1505, BERTH1506; rollouts)"
    }
  },
  "Tenant": {
    "namespace": {
      "type": "DNS label",
      "meaning": "unique across tenants, never a system one",
      "default": "metadata.name"
    },
    "owners": {
      "type": "owners",
      "meaning": "CODEOWNERS of models/<tenant>/"
    },
    "clusters": {
      "type": "list of cluster names",
      "meaning": "where the tenant exists"
    },
    "priority": {
      "type": "0–100",
      "meaning": "scheduling tier; PriorityClass berth-tier-<priority>",
      "default": "0"
    },
    "quota.cpu": {
      "type": "quantities",
      "meaning": "the namespace's request quota"
    },
    "quota.memory": {
      "type": "quantities",
      "meaning": "the namespace's request quota"
    },
    "quota.gpu": {
      "type": "integer",
      "meaning": "requests.nvidia.com/gpu",
      "default": "0"
    },
    "quota.pods": {
      "type": "integer",
      "meaning": "pod count"
    },
    "access[]": {
      "type": "{group, role}, role ∈ view, edit, admin",
      "meaning": "RoleBindings in the tenant's namespace only"
    }
  },
  "Model": {
    "framework": {
      "type": "a key of platform.runtimes",
      "meaning": "the serving runtime, unless every version sets image"
    },
    "versions[]": {
      "type": "list, at least one",
      "meaning": "deployed side by side"
    },
    "versions[].name": {
      "type": "lowercase letters, digits, ., -",
      "meaning": "distinct after . → - (v1.2.0 and v1-2-0 collide)"
    },
    "versions[].artifact": {
      "type": "s3://bucket/path/",
      "meaning": "MODEL_S3_URI; the model's Pod Identity role may read path* and list the bucket under it. A whole bucket is a warning (BERTH1106)"
    },
    "versions[].traffic": {
      "type": "0–100",
      "meaning": "weights sum to 100 on every cluster",
      "default": "100 for a single version, else 0"
    },
    "versions[].image": {
      "type": "pinned image from an allowed registry",
      "meaning": "a tag other than latest, or a digest",
      "default": "the runtime's"
    },
    "versions[].env": {
      "type": "map of C identifiers",
      "meaning": "MODEL_S3_URI, MODEL_ID, MODEL_VERSION, FRAMEWORK are reserved; AWS_REGION and AWS_DEFAULT_REGION default to the cluster's region"
    },
    "resources.requests.cpu": {
      "type": "quantities",
      "meaning": "requests must not exceed limits",
      "default": "platform defaults"
    },
    "resources.requests.memory": {
      "type": "quantities",
      "meaning": "requests must not exceed limits",
      "default": "platform defaults"
    },
    "resources.limits.cpu": {
      "type": "quantities",
      "meaning": "requests must not exceed limits",
      "default": "platform defaults"
    },
    "resources.limits.memory": {
      "type": "quantities",
      "meaning": "requests must not exceed limits",
      "default": "platform defaults"
    },
    "resources.gpu": {
      "type": "integer",
      "meaning": "nvidia.com/gpu limit",
      "default": "0"
    },
    "pool": {
      "type": "pool name",
      "meaning": "where the pods run",
      "default": "GPU pool if gpu > 0, else general"
    },
    "autoscaling.minReplicas": {
      "type": "integers ≥ 1",
      "meaning": "min ≤ max",
      "default": "platform defaults, else 1/1"
    },
    "autoscaling.maxReplicas": {
      "type": "integers ≥ 1",
      "meaning": "min ≤ max",
      "default": "platform defaults, else 1/1"
    },
    "autoscaling.targetCPUUtilization": {
      "type": "percent of requests",
      "meaning": "HPA target",
      "default": "70 unless a memory target is set"
    },
    "autoscaling.targetMemoryUtilization": {
      "type": "percent of requests",
      "meaning": "HPA target on the model container, only where the model asks"
    },
    "autoscaling.targetGPUUtilization": {
      "type": "1–100",
      "meaning": "HPA target on DCGM's GPU utilization per pod; needs GPUs (BERTH1504) and the adapter (BERTH1503)",
      "default": "80 on GPU models where the platform has a metricsAdapter"
    },
    "timeout": {
      "type": "duration, 1s–585s (60s, 2m, 1m30s)",
      "meaning": "per request at the gateway; drives the preStop sleep, the proxy's drain and the grace period (BERTH1501, BERTH1502; rollouts)",
      "default": "60s"
    },
    "routing[]": {
      "type": "{group, version}",
      "meaning": "these JWT groups reach that version"
    },
    "access": {
      "type": "list of groups",
      "meaning": "who may call the model"
    },
    "clusters": {
      "type": "subset of the tenant's clusters",
      "meaning": "where the model is deployed",
      "default": "all the tenant's clusters"
    },
    "uses": {
      "type": "list of store names",
      "meaning": "stores the model connects to (stores)"
    },
    "batch[]": {
      "type": "{name, version, schedule?, input, output, shards?, parallelism?, deadline?, retries?, resources?}",
      "meaning": "batch inference with one of the versions (batch)"
    },
    "overrides.<cluster>": {
      "type": "any field above but clusters",
      "meaning": "per-cluster changes (below)"
    }
  }
};
