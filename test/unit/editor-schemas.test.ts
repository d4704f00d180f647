// The editor schemas (`berth schema`) carry the contract: every example spec in the repository and
// its docs passes them, the acceptance-style mistakes fail them at the field, and the field texts
// come from docs/specs.md.
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { Ajv2020 } from "ajv/dist/2020.js";
import { parseAllDocuments, parse } from "yaml";
import { parseQuantity } from "../../compiler/base/quantity.js";
import { EDITOR_PATTERN } from "../../compiler/schema/common.js";
import { editorSchemas } from "../../compiler/schema/editor.js";
import { fieldDocsModule, parseFieldDocs } from "../../compiler/schema/field-docs.js";
import { REPO_ROOT } from "../helpers/fixture.js";

const schemas = editorSchemas() as Record<string, Record<string, unknown>>;
const ajv = new Ajv2020({ allErrors: true, strict: false });
const validators = Object.fromEntries(Object.entries(schemas).map(([name, schema]) => [name, ajv.compile(schema)]));

/** The kinds of spec files (berth.config.yaml's `Config` is not one). */
const SPEC_KINDS = ["Platform", "Cluster", "Tenant", "Model", "Store"];

type Doc = { apiVersion?: unknown; kind?: unknown; [k: string]: unknown };

function errorsOf(doc: Doc): string[] {
  const validate = validators[String(doc.kind).toLowerCase()];
  if (!validate) return [`no schema for kind ${String(doc.kind)}`];
  return validate(doc) ? [] : validate.errors!.map((e) => `${e.instancePath || "/"} ${e.message}`);
}

function files(dir: string, ext: RegExp): string[] {
  return readdirSync(dir).flatMap((name) => {
    const abs = join(dir, name);
    if (statSync(abs).isDirectory()) return name === "node_modules" || name === "expected" || name.startsWith(".") ? [] : files(abs, ext);
    return ext.test(name) ? [abs] : [];
  });
}

/** Every berth spec in the example repository and the golden cases' inputs. */
function specExamples(): [string, Doc][] {
  const specFiles = ["platform", "tenants", "models", "test/cases"].flatMap((d) => files(join(REPO_ROOT, d), /\.ya?ml$/));
  const docs = specFiles.flatMap((f) =>
    parseAllDocuments(readFileSync(f, "utf8")).map((d, i) => [`${relative(REPO_ROOT, f)}#${i}`, d.toJS() as Doc] as [string, Doc]),
  );
  return docs.filter(([, d]) => d !== null && typeof d === "object" && d.apiVersion === "berth.dev/v1alpha1");
}

/** The YAML blocks of README.md and docs/ that are berth specs, whole (`apiVersion: berth.dev/…`) or a `spec:` excerpt. */
function docExamples(): [string, Doc][] {
  const markdown = [join(REPO_ROOT, "README.md"), ...files(join(REPO_ROOT, "docs"), /\.md$/)];
  return markdown.flatMap((f) =>
    [...readFileSync(f, "utf8").matchAll(/```ya?ml\n([\s\S]*?)```/g)].flatMap((m, i) => {
      const docs = parseAllDocuments(m[1]!).map((d) => d.toJS() as Doc);
      return docs
        .map((d, j) => [`${relative(REPO_ROOT, f)} block ${i + 1}#${j}`, d] as [string, Doc])
        .filter(
          ([, d]) =>
            d !== null &&
            typeof d === "object" &&
            ((d.apiVersion === "berth.dev/v1alpha1" && SPEC_KINDS.includes(String(d.kind))) || Object.keys(d).join() === "spec"),
        );
    }),
  );
}

const KINDS = SPEC_KINDS.filter((k) => k.toLowerCase() in schemas);

/** A whole document must pass its kind's schema; an excerpt must fit some kind, fields it leaves out aside. */
function docErrors(doc: Doc): string[] {
  if (doc.apiVersion !== undefined) return errorsOf(doc);
  const tries = KINDS.map((kind) =>
    errorsOf({ apiVersion: "berth.dev/v1alpha1", kind, metadata: { name: "example" }, ...doc }).filter((e) => !/must have required property/.test(e)),
  );
  return tries.find((t) => t.length === 0) ?? tries.flat();
}

const SPECS = specExamples();
const DOC_EXAMPLES = docExamples();

test("the examples include the repository's specs of every kind and the docs' examples", () => {
  const kinds = new Set(SPECS.map(([, d]) => d.kind));
  for (const kind of ["Platform", "Cluster", "Tenant", "Model"]) expect(kinds).toContain(kind);
  expect(DOC_EXAMPLES.some(([name]) => name.startsWith("docs/editors.md"))).toBe(true);
  expect(DOC_EXAMPLES.some(([, d]) => d.apiVersion === undefined)).toBe(true);
});

test.each(SPECS)("%s passes its editor schema", (_name, doc) => {
  expect(errorsOf(doc)).toEqual([]);
});

test.each(DOC_EXAMPLES)("%s passes the editor schemas", (_name, doc) => {
  expect(docErrors(doc)).toEqual([]);
});

const MODEL = parse(readFileSync(join(REPO_ROOT, "models/data-science-team/fraud-detection.yaml"), "utf8")) as Doc;
const TENANT = parse(readFileSync(join(REPO_ROOT, "tenants/marketing.yaml"), "utf8")) as Doc;
const CLUSTER = parse(readFileSync(join(REPO_ROOT, "platform/clusters/prod-us-east-1.yaml"), "utf8")) as Doc;

type Mutable = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** A mistake a user makes, the field the editor must underline, and what its message says. */
const BAD: { name: string; base: Doc; change: (d: Mutable) => void; at: string; says?: RegExp }[] = [
  { name: "a version name in capitals (V1)", base: MODEL, change: (d) => (d.spec.versions[0].name = "V1"), at: "/spec/versions/0/name", says: /pattern/ },
  { name: "a version name with an underscore", base: MODEL, change: (d) => (d.spec.versions[0].name = "v1_2"), at: "/spec/versions/0/name" },
  { name: 'cpu "2 cores"', base: MODEL, change: (d) => (d.spec.resources.requests.cpu = "2 cores"), at: "/spec/resources/requests/cpu", says: /pattern/ },
  { name: "memory 1GB", base: MODEL, change: (d) => (d.spec.resources.limits.memory = "1GB"), at: "/spec/resources/limits/memory", says: /pattern/ },
  { name: "a negative memory", base: MODEL, change: (d) => (d.spec.resources.limits.memory = "-1Gi"), at: "/spec/resources/limits/memory" },
  { name: "a negative cpu number", base: MODEL, change: (d) => (d.spec.resources.requests.cpu = -1), at: "/spec/resources/requests/cpu", says: />= 0/ },
  { name: "a quota memory of 16 GB", base: TENANT, change: (d) => (d.spec.quota.memory = "16 GB"), at: "/spec/quota/memory" },
  { name: "traffic over 100", base: MODEL, change: (d) => (d.spec.versions[0].traffic = 150), at: "/spec/versions/0/traffic", says: /<= 100/ },
  { name: "traffic as a percentage string", base: MODEL, change: (d) => (d.spec.versions[0].traffic = "90%"), at: "/spec/versions/0/traffic", says: /integer/ },
  { name: "a timeout under a second", base: MODEL, change: (d) => (d.spec.timeout = "500ms"), at: "/spec/timeout", says: /pattern/ },
  {
    name: "an artifact that is not s3://",
    base: MODEL,
    change: (d) => (d.spec.versions[0].artifact = "https://ml-models/x/"),
    at: "/spec/versions/0/artifact",
  },
  { name: "an unknown field (replicas)", base: MODEL, change: (d) => (d.spec.replicas = 3), at: "/spec", says: /additional properties/ },
  { name: "a model name with capitals", base: MODEL, change: (d) => (d.metadata.name = "Fraud_Detection"), at: "/metadata/name" },
  { name: "a pool name over 63 characters", base: MODEL, change: (d) => (d.spec.pool = "p".repeat(64)), at: "/spec/pool" },
  { name: "an older apiVersion", base: MODEL, change: (d) => (d.apiVersion = "berth.dev/v1"), at: "/apiVersion", says: /constant/ },
  {
    name: "a tenant role that is not view, edit or admin",
    base: TENANT,
    change: (d) => (d.spec.access[0].role = "owner"),
    at: "/spec/access/0/role",
    says: /allowed values/,
  },
  { name: "an owner without @", base: TENANT, change: (d) => (d.spec.owners = ["example/marketing"]), at: "/spec/owners/0" },
  { name: "a tenant without a quota", base: TENANT, change: (d) => delete d.spec.quota, at: "/spec", says: /quota/ },
  {
    name: "kubernetesVersion as a bare number (1.30 reads as 1.3)",
    base: CLUSTER,
    change: (d) => (d.spec.kubernetesVersion = 1.3),
    at: "/spec/kubernetesVersion",
    says: /string/,
  },
  { name: 'kubernetesVersion "1.35.2"', base: CLUSTER, change: (d) => (d.spec.kubernetesVersion = "1.35.2"), at: "/spec/kubernetesVersion" },
  { name: "a region without its number", base: CLUSTER, change: (d) => (d.spec.region = "us-east"), at: "/spec/region" },
  {
    name: "a taint effect that does not exist",
    base: CLUSTER,
    change: (d) => (d.spec.pools[0].taints = [{ key: "a", effect: "NoScheduling" }]),
    at: "/spec/pools/0/taints/0/effect",
    says: /allowed values/,
  },
];

test.each(BAD.map((c) => [c.name, c] as const))("the editor underlines %s", (_name, c) => {
  const doc = structuredClone(c.base) as Mutable;
  expect(errorsOf(doc)).toEqual([]);
  c.change(doc);
  const errors = errorsOf(doc);
  const here = errors.filter((e) => e.startsWith(`${c.at} `));
  if (here.length === 0) throw new Error(`nothing at ${c.at}; errors: ${errors.join("; ") || "(none)"}`);
  if (c.says) expect(here.join("; ")).toMatch(c.says);
});

test("the quantity pattern accepts exactly the non-negative quantities berth parses", () => {
  const pattern = new RegExp(EDITOR_PATTERN.quantity, "u");
  const samples = [
    "0",
    "1",
    "500m",
    "2",
    "1.5",
    ".5",
    "512Mi",
    "4Gi",
    "1G",
    "1e3",
    "1E-2",
    "100k",
    "1Ei",
    "2 cores",
    "1GB",
    "1gi",
    "-1",
    "+1",
    "1.",
    "1..2",
    "",
    "m",
    "Gi",
    "1 Gi",
    "1mi",
    "0x10",
  ];
  for (const s of samples) expect([s, pattern.test(s)]).toEqual([s, s !== "+1" && parseQuantity(s) !== undefined && parseQuantity(s)! >= 0]);
});

test("fields carry the text of docs/specs.md, and every documented field is in the schema", () => {
  const docs = parseFieldDocs(readFileSync(join(REPO_ROOT, "docs/specs.md"), "utf8"));
  const spec = (schemas.model as Mutable).properties.spec.properties;
  expect(spec.versions.items.properties.name.description).toMatch(/v1\.2\.0 and v1-2-0 collide/);
  expect(spec.timeout.default).toBe("60s");
  expect((schemas.tenant as Mutable).properties.spec.properties.priority.default).toBe(0);
  const undocumented: string[] = [];
  const described = JSON.stringify(schemas);
  for (const [kind, fields] of Object.entries(docs)) {
    if (!(kind.toLowerCase() in schemas)) continue;
    for (const [path, doc] of Object.entries(fields)) if (!described.includes(JSON.stringify(doc.meaning).slice(1, -1))) undocumented.push(`${kind} ${path}`);
  }
  expect(undocumented).toEqual([]);
});

test("compiler/schema/spec-fields.ts is generated from docs/specs.md (run `npm run docs`)", () => {
  const docs = parseFieldDocs(readFileSync(join(REPO_ROOT, "docs/specs.md"), "utf8"));
  expect(readFileSync(join(REPO_ROOT, "compiler/schema/spec-fields.ts"), "utf8")).toBe(fieldDocsModule(docs));
});
