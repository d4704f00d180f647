// Temp folders for tests, removed after the test file's last test (a full run left ~900 behind
// before this). The hook is registered when a test file first imports this module, at the top
// level of that file's module graph. Three consequences:
// - jest runs afterAll hooks in the order they were declared, so this one runs before a test
//   file's own afterAll hooks: one of those that still needs a folder (to restore permissions,
//   say) must do its work in afterEach, or make its folder with mkdtempSync itself;
// - a file whose tests are all skipped runs no hooks, so folders it made while collecting stay;
// - importing this module for the first time inside a test throws ("Hooks cannot be defined
//   inside tests"): import it statically.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const made: string[] = [];
if (typeof afterAll === "function")
  afterAll(() => {
    for (const dir of made.splice(0))
      try {
        rmSync(dir, { recursive: true, force: true });
      } catch {
        // best effort: a test may have left a folder unreadable on purpose
      }
  });

/** A fresh, empty temp folder, removed after the test file's last test. */
export function tempDir(prefix = "berth-test-"): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  made.push(dir);
  return dir;
}
