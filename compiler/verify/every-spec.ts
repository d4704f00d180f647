// An existing spec is never dropped silently. Argo CD prunes whatever berth stops rendering, so
// a spec that fell out between two stages without an error would delete its workloads with
// exit 0. Every stage reports an error where it stops a spec; this check holds them to it: when
// no error was reported, every spec loaded must be the source of output on each cluster it is
// deployed to, or the render fails here naming the spec (a bug in berth, never a deletion).
import { Diagnostics, refAt } from "../diagnostics.js";
import type { Rendered } from "../emit/types.js";
import type { Plan } from "../plan/types.js";

export function verifyEverySpecRendered(
  loaded: readonly string[],
  plan: Plan | undefined,
  objects: readonly Rendered[] | RenderedSources,
  diags: Diagnostics,
): void {
  if (diags.hasErrors) return; // nothing is written, so nothing can be lost
  const expected = expectedClusters(plan);
  const rendered = objects instanceof RenderedSources ? objects.byCluster : new RenderedSources().add(objects).byCluster;
  for (const file of loaded) {
    const clusters = expected.get(file);
    const missing = clusters ? clusters.filter((c) => !rendered.get(c)?.has(file)) : undefined;
    if (missing?.length === 0) continue;
    const where = missing ? `renders nothing on cluster${missing.length === 1 ? "" : "s"} ${missing.join(", ")}` : "was dropped before rendering";
    diags.report(
      "BERTH0405",
      refAt(file, "metadata", "name"),
      `the spec ${where}, yet no error says why; berth stops rather than delete its output`,
      "this is a bug in berth: please report it with this spec",
    );
  }
}

/** Cluster -> the spec files its objects came from, gathered one cluster (or one list of objects) at a time. */
export class RenderedSources {
  readonly byCluster = new Map<string, Set<string>>();

  /** Objects come sorted by path, so runs of one source are common. */
  add(objects: readonly Rendered[]): this {
    let last: readonly string[] | undefined;
    let lastCluster = "";
    let set: Set<string> | undefined;
    for (const r of objects) {
      if (r.sources === last && r.owner.cluster === lastCluster) continue;
      last = r.sources;
      if (r.owner.cluster !== lastCluster || !set) {
        lastCluster = r.owner.cluster;
        set = this.byCluster.get(lastCluster);
        if (!set) this.byCluster.set(lastCluster, (set = new Set()));
      }
      for (const s of r.sources) set.add(s);
    }
    return this;
  }
}

/** Spec file -> the planned clusters it must be a source of output on. */
function expectedClusters(plan: Plan | undefined): Map<string, readonly string[]> {
  const out = new Map<string, readonly string[]>();
  if (!plan) return out;
  const { world } = plan;
  const planned = plan.clusters.map((c) => c.name);
  const selected = new Set(planned);
  const on = (clusters: readonly string[]) => clusters.filter((c) => selected.has(c));
  out.set(world.platform.file, planned);
  for (const c of world.clusters.values()) out.set(c.file, on([c.name]));
  for (const t of world.tenants.values()) out.set(t.file, on(t.spec.clusters));
  for (const m of world.models) out.set(m.file, on(m.clusters));
  for (const s of world.stores) out.set(s.file, on(s.clusters));
  return out;
}
