// `berth report [--out DIR]`: the same compile as `check`, laid out as one static HTML page
// (compiler/report/html/). Specs with errors still get a page, listing them, and exit 1: a report
// of a broken repository is still useful. The page appears whole or not at all (temp + rename).
import { mkdirSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { isAbsolute, join, relative, sep } from "node:path";
import { compileRoot, print, type Io, type RunOptions } from "./run.js";
import { sortDiagnostics, summaryLine, type LocatedDiagnostic } from "../diagnostics.js";
import { osReason } from "../load/discover.js";
import { diskTree, type SpecTree } from "../load/load.js";
import { buildView } from "../report/html/data.js";
import { renderPage } from "../report/html/page.js";

export const REPORT_FILE = "index.html";

export function runReport(opts: RunOptions, outDir: string, io: Io): number {
  const result = compileRoot(opts);
  const upToRoot = relative(outDir, opts.root).split(sep).join("/");
  const view = buildView(result, { upToRoot, sourceLine: lineReader(diskTree(opts.root)) });
  const page = renderPage(view, { upToRoot });
  const target = join(outDir, REPORT_FILE);
  const problem = writeWhole(outDir, target, page);
  const diagnostics = sortDiagnostics(problem ? [...result.diagnostics, problem] : result.diagnostics);
  const ok = !diagnostics.some((d) => d.severity === "error");
  const shown = shownPath(opts.root, target);
  if (opts.format === "json") {
    io.stdout.write(JSON.stringify({ command: "report", ok, diagnostics, file: problem ? null : shown }, null, 2) + "\n");
    return ok ? 0 : 1;
  }
  print(diagnostics, opts.format, io);
  if (opts.format === "text") {
    const what = `${view.clusters.length} clusters, ${view.tenants.length} tenants, ${view.models.length} models`;
    const line = problem
      ? `berth report: nothing written; ${summaryLine(diagnostics)}\n`
      : `berth report: wrote ${shown} (${what}; ${Math.ceil(Buffer.byteLength(page) / 1024)} KiB); ${summaryLine(diagnostics)}\n`;
    (ok ? io.stdout : io.stderr).write(line);
  }
  return ok ? 0 : 1;
}

/** Writes a sibling temp file, then renames it over the page: a reader sees the old page or the new one. */
function writeWhole(dir: string, target: string, content: string): LocatedDiagnostic | undefined {
  const temp = join(dir, `.${REPORT_FILE}.${process.pid}.tmp`);
  try {
    mkdirSync(dir, { recursive: true });
    writeFileSync(temp, content);
    renameSync(temp, target);
    return undefined;
  } catch (e) {
    try {
      rmSync(temp, { force: true });
    } catch {
      // the temp file was never made (the folder itself could not be)
    }
    return {
      file: "--out",
      line: 1,
      column: 1,
      severity: "error",
      code: "BERTH1301",
      message: `cannot write the report to ${target}: ${osReason(e)}`,
      hint: "--out names a folder for the report (default: report/); choose one berth may create and write",
    };
  }
}

/** The page's path as the user gave the root: relative to it when inside, else absolute. */
function shownPath(root: string, target: string): string {
  const rel = relative(root, target);
  return rel.startsWith("..") || isAbsolute(rel) ? target : rel.split(sep).join("/");
}

/** Spec lines for the diagnostics list, each file read once through the spec reader. */
function lineReader(tree: SpecTree): (file: string, line: number) => string | undefined {
  const files = new Map<string, string[] | undefined>();
  return (file, line) => {
    if (!files.has(file)) {
      const bytes = tree.read(file);
      files.set(file, Buffer.isBuffer(bytes) ? bytes.toString("utf8").split(/\r?\n/) : undefined);
    }
    const text = files.get(file)?.[line - 1];
    return text === undefined ? undefined : text.length > 200 ? `${text.slice(0, 200)}…` : text;
  };
}
