// docs/diagnostics.md is generated from the catalogue (`npm run docs`); a test keeps them in step.
import { CATALOGUE, type Code } from "./index.js";

const AREAS: [string, string][] = [
  ["00", "Files and the generated tree"],
  ["01", "YAML"],
  ["02", "Fields and values"],
  ["03", "References between specs"],
  ["04", "Rendered objects"],
  ["05", "Tenancy and policy"],
  ["06", "Node pools and scheduling"],
  ["07", "Traffic and access"],
  ["08", "GitOps delivery and diff"],
  ["09", "Editing model specs (berth model)"],
  ["10", "Admission: what the control planes accept"],
  ["11", "Identity, enforcement and hardening"],
  ["13", "The HTML report"],
  ["15", "Rollouts, scaling signals and spread"],
];

export function catalogueMarkdown(): string {
  const codes = (Object.keys(CATALOGUE) as Code[]).sort();
  const out = [
    "# Diagnostic codes",
    "",
    "<!-- Generated from compiler/codes/ by `npm run docs`. Do not edit by hand. -->",
    "",
    "Every problem berth finds is printed as `file:line:column: severity CODE: message`, with a `hint:`",
    "line where there is something better to write. `--format json` prints the same as data, in the",
    "one envelope every command prints ([json.md](json.md)),",
    "`--format github` as workflow annotations and `check --format sarif` as SARIF 2.1.0.",
    "Errors stop `render` from writing anything; warnings do not.",
    "",
  ];
  for (const [prefix, title] of AREAS) {
    const inArea = codes.filter((c) => c.slice(5, 7) === prefix);
    if (inArea.length === 0) continue;
    // Rules ported from a control plane name where upstream they live.
    const cited = inArea.some((c) => CATALOGUE[c].source !== undefined);
    out.push(`## ${prefix}xx — ${title}`, "", `| code | severity | what | example |${cited ? " upstream source |" : ""}`, `| --- | --- | --- | --- |${cited ? " --- |" : ""}`);
    for (const c of inArea) {
      const info = CATALOGUE[c];
      const source = cited ? ` ${(info.source ?? "berth").replace(/\|/g, "\\|")} |` : "";
      out.push(`| ${c} | ${info.severity} | ${info.title} | ${cell(info.example)} |${source}`);
    }
    out.push("");
  }
  return out.join("\n");
}

function cell(example: string): string {
  return "`" + example.replace(/\|/g, "\\|").replace(/\n\s*/g, "` `") + "`";
}
