import { readdirSync, readFileSync, lstatSync } from "node:fs";
import { join, relative, sep } from "node:path";

/** Every file below `root` (dot files included) with its content: compare two to prove nothing changed. */
export function snapshotTree(root: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (dir: string) => {
    for (const name of readdirSync(dir).sort()) {
      const abs = join(dir, name);
      const st = lstatSync(abs);
      if (st.isDirectory()) walk(abs);
      else out[relative(root, abs).split(sep).join("/")] = st.isFile() ? readFileSync(abs, "utf8") : "<link>";
    }
  };
  walk(root);
  return out;
}
