// Finding 3 of issue 22: two renders on one root wait for or refuse each other, through
// .berth.lock; a lock left by a killed render is taken over.
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { existsSync, readFileSync, utimesSync, writeFileSync } from "node:fs";
import { hostname } from "node:os";
import { join } from "node:path";
import { writeTree, type RunOptions } from "../../compiler/commands/run.js";
import type { LocatedDiagnostic } from "../../compiler/diagnostics.js";
import { acquireLock, LOCK_FILE, LockHeld } from "../../compiler/write/lock.js";
import { nodeFs } from "../../compiler/write/fs.js";
import type { OutputFile } from "../../compiler/output/files.js";
import { header } from "../../compiler/output/header.js";
import { tempRepo } from "../helpers/fixture.js";
import { snapshotTree } from "../helpers/tree.js";

const FILES: OutputFile[] = [{ path: "clusters/a/x.yaml", content: header(["models/a/m.yaml"]) + "x: 1\n" }];
const lockOf = (pid: number, host = hostname()) => JSON.stringify({ pid, host }) + "\n";

function render(root: string, lockWaitMs: number): { summary?: string; diagnostics: LocatedDiagnostic[]; stderr: string } {
  const diagnostics: LocatedDiagnostic[] = [];
  let stderr = "";
  const opts: RunOptions = { root, format: "text", lockWaitMs };
  const summary = writeTree(opts, { cwd: root, env: {}, stdout: { write: () => true }, stderr: { write: (s: string) => (stderr += s) } }, FILES, diagnostics);
  return { summary, diagnostics, stderr };
}

/** A process id that is no longer running. */
function deadPid(): number {
  return spawnSync(process.execPath, ["-e", ""]).pid!;
}

const children: ChildProcess[] = [];
afterEach(() => {
  for (const c of children.splice(0)) c.kill("SIGKILL");
});

test("a lock left by a killed render is taken over; the render then releases its own", () => {
  const root = tempRepo({});
  writeFileSync(join(root, LOCK_FILE), lockOf(deadPid()));
  expect(render(root, 0).summary).toBe("1 written, 0 removed, 0 unchanged");
  expect(existsSync(join(root, LOCK_FILE))).toBe(false);
});

test("a render running (a live process holds the lock) makes the second one refuse after waiting, changing nothing", () => {
  const root = tempRepo({});
  const holder = spawn("sleep", ["30"]);
  children.push(holder);
  writeFileSync(join(root, LOCK_FILE), lockOf(holder.pid!));
  const before = snapshotTree(root);
  const started = Date.now();
  const run = render(root, 300);
  expect(Date.now() - started).toBeGreaterThanOrEqual(290);
  expect(run.summary).toBeUndefined();
  expect(run.stderr).toMatch(new RegExp(`waiting for the berth render running as process ${holder.pid}`));
  expect(run.diagnostics).toEqual([
    expect.objectContaining({
      file: LOCK_FILE,
      code: "BERTH0023",
      message: expect.stringMatching(new RegExp(`process ${holder.pid} on .* holds \\.berth\\.lock`)),
    }),
  ]);
  expect(snapshotTree(root)).toEqual(before);
});

test("a render waits for one that finishes, then runs", () => {
  const root = tempRepo({});
  const lock = join(root, LOCK_FILE);
  // A stand-in for a render that finishes after 300 ms: it removes its lock, then exits.
  const holder = spawn(process.execPath, ["-e", `setTimeout(() => { require("fs").unlinkSync(${JSON.stringify(lock)}); setTimeout(() => {}, 5000); }, 300)`]);
  children.push(holder);
  writeFileSync(lock, lockOf(holder.pid!));
  const run = render(root, 10_000);
  expect(run.summary).toBe("1 written, 0 removed, 0 unchanged");
});

test("a lock of another host is never judged stale from here; a file that is no berth lock is not removed", () => {
  const root = tempRepo({});
  writeFileSync(join(root, LOCK_FILE), lockOf(deadPid(), "another-host.example"));
  expect(() => acquireLock(root, { ops: nodeFs, waitMs: 0 })).toThrow(LockHeld);
  writeFileSync(join(root, LOCK_FILE), "my notes\n");
  utimesSync(join(root, LOCK_FILE), new Date(0), new Date(0));
  expect(render(root, 0).diagnostics).toEqual([
    expect.objectContaining({ code: "BERTH0023", message: expect.stringMatching(/a file berth cannot read as its lock holds/) }),
  ]);
  expect(readFileSync(join(root, LOCK_FILE), "utf8")).toBe("my notes\n");
});

test("a lock cut short (killed between making it and writing it) is taken over once it is old", () => {
  const root = tempRepo({});
  writeFileSync(join(root, LOCK_FILE), '{"pid":12');
  expect(() => acquireLock(root, { ops: nodeFs, waitMs: 0 })).toThrow(LockHeld);
  utimesSync(join(root, LOCK_FILE), new Date(Date.now() - 60_000), new Date(Date.now() - 60_000));
  expect(render(root, 0).summary).toBe("1 written, 0 removed, 0 unchanged");
});
