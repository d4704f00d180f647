export interface CodeInfo {
  readonly severity: "error" | "warning";
  readonly title: string;
  /** An example of the message as a user sees it. */
  readonly example: string;
}
