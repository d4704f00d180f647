// The one escape every format starts from: spec-derived text shown on one line, as it is.

/**
 * Characters that would break a diagnostic out of its line or hide what it says: C0 and C1
 * controls (newline, CR, the terminal's ESC and CSI), DEL, Unicode line and paragraph separators,
 * and the bidirectional controls that reorder text on screen. A spec file may be named with any of
 * them, and messages quote spec values.
 */
const UNPRINTABLE = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;
const SHORT_ESCAPES: Record<string, string> = { "\n": "\\n", "\r": "\\r", "\t": "\\t" };

/** `s` with every unprintable character written as an escape (`\n`, `\u001b`): one line, shown as is. */
export function printable(s: string): string {
  return s.replace(UNPRINTABLE, (c) => SHORT_ESCAPES[c] ?? `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
}
