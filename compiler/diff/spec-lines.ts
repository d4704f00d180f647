// Where a change came from in the specs, for annotations a pull request shows beside the edited
// line: the spec node an object is rendered from, or, when that file is untouched, the first
// line edited in another spec file the object is made of (a model's new version lands in the
// cluster's eksctl config, whose origin is the cluster file).
import type { SpecRef } from "../diagnostics.js";
import type { SpecTree } from "../load/load.js";
import type { ObjectChange, SpecPosition } from "./match.js";

export type Locator = (at: SpecRef) => { line: number; column: number };

export interface SpecSides {
  /** The specs at the base; none for a revision from before them. */
  readonly before?: SpecTree;
  readonly after: SpecTree;
  readonly locateBefore?: Locator;
  readonly locateAfter?: Locator;
}

const text = (tree: SpecTree | undefined, path: string): string | undefined => {
  const got = tree?.read(path);
  return Buffer.isBuffer(got) ? got.toString("utf8") : undefined;
};

/** The first line (1-based) where a file differs between the sides, in the new file; undefined when it is the same. */
function firstEditedLine(sides: SpecSides, path: string): number | undefined {
  const [a, b] = [text(sides.before, path), text(sides.after, path)];
  if (a === b) return undefined;
  const [x, y] = [(a ?? "").split("\n"), (b ?? "").split("\n")];
  let i = 0;
  while (i < x.length && i < y.length && x[i] === y[i]) i++;
  return Math.min(i + 1, Math.max(1, y.length));
}

/** Each change with `at`: the spec position it points at. */
export function locateChanges(changes: readonly ObjectChange[], sides: SpecSides): ObjectChange[] {
  const edited = new Map<string, number | undefined>();
  const editedLine = (path: string) => {
    if (!edited.has(path)) edited.set(path, firstEditedLine(sides, path));
    return edited.get(path);
  };
  return changes.map((c) => {
    if (!c.origin) return c;
    const locate = c.change === "removed" ? sides.locateBefore : sides.locateAfter;
    const origin: SpecPosition = { file: c.origin.file, ...(locate?.(c.origin) ?? { line: 1, column: 1 }) };
    if (editedLine(origin.file) !== undefined) return { ...c, at: origin };
    const other = (c.sources ?? []).find((f) => editedLine(f) !== undefined);
    return { ...c, at: other ? { file: other, line: editedLine(other)!, column: 1 } : origin };
  });
}
