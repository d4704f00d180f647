// The four model commands as decisions: from the file's current splits to the splits it must
// give afterwards, on the spec and on every cluster the model runs on. Text is not touched here.
import type { Diagnostics, SpecRef } from "../diagnostics.js";
import { versionName } from "../schema/model.js";
import { closest } from "../schema/suggest.js";
import { baseSplit, splitsByCluster, type ModelFile } from "./model-file.js";
import { describeSplit, moveTo, remaining, total, type Split } from "./weights.js";

export type ModelCommand =
  | { readonly kind: "add-version"; readonly version: string; readonly artifact: string; readonly image?: string; readonly traffic: number }
  | { readonly kind: "set-traffic"; readonly weights: readonly { readonly version: string; readonly weight: number }[]; readonly cluster?: string }
  | { readonly kind: "promote"; readonly version: string; readonly step?: number; readonly cluster?: string }
  | { readonly kind: "retire"; readonly version: string };

/** An argument of the command line: a named one, or the i-th VERSION=N of set-traffic. */
export type ArgName = "model" | "version" | "--artifact" | "--image" | "--traffic" | "--step" | "--cluster" | { readonly weight: number };
export type ArgLocator = (arg: ArgName) => SpecRef;

export interface NewVersion {
  readonly name: string;
  readonly artifact: string;
  readonly image?: string;
}

/** What the file must say after the command: versions, and the split on the spec and per cluster. */
export interface Desired {
  readonly versions: readonly string[];
  readonly added?: NewVersion;
  readonly removed?: string;
  readonly base: Split;
  readonly clusters: ReadonlyMap<string, Split>;
}

export function decide(m: ModelFile, cmd: ModelCommand, argAt: ArgLocator, diags: Diagnostics): Desired | undefined {
  switch (cmd.kind) {
    case "add-version":
      return addVersion(m, cmd, argAt, diags);
    case "set-traffic":
      return setTraffic(m, cmd, argAt, diags);
    case "promote":
      return promote(m, cmd, argAt, diags);
    case "retire":
      return retire(m, cmd, argAt, diags);
  }
}

function addVersion(m: ModelFile, cmd: Extract<ModelCommand, { kind: "add-version" }>, argAt: ArgLocator, diags: Diagnostics): Desired | undefined {
  const existing = m.versions.find((v) => v.name === cmd.version);
  if (existing) {
    diags.report(
      "BERTH0903",
      { file: m.path, path: ["spec", "versions", existing.index, "name"] },
      `model ${m.name} already has version ${cmd.version}`,
      "give the new version a name of its own; a version's artifact is never replaced in place",
    );
    return undefined;
  }
  const named = versionName.safeParse(cmd.version);
  if (!named.success) {
    diags.report("BERTH0906", argAt("version"), named.error.issues[0]!.message);
    return undefined;
  }
  const grow = (split: Split) => moveTo(new Map([...split, [cmd.version, 0]]), cmd.version, cmd.traffic);
  const before = splitsByCluster(m);
  for (const [where, split] of [["in the model's spec", baseSplit(m)] as const, ...[...before].map(([c, s]) => [`on cluster ${c}`, s] as const)])
    if (total(split) < cmd.traffic) {
      diags.report(
        "BERTH0905",
        argAt("--traffic"),
        `--traffic ${cmd.traffic} is more than the ${total(split)} points the other versions hold ${where} (${describeSplit(split)})`,
        "fix the model's split first: its weights should add up to 100",
      );
      return undefined;
    }
  const clusters = new Map([...before].map(([c, s]) => [c, grow(s)] as const));
  return {
    versions: [...m.versions.map((v) => v.name), cmd.version],
    added: { name: cmd.version, artifact: cmd.artifact, image: cmd.image },
    base: grow(baseSplit(m)),
    clusters,
  };
}

function setTraffic(m: ModelFile, cmd: Extract<ModelCommand, { kind: "set-traffic" }>, argAt: ArgLocator, diags: Diagnostics): Desired | undefined {
  let ok = true;
  const seen = new Set<string>();
  cmd.weights.forEach((w, i) => {
    if (!knownVersion(m, w.version, argAt({ weight: i }), diags)) ok = false;
    else if (seen.has(w.version)) {
      diags.report("BERTH0906", argAt({ weight: i }), `version ${w.version} is given twice`, "name each version once");
      ok = false;
    }
    seen.add(w.version);
  });
  if (!ok || !deployedCluster(m, cmd.cluster, argAt, diags)) return undefined;
  const apply = (split: Split) => new Map([...split].map(([v, w]) => [v, cmd.weights.find((x) => x.version === v)?.weight ?? w]));
  const unnamed = (split: Split) => [...split].filter(([v]) => !seen.has(v));
  const check = (split: Split, where: string) => {
    const sum = total(split);
    if (sum === 100) return true;
    const kept = unnamed(split).filter(([, w]) => w > 0);
    const keep = kept.length ? `; ${kept.map(([v, w]) => `${v} keeps ${w}`).join(", ")} unless you name it` : "";
    diags.report(
      "BERTH0904",
      argAt({ weight: 0 }),
      `the weights sum to ${sum}, not 100, ${where} (${describeSplit(split)})${keep}`,
      "give weights that add up to 100; a version you do not name keeps its weight",
    );
    return false;
  };
  const before = splitsByCluster(m);
  const clusters = new Map(before);
  if (cmd.cluster) {
    const after = apply(before.get(cmd.cluster)!);
    if (!check(after, `on cluster ${cmd.cluster}`)) return undefined;
    clusters.set(cmd.cluster, after);
    return { versions: m.versions.map((v) => v.name), base: baseSplit(m), clusters };
  }
  const base = apply(baseSplit(m));
  ok = check(base, "in the model's spec");
  for (const [c, split] of before) {
    const after = apply(split);
    clusters.set(c, after);
    if (ok && !check(after, `on cluster ${c}, whose override sets its own weights`)) ok = false;
  }
  return ok ? { versions: m.versions.map((v) => v.name), base, clusters } : undefined;
}

function promote(m: ModelFile, cmd: Extract<ModelCommand, { kind: "promote" }>, argAt: ArgLocator, diags: Diagnostics): Desired | undefined {
  if (!knownVersion(m, cmd.version, argAt("version"), diags) || !deployedCluster(m, cmd.cluster, argAt, diags)) return undefined;
  const move = (split: Split) => moveTo(split, cmd.version, cmd.step ?? remaining(split, cmd.version));
  const before = splitsByCluster(m);
  let ok = true;
  if (cmd.step !== undefined) {
    for (const [c, split] of before) {
      if (cmd.cluster && c !== cmd.cluster) continue;
      const left = remaining(split, cmd.version);
      if (cmd.step > left) {
        diags.report(
          "BERTH0905",
          argAt("--step"),
          `--step ${cmd.step} is more than the ${left} points left to move to ${cmd.version} on cluster ${c} (${describeSplit(split)})`,
          left === 0 ? `${cmd.version} already takes all the traffic there` : `use --step ${left} or less, or promote without --step to move all of it`,
        );
        ok = false;
      }
    }
    // A cluster-less model still has a spec split to move.
    if (!cmd.cluster && before.size === 0 && cmd.step > remaining(baseSplit(m), cmd.version)) {
      diags.report(
        "BERTH0905",
        argAt("--step"),
        `--step ${cmd.step} is more than the ${remaining(baseSplit(m), cmd.version)} points left to move to ${cmd.version}`,
        "use a smaller --step",
      );
      ok = false;
    }
  }
  if (!ok) return undefined;
  const clusters = new Map([...before].map(([c, s]) => [c, !cmd.cluster || c === cmd.cluster ? move(s) : s] as const));
  const base = cmd.cluster ? baseSplit(m) : clampedMove(baseSplit(m), cmd.version, cmd.step);
  return { versions: m.versions.map((v) => v.name), base, clusters };
}

/**
 * The spec's own split moves with the clusters that follow it. When every cluster overrides the
 * weights, the spec's split is moved as far as it can go, so the file stays one consistent story.
 */
function clampedMove(split: Split, to: string, step: number | undefined): Split {
  const left = remaining(split, to);
  return moveTo(split, to, step === undefined ? left : Math.min(step, left));
}

function retire(m: ModelFile, cmd: Extract<ModelCommand, { kind: "retire" }>, argAt: ArgLocator, diags: Diagnostics): Desired | undefined {
  const v = knownVersion(m, cmd.version, argAt("version"), diags);
  if (!v) return undefined;
  if (m.versions.length === 1) {
    diags.report(
      "BERTH0911",
      { file: m.path, path: ["spec", "versions", v.index, "name"] },
      `${cmd.version} is the only version of model ${m.name}`,
      `a model keeps at least one version; add its successor first, or delete ${m.path} to remove the model`,
    );
    return undefined;
  }
  let ok = true;
  const weighted = (at: SpecRef, where: string, w: number) => {
    diags.report(
      "BERTH0907",
      at,
      `version ${cmd.version} still takes ${w}% of the traffic ${where}`,
      `move its traffic first, e.g. berth model promote ${m.name} <another version>`,
    );
    ok = false;
  };
  const base = baseSplit(m);
  if (base.get(cmd.version)! > 0)
    weighted({ file: m.path, path: ["spec", "versions", v.index, ...(v.trafficNode ? ["traffic"] : [])] }, "in the model's spec", base.get(cmd.version)!);
  for (const [c, split] of splitsByCluster(m)) {
    const entry = m.clusterOverrides
      .get(c)
      ?.entries.filter((e) => e.name === cmd.version && e.traffic !== undefined)
      .pop();
    if (entry && split.get(cmd.version)! > 0)
      weighted({ file: m.path, path: ["spec", "overrides", c, "versions", entry.index, "traffic"] }, `on cluster ${c}`, split.get(cmd.version)!);
  }
  for (const use of m.uses.filter((u) => u.version === cmd.version)) {
    diags.report(
      "BERTH0908",
      { file: m.path, path: use.path },
      `the ${use.what} still sends requests to version ${cmd.version}`,
      "point it at another version, or remove it, first",
    );
    ok = false;
  }
  if (!ok) return undefined;
  const drop = (split: Split) => new Map([...split].filter(([name]) => name !== cmd.version));
  return {
    versions: m.versions.filter((x) => x.name !== cmd.version).map((x) => x.name),
    removed: cmd.version,
    base: drop(base),
    clusters: new Map([...splitsByCluster(m)].map(([c, s]) => [c, drop(s)] as const)),
  };
}

function knownVersion(m: ModelFile, name: string, at: SpecRef, diags: Diagnostics) {
  const v = m.versions.find((x) => x.name === name);
  if (!v) {
    const names = m.versions.map((x) => x.name);
    const near = closest(name, names);
    diags.report("BERTH0902", at, `model ${m.name} has no version ${name}`, `${near ? `did you mean ${near}? ` : ""}its versions: ${names.join(", ")}`);
  }
  return v;
}

function deployedCluster(m: ModelFile, cluster: string | undefined, argAt: ArgLocator, diags: Diagnostics): boolean {
  if (cluster === undefined || m.clusters.includes(cluster)) return true;
  const near = closest(cluster, m.clusters);
  diags.report(
    "BERTH0909",
    argAt("--cluster"),
    `model ${m.name} does not run on cluster ${cluster}`,
    `${near ? `did you mean ${near}? ` : ""}it runs on: ${m.clusters.join(", ") || "no cluster"}`,
  );
  return false;
}
