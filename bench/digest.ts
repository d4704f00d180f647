// A digest of a set of output files, whatever order they were made in: what bench/floor.ts prints
// with --digest, and what the tests compute for a rendered tree to compare with it.
import { createHash } from "node:crypto";

/** SHA-256 of one file's path and content. */
export function fileDigest(path: string, content: string): Buffer {
  return createHash("sha256").update(path).update("\0").update(content).digest();
}

/** The files' digests in byte order, hashed: independent of the order the files were made in. */
export function combine(list: Buffer[]): string {
  const hash = createHash("sha256");
  for (const d of [...list].sort(Buffer.compare)) hash.update(d);
  return hash.digest("hex");
}

/** The digest of a set of files, each a path and its content. */
export function outputDigest(files: Iterable<readonly [path: string, content: string]>): string {
  return combine([...files].map(([path, content]) => fileDigest(path, content)));
}
