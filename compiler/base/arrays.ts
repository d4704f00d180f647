// Appending one array to another without spreading it into a call: `a.push(...b)` passes each
// element as an argument, and past ~120,000 of them V8 throws "Maximum call stack size exceeded"
// (a check of 5,000 models with no output rendered yet reports 188,717 missing files).

/** Appends `items` to `target` in place and returns `target`. */
export function appendAll<T>(target: T[], items: readonly T[]): T[] {
  for (let i = 0; i < items.length; i++) target.push(items[i]!);
  return target;
}
