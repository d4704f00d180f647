export interface CodeInfo {
  readonly severity: "error" | "warning";
  readonly title: string;
  /** An example of the message as a user sees it. */
  readonly example: string;
  /** For a rule a control plane applies: where upstream it lives (repository, file, function). */
  readonly source?: string;
}
