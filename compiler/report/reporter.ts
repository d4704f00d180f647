// What a command hands its reporter: the run (ok, diagnostics) and what the command did. One
// reporter per format implements `Reporter`; index.ts picks it.
import type { LocatedDiagnostic } from "../diagnostics.js";
import type { ObjectChange } from "../diff/match.js";
import type { Risk } from "../diff/risks.js";
import type { DiffCharts } from "../diff/charts.js";
import type { EditResult } from "../edit/engine.js";
import type { CapacityRow } from "../verify/capacity.js";

export type Format = "text" | "json" | "github" | "sarif" | "markdown";
export type CommandName = "render" | "check" | "diff" | "schema" | "model" | "report";

/** What `berth diff` found: the base it compared against, every object change, and their risks. */
export interface DiffReport {
  readonly base: { readonly ref: string; readonly commit: string };
  readonly changes: readonly ObjectChange[];
  readonly risks: readonly Risk[];
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

/**
 * The command stopped: before it ran, its schema locations could not be set up ("setup"); or the
 * operating system refused something it needed ("environment").
 */
export interface StoppedOutcome {
  readonly command: CommandName;
  readonly stopped: "setup" | "environment";
}

export type Outcome = RenderOutcome | CheckOutcome | DiffOutcome | SchemaOutcome | ModelOutcome | ReportOutcome | StoppedOutcome;

/** A finished command: `ok` is exactly "exit code 0"; diagnostics are sorted. */
export interface Run {
  readonly ok: boolean;
  readonly diagnostics: readonly LocatedDiagnostic[];
  readonly outcome: Outcome;
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
