// `berth check`: compile in memory and fail when clusters/ is not exactly what render would write
// (each cluster compared with its folder as it is compiled);
// report each cluster's capacity and the models without an slo.
import { appendAll } from "../base/arrays.js";
import { dedupe, sortDiagnostics, type LocatedDiagnostic } from "../diagnostics.js";
import type { OutputFile } from "../output/files.js";
import { finish } from "../report/index.js";
import { capacityRows, gatewayTimings } from "../verify/capacity.js";
import { modelsWithoutSlo } from "../verify/observability.js";
import { diffTree, outputProblems, scanTree, type Scope } from "../write/changes.js";
import { isSystemError, nodeFs, type FsOps } from "../write/fs.js";
import { compileRoot, fileDiagnostic, printContext, systemDiagnostic, type Io, type RunOptions } from "./context.js";

export function runCheck(opts: RunOptions, io: Io): number {
  const ops = opts.fsOps ?? nodeFs;
  const found: LocatedDiagnostic[] = [];
  const compared = new Set<string>();
  let failed = false; // the disk could not be read: what was found so far stands, nothing more is compared
  const compare = (files: readonly OutputFile[], scope: Scope): void => {
    if (failed) return;
    try {
      compareTree(opts.root, files, scope, found, ops);
    } catch (e) {
      if (!isSystemError(e)) throw e;
      found.push(systemDiagnostic(e, opts.root));
      failed = true;
    }
  };
  // Each cluster's files are compared with its folder as compile hands them over, then let go.
  const result = compileRoot(opts, (cluster, files) => {
    compared.add(cluster);
    compare(files, { clusters: [cluster], github: false });
  });
  const diagnostics = [...result.diagnostics];
  if (result.ok) {
    // The rest: CODEOWNERS and the folders of clusters no longer rendered.
    compare(result.files, { except: compared });
    appendAll(diagnostics, dedupe(found));
  }
  const sorted = sortDiagnostics(diagnostics);
  const ok = !sorted.some((d) => d.severity === "error");
  const capacity = result.plan ? capacityRows(result.plan) : [];
  const withoutSlo = result.plan ? modelsWithoutSlo(result.plan) : [];
  const gateways = result.plan ? gatewayTimings(result.plan) : undefined;
  const outcome = {
    command: "check" as const,
    files: result.counts.files,
    objects: result.counts.objects,
    capacity,
    withoutSlo,
    ...(gateways ? { gateways } : {}),
  };
  return finish(opts.format, io, { ok, diagnostics: sorted, outcome, ...printContext(io, result) });
}

/** Compares a part of the generated tree with the render, into `diagnostics`. */
function compareTree(root: string, files: readonly OutputFile[], scope: Scope, diagnostics: LocatedDiagnostic[], ops: FsOps): void {
  const tree = scanTree(root, scope, ops);
  const changes = diffTree(files, tree.files);
  const onDisk = new Set(tree.files.map((f) => f.path));
  appendAll(diagnostics, outputProblems(tree, files));
  for (const f of changes.write)
    diagnostics.push(
      onDisk.has(f.path)
        ? fileDiagnostic("BERTH0007", f.path, "out of date or edited by hand: the specs render different content", "run `berth render` and commit the result")
        : fileDiagnostic("BERTH0008", f.path, "missing: the specs render this file", "run `berth render` and commit the result"),
    );
  for (const p of changes.remove)
    diagnostics.push(fileDiagnostic("BERTH0009", p, "stale: no spec renders this file any more", "run `berth render` to remove it"));
  for (const p of changes.blocked)
    diagnostics.push(fileDiagnostic("BERTH0010", p, "a hand-written file (no berth header) stands where berth must write", "move or delete the file"));
  for (const p of changes.foreign)
    diagnostics.push(
      fileDiagnostic(
        "BERTH0006",
        p,
        "hand-written file under clusters/: berth never touches it, but it does not belong in the generated tree",
        "move it out of clusters/",
      ),
    );
}
