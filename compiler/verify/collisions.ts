// One object, one source: two specs whose derived names meet (model `foo` version `bar-baz` and
// model `foo-bar` version `baz` both name a Deployment `foo-bar-baz`) would render one object
// twice, and Argo CD would apply whichever it read last. Checked on the assembled output, so a
// collision is found whatever emitter or naming rule produced it.
import { Diagnostics, refAt, type SpecRef } from "../diagnostics.js";
import type { Rendered } from "../emit/types.js";

/**
 * Reports every object identity (or output path) that more than one rendered object claims. A
 * spec that already has an error is left out of the report: it is not written, and what it
 * renders twice has its own diagnostic (a namespace used by two tenants, BERTH0306).
 */
export function verifyOneSourcePerObject(objects: readonly Rendered[], diags: Diagnostics): void {
  const failed = new Set(diags.items.filter((d) => d.severity === "error").map((d) => d.at.file));
  const explained = (a: Rendered, b: Rendered) => [a, b].some((r) => failed.has(r.origin.file) || r.sources.some((s) => failed.has(s)));
  const byIdentity = new Map<string, Rendered>();
  const byPath = new Map<string, Rendered>();
  const found = new Map<string, Collision>();
  for (const r of objects) {
    const id = identity(r);
    const sameObject = byIdentity.get(id);
    if (!sameObject) byIdentity.set(id, r);
    else if (!explained(sameObject, r)) note(found, sameObject, r, qualifiedName(r));
    const sameFile = byPath.get(r.path);
    if (!sameFile) byPath.set(r.path, r);
    else if (sameFile !== sameObject && !explained(sameFile, r)) note(found, sameFile, r, `${qualifiedName(r)} (file ${r.path})`);
  }
  for (const c of found.values()) {
    const kinds = [...c.kinds].sort();
    const what = `${kinds.length === 1 ? kinds[0] : `${kinds.slice(0, -1).join(", ")} and ${kinds[kinds.length - 1]}`} ${c.name}`;
    const clusters = `cluster${c.clusters.size === 1 ? "" : "s"} ${[...c.clusters].sort().join(", ")}`;
    const source = c.other === c.at.file ? "rendered twice from this spec" : `also rendered from ${c.other}`;
    diags.error("BERTH0404", c.at, `${what} on ${clusters} ${kinds.length === 1 ? "is" : "are"} ${source}; one object must have one source`, "rename one of the two so the names berth derives from them (such as <model>-<version>) differ");
  }
}

interface Collision {
  at: SpecRef;
  readonly name: string;
  readonly other: string;
  readonly kinds: Set<string>;
  readonly clusters: Set<string>;
}

/** Who Kubernetes takes an object to be, on one cluster: group, kind, namespace and name. */
function identity(r: Rendered): string {
  const { apiVersion, kind, metadata } = r.object;
  const group = apiVersion.includes("/") ? apiVersion.slice(0, apiVersion.indexOf("/")) : "";
  return [r.owner.cluster, group, kind, metadata.namespace ?? "", metadata.name].join("\u0000");
}

function qualifiedName(r: Rendered): string {
  const { metadata } = r.object;
  return `${metadata.namespace ? `${metadata.namespace}/` : ""}${metadata.name}`;
}

/**
 * One diagnostic per side and name, naming the other side's spec: a Deployment, its HPA and its
 * PDB that meet another model's are one problem. It points at the version that gave the name
 * where one did, else at metadata.name.
 */
function note(found: Map<string, Collision>, first: Rendered, second: Rendered, name: string): void {
  for (const [self, other] of [[first, second], [second, first]] as const) {
    const at = nameRef(self.origin);
    const key = [at.file, other.origin.file, name].join("\u0000");
    let c = found.get(key);
    if (!c) found.set(key, (c = { at, name, other: other.origin.file, kinds: new Set(), clusters: new Set() }));
    else if (at.path.length > c.at.path.length) c.at = at;
    c.kinds.add(self.object.kind);
    c.clusters.add(self.owner.cluster);
  }
}

/** Where a name comes from: a version entry, or else metadata.name. */
function nameRef(origin: SpecRef): SpecRef {
  const [first, second, index] = origin.path;
  if (first === "spec" && second === "versions" && typeof index === "number") return refAt(origin.file, "spec", "versions", index, "name");
  return refAt(origin.file, "metadata", "name");
}
