// Forced full collections at a compile's stage boundaries, when the compile has grown the heap
// enough to be worth one (compile.ts and commands/diff.ts call it between clusters).
import { getHeapStatistics, setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";

/**
 * Heap grown by a compile above which a stage boundary collects garbage. At 1,000 models the
 * boundaries see at most ~260 MB, at 5,000 models 370-730 MB. It was 400 MB until the plans got
 * smaller (one provenance per model): then the boundaries after each cluster at 5,000 models saw
 * ~375 MB, none collected, and a no-op render's peak RSS went from 655 to 862 MiB.
 */
const LARGE_HEAP = 300 * 1024 * 1024;
let fullGc: (() => void) | undefined;

/** The heap in use now: a command takes it before it compiles, and `collectIfLarge` measures from it. */
export function heapInUse(): number {
  return getHeapStatistics().used_heap_size;
}

/**
 * One full collection, on a heap grown large since `since` (the heap in use before the compile
 * began): after each cluster when compile hands clusters over one at a time (and after each pair
 * of clusters in `diff`), else after verify. V8 lets garbage grow the heap to a multiple of what
 * is live before it collects: at 5,000 models, compiling cluster by cluster left each finished
 * cluster's objects (~210 MB) as garbage, and a no-op render peaked at 1,529 MiB of RSS; with a
 * collection after each cluster, 938 MiB, and with one more before comparing a cluster with the
 * disk, 860 MiB. Each costs ~0.3 s there, and nothing at 1,000 models, whose heap stays below the
 * threshold (as `diff`'s does now that it holds one cluster of each revision; holding both
 * revisions whole, ~560 MB at 1,000 models, a forced collection there cost 0.6 s of CPU that V8's
 * own concurrent ones do not).
 *
 * Measured from the compile's start, not from zero: in a process that holds much else (the test
 * runner keeps every test file's modules) the heap is large whatever is compiled, and a full
 * collection after each small compile there, over more than a gigabyte, stalled the test suite.
 */
export function collectIfLarge(since: number, collect: () => void = fullCollection): void {
  if (heapInUse() - since >= LARGE_HEAP) collect();
}

function fullCollection(): void {
  fullGc ??= (setFlagsFromString("--expose-gc"), runInNewContext("gc") as () => void);
  fullGc();
}
