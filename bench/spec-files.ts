// The spec files of a fleet, as the baseline and the in-memory layers find them.
import { readdirSync } from "node:fs";
import { join } from "node:path";

/** Every spec file below platform/, tenants/ and models/, sorted. */
export function specFiles(repo: string): string[] {
  const found: string[] = [];
  const walk = (dir: string) => {
    let entries;
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries) {
      if (e.isDirectory()) walk(join(dir, e.name));
      else if (/\.ya?ml$/.test(e.name)) found.push(join(dir, e.name));
    }
  };
  for (const d of ["platform", "tenants", "models"]) walk(join(repo, d));
  return found.sort();
}
