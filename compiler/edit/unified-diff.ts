// A line diff (Myers' O(ND) greedy algorithm: the shortest edit script) printed as a unified
// diff that `git apply` and `patch -p1` accept, and the line map from the new text to the old.

export type Op = { readonly kind: "same" | "del" | "add"; readonly line: string };

/** Lines with their end-of-line kept, so a missing final newline is seen. */
function splitLines(text: string): string[] {
  return text.match(/[^\n]*\n|[^\n]+$/g) ?? [];
}

/** The shortest sequence of kept, deleted and added lines from `a` to `b`. */
export function diffLines(a: readonly string[], b: readonly string[]): Op[] {
  // Common head and tail are cut first: an edit changes a few lines of a long file.
  let head = 0;
  while (head < a.length && head < b.length && a[head] === b[head]) head++;
  let tail = 0;
  while (tail < a.length - head && tail < b.length - head && a[a.length - 1 - tail] === b[b.length - 1 - tail]) tail++;
  const x = a.slice(head, a.length - tail);
  const y = b.slice(head, b.length - tail);
  const middle = myers(x, y);
  return [
    ...a.slice(0, head).map((line) => ({ kind: "same" as const, line })),
    ...middle,
    ...a.slice(a.length - tail).map((line) => ({ kind: "same" as const, line })),
  ];
}

function myers(a: readonly string[], b: readonly string[]): Op[] {
  const n = a.length;
  const m = b.length;
  const max = n + m;
  const offset = max + 1;
  const v = new Array<number>(2 * max + 3).fill(0);
  const trace: number[][] = [];
  outer: for (let d = 0; d <= max; d++) {
    trace.push(v.slice());
    for (let k = -d; k <= d; k += 2) {
      let x = k === -d || (k !== d && v[offset + k - 1]! < v[offset + k + 1]!) ? v[offset + k + 1]! : v[offset + k - 1]! + 1;
      let y = x - k;
      while (x < n && y < m && a[x] === b[y]) {
        x++;
        y++;
      }
      v[offset + k] = x;
      if (x >= n && y >= m) break outer;
    }
  }
  // Walk the trace back from the end to recover the path.
  const ops: Op[] = [];
  let x = n;
  let y = m;
  for (let d = trace.length - 1; d >= 0 && (x > 0 || y > 0); d--) {
    const vd = trace[d]!;
    const k = x - y;
    const prevK = k === -d || (k !== d && vd[offset + k - 1]! < vd[offset + k + 1]!) ? k + 1 : k - 1;
    const prevX = d === 0 ? 0 : vd[offset + prevK]!;
    const prevY = prevX - prevK;
    while (x > prevX && y > prevY) {
      x--;
      y--;
      ops.push({ kind: "same", line: a[x]! });
    }
    if (d > 0) {
      if (x === prevX) ops.push({ kind: "add", line: b[--y]! });
      else ops.push({ kind: "del", line: a[--x]! });
    }
  }
  return ops.reverse();
}

/** A unified diff of one file with `context` lines around each change; "" when nothing changed. */
export function unifiedDiff(before: string, after: string, path: string, context = 3): string {
  if (before === after) return "";
  const ops = diffLines(splitLines(before), splitLines(after));
  const changed = ops.map((o, i) => (o.kind === "same" ? -1 : i)).filter((i) => i >= 0);
  const out = [`--- a/${path}\n`, `+++ b/${path}\n`];
  let i = 0;
  while (i < changed.length) {
    // A hunk runs while the gap between two changes is at most twice the context.
    let last = i;
    while (last + 1 < changed.length && changed[last + 1]! - changed[last]! <= 2 * context + 1) last++;
    const from = Math.max(0, changed[i]! - context);
    const to = Math.min(ops.length, changed[last]! + context + 1);
    out.push(hunk(ops, from, to));
    i = last + 1;
  }
  return out.join("");
}

function hunk(ops: readonly Op[], from: number, to: number): string {
  let oldStart = 1;
  let newStart = 1;
  for (let i = 0; i < from; i++) {
    if (ops[i]!.kind !== "add") oldStart++;
    if (ops[i]!.kind !== "del") newStart++;
  }
  const body: string[] = [];
  let oldCount = 0;
  let newCount = 0;
  for (let i = from; i < to; i++) {
    const o = ops[i]!;
    if (o.kind !== "add") oldCount++;
    if (o.kind !== "del") newCount++;
    const mark = o.kind === "same" ? " " : o.kind === "del" ? "-" : "+";
    body.push(mark + (o.line.endsWith("\n") ? o.line : `${o.line}\n\\ No newline at end of file\n`));
  }
  // An empty side starts at the line before it, as diff(1) writes it.
  const range = (start: number, count: number) => `${count === 0 ? start - 1 : start}${count === 1 ? "" : `,${count}`}`;
  return `@@ -${range(oldStart, oldCount)} +${range(newStart, newCount)} @@\n${body.join("")}`;
}

/** For each line of `after` (1-based), the line of `before` it was kept from, if it was. */
export function keptLines(before: string, after: string): Map<number, number> {
  const map = new Map<number, number>();
  let oldLine = 1;
  let newLine = 1;
  for (const o of diffLines(splitLines(before), splitLines(after))) {
    if (o.kind === "same") map.set(newLine, oldLine);
    if (o.kind !== "add") oldLine++;
    if (o.kind !== "del") newLine++;
  }
  return map;
}
