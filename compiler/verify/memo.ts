// Findings of the per-object checks whose verdict depends only on the object's content (the
// kubernetes-models validators, strict schema validation), kept for the life of one memo: `diff`
// compiles two revisions whose objects are ~99 % the same, and validates each of those once.
// What is kept is the finding (a message), never a located diagnostic: each object reports it
// at its own origin and path.
import type { Rendered } from "../emit/types.js";

export class VerifyMemo {
  /** By check (a validator function or model class: one per schema and Kubernetes version), then by object. */
  private readonly findings = new WeakMap<object, Map<object, unknown>>();
  /** The first object checked at each output path: the other revision's counterpart. */
  private readonly atPath = new Map<string, object>();
  /** Each object's counterpart when equal to it in content (null: none), compared once for all checks. */
  private readonly twins = new WeakMap<object, object | null>();

  /**
   * What `run` finds on the object under `check`. An object with the same content as the one
   * checked at its path before (the other revision's) takes that object's finding. Content is
   * compared exactly, key order and undefined values included, rather than hashed: serializing
   * every object of both revisions for a key cost more than the validation it saved.
   */
  once<T>(check: object, r: Rendered, run: () => T): T {
    let byObject = this.findings.get(check);
    if (!byObject) this.findings.set(check, (byObject = new Map()));
    const known = byObject.get(r.object);
    if (known !== undefined || byObject.has(r.object)) return known as T;
    const before = this.twinOf(r);
    if (before !== undefined && byObject.has(before)) {
      const found = byObject.get(before) as T;
      byObject.set(r.object, found);
      return found;
    }
    const found = run();
    byObject.set(r.object, found);
    return found;
  }

  /** Whether `b` was found equal in content to `a`, its counterpart at the same path (false: not known). */
  knownEqual(a: object, b: object): boolean {
    return this.twins.get(b) === a;
  }

  private twinOf(r: Rendered): object | undefined {
    let twin = this.twins.get(r.object);
    if (twin === undefined) {
      const other = this.atPath.get(r.path);
      if (other === undefined) this.atPath.set(r.path, r.object);
      twin = other !== undefined && other !== r.object && sameContent(other, r.object) ? other : null;
      this.twins.set(r.object, twin);
    }
    return twin ?? undefined;
  }
}

/** Equal as data, with keys in the same order (a validator may report unknown fields in that order). */
export function sameContent(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== "object" || typeof b !== "object" || a === null || b === null)
    return typeof a === "number" && typeof b === "number" && Number.isNaN(a) && Number.isNaN(b);
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!sameContent(a[i], b[i])) return false;
    return true;
  }
  if (Array.isArray(b) || Object.getPrototypeOf(a) !== Object.getPrototypeOf(b)) return false;
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  if (ka.length !== kb.length) return false;
  for (let i = 0; i < ka.length; i++) {
    const k = ka[i]!;
    if (k !== kb[i] || !sameContent((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k])) return false;
  }
  return true;
}
