// `diff --format github`: workflow annotations at the spec lines a change comes from, so a pull
// request shows next to the edited line what it renders to, what it risks and what it warns.
import { githubData, githubProperty, type LocatedDiagnostic } from "../diagnostics.js";
import type { ObjectChange, SpecPosition } from "../diff/match.js";
import { describeField, subjectOf } from "../diff/risks.js";
import type { RiskGroup } from "../diff/risk-groups.js";
import type { DiffReport } from "./diff.js";
import { riskGroupsOf } from "./diff-sections.js";

/** Fields named per object in an annotation; the text output above has them all. */
const MAX_FIELDS = 3;
const SIGN = { added: "+", removed: "-", changed: "~" } as const;

function command(kind: "notice" | "warning" | "error", at: Partial<SpecPosition> | undefined, title: string, message: string): string {
  const props = [
    ...(at?.file ? [`file=${githubProperty(at.file)}`] : []),
    ...(at?.line ? [`line=${at.line}`] : []),
    ...(at?.column ? [`col=${at.column}`] : []),
    `title=${githubProperty(title)}`,
  ];
  return `::${kind} ${props.join(",")}::${githubData(message)}\n`;
}

function changeLine(c: ObjectChange): string {
  const fields = c.fields.slice(0, MAX_FIELDS).map(describeField);
  const more = c.fields.length > MAX_FIELDS ? `; ${c.fields.length - MAX_FIELDS} more fields` : "";
  const lands = c.application ? `Application ${c.application}` : "not synced by Argo CD";
  return `${SIGN[c.change]} ${subjectOf(c)} on ${c.owner.cluster} (${lands})${fields.length ? `: ${fields.join("; ")}${more}` : ""}`;
}

/** The spec position a risk line points at: its first object's, else its model's or tenant's first change. */
function positionOf(g: RiskGroup, changes: readonly ObjectChange[]): SpecPosition | undefined {
  const same = (c: ObjectChange) => c.owner.cluster === g.cluster;
  for (const r of g.risks) {
    const hit = changes.find((c) => same(c) && subjectOf(c) === r.subject);
    if (hit?.at) return hit.at;
  }
  const near = changes.find((c) => same(c) && c.at && c.owner.tenant === g.tenant && (!g.model || c.owner.model === g.model));
  return near?.at;
}

export function formatAnnotations(r: DiffReport): string {
  const out: string[] = [];
  // One notice per spec position: a tenant's quota line that changes three objects says so once.
  const byPlace = new Map<string, { at: SpecPosition; lines: string[] }>();
  for (const c of r.changes) {
    if (!c.at) continue;
    const key = `${c.at.file}\u0000${c.at.line}`;
    const entry = byPlace.get(key) ?? { at: c.at, lines: [] };
    entry.lines.push(changeLine(c));
    byPlace.set(key, entry);
  }
  for (const { at, lines } of byPlace.values())
    out.push(command("notice", at, `berth diff: ${lines.length} object${lines.length === 1 ? "" : "s"} change`, lines.join("\n")));
  for (const g of riskGroupsOf(r)) out.push(command("warning", positionOf(g, r.changes), `berth diff: ${g.kind}`, `${g.cluster} ${g.subject}: ${g.message}`));
  for (const d of r.diagnosticsAdded ?? []) out.push(command(d.severity, d, `berth diff: new ${d.code}`, diagnosticText(d)));
  for (const d of r.diagnosticsRemoved ?? [])
    out.push(command("notice", { file: d.file }, `berth diff: fixed ${d.code}`, `no longer raised (at ${r.base.ref} it was at line ${d.line}): ${d.message}`));
  return out.join("");
}

function diagnosticText(d: LocatedDiagnostic): string {
  return d.hint ? `${d.message} (hint: ${d.hint})` : d.message;
}
