// What the plan holds: per cluster its pools, tenants and models with their effective settings
// and derived names. Emitters, verifiers and the diff read these; only plan/ builds them.
import type { InstanceType } from "../catalogue/instances.js";
import type { AddonPlan } from "./addon-rules.js";
import type { World } from "../link.js";
import type { SpecRef } from "../diagnostics.js";
import type { ClusterSpec, PoolSpec } from "../schema/cluster.js";
import type { StoreEngine } from "../schema/store.js";
import type { TenantSpec } from "../schema/tenant.js";
import type { EffectiveModel, EffectiveVersion, Provenance } from "./overrides.js";
import type { Resources } from "./pod-requests.js";

export interface Plan {
  readonly world: World;
  /** Clusters sorted by name. */
  readonly clusters: readonly ClusterPlan[];
}

export interface ClusterPlan {
  readonly name: string;
  readonly file: string;
  readonly spec: ClusterSpec;
  /** The cluster's pools in declared order, resolved against the instance catalogue. */
  readonly pools: readonly PoolPlan[];
  readonly tenants: readonly TenantPlan[];
  readonly models: readonly ModelPlan[];
  /** The platform layer's charts at their pinned versions (addon-rules.ts). */
  readonly addons: readonly AddonPlan[];
  /** Stores on this cluster, by tenant then name. */
  readonly stores: readonly StorePlan[];
}

export interface TenantPlan {
  readonly name: string;
  readonly file: string;
  readonly namespace: string;
  readonly spec: TenantSpec;
  readonly priority: number;
  readonly priorityClassName: string;
  /** The Argo CD Application of the tenant's workloads. */
  readonly appName: string;
}

export interface PoolRef {
  readonly spec: PoolSpec;
  readonly index: number;
}

export interface PoolPlan extends PoolRef {
  /** The catalogue entry; undefined when the type is unknown (reported as BERTH0601). */
  readonly instance?: InstanceType;
  /** What one node leaves for model pods after the reservation; undefined with `instance`. */
  readonly node?: Resources;
  /** The nodes have GPUs: by the catalogue, or by `gpu: true` when the type is unknown. */
  readonly hasGpus: boolean;
  /** A problem with the pool itself was reported: checks that build on it stay quiet. */
  readonly broken: boolean;
  /** Not the cluster's general pool: tainted, so only pods placed on it land there (pools.ts). */
  readonly dedicated: boolean;
}

export interface VersionPlan {
  readonly version: EffectiveVersion;
  /** The version name rewritten DNS-safe: v1.2.0 -> v1-2-0. */
  readonly dnsName: string;
  /** `<model>-<dnsName>`: the Deployment, HPA and PDB name. */
  readonly workloadName: string;
  readonly image: string;
}

export interface ModelPlan {
  readonly name: string;
  readonly file: string;
  readonly tenant: TenantPlan;
  readonly cluster: string;
  readonly model: EffectiveModel;
  readonly prov: Provenance;
  readonly pool?: PoolPlan;
  readonly versions: readonly VersionPlan[];
  readonly port: number;
  /** Batch entries that render on this cluster. */
  readonly batch: readonly BatchPlan[];
  /** The stores this model connects to on this cluster. */
  readonly uses: readonly StorePlan[];
}

/** A batch entry of a model on one cluster (batch-rules.ts). */
export interface BatchPlan {
  readonly name: string;
  /** `<model>-<name>`: the CronJob or Job. */
  readonly jobName: string;
  readonly serviceAccount: string;
  readonly version: VersionPlan;
  readonly schedule?: string;
  readonly input: string;
  readonly output: string;
  readonly shards: number;
  /** Pods that run at once: parallelism, at most shards. */
  readonly parallelism: number;
  readonly deadlineSeconds?: number;
  readonly retries: number;
  readonly resources: EffectiveModel["resources"];
  /** The spec node of a field of this entry; resources leaves the batch does not set come from the model. */
  at(...path: (string | number)[]): SpecRef;
}

/** A store on one cluster (store-rules.ts). */
export interface StorePlan {
  readonly name: string;
  readonly file: string;
  readonly tenant: TenantPlan;
  readonly cluster: string;
  readonly engineName: string;
  readonly engine: StoreEngine;
  readonly replicas: number;
  readonly resources: EffectiveModel["resources"];
  /** storage.size as written, and in bytes. */
  readonly storage: string;
  readonly storageBytes: number;
  readonly pool?: PoolPlan;
  /** Tenants whose models may use the store: its own, then `clients`. */
  readonly admits: readonly string[];
  /** The spec node of a field, for diagnostics (resources leaves fall back to the platform defaults). */
  at(...path: (string | number)[]): SpecRef;
}
