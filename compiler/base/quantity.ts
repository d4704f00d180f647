// Kubernetes resource quantities: parsed exactly enough to compare and add them.

const QUANTITY = /^([+-]?(?:\d+(?:\.\d*)?|\.\d+))(?:([eE][+-]?\d+)|(m|k|M|G|T|P|E|Ki|Mi|Gi|Ti|Pi|Ei))?$/;

const SUFFIX: Record<string, number> = {
  m: 1e-3,
  "": 1,
  k: 1e3,
  M: 1e6,
  G: 1e9,
  T: 1e12,
  P: 1e15,
  E: 1e18,
  Ki: 2 ** 10,
  Mi: 2 ** 20,
  Gi: 2 ** 30,
  Ti: 2 ** 40,
  Pi: 2 ** 50,
  Ei: 2 ** 60,
};

/** The value of a quantity in base units (cores, bytes), or undefined when it is not one. */
export function parseQuantity(q: string | number): number | undefined {
  if (typeof q === "number") return Number.isFinite(q) ? q : undefined;
  const m = QUANTITY.exec(q);
  if (!m) return undefined;
  const base = Number(m[1]);
  if (m[2]) return base * 10 ** Number(m[2].slice(1));
  return base * SUFFIX[m[3] ?? ""]!;
}

/** Why a string is not a quantity, with what to write instead. */
export function quantityHint(raw: string, kind: "cpu" | "memory" | "other"): string {
  const s = raw.trim();
  const bytes = /^(\d+(?:\.\d+)?)\s*([KMGTPE])B$/i.exec(s);
  if (bytes) return `write ${bytes[1]}${bytes[2]!.toUpperCase()} (powers of 10) or ${bytes[1]}${bytes[2]!.toUpperCase()}i (powers of 2)`;
  const cores = /^(\d+(?:\.\d+)?)\s*(cores?|cpus?|vcpus?)$/i.exec(s);
  if (cores) return `write "${cores[1]}" (cores) or "${Math.round(Number(cores[1]) * 1000)}m" (millicores)`;
  if (/\s/.test(s)) return "a quantity has no spaces: e.g. 500m, 2, 1Gi";
  if (kind === "cpu") return 'write cores ("2", "0.5") or millicores ("500m")';
  if (kind === "memory") return "write bytes with a suffix: 512Mi, 4Gi (powers of 2) or 1G (powers of 10)";
  return "use Kubernetes quantity syntax, e.g. 500m, 2, 1Gi";
}

const MIB = 2 ** 20;
const GIB = 2 ** 30;

/**
 * How a quantity is written. `decimals` absent: the exact Kubernetes form ("500m", "2"; "4Gi",
 * "640Mi" or bytes). Present: a rounded figure for people, cores or Gi (below 1Gi rounded Mi).
 * `smallExact`: below one unit (a core, 1Gi) the exact form instead ("600m", "640Mi"), as quota
 * messages print limits. `padded`: always `decimals` digits unless whole ("1.0Gi"). `unit: false`:
 * the Gi figure alone, also below 1Gi, for a column whose header names the unit.
 */
export interface QuantityFormat {
  readonly decimals?: number;
  readonly smallExact?: boolean;
  readonly padded?: boolean;
  readonly unit?: boolean;
}

/** One formatter for every quantity berth prints, from integer base units (millicores, bytes). */
export function formatQuantity(resource: "cpu" | "memory", amount: number, f: QuantityFormat = {}): string {
  const d = f.decimals;
  if (resource === "cpu") {
    if (d === undefined) return amount % 1000 === 0 ? String(amount / 1000) : `${amount}m`;
    if (f.smallExact && amount < 1000) return `${amount}m`;
    return String(Math.round(amount / 10 ** (3 - d)) / 10 ** d);
  }
  const gi = amount / GIB;
  const mi = amount / MIB;
  const exactSmall = () => (Number.isInteger(mi) ? `${mi}Mi` : String(amount));
  if (d === undefined) return Number.isInteger(gi) ? `${gi}Gi` : exactSmall();
  const rounded = Math.round(gi * 10 ** d) / 10 ** d;
  if (f.unit === false) return String(rounded);
  if (gi >= 1) return `${f.padded && !Number.isInteger(gi) ? gi.toFixed(d) : rounded}Gi`;
  return f.smallExact ? exactSmall() : `${Math.round(mi)}Mi`;
}

/** A spec's quantity as it goes into a manifest: strings as written; a cpu number in Kubernetes form
 *  ("500m", "2"); a memory number as its bytes (its exact form would rewrite 1073741824 as 1Gi). */
export function manifestQuantity(q: string | number, resource: "cpu" | "memory"): string {
  return typeof q === "number" ? (resource === "cpu" ? formatQuantity("cpu", Math.round(q * 1000)) : String(q)) : q;
}
