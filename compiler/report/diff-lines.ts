// A diff report's parts every format shares (groups of changes, totals, one object's lines), the
// text form of the whole report (the text and github formats print it), and its JSON fields.
import { appendAll } from "../base/arrays.js";
import { inline, inlinePair, lineDiff, type FieldChange, type ObjectChange } from "../diff/match.js";
import { RISK_KINDS, subjectOf, type Risk } from "../diff/risks.js";
import { diagnosticLines, diagnosticTotals, riskGroupsOf, riskPlace } from "./diff-sections.js";
import { printable } from "./printable.js";
import type { DiffReport } from "./reporter.js";

export interface Group {
  readonly cluster: string;
  readonly tenant?: string;
  readonly model?: string;
  readonly changes: ObjectChange[];
}

export function groups(changes: readonly ObjectChange[]): Group[] {
  const out: Group[] = [];
  for (const c of changes) {
    const last = out[out.length - 1];
    if (last && last.cluster === c.owner.cluster && last.tenant === c.owner.tenant && last.model === c.owner.model) last.changes.push(c);
    else out.push({ cluster: c.owner.cluster, tenant: c.owner.tenant, model: c.owner.model, changes: [c] });
  }
  return out;
}

export const count = (cs: readonly ObjectChange[], op: ObjectChange["change"]) => cs.filter((c) => c.change === op).length;

export function totals(r: DiffReport): string {
  const clusters = new Set(r.changes.map((c) => c.owner.cluster)).size;
  const diagnostics = diagnosticTotals(r);
  return `${count(r.changes, "changed")} changed, ${count(r.changes, "added")} added, ${count(r.changes, "removed")} removed in ${clusters} cluster${clusters === 1 ? "" : "s"}${diagnostics ? `; ${diagnostics}` : ""}`;
}

export function riskCounts(risks: readonly Risk[]): string {
  return RISK_KINDS.map((k) => [k, risks.filter((r) => r.kind === k).length] as const)
    .filter(([, n]) => n > 0)
    .map(([k, n]) => `${n} ${k}`)
    .join(", ");
}

const SIGN = { added: "+", removed: "-", changed: "~" } as const;

/**
 * The lines of one object's change. For a pull-request comment (`diffStyle`) old and new values
 * go on - and + lines and the file is left out (the PR's own file view has it).
 */
export function objectLines(c: ObjectChange, diffStyle: boolean, nameApplication = false): string[] {
  const app = nameApplication && c.application ? `  (Application ${c.application})` : "";
  const lines = [
    diffStyle
      ? `${SIGN[c.change]} ${subjectOf(c)}${app}`
      : `${SIGN[c.change]} ${subjectOf(c)}  (${c.file}${c.application ? `, Application ${c.application}` : ""})`,
  ];
  for (const f of c.fields) appendAll(lines, fieldLines(f, diffStyle));
  return lines;
}

function fieldLines(f: FieldChange, diffStyle: boolean): string[] {
  // A multi-line string changed in place: the lines that differ, not two escaped blobs.
  const lines = f.op === "changed" ? lineDiff(f.old, f.new) : undefined;
  if (lines)
    return diffStyle
      ? [`~   ${f.path}: (lines)`, ...lines.map((l) => `${l[0] === " " ? " " : l[0]}     ${l.slice(2)}`)]
      : [`    ${f.path}: (lines)`, ...lines.map((l) => `      ${l}`)];
  if (!diffStyle) {
    if (f.op === "added") return [`    ${f.path}: + ${inline(f.new)}`];
    if (f.op === "removed") return [`    ${f.path}: - ${inline(f.old)}`];
    const [was, now] = inlinePair(f.old, f.new);
    return [`    ${f.path}: ${was} → ${now}`];
  }
  if (f.op === "added") return [`+   ${f.path}: ${inline(f.new)}`];
  if (f.op === "removed") return [`-   ${f.path}: ${inline(f.old)}`];
  const [was, now] = inlinePair(f.old, f.new);
  return [`-   ${f.path}: ${was}`, `+   ${f.path}: ${now}`];
}

/** The one Application a group's changes land in, or the several. */
export function applicationsOf(g: Group): string {
  return [...new Set(g.changes.map((c) => c.application ?? "(by hand)"))].join(", ");
}

function applicationLabel(g: Group): string {
  return g.changes.some((c) => c.application) ? `  (Application ${applicationsOf(g)})` : "";
}

export function where(g: { tenant?: string; model?: string }): string {
  return g.tenant ? `${g.tenant}${g.model ? ` / ${g.model}` : ""}` : "platform";
}

export function diffText(r: DiffReport): string {
  const out = [`berth diff ${r.base.ref} (${r.base.commit.slice(0, 12)}) → working tree: ${totals(r)}`];
  if (r.changes.length === 0)
    return appendAll([...out, "no rendered object changes"], diagnosticLines(r))
      .concat("")
      .map(printable)
      .join("\n");
  let cluster = "";
  let tenant: string | undefined = "\u0000";
  for (const g of groups(r.changes)) {
    if (g.cluster !== cluster) {
      out.push("", `cluster ${g.cluster}`);
      cluster = g.cluster;
      tenant = "\u0000";
    }
    if (g.tenant !== tenant) {
      out.push(g.tenant ? `  tenant ${g.tenant}` : "  platform");
      tenant = g.tenant;
    }
    if (g.model) out.push(`    model ${g.model}${applicationLabel(g)}`);
    const indent = g.model ? "      " : "    ";
    for (const c of g.changes) for (const line of objectLines(c, false)) out.push(indent + line);
  }
  appendAll(out, diagnosticLines(r));
  out.push("", r.risks.length ? `risks: ${riskCounts(r.risks)}` : "risks: none");
  const width = RISK_KINDS.reduce((w, k) => Math.max(w, k.length), 0);
  const clusterWidth = r.risks.reduce((w, k) => Math.max(w, k.cluster.length), 0);
  for (const k of riskGroupsOf(r)) out.push(`  ${k.kind.padEnd(width)}  ${k.cluster.padEnd(clusterWidth)}  ${riskPlace(k)}  ${k.subject}: ${k.message}`);
  return out.map(printable).join("\n") + "\n";
}

/** The diff's fields in the JSON envelope: base, summary, risks, their groups, the diagnostics it adds and removes, changes. */
export function diffFields(r: DiffReport): Record<string, unknown> {
  const summary: Record<string, unknown> = {
    changed: count(r.changes, "changed"),
    added: count(r.changes, "added"),
    removed: count(r.changes, "removed"),
    clusters: [...new Set(r.changes.map((c) => c.owner.cluster))],
    risks: Object.fromEntries(RISK_KINDS.map((k) => [k, r.risks.filter((x) => x.kind === k).length])),
    diagnosticsAdded: (r.diagnosticsAdded ?? []).length,
    diagnosticsRemoved: (r.diagnosticsRemoved ?? []).length,
  };
  const changes = r.changes.map((c) => ({
    cluster: c.owner.cluster,
    ...(c.owner.tenant ? { tenant: c.owner.tenant } : {}),
    ...(c.owner.model ? { model: c.owner.model } : {}),
    ...(c.application ? { application: c.application } : {}),
    change: c.change,
    apiVersion: c.apiVersion,
    kind: c.kind,
    ...(c.namespace ? { namespace: c.namespace } : {}),
    name: c.name,
    file: c.file,
    ...(c.at ? { spec: c.at } : {}),
    fields: c.fields,
  }));
  const riskGroups = riskGroupsOf(r).map((g) => ({ ...g, risks: g.risks.map(({ subject, message }) => ({ subject, message })) }));
  const diagnostics = { diagnosticsAdded: r.diagnosticsAdded ?? [], diagnosticsRemoved: r.diagnosticsRemoved ?? [] };
  return { base: r.base, summary, risks: r.risks, riskGroups, ...diagnostics, changes };
}
