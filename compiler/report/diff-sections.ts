// The parts of a diff report that say what a change does beyond the objects: the diagnostics it
// adds or fixes, and the risks as one line per cause. Shared by the text, markdown and github forms.
import { appendAll } from "../base/arrays.js";
import type { LocatedDiagnostic } from "../diagnostics.js";
import { printable } from "./printable.js";
import type { RiskGroup } from "../diff/risk-groups.js";
import type { Risk } from "../diff/risks.js";

/** The fields of a diff report these sections read. */
export interface Sections {
  readonly base: { readonly ref: string };
  readonly risks: readonly Risk[];
  readonly riskGroups?: readonly RiskGroup[];
  readonly diagnosticsAdded?: readonly LocatedDiagnostic[];
  readonly diagnosticsRemoved?: readonly LocatedDiagnostic[];
}

export const html = (s: string) => printable(s).replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
export const cell = (s: string) => html(s).replace(/\|/g, "\\|");

export function longestBacktickRun(s: string): number {
  return (s.match(/`+/g) ?? []).reduce((w, m) => Math.max(w, m.length), 0);
}

/** Inline code that no backtick inside can close. */
export function codeSpan(s: string): string {
  const text = printable(s);
  const ticks = "`".repeat(longestBacktickRun(text) + 1);
  const pad = text.startsWith("`") || text.endsWith("`") ? " " : "";
  return `${ticks}${pad}${text}${pad}${ticks}`;
}

/** Where a risk line is: its tenant and model, or how many a grouped line spans. */
export function riskPlace(g: RiskGroup): string {
  const tenants = new Set(g.risks.map((r) => r.tenant ?? ""));
  if (tenants.size > 1) return tenants.has("") ? `platform and ${tenants.size - 1} tenants` : `${tenants.size} tenants`;
  const models = new Set(g.risks.map((r) => r.model ?? ""));
  if (g.tenant && models.size > 1) return `${g.tenant} / ${models.has("") ? `tenant and ${models.size - 1} models` : `${models.size} models`}`;
  return g.tenant ? `${g.tenant}${g.model ? ` / ${g.model}` : ""}` : "platform";
}

/** The report's risk lines: its groups, or each risk alone when it has none. */
export function riskGroupsOf(r: Sections): readonly RiskGroup[] {
  return r.riskGroups ?? r.risks.map((k) => ({ ...k, count: 1, risks: [k] }));
}

/** Diagnostic rows in a comment; a change that raises more is better read in a terminal. */
const MAX_ROWS = 50;

/** "2 new warnings", "1 fixed error": one entry per severity present. */
function tally(list: readonly LocatedDiagnostic[], adjective: string): string[] {
  return (["warning", "error"] as const).flatMap((severity) => {
    const n = list.filter((d) => d.severity === severity).length;
    return n ? [`${n} ${adjective} ${severity}${n === 1 ? "" : "s"}`] : [];
  });
}

/** "1 new warning, 2 fixed warnings", or "" when the change moves no diagnostic. */
export function diagnosticTotals(r: Sections): string {
  return [...tally(r.diagnosticsAdded ?? [], "new"), ...tally(r.diagnosticsRemoved ?? [], "fixed")].join(", ");
}

function label(d: LocatedDiagnostic, added: boolean): string {
  return `${added ? "new" : "fixed"} ${d.severity}`;
}

/** At the base's position: the file as it was at the base, named REF:path as the base's errors are. */
function place(d: LocatedDiagnostic, added: boolean, ref: string): string {
  return `${added ? "" : `${ref}:`}${d.file}:${d.line}:${d.column}`;
}

/** Text: each diagnostic the change adds, at its spec position, with its hint; each it fixes. */
export function diagnosticLines(r: Sections): string[] {
  const added = r.diagnosticsAdded ?? [];
  const removed = r.diagnosticsRemoved ?? [];
  if (added.length + removed.length === 0) return [];
  const out = ["", `diagnostics: ${diagnosticTotals(r)}`];
  for (const d of added) out.push(`  ${label(d, true)}: ${place(d, true, r.base.ref)}: ${d.code}: ${d.message}`, ...(d.hint ? [`    hint: ${d.hint}`] : []));
  for (const d of removed) out.push(`  ${label(d, false)}: ${place(d, false, r.base.ref)}: ${d.code}: ${d.message}`);
  return out;
}

/** Markdown: a table of what the change adds and fixes, before the risks (a new warning is one). */
export function diagnosticsMarkdown(r: Sections, rerun: string): string[] {
  const added = r.diagnosticsAdded ?? [];
  const removed = r.diagnosticsRemoved ?? [];
  if (added.length + removed.length === 0) return [];
  const out = [`### ${added.length ? "⚠️" : "✅"} Diagnostics: ${diagnosticTotals(r)}`, "", "| | | where | code | message |", "|---|---|---|---|---|"];
  const row = (d: LocatedDiagnostic, isNew: boolean) =>
    `| ${isNew ? (d.severity === "error" ? "❌" : "⚠️") : "✅"} | ${label(d, isNew)} | ${cell(place(d, isNew, r.base.ref))} | ${d.code} | ${cell(d.message)}${isNew && d.hint ? `<br>hint: ${cell(d.hint)}` : ""} |`;
  const rows = [...added.map((d) => row(d, true)), ...removed.map((d) => row(d, false))];
  appendAll(out, rows.slice(0, MAX_ROWS));
  out.push("");
  if (rows.length > MAX_ROWS) out.push(`…and ${rows.length - MAX_ROWS} more: run ${codeSpan(rerun)} for all of them.`, "");
  return out;
}
