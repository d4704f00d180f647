// One order for everything berth sorts: code-unit string order, the same on every machine whatever
// the locale, so output never depends on where it was made.

/** Code-unit order; an absent string sorts as "" (owners and risks have optional fields). */
export function cmp(a: string | undefined, b: string | undefined): number {
  const x = a ?? "";
  const y = b ?? "";
  return x < y ? -1 : x > y ? 1 : 0;
}

/** The same record with its keys in code-unit order, so rendered maps are stable. */
export function sortRecord<T>(rec: Record<string, T>): Record<string, T> {
  const out: Record<string, T> = {};
  for (const k of Object.keys(rec).sort(cmp)) out[k] = rec[k]!;
  return out;
}
