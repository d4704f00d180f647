// One object, one source: two specs whose derived names meet (model `foo` version `bar-baz` and
// model `foo-bar` version `baz` both name a Deployment `foo-bar-baz`) would render one object
// twice, and Argo CD would apply whichever it read last. Checked on the assembled output, so a
// collision is found whatever emitter or naming rule produced it.
import { Diagnostics, refAt, type SpecRef } from "../diagnostics.js";
import type { Rendered } from "../emit/types.js";

/**
 * Reports every object identity (or output path) that more than one rendered object claims.
 * `objects` come sorted by path, as compile hands them over, so two files at one path are
 * neighbours. A spec that already has an error is left out of the report: it is not written,
 * and what it renders twice has its own diagnostic (a namespace used by two tenants, BERTH0306).
 */
export function verifyOneSourcePerObject(objects: readonly Rendered[], diags: Diagnostics): void {
  const check = new OneSourcePerObject(diags);
  check.add(objects);
  check.report(diags);
}

/**
 * The same check fed one cluster at a time (compile renders cluster by cluster and lets each
 * cluster's objects go): two objects collide only within one cluster, and what is found is
 * gathered across clusters, so a collision on several clusters is still one diagnostic naming
 * them all. Which specs already have an error is taken once, before any cluster is verified.
 */
export class OneSourcePerObject {
  private readonly failed: ReadonlySet<string>;
  private readonly found = new Map<string, Collision>();

  constructor(diags: Diagnostics) {
    this.failed = new Set(diags.items.filter((d) => d.severity === "error").map((d) => d.at.file));
  }

  /** Whether any collision was found so far. */
  get any(): boolean {
    return this.found.size > 0;
  }

  /** One cluster's objects (or all of them), sorted by path. */
  add(objects: readonly Rendered[]): void {
    const explained = (a: Rendered, b: Rendered) => [a, b].some((r) => this.failed.has(r.origin.file) || r.sources.some((s) => this.failed.has(s)));
    // Keyed by the name (a string the object already holds) rather than a composed key: at 30,000
    // objects, hashing fresh keys cost more than the short scan of same-named objects.
    const byName = new Map<string, Rendered[]>();
    let previous: Rendered | undefined;
    for (const r of objects) {
      const name = r.object.metadata.name;
      const sameName = byName.get(name);
      const sameObject = sameName?.find((o) => sameIdentity(o, r));
      if (sameName) sameName.push(r);
      else byName.set(name, [r]);
      if (sameObject && !explained(sameObject, r)) note(this.found, sameObject, r, qualifiedName(r));
      if (previous?.path === r.path && previous !== sameObject && !explained(previous, r))
        note(this.found, previous, r, `${qualifiedName(r)} (file ${r.path})`);
      previous = r;
    }
  }

  report(diags: Diagnostics): void {
    for (const c of this.found.values()) {
      const kinds = [...c.kinds].sort();
      const what = `${kinds.length === 1 ? kinds[0] : `${kinds.slice(0, -1).join(", ")} and ${kinds[kinds.length - 1]}`} ${c.name}`;
      const clusters = `cluster${c.clusters.size === 1 ? "" : "s"} ${[...c.clusters].sort().join(", ")}`;
      const source = c.other === c.at.file ? "rendered twice from this spec" : `also rendered from ${c.other}`;
      diags.report(
        "BERTH0404",
        c.at,
        `${what} on ${clusters} ${kinds.length === 1 ? "is" : "are"} ${source}; one object must have one source`,
        "rename one of the two so the names berth derives from them (such as <model>-<version>) differ",
      );
    }
  }
}

interface Collision {
  at: SpecRef;
  readonly name: string;
  readonly other: string;
  readonly kinds: Set<string>;
  readonly clusters: Set<string>;
}

/** The same object to Kubernetes: one cluster, group, kind, namespace and name. */
function sameIdentity(a: Rendered, b: Rendered): boolean {
  const x = a.object;
  const y = b.object;
  return (
    a.owner.cluster === b.owner.cluster &&
    x.kind === y.kind &&
    x.metadata.name === y.metadata.name &&
    (x.metadata.namespace ?? "") === (y.metadata.namespace ?? "") &&
    group(x.apiVersion) === group(y.apiVersion)
  );
}

function group(apiVersion: string): string {
  const slash = apiVersion.indexOf("/");
  return slash < 0 ? "" : apiVersion.slice(0, slash);
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
  for (const [self, other] of [
    [first, second],
    [second, first],
  ] as const) {
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
