// collectIfLarge forces a full collection only when the compile itself grew the heap past the
// threshold (300 MB) since it began, not whenever the process's heap is large: the test runner
// holds every test file's modules, and a forced collection after each small compile over its
// heap of more than a gigabyte stalled the suite.
import { collectIfLarge, heapInUse } from "../../compiler/base/heap.js";

const MB = 1024 * 1024;

function counter() {
  const c = { calls: 0, collect: () => void c.calls++ };
  return c;
}

test("a large heap that did not grow since the compile began is not collected", () => {
  // Ballast: the process's heap is over the threshold whatever else this runner holds.
  const ballast = Array.from({ length: 450 }, () => new Array<number>(MB / 8).fill(1));
  expect(heapInUse()).toBeGreaterThan(300 * MB);
  const c = counter();
  collectIfLarge(heapInUse(), c.collect);
  expect(c.calls).toBe(0);
  expect(ballast).toHaveLength(450);
});

test("a heap grown by more than 300 MB since the compile began is collected; one grown less is not", () => {
  const c = counter();
  collectIfLarge(heapInUse() - 400 * MB, c.collect);
  expect(c.calls).toBe(1);
  collectIfLarge(heapInUse() - 200 * MB, c.collect);
  expect(c.calls).toBe(1);
});
