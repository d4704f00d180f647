// What a command hands its reporter: the run (ok, diagnostics) and what the command did. One
// reporter per format implements `Reporter`; index.ts picks it.
import type { LocatedDiagnostic, Severity } from "../diagnostics.js";
import type { Code } from "../codes/index.js";
import type { RiskGroup } from "../diff/risk-groups.js";
import type { ObjectChange } from "../diff/match.js";
import type { Risk } from "../diff/risks.js";
import type { DiffCharts } from "../diff/charts.js";
import type { EditResult } from "../edit/engine.js";
import type { CapacityRow } from "../verify/capacity.js";
import type { GatewayTiming } from "../plan/rollout.js";

export type Format = "text" | "json" | "github" | "sarif" | "markdown";
export type CommandName = "render" | "check" | "diff" | "schema" | "model" | "report" | "explain";

/** What `berth diff` found: the base it compared against, every object change, and their risks. */
export interface DiffReport {
  readonly base: { readonly ref: string; readonly commit: string };
  readonly changes: readonly ObjectChange[];
  readonly risks: readonly Risk[];
  /** The risks, those that share a cause as one line (each risk its own line when absent). */
  readonly riskGroups?: readonly RiskGroup[];
  /** Diagnostics (warnings included) the working tree raises and the base did not. */
  readonly diagnosticsAdded?: readonly LocatedDiagnostic[];
  /** Diagnostics the base raised and the working tree no longer does, at their base positions. */
  readonly diagnosticsRemoved?: readonly LocatedDiagnostic[];
  /** Traffic shifts and capacity before/after, for the pull-request comment. */
  readonly charts?: DiffCharts;
}

/** What render did to the tree; absent from the outcome when nothing was written. */
export interface RenderFiles {
  readonly total: number;
  readonly written: readonly string[];
  readonly removed: readonly string[];
  readonly unchanged: number;
}

export interface RenderOutcome {
  readonly command: "render";
  readonly files?: RenderFiles;
  /** A failed write could not undo all it had done (BERTH0022 says what is left). */
  readonly rollbackIncomplete?: boolean;
}

export interface CheckOutcome {
  readonly command: "check";
  readonly files: number;
  readonly objects: number;
  /** Per cluster and pool; empty when the specs did not plan. */
  readonly capacity: readonly CapacityRow[];
  /** Each cluster's gateway drain timing, shown under the rollouts table (text only). */
  readonly gateways?: ReadonlyMap<string, GatewayTiming>;
  /** Models that get dashboards but no alerts (docs/observability.md); empty when the specs did not plan. */
  readonly withoutSlo: readonly { readonly cluster: string; readonly model: string; readonly file: string }[];
}

export interface DiffOutcome {
  readonly command: "diff";
  /** Absent: the specs did not compile on one side, so there is no diff. */
  readonly report?: DiffReport;
}

export interface SchemaOutcome {
  readonly command: "schema";
  readonly out: string;
  readonly files: readonly string[];
}

export interface ModelOutcome {
  readonly command: "model";
  /** "model promote", ...: the name the command's lines and envelope carry. */
  readonly name: string;
  readonly dryRun: boolean;
  readonly file?: string;
  readonly edit?: EditResult;
  /** The unified diff of the edit ("" when there is none). */
  readonly diff: string;
  readonly written: boolean;
}

export interface ReportOutcome {
  readonly command: "report";
  /** The page as the user named the root (relative inside it); null when it could not be written. */
  readonly file: string | null;
  /** What the page shows, and its size. */
  readonly page: { readonly clusters: number; readonly tenants: number; readonly models: number; readonly kib: number };
}

/** A catalogue entry, as `berth explain CODE` shows it. */
export interface Explanation {
  readonly code: Code;
  readonly severity: Severity;
  readonly title: string;
  readonly example: string;
  /** The hint of the example, when it has one. */
  readonly hint?: string;
  /** The pages that say more: the catalogue's row and the page of the code's area. */
  readonly docs: readonly string[];
  readonly source?: string;
}

export interface ExplainOutcome {
  readonly command: "explain";
  readonly entry: Explanation;
}

/**
 * The command stopped: before it ran, its schema locations could not be set up ("setup"); or the
 * operating system refused something it needed ("environment").
 */
export interface StoppedOutcome {
  readonly command: CommandName;
  readonly stopped: "setup" | "environment";
}

export type Outcome = RenderOutcome | CheckOutcome | DiffOutcome | SchemaOutcome | ModelOutcome | ReportOutcome | ExplainOutcome | StoppedOutcome;

/** A finished command: `ok` is exactly "exit code 0"; diagnostics are sorted. */
export interface Run {
  readonly ok: boolean;
  readonly diagnostics: readonly LocatedDiagnostic[];
  readonly outcome: Outcome;
  /** Text: the spec lines under each diagnostic, and colour on a terminal (report/snippet.ts). */
  readonly decoration?: TextDecoration;
  /** SARIF: the page that documents the codes, an absolute https URL (sarif.ts catalogueUrl). */
  readonly catalogueUrl?: string;
}

/**
 * What a terminal adds to a text diagnostic (report/snippet.ts): the source line under the first
 * line, and colour. Without it the text is the plain form scripts parse.
 */
export interface TextDecoration {
  /** Lines shown between the first line and the hint, each ending in "\n"; "" for none. */
  snippet(d: LocatedDiagnostic): string;
  /** `s` coloured as `part` (unchanged when colour is off). */
  paint(part: Severity | "code" | "hint", s: string): string;
}

export interface Streams {
  readonly stdout: { write(s: string): unknown };
  readonly stderr: { write(s: string): unknown };
}

export interface Reporter {
  /** Prints the run: what the format shows, on the streams it uses. Called once per command. */
  print(run: Run): void;
}

export function isStopped(o: Outcome): o is StoppedOutcome {
  return "stopped" in o;
}
