// What a change does to the diagnostics: the warnings (and the calendar's errors) the working
// tree raises that the base did not, and those it no longer raises. A reviewer sees that cutting
// a quota makes autoscaling stop short, not only that a number moved.
import type { LocatedDiagnostic } from "../diagnostics.js";

export interface DiagnosticDelta {
  /** Raised by the working tree only, at their working-tree positions. */
  readonly added: LocatedDiagnostic[];
  /** Raised by the base only, at their base positions (the file as it was at the base). */
  readonly removed: LocatedDiagnostic[];
}

/**
 * Matched by code, file and message, not position: an edit above a warning moves it without
 * making it new. Counted, so a second copy of a warning is still news.
 */
export function diagnosticDelta(before: readonly LocatedDiagnostic[], after: readonly LocatedDiagnostic[]): DiagnosticDelta {
  const key = (d: LocatedDiagnostic) => `${d.code}\u0000${d.file}\u0000${d.message}`;
  const unmatched = (from: readonly LocatedDiagnostic[], against: readonly LocatedDiagnostic[]) => {
    const left = new Map<string, number>();
    for (const d of against) left.set(key(d), (left.get(key(d)) ?? 0) + 1);
    return from.filter((d) => {
      const n = left.get(key(d)) ?? 0;
      if (n > 0) left.set(key(d), n - 1);
      return n === 0;
    });
  };
  return { added: unmatched(after, before), removed: unmatched(before, after) };
}
