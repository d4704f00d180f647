// A deterministic fleet of specs for the benchmark: one platform, C clusters with general, GPU
// and memory pools, T tenants and N models of V versions each, some with a nightly batch, and a
// store for every fourth tenant (fleet-workloads.ts). Every fleet is valid: pool sizes
// and tenant quotas are derived from the models, at maximum replicas and pod limits, so that
// neither the quota fit (issue 4) nor the scheduling proof (issue 5) can fail or warn.
import { allocatableFor, type NodeAllocatable } from "../compiler/catalogue/allocatable.js";
import { lookupInstanceType, type InstanceType } from "../compiler/catalogue/instances.js";
import { attachableVolumes } from "../compiler/catalogue/volumes.js";
import { batchEntry, fleetStores, storesPlatformYaml } from "./fleet-workloads.js";
import { parseQuantity } from "../compiler/base/quantity.js";

export interface FleetOptions {
  readonly tenants: number;
  readonly models: number;
  readonly versions: number;
  readonly clusters: number;
  readonly seed: number;
}

/** path (relative to the repository root) -> YAML text. */
export type FleetFiles = Map<string, string>;

const REGISTRY = "123456789012.dkr.ecr.us-east-1.amazonaws.com/";
const RUNTIMES = ["sklearn", "xgboost", "tensorflow", "onnx", "pytorch"] as const;
const REGIONS = ["us-east-1", "eu-west-1", "us-west-2", "ap-southeast-2", "eu-central-1", "ap-northeast-1", "ca-central-1", "sa-east-1"];
const TEAM_WORDS = ["fraud", "search", "ads", "risk", "vision", "speech", "pricing", "growth", "trust", "maps", "mail", "health"];
const MODEL_WORDS = ["scorer", "ranker", "classifier", "embedder", "detector", "forecaster", "tagger", "matcher", "recommender"];

/** Platform defaults, as written in platform.yaml: what a model without `resources` gets. */
const DEFAULTS = { requests: { cpu: "500m", memory: "1Gi" }, limits: { cpu: "2", memory: "4Gi" }, minReplicas: 1, maxReplicas: 4 };

/** The pools every cluster declares: instance types big enough that a few hundred nodes hold 5,000 models. */
const POOLS = [
  { name: "general", instanceType: "m5.4xlarge", minSize: 3, gpu: false },
  { name: "gpu", instanceType: "g4dn.12xlarge", minSize: 0, gpu: true },
  { name: "memory", instanceType: "r5.4xlarge", minSize: 1, gpu: false },
] as const;
type PoolName = (typeof POOLS)[number]["name"];

/** A model's effective shape on one cluster: what quota and pool sizing add up. */
interface Pod {
  cpu: number;
  memory: number;
  limitCpu: number;
  limitMemory: number;
  gpu: number;
  /** EBS volumes a pod claims (a store replica's one). */
  volumes?: number;
}

/** A workload's effective shape on each cluster: a model's serving pods, a batch's, a store's. */
export interface ModelShape {
  name: string;
  tenant: string;
  pool: PoolName;
  pod: Pod;
  versions: number;
  /** maxReplicas per cluster index (overrides lower it on some clusters); a batch's parallelism. */
  maxReplicas: number[];
  /** One pod per node (a store's replicas). */
  spread?: boolean;
}

/** mulberry32: a small seeded PRNG, so a fleet depends on its options only. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function clusterNames(count: number): string[] {
  return Array.from(
    { length: count },
    (_, i) => `${i === 1 ? "staging" : "prod"}-${REGIONS[i % REGIONS.length]}${i >= REGIONS.length ? `-${Math.floor(i / REGIONS.length)}` : ""}`,
  );
}

export function tenantNames(count: number): string[] {
  return Array.from({ length: count }, (_, i) => `${TEAM_WORDS[i % TEAM_WORDS.length]}-team-${String(i + 1).padStart(2, "0")}`);
}

export function generateFleet(opts: FleetOptions): FleetFiles {
  for (const [k, v] of Object.entries(opts))
    if (!Number.isInteger(v) || (k !== "seed" && v < 1)) throw new Error(`fleet: --${k} must be a positive integer (got ${v})`);
  const random = rng(opts.seed);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)]!;
  const clusters = clusterNames(opts.clusters);
  const tenants = tenantNames(opts.tenants);
  const files: FleetFiles = new Map();
  const shapes: ModelShape[] = [];

  files.set("platform/platform.yaml", platformYaml());
  const stores = fleetStores(tenants, clusters);
  for (const [path, text] of stores.files) files.set(path, text);
  shapes.push(...stores.shapes);
  for (let i = 0; i < opts.models; i++) {
    const tenant = tenants[i % tenants.length]!;
    const name = `${pick(MODEL_WORDS)}-${String(i + 1).padStart(5, "0")}`;
    const { text, shapes: own } = modelYaml(name, tenant, opts.versions, clusters, random, pick, stores.usable.get(tenant) ?? []);
    files.set(`models/${tenant}/${name}.yaml`, text);
    shapes.push(...own);
  }
  tenants.forEach((t, i) =>
    files.set(
      `tenants/${t}.yaml`,
      tenantYaml(
        t,
        i,
        clusters,
        shapes.filter((s) => s.tenant === t),
      ),
    ),
  );
  clusters.forEach((c, i) => files.set(`platform/clusters/${c}.yaml`, clusterYaml(c, i, shapes)));
  return new Map([...files.entries()].sort(([a], [b]) => (a < b ? -1 : 1)));
}

function platformYaml(): string {
  const runtimes = RUNTIMES.map((r) => `    ${r}:\n      image: ${REGISTRY}serving/${r}:2.${r.length}.0\n      port: 8080\n`).join("");
  return `apiVersion: berth.dev/v1alpha1
kind: Platform
metadata:
  name: ai-platform
spec:
  owners: ["@example/platform"]
  gitops:
    repoURL: https://git.example.com/ml/ai-platform.git
    targetRevision: main
  registries:
    - ${REGISTRY}
  runtimes:
${runtimes}${storesPlatformYaml()}  ingress:
    host: models.example.internal
    gateway: istio-system/models-gateway
  auth:
    issuer: https://auth.example.com
    jwksUri: https://auth.example.com/jwks
    groupsClaim: groups
    audiences: [models-api]
  defaults:
    resources:
      requests: {cpu: ${DEFAULTS.requests.cpu}, memory: ${DEFAULTS.requests.memory}}
      limits: {cpu: "${DEFAULTS.limits.cpu}", memory: ${DEFAULTS.limits.memory}}
    autoscaling:
      minReplicas: ${DEFAULTS.minReplicas}
      maxReplicas: ${DEFAULTS.maxReplicas}
      targetCPUUtilization: 70
`;
}

/** Resource presets per kind of model: [requests cpu, memory, limits cpu, memory, gpu]. */
const PRESETS: Record<PoolName, readonly (readonly [string, string, string, string, number])[]> = {
  general: [
    ["250m", "512Mi", "1", "1Gi", 0],
    ["500m", "1Gi", "2", "2Gi", 0],
    ["1", "2Gi", "2", "4Gi", 0],
  ],
  gpu: [
    ["2", "8Gi", "4", "12Gi", 1],
    ["4", "16Gi", "8", "24Gi", 1],
  ],
  memory: [
    ["1", "16Gi", "2", "20Gi", 0],
    ["2", "24Gi", "4", "28Gi", 0],
  ],
};

function trafficSplit(versions: number, random: () => number): number[] {
  if (versions === 1) return [100];
  const canary = [10, 20, 50, 0][Math.floor(random() * 4)]!;
  // The newest version is the canary; older ones share the rest, the oldest taking the remainder.
  const older = versions - 1;
  const each = Math.floor((100 - canary) / older);
  return [100 - canary - each * (older - 1), ...Array(older - 1).fill(each), canary];
}

function modelYaml(
  name: string,
  tenant: string,
  versions: number,
  clusters: string[],
  random: () => number,
  pick: <T>(l: readonly T[]) => T,
  stores: readonly string[],
): { text: string; shapes: ModelShape[] } {
  const roll = random();
  const pool: PoolName = roll < 0.1 ? "gpu" : roll < 0.2 ? "memory" : "general";
  const usesDefaults = pool === "general" && random() < 0.3;
  const preset = usesDefaults
    ? ([DEFAULTS.requests.cpu, DEFAULTS.requests.memory, DEFAULTS.limits.cpu, DEFAULTS.limits.memory, 0] as const)
    : pick(PRESETS[pool]);
  const framework = pool === "gpu" ? "pytorch" : pick(RUNTIMES.filter((r) => r !== "pytorch"));
  const minReplicas = 1 + Math.floor(random() * 2);
  const maxReplicas = minReplicas + 1 + Math.floor(random() * 4);
  const split = trafficSplit(versions, random);
  const names = Array.from({ length: versions }, (_, k) => `v${1 + (name.length % 3)}.${k + 1}.0`);
  const L: string[] = ["apiVersion: berth.dev/v1alpha1", "kind: Model", "metadata:", `  name: ${name}`, "spec:", `  framework: ${framework}`, "  versions:"];
  names.forEach((v, k) => {
    const traffic = versions > 1 ? `, traffic: ${split[k]}` : "";
    const image = random() < 0.15 ? `, image: ${REGISTRY}models/${name}:${v.slice(1)}` : "";
    const env = random() < 0.3 ? `, env: {LOG_LEVEL: info, BATCH_SIZE: "${8 << Math.floor(random() * 3)}"}` : "";
    L.push(`    - {name: ${v}, artifact: "s3://ml-models/${name}/${v.slice(1)}/"${traffic}${image}${env}}`);
  });
  if (!usesDefaults)
    L.push(
      `  resources: {requests: {cpu: "${preset[0]}", memory: ${preset[1]}}, limits: {cpu: "${preset[2]}", memory: ${preset[3]}}${preset[4] > 0 ? `, gpu: ${preset[4]}` : ""}}`,
    );
  if (pool === "memory") L.push("  pool: memory");
  L.push(`  autoscaling: {minReplicas: ${minReplicas}, maxReplicas: ${maxReplicas}, targetCPUUtilization: ${60 + Math.floor(random() * 4) * 5}}`);
  const access = [`${tenant}-callers`];
  if (versions > 1 && random() < 0.4) {
    access.push(`${tenant}-beta`);
    L.push("  routing:", `    - {group: ${tenant}-beta, version: ${names[versions - 1]}}`);
  }
  L.push(`  access: [${access.join(", ")}]`);
  if (stores.length > 0 && random() < 0.2) L.push(`  uses: [${pick(stores)}]`);
  // A nightly batch on one model in ten that runs off GPUs, with the model's own resources.
  const batch = pool !== "gpu" && random() < 0.1 ? batchEntry(name, names[versions - 1]!, random) : undefined;
  if (batch) L.push(...batch.lines);
  // Every model states an SLO, so the fleet measures its rules and dashboards (no random draw: the fleet stays the same).
  L.push("  slo: {availability: 99.9, latencyP99: 500ms}");
  // A staging cluster runs fewer replicas and, for canaries, an even split.
  const maxPerCluster = clusters.map(() => maxReplicas);
  if (clusters.length > 1 && random() < 0.3) {
    L.push("  overrides:", `    ${clusters[1]}:`, "      autoscaling: {minReplicas: 1, maxReplicas: 2}");
    maxPerCluster[1] = 2;
    if (versions > 1) {
      const even = trafficEven(versions);
      L.push("      versions:", ...names.map((v, k) => `        - {name: ${v}, traffic: ${even[k]}}`));
    }
  }
  const pod: Pod = {
    cpu: parseQuantity(preset[0])!,
    memory: parseQuantity(preset[1])!,
    limitCpu: parseQuantity(preset[2])!,
    limitMemory: parseQuantity(preset[3])!,
    gpu: preset[4],
  };
  const shapes: ModelShape[] = [{ name, tenant, pool, pod, versions, maxReplicas: maxPerCluster }];
  if (batch) shapes.push({ name: `${name}/nightly`, tenant, pool, pod, versions: 1, maxReplicas: clusters.map(() => batch.parallelism) });
  return { text: L.join("\n") + "\n", shapes };
}

function trafficEven(versions: number): number[] {
  const each = Math.floor(100 / versions);
  return [100 - each * (versions - 1), ...Array(versions - 1).fill(each)];
}

/** Quota: the tenant's models at maximum replicas and pod limits on its busiest cluster, plus 20 %. */
function tenantYaml(name: string, index: number, clusters: string[], models: ModelShape[]): string {
  const need = { cpu: 0, memory: 0, gpu: 0, pods: 0 };
  clusters.forEach((_, c) => {
    const sum = { cpu: 0, memory: 0, gpu: 0, pods: 0 };
    for (const m of models) {
      const pods = m.versions * m.maxReplicas[c]!;
      sum.cpu += pods * Math.max(m.pod.cpu, m.pod.limitCpu);
      sum.memory += pods * Math.max(m.pod.memory, m.pod.limitMemory);
      sum.gpu += pods * m.pod.gpu;
      sum.pods += pods;
    }
    for (const k of ["cpu", "memory", "gpu", "pods"] as const) need[k] = Math.max(need[k], sum[k]);
  });
  const headroom = (n: number) => Math.ceil(n * 1.2) + 1;
  const memoryGi = headroom(need.memory / 2 ** 30);
  return `apiVersion: berth.dev/v1alpha1
kind: Tenant
metadata:
  name: ${name}
spec:
${index % 2 === 1 ? `  namespace: ns-${name}\n` : ""}  owners: ["@example/${name}"]
  clusters: [${clusters.join(", ")}]
  priority: ${1 + (index % 10)}
  quota: {cpu: "${headroom(need.cpu)}", memory: ${memoryGi}Gi, gpu: ${headroom(need.gpu)}, pods: ${headroom(need.pods)}}
  access:
    - {group: ${name}-engineers, role: edit}
    - {group: ${name}-viewers, role: view}
    - {group: platform-sre, role: admin}
`;
}

/**
 * Pool maxSize: every workload's pods at maximum replicas, each counted as the share of a node it
 * needs in its scarcest dimension (CPU, memory, GPUs, pod slots), plus 20 % and one node; stores'
 * replicas (one per node) on nodes of their own on top: replicas × the nodes their stores fill.
 */
function clusterYaml(name: string, index: number, models: ModelShape[]): string {
  const pools = POOLS.map((p) => {
    const type = lookupInstanceType(p.instanceType)!;
    const alloc = allocatableFor(type);
    let nodes = 0;
    let spread = 0;
    let replicas = 0;
    for (const m of models) {
      if (m.pool !== p.name) continue;
      if (m.spread) {
        spread += 1 / podsPerNode(m.pod, alloc, type);
        replicas = Math.max(replicas, m.maxReplicas[index]!);
      } else nodes += (m.versions * m.maxReplicas[index]!) / podsPerNode(m.pod, alloc, type);
    }
    const maxSize = Math.max(p.minSize + 1, Math.ceil(nodes * 1.2) + 1 + replicas * Math.ceil(spread));
    const desired = p.name === "general" ? `, desiredCapacity: ${p.minSize}` : "";
    return `    - {name: ${p.name}, instanceType: ${p.instanceType}, minSize: ${p.minSize}, maxSize: ${maxSize}${desired}${p.gpu ? ", gpu: true" : ""}}`;
  });
  return `apiVersion: berth.dev/v1alpha1
kind: Cluster
metadata:
  name: ${name}
spec:
  environment: ${index === 1 ? "staging" : "production"}
  region: ${REGIONS[index % REGIONS.length]}
  kubernetesVersion: "1.35"
  pools:
${pools.join("\n")}
`;
}

function podsPerNode(pod: Pod, alloc: NodeAllocatable, type: InstanceType): number {
  const fit = Math.min(
    Math.floor(alloc.cpuMilli / (pod.cpu * 1000)),
    Math.floor((alloc.memoryMiB * 2 ** 20) / pod.memory),
    alloc.pods,
    pod.gpu > 0 ? Math.floor(alloc.gpus / pod.gpu) : Infinity,
    pod.volumes ? Math.floor(attachableVolumes(type) / pod.volumes) : Infinity,
  );
  if (fit < 1) throw new Error(`fleet: a pod of ${JSON.stringify(pod)} fits no node`);
  return fit;
}
