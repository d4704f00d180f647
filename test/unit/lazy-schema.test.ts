// The strict validator compiles schemas piecewise, on demand (lazy-schema.ts): it must accept and
// reject exactly what the whole schema does, and report the same errors. Checked on rendered
// objects and on every one-step mutation of them (unknown field, wrong type, missing key).
import { Ajv, type ErrorObject, type ValidateFunction } from "ajv";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { generateFleet } from "../../bench/fleet.js";
import { compile } from "../../compiler/compile.js";
import { LazySchemas, withoutAnnotations, type Json, type Schema } from "../../compiler/verify/lazy-schema.js";
import { goRegExp, schemaFileName, StrictValidator } from "../../compiler/verify/strict.js";
import { memoryTree, SCHEMAS_DIR, strictDescribe } from "../helpers/fixture.js";

// The same RE2 reading of CRD patterns as the validator (inline flags such as `(?i)`).
const ajv = () => new Ajv({ strict: false, allErrors: true, validateFormats: false, validateSchema: false, code: { regExp: goRegExp } });

function load(file: string): Schema {
  const raw = JSON.parse(readFileSync(join(SCHEMAS_DIR, file), "utf8")) as Schema;
  delete raw.$schema;
  delete raw.$id;
  return raw;
}

function outcome(fn: ValidateFunction, data: unknown): string[] {
  if (fn(data)) return [];
  return (fn.errors ?? []).map((e: ErrorObject) => `${e.instancePath} ${e.keyword} ${JSON.stringify(e.params)} ${e.message}`).sort();
}

/** The object itself and each single mutation: an unknown key, a wrong type, a removed key. */
function mutations(obj: Json): Json[] {
  const out: Json[] = [obj];
  const walk = (node: Json, edit: (replace: (v: Json) => Json) => void) => {
    if (Array.isArray(node)) node.forEach((v, i) => walk(v, (f) => edit((n) => (n as Json[]).map((x, j) => (j === i ? f(x) : x)))));
    else if (node && typeof node === "object") {
      edit((n) => ({ ...(n as object), zzUnknown: 1 }));
      for (const k of Object.keys(node)) {
        edit((n) => Object.fromEntries(Object.entries(n as object).filter(([key]) => key !== k)));
        walk(node[k]!, (f) => edit((n) => ({ ...(n as object), [k]: f((n as Record<string, Json>)[k]!) })));
      }
    } else {
      edit(() => (typeof node === "string" ? 7 : "seven"));
      edit(() => ({ nested: true }));
    }
  };
  walk(obj, (f) => out.push(f(obj)));
  return out;
}

function objectsOfSmallFleet(): Map<string, Json[]> {
  const files = Object.fromEntries(generateFleet({ tenants: 2, models: 6, versions: 2, clusters: 2, seed: 3 }));
  const { objects } = compile({ tree: memoryTree(files) });
  const byFile = new Map<string, Json[]>();
  for (const r of objects) {
    const file = schemaFileName(r.object.apiVersion, r.object.kind);
    const list = byFile.get(file) ?? [];
    if (list.length < 2) list.push(JSON.parse(JSON.stringify(r.object)) as Json);
    byFile.set(file, list);
  }
  return byFile;
}

const HAND_WRITTEN: Record<string, Json> = {
  "virtualservice-networking.istio.io-v1beta1.json": {
    apiVersion: "networking.istio.io/v1beta1",
    kind: "VirtualService",
    metadata: { name: "models", namespace: "istio-system" },
    spec: {
      hosts: ["models.example.internal"],
      gateways: ["istio-system/models-gateway"],
      http: [
        {
          match: [{ headers: { "model-id": { exact: "a" } } }],
          route: [{ destination: { host: "a.ns.svc.cluster.local", subset: "v1" }, weight: 100 }],
          timeout: "30s",
        },
      ],
    },
  },
  "application-argoproj.io-v1alpha1.json": {
    apiVersion: "argoproj.io/v1alpha1",
    kind: "Application",
    metadata: { name: "tenant-a", namespace: "argocd" },
    spec: {
      project: "tenant-a",
      source: { repoURL: "https://git.example.com/x.git", targetRevision: "main", path: "clusters/prod/tenants/a" },
      destination: { server: "https://kubernetes.default.svc", namespace: "a" },
      syncPolicy: { automated: { prune: true, selfHeal: true }, syncOptions: ["CreateNamespace=false"] },
    },
  },
  "clusterconfig-eksctl.io-v1alpha5.json": {
    apiVersion: "eksctl.io/v1alpha5",
    kind: "ClusterConfig",
    metadata: { name: "prod", region: "us-east-1", version: "1.28" },
    managedNodeGroups: [
      {
        name: "general",
        instanceType: "m5.large",
        minSize: 1,
        maxSize: 3,
        labels: { "workload-type": "general" },
        taints: [{ key: "k", value: "v", effect: "NoSchedule" }],
      },
    ],
  },
};

strictDescribe("strict validation compiled on demand", () => {
  const samples = objectsOfSmallFleet();
  for (const [file, obj] of Object.entries(HAND_WRITTEN)) samples.set(file, [obj]);

  test.each([...samples.keys()].sort())("%s: same verdicts and errors as the whole schema", (file) => {
    const whole = ajv().compile(load(file));
    const strict = new StrictValidator(SCHEMAS_DIR);
    for (const obj of samples.get(file)!) {
      const { apiVersion, kind } = obj as { apiVersion: string; kind: string };
      const lazy = strict.validatorFor(apiVersion, kind)!;
      expect(outcome(whole, obj)).toEqual([]); // the sample itself is valid
      for (const m of mutations(obj)) {
        const expected = outcome(whole, m);
        expect(lazy(m)).toBe(expected.length === 0);
        expect(
          strict
            .errorsOf(apiVersion, kind, m)
            .map((e) => `${e.instancePath} ${e.keyword} ${JSON.stringify(e.params)} ${e.message}`)
            .sort(),
        ).toEqual(expected);
      }
    }
  });

  test("a large subschema is compiled only when data reaches it", () => {
    const big = {
      type: "object",
      properties: Object.fromEntries(Array.from({ length: 80 }, (_, i) => [`field${i}`, { type: "string" }])),
      additionalProperties: false,
    };
    const schema = { type: "object", properties: { a: big, b: { ...big, required: ["field0"] } }, additionalProperties: false } as Schema;
    const compiled: unknown[] = [];
    const instance = ajv();
    const original = instance.compile.bind(instance);
    instance.compile = ((s: Schema) => (compiled.push(s), original(s))) as typeof instance.compile;
    const fn = new LazySchemas(instance).compile(schema);
    expect(compiled).toHaveLength(1);
    expect(fn({ a: { field1: "x" } })).toBe(true);
    expect(compiled).toHaveLength(2);
    expect(fn({ a: { field1: 1 } })).toBe(false);
    expect(fn({ b: {} })).toBe(false);
    expect(fn({ c: 1 })).toBe(false);
    expect(compiled).toHaveLength(3);
  });

  test("annotations go, property names that look like them stay", () => {
    const schema = {
      type: "object",
      description: "x",
      "x-kubernetes-list-type": "map",
      properties: { description: { type: "string", description: "d" } },
    } as Schema;
    expect(withoutAnnotations(schema)).toEqual({ type: "object", properties: { description: { type: "string" } } });
  });
});
