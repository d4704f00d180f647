// Escaping for GitHub Actions workflow commands, shared by the diagnostics and the diff annotations.
import { printable } from "./printable.js";

/**
 * A workflow command's message, escaped as GitHub's toolkit does (% CR LF, so no value can end the
 * command's line and start another); other unprintable characters as `\u` escapes.
 */
export function githubData(s: string): string {
  return printable(s.replace(/%/g, "%25").replace(/\r/g, "%0D").replace(/\n/g, "%0A"));
}

/** A workflow command's property value: as data, and also `:` and `,`, which end a property. */
export function githubProperty(s: string): string {
  return githubData(s).replace(/:/g, "%3A").replace(/,/g, "%2C");
}
