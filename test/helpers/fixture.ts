// Test fixtures: spec trees in memory, built from the example repo's shape and overridden per test.
import { existsSync, mkdirSync, writeFileSync, cpSync, readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { compile, type CompileResult } from "../../compiler/compile.js";
import type { SpecTree } from "../../compiler/load/load.js";
import { StrictValidator } from "../../compiler/verify/strict.js";
import { tempDir } from "./temp.js";

export { tempDir };

export const REPO_ROOT = resolve(process.cwd());
export const SCHEMAS_DIR = resolve(REPO_ROOT, "../shared/schemas");

/**
 * Whether ../shared/schemas is here. It is data kept outside the repository: on a machine without
 * it (a fresh clone, CI without BERTH_SHARED_REPO) the tests run without strict validation, and
 * those that test the strict schemas themselves are skipped (`strictTest`).
 */
export const SCHEMAS_PRESENT = existsSync(SCHEMAS_DIR);
/** The folder for RunOptions.schemas, when it is here. */
export const SCHEMAS = SCHEMAS_PRESENT ? SCHEMAS_DIR : undefined;
/** `--schemas ../shared/schemas`, when it is here. */
export const SCHEMA_ARGS: string[] = SCHEMAS_PRESENT ? ["--schemas", SCHEMAS_DIR] : [];
export const strictTest = SCHEMAS_PRESENT ? test : test.skip;
export const strictDescribe = SCHEMAS_PRESENT ? describe : describe.skip;

let strict: StrictValidator | undefined;
/** The strict validator over ../shared/schemas, compiled once per test file (none without it). */
export function sharedStrict(): StrictValidator | undefined {
  return SCHEMAS_PRESENT ? (strict ??= new StrictValidator(SCHEMAS_DIR)) : undefined;
}

export type Files = Record<string, string | Buffer | null>;

/** A SpecTree over an in-memory map of path -> content. */
export function memoryTree(files: Files): SpecTree {
  const paths = Object.keys(files)
    .filter((p) => files[p] !== null)
    .sort();
  return {
    list: (dir) => paths.filter((p) => p.startsWith(dir + "/")),
    read: (p) => {
      const c = files[p];
      if (c === undefined || c === null) return { code: "BERTH0001", detail: "cannot read file: ENOENT", absent: true };
      return Buffer.isBuffer(c) ? c : Buffer.from(c, "utf8");
    },
  };
}

export const PLATFORM = `apiVersion: berth.dev/v1alpha1
kind: Platform
metadata:
  name: ai-platform
spec:
  owners: ["@example/platform"]
  gitops:
    repoURL: https://git.example.com/ml/ai-platform.git
    targetRevision: main
  registries:
    - 123456789012.dkr.ecr.us-east-1.amazonaws.com/
  runtimes:
    sklearn:
      image: 123456789012.dkr.ecr.us-east-1.amazonaws.com/serving/sklearn:1.4.2
      port: 8080
  ingress:
    host: models.example.internal
    gateway: istio-system/models-gateway
  auth:
    issuer: https://auth.example.com
    jwksUri: https://auth.example.com/jwks
    groupsClaim: groups
    audiences: [models-api]
  defaults:
    resources:
      requests: {cpu: 500m, memory: 1Gi}
      limits: {cpu: "2", memory: 4Gi}
    autoscaling:
      minReplicas: 1
      maxReplicas: 10
      targetCPUUtilization: 70
`;

export const CLUSTER = `apiVersion: berth.dev/v1alpha1
kind: Cluster
metadata:
  name: prod
spec:
  environment: production
  region: us-east-1
  kubernetesVersion: "1.35"
  pools:
    - {name: general, instanceType: m5.large, minSize: 2, maxSize: 10, desiredCapacity: 3}
    - {name: gpu-inference, instanceType: g4dn.xlarge, minSize: 0, maxSize: 5, gpu: true}
`;

export const TENANT = `apiVersion: berth.dev/v1alpha1
kind: Tenant
metadata:
  name: team-a
spec:
  namespace: team-a
  owners: ["@example/team-a"]
  clusters: [prod]
  priority: 5
  quota: {cpu: "40", memory: 160Gi, gpu: 4, pods: 100}
  access:
    - {group: team-a, role: edit}
`;

export const MODEL = `apiVersion: berth.dev/v1alpha1
kind: Model
metadata:
  name: fraud
spec:
  framework: sklearn
  versions:
    - {name: v1.0.0, artifact: "s3://models/fraud/1.0.0/", traffic: 90}
    - {name: v1.1.0, artifact: "s3://models/fraud/1.1.0/", traffic: 10}
  resources: {requests: {cpu: 500m, memory: 1Gi}, limits: {cpu: "1", memory: 2Gi}}
  autoscaling: {minReplicas: 2, maxReplicas: 4}
  routing:
    - {group: team-a, version: v1.1.0}
  access: [team-a]
`;

/** A small valid repository: one platform, cluster `prod`, tenant `team-a`, model `fraud`. */
export function baseFiles(): Files {
  return {
    "platform/platform.yaml": PLATFORM,
    "platform/clusters/prod.yaml": CLUSTER,
    "tenants/team-a.yaml": TENANT,
    "models/team-a/fraud.yaml": MODEL,
  };
}

/** The day tests read the EKS calendar on, so that no test changes its verdict with the clock. */
export const TEST_AS_OF = "2026-11-30";

/** Compiles the base repository with `changes` applied (null deletes a file), strictly validated. */
export function compileFiles(changes: Files = {}, base: Files = baseFiles(), asOf: string = TEST_AS_OF): CompileResult {
  return compile({ tree: memoryTree({ ...base, ...changes }), strict: sharedStrict(), asOf });
}

/** Replaces `from` with `to` in a base file's text; fails loudly when `from` is absent. */
export function edit(text: string, from: string, to: string): string {
  if (!text.includes(from)) throw new Error(`fixture edit: ${JSON.stringify(from)} not found`);
  return text.replace(from, to);
}

/** Writes files to a fresh temp directory and returns it. */
export function tempRepo(files: Files): string {
  const dir = tempDir();
  for (const [p, c] of Object.entries(files)) {
    if (c === null) continue;
    mkdirSync(dirname(join(dir, p)), { recursive: true });
    writeFileSync(join(dir, p), c);
  }
  return dir;
}

/** Every file below `root` as text, by path relative to it (a spec tree on disk, for memoryTree). */
export function filesUnder(root: string): Files {
  const files: Files = {};
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir)) {
      const abs = join(dir, entry);
      if (statSync(abs).isDirectory()) walk(abs);
      else files[relative(root, abs)] = readFileSync(abs, "utf8");
    }
  };
  walk(root);
  return files;
}

/** Copies a folder into a fresh temp directory. */
export function copyToTemp(src: string): string {
  const dir = tempDir();
  cpSync(src, dir, { recursive: true });
  return dir;
}
