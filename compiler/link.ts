// Cross-file references: model folder -> tenant, tenant -> clusters, model -> clusters, stores
// (link-stores.ts), and the names that must be unique across files.
import { cmp } from "./base/order.js";
import { Diagnostics, fileStart, refAt } from "./diagnostics.js";
import type { ClusterSpec } from "./schema/cluster.js";
import { linkStores, type StoreSpecDoc } from "./link-stores.js";
import type { ModelSpec } from "./schema/model.js";
import type { PlatformSpec } from "./schema/platform.js";
import type { TenantSpec } from "./schema/tenant.js";
import { isUnusable, type SpecKind } from "./load/load.js";
import type { SpecDoc, ValidDoc } from "./schema/validate.js";

export interface Spec<S> {
  readonly name: string;
  readonly file: string;
  readonly spec: S;
}

export interface TenantSpecDoc extends Spec<TenantSpec> {
  readonly namespace: string;
}

export interface ModelSpecDoc extends Spec<ModelSpec> {
  readonly tenant: string;
  /** The clusters this model is deployed to, in the tenant's order. */
  readonly clusters: string[];
}

export interface World {
  readonly platform: Spec<PlatformSpec>;
  readonly clusters: ReadonlyMap<string, Spec<ClusterSpec>>;
  readonly tenants: ReadonlyMap<string, TenantSpecDoc>;
  readonly models: readonly ModelSpecDoc[];
  readonly stores: readonly StoreSpecDoc[];
  /** Whether a spec of this kind and name exists though it is unusable (already reported). */
  readonly unusable?: Exists;
}

/** Namespaces no tenant may take: Kubernetes', the mesh's, Argo CD's and monitoring's. */
export function reservedNamespace(ns: string, platform: Spec<PlatformSpec>): boolean {
  const gatewayNs = platform.spec.ingress.gateway.split("/")[0];
  const fixed = [
    "default",
    "istio-system",
    "istio-ingress",
    "argocd",
    "monitoring",
    "cert-manager",
    "karpenter",
    // the platform layer's own tiers (emit/platform-tiers.ts)
    "ai-platform-core",
    "batch-processing",
    // namespaces EKS add-ons create for themselves
    "amazon-cloudwatch",
    "amazon-guardduty",
    "aws-observability",
    platform.name,
    gatewayNs,
  ];
  if (platform.spec.monitoring?.namespace) fixed.push(platform.spec.monitoring.namespace);
  return ns.startsWith("kube-") || ns.startsWith("openshift-") || fixed.includes(ns);
}

/**
 * Builds the world from the valid specs. An unusable spec was reported where it failed and still
 * exists: a reference to it is not reported again.
 */
export function link(specs: readonly SpecDoc[], diags: Diagnostics): World | undefined {
  const docs = specs.filter((d): d is ValidDoc<SpecKind> => !isUnusable(d));
  const unusable = new Set(specs.filter(isUnusable).map((d) => `${d.kind}/${d.name}`));
  const exists: Exists = (kind, name) => unusable.has(`${kind}/${name}`) || unusable.has(`${kind}/*`);
  const byKind = (k: SpecKind) => docs.filter((d) => d.kind === k).sort((a, b) => cmp(a.file, b.file)) as ValidDoc<any>[];
  const platformDoc = byKind("Platform")[0] as Spec<PlatformSpec> | undefined;
  if (!platformDoc) return undefined;
  const platform: Spec<PlatformSpec> = { name: platformDoc.name, file: platformDoc.file, spec: platformDoc.spec };

  const clusters = new Map<string, Spec<ClusterSpec>>();
  for (const d of byKind("Cluster")) {
    if (clusters.has(d.name))
      diags.report("BERTH0204", refAt(d.file, "metadata", "name"), `cluster ${d.name} is also declared by ${clusters.get(d.name)!.file}`);
    else clusters.set(d.name, { name: d.name, file: d.file, spec: d.spec });
  }

  const tenants = new Map<string, TenantSpecDoc>();
  const namespaces = new Map<string, string>();
  for (const d of byKind("Tenant")) {
    const spec = d.spec as TenantSpec;
    const namespace = spec.namespace ?? d.name;
    const nsRef = spec.namespace ? refAt(d.file, "spec", "namespace") : refAt(d.file, "metadata", "name");
    if (reservedNamespace(namespace, platform))
      diags.report(
        "BERTH0307",
        nsRef,
        `namespace ${namespace} is reserved for the system or the platform`,
        "choose a namespace of the team's own, e.g. the tenant's name",
      );
    const owner = namespaces.get(namespace);
    if (owner) diags.report("BERTH0306", nsRef, `namespace ${namespace} is also used by ${owner}`, "every tenant needs a namespace of its own");
    else namespaces.set(namespace, d.file);
    spec.clusters.forEach((c, i) => {
      if (!clusters.has(c) && !exists("Cluster", c)) diags.report("BERTH0302", refAt(d.file, "spec", "clusters", i), unknownCluster(c, clusters));
    });
    if (tenants.has(d.name)) diags.report("BERTH0204", refAt(d.file, "metadata", "name"), `tenant ${d.name} is also declared by ${tenants.get(d.name)!.file}`);
    else tenants.set(d.name, { name: d.name, file: d.file, spec, namespace });
  }

  const models: ModelSpecDoc[] = [];
  const modelNames = new Map<string, string>();
  for (const d of byKind("Model")) {
    const spec = d.spec as ModelSpec;
    const tenantName = d.file.split("/")[1]!;
    const tenant = tenants.get(tenantName);
    if (!tenant) {
      if (exists("Tenant", tenantName)) continue;
      diags.report(
        "BERTH0301",
        fileStart(d.file),
        `folder models/${tenantName}/ names no tenant`,
        `add tenants/${tenantName}.yaml or move the model under an existing tenant (${[...tenants.keys()].join(", ") || "none declared"})`,
      );
      continue;
    }
    const other = modelNames.get(d.name);
    if (other) {
      diags.report(
        "BERTH0305",
        refAt(d.file, "metadata", "name"),
        `model name ${d.name} is also used by ${other}; the name is the model-id on the shared host`,
        "choose a name no other tenant uses",
      );
      continue;
    }
    modelNames.set(d.name, d.file);
    const clustersOf = modelClusters(d.file, spec, tenant, clusters, diags, exists);
    models.push({ name: d.name, file: d.file, spec, tenant: tenantName, clusters: clustersOf });
  }
  const stores = linkStores(
    byKind("Store"),
    {
      tenants,
      modelNames,
      unusable: exists,
      clustersOf: (file, spec, tenant) => modelClusters(file, spec, tenant, clusters, diags, exists),
    },
    diags,
  );
  return { platform, clusters, tenants, models, stores, unusable: exists };
}

/** The clusters a model or store is deployed to: its own list within its tenant's, else the tenant's. */
function modelClusters(
  file: string,
  spec: Pick<ModelSpec, "clusters" | "overrides">,
  tenant: TenantSpecDoc,
  clusters: ReadonlyMap<string, unknown>,
  diags: Diagnostics,
  exists: Exists,
): string[] {
  const wanted = spec.clusters ?? tenant.spec.clusters;
  const out: string[] = [];
  (spec.clusters ?? []).forEach((c, i) => {
    if (!clusters.has(c)) {
      if (!exists("Cluster", c)) diags.report("BERTH0302", refAt(file, "spec", "clusters", i), unknownCluster(c, clusters));
    } else if (!tenant.spec.clusters.includes(c))
      diags.report(
        "BERTH0308",
        refAt(file, "spec", "clusters", i),
        `tenant ${tenant.name} is not deployed to cluster ${c}`,
        `add ${c} to ${tenant.file} spec.clusters, or remove it here`,
      );
  });
  for (const c of wanted) if (clusters.has(c) && tenant.spec.clusters.includes(c) && !out.includes(c)) out.push(c);
  for (const c of Object.keys(spec.overrides ?? {})) {
    if (!out.includes(c) && !exists("Cluster", c))
      diags.report(
        "BERTH0309",
        { file, path: ["spec", "overrides", c], key: true },
        `override for cluster ${c}, where the model is not deployed`,
        `the model is deployed to: ${out.join(", ") || "no cluster"}`,
      );
  }
  return out;
}

/** Whether a spec of this kind and name exists though it is unusable (already reported). */
type Exists = (kind: SpecKind, name: string) => boolean;

function unknownCluster(name: string, clusters: ReadonlyMap<string, unknown>): string {
  return `no cluster named ${name} (known: ${[...clusters.keys()].sort().join(", ") || "none"}); declare it in platform/clusters/${name}.yaml`;
}
