// Which clusters a run renders: all of them, or those named by --cluster.
import { cmp } from "../base/order.js";
import { Diagnostics, flagRef } from "../diagnostics.js";
import type { World } from "../link.js";

/** The selected cluster names, or undefined for all; a name the specs do not declare is reported at the flag. */
export function selectClusters(world: World, names: readonly string[] | undefined, diags: Diagnostics): ReadonlySet<string> | undefined {
  if (!names || names.length === 0) return undefined;
  for (const n of names)
    if (!world.clusters.has(n))
      diags.report("BERTH0012", flagRef("--cluster"), `no cluster named ${n} (known: ${[...world.clusters.keys()].sort(cmp).join(", ")})`);
  return new Set(names);
}
