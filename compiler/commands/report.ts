// `berth report [--out DIR]`: the same compile as `check`, laid out as one static HTML page
// (compiler/report/html/). Specs with errors still get a page, listing them, and exit 1: a report
// of a broken repository is still useful. The page appears whole or not at all (temp + rename).
import { mkdirSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { isAbsolute, join, relative, sep } from "node:path";
import { Diagnostics, flagRef, sortDiagnostics, type LocatedDiagnostic } from "../diagnostics.js";
import { osReason } from "../load/discover.js";
import { diskTree, type SpecTree } from "../load/load.js";
import { locateAll } from "../locate.js";
import { SourceMap } from "../parse.js";
import { buildView } from "../report/html/data.js";
import { renderPage } from "../report/html/page.js";
import { finish } from "../report/index.js";
import { compileRoot, type Io, type RunOptions } from "./context.js";

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
  const counts = { clusters: view.clusters.length, tenants: view.tenants.length, models: view.models.length, kib: Math.ceil(Buffer.byteLength(page) / 1024) };
  return finish(opts.format, io, { ok, diagnostics, outcome: { command: "report", file: problem ? null : shownPath(opts.root, target), page: counts } });
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
    const diags = new Diagnostics();
    diags.report(
      "BERTH1301",
      flagRef("--out"),
      `cannot write the report to ${target}: ${osReason(e)}`,
      "--out names a folder for the report (default: report/); choose one berth may create and write",
    );
    return locateAll(diags.items, new SourceMap())[0];
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
