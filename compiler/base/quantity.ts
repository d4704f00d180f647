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

export function formatCpu(cores: number): string {
  const milli = Math.round(cores * 1000);
  return milli % 1000 === 0 ? String(milli / 1000) : `${milli}m`;
}

export function formatMemory(bytes: number): string {
  const gi = bytes / 2 ** 30;
  if (gi >= 1) return `${Number.isInteger(gi) ? gi : gi.toFixed(1)}Gi`;
  return `${Math.round(bytes / 2 ** 20)}Mi`;
}

/** A spec's quantity as it goes into a manifest: strings as written; a cpu number in Kubernetes form
 *  ("500m", "2"); a memory number as its bytes (its exact form would rewrite 1073741824 as 1Gi). */
export function manifestQuantity(q: string | number, resource: "cpu" | "memory"): string {
  return typeof q === "number" ? (resource === "cpu" ? formatCpu(q) : String(q)) : q;
}
