// Traffic arithmetic for the model commands: splits are version -> weight, in the spec's order.
// Pure and integer-only, so every cluster gets the same answer for the same split.

/** A traffic split: version name -> weight (0-100), in the order the spec lists the versions. */
export type Split = ReadonlyMap<string, number>;

export function total(split: Split): number {
  let sum = 0;
  for (const w of split.values()) sum += w;
  return sum;
}

/** What the other versions hold: the most that can still move to `to`. */
export function remaining(split: Split, to: string): number {
  return total(split) - (split.get(to) ?? 0);
}

/**
 * Moves `points` to `to`, taken from the other versions in proportion to their weights. Each
 * version gives the floor of its exact share; the points left over go one each to the largest
 * fractional remainders, ties to the larger weight, then to the version listed first. So 10
 * points from 50/30/20 take 5/3/2, and 10 from 45/45/10 take 5/4/1 (v1 wins the tie by order).
 * The caller makes sure `points` is at most `remaining(split, to)`.
 */
export function moveTo(split: Split, to: string, points: number): Map<string, number> {
  const out = new Map(split);
  const others = [...split.entries()].map(([name, w], order) => ({ name, w, order })).filter((o) => o.name !== to && o.w > 0);
  const pool = others.reduce((s, o) => s + o.w, 0);
  if (points <= 0 || pool === 0) return out;
  if (points > pool) throw new Error(`berth bug: moving ${points} points to ${to} from ${pool}`);
  const shares = others.map((o) => ({ ...o, take: Math.floor((points * o.w) / pool), rest: (points * o.w) % pool }));
  let left = points - shares.reduce((s, o) => s + o.take, 0);
  const byRemainder = [...shares].sort((a, b) => b.rest - a.rest || b.w - a.w || a.order - b.order);
  for (const s of byRemainder) {
    if (left === 0) break;
    if (s.rest > 0) {
      s.take++;
      left--;
    }
  }
  for (const s of shares) out.set(s.name, s.w - s.take);
  out.set(to, (split.get(to) ?? 0) + points);
  return out;
}

/** "v1.2.0=90, v1.3.0=10" */
export function describeSplit(split: Split): string {
  return [...split.entries()].map(([v, w]) => `${v}=${w}`).join(", ");
}

export function sameSplit(a: Split, b: Split): boolean {
  if (a.size !== b.size) return false;
  for (const [v, w] of a) if (b.get(v) !== w) return false;
  return true;
}
