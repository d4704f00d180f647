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
  ["12", "Platform layer: bootstrap and add-ons"],
  ["13", "The HTML report"],
  ["14", "Batch inference and stores"],
  ["15", "Rollouts, scaling signals and spread"],
  ["16", "Observability: scraping, SLO alerts and dashboards"],
];

/** The page that explains each area's rules (`berth explain` names it). */
export const AREA_DOCS: Readonly<Record<string, string>> = {
  "00": "docs/output.md",
  "01": "docs/specs.md",
  "02": "docs/specs.md",
  "03": "docs/specs.md",
  "04": "docs/output.md",
  "05": "docs/tenancy.md",
  "06": "docs/pools.md",
  "07": "docs/traffic.md",
  "08": "docs/gitops.md",
  "09": "docs/model-commands.md",
  "10": "docs/admission.md",
  "11": "docs/security.md",
  "12": "docs/bootstrap.md",
  "13": "docs/report.md",
  "14": "docs/batch.md",
  "142": "docs/stores.md",
  "143": "docs/stores.md",
  "15": "docs/rollouts.md",
  "16": "docs/observability.md",
};

/** `BERTH0203` -> `02`. */
export function areaOf(code: string): string {
  return code.slice(5, 7);
}

export function catalogueMarkdown(): string {
  const codes = (Object.keys(CATALOGUE) as Code[]).sort();
  const out = [
    "# Diagnostic codes",
    "",
    "<!-- Generated from compiler/codes/ by `npm run docs`. Do not edit by hand. -->",
    "",
    "Every problem berth finds is printed as `file:line:column: severity CODE: message`, with a `hint:`",
    "line where there is something better to write. `--format json` prints the same as data,",
    "`--format github` as workflow annotations and `check --format sarif` as SARIF 2.1.0.",
    "Errors stop `render` from writing anything; warnings do not. `berth explain CODE` prints one entry.",
    "",
  ];
  for (const [prefix, title] of AREAS) {
    const inArea = codes.filter((c) => areaOf(c) === prefix);
    if (inArea.length === 0) continue;
    // Rules ported from a control plane name where upstream they live.
    const cited = inArea.some((c) => CATALOGUE[c].source !== undefined);
    out.push(
      `## ${prefix}xx — ${title}`,
      "",
      `| code | severity | what | example |${cited ? " upstream source |" : ""}`,
      `| --- | --- | --- | --- |${cited ? " --- |" : ""}`,
    );
    for (const c of inArea) {
      const info = CATALOGUE[c];
      const source = cited ? ` ${(info.source ?? "berth").replace(/\|/g, "\\|")} |` : "";
      // An anchor per code, so `berth explain` and SARIF can link straight to its row.
      out.push(`| <a id="${c.toLowerCase()}"></a>${c} | ${info.severity} | ${info.title} | ${cell(info.example)} |${source}`);
    }
    out.push("");
  }
  return out.join("\n");
}

function cell(example: string): string {
  return "`" + example.replace(/\|/g, "\\|").replace(/\n\s*/g, "` `") + "`";
}
