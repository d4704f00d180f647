// The benchmark fleet's batch entries and stores: a nightly batch on some models, a vector store
// owned by every fourth tenant and admitting the next one, and models of both tenants using it.
// Each comes back as a workload shape, so quota and pool sizing count it like a model's pods.
import type { ModelShape } from "./fleet.js";

const REGISTRY = "123456789012.dkr.ecr.us-east-1.amazonaws.com/";
export const STORE_ENGINE = "qdrant";
/** Store replicas: one per node of the memory pool, so the pool keeps at least this many + 1 nodes. */
export const STORE_REPLICAS = 3;

export function storesPlatformYaml(): string {
  return `  stores:\n    ${STORE_ENGINE}:\n      image: ${REGISTRY}stores/qdrant:v1.12.4-unprivileged\n      port: 6333\n      dataPath: /qdrant/storage\n      minStorage: 10Gi\n`;
}

export interface FleetStores {
  /** path -> YAML */
  readonly files: [string, string][];
  readonly shapes: ModelShape[];
  /** tenant -> the stores its models may use */
  readonly usable: ReadonlyMap<string, string[]>;
}

export function fleetStores(tenants: readonly string[], clusters: readonly string[]): FleetStores {
  const files: [string, string][] = [];
  const shapes: ModelShape[] = [];
  const usable = new Map<string, string[]>();
  tenants.forEach((tenant, i) => {
    if (i % 4 !== 0) return;
    const name = `${tenant}-vectors`;
    const client = tenants[i + 1];
    files.push([`models/${tenant}/${name}.yaml`, storeYaml(name, client)]);
    shapes.push({
      name,
      tenant,
      pool: "memory",
      pod: { cpu: 1, memory: 8 * 2 ** 30, limitCpu: 2, limitMemory: 8 * 2 ** 30, gpu: 0, volumes: 1 },
      versions: 1,
      maxReplicas: clusters.map(() => STORE_REPLICAS),
      spread: true,
    });
    for (const t of [tenant, ...(client ? [client] : [])]) usable.set(t, [...(usable.get(t) ?? []), name]);
  });
  return { files, shapes, usable };
}

function storeYaml(name: string, client: string | undefined): string {
  return `apiVersion: berth.dev/v1alpha1
kind: Store
metadata:
  name: ${name}
spec:
  engine: ${STORE_ENGINE}
  replicas: ${STORE_REPLICAS}
  resources: {requests: {cpu: "1", memory: 8Gi}, limits: {cpu: "2", memory: 8Gi}}
  storage: {size: 50Gi}
  pool: memory
${client ? `  clients: [${client}]\n` : ""}`;
}

/** A nightly batch of the model's newest version: its lines in the model spec and its pods at parallelism. */
export function batchEntry(model: string, version: string, random: () => number): { lines: string[]; parallelism: number } {
  const shards = [4, 8, 16][Math.floor(random() * 3)]!;
  const parallelism = 1 + Math.floor(random() * 2);
  const lines = [
    "  batch:",
    "    - name: nightly",
    `      version: ${version}`,
    `      schedule: "${Math.floor(random() * 60)} ${Math.floor(random() * 6)} * * *"`,
    `      input: s3://ml-data/${model}/daily/`,
    `      output: s3://ml-results/${model}/nightly/`,
    `      shards: ${shards}`,
    `      parallelism: ${parallelism}`,
    "      deadline: 3h",
    "      retries: 2",
  ];
  return { lines, parallelism };
}
