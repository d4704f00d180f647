// The commands: compile, then print diagnostics and (for render) apply the changes.
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { compile, type CompileResult } from "./compile.js";
import { formatDiagnostics, sortDiagnostics, summaryLine, type Format, type LocatedDiagnostic } from "./diagnostics.js";
import { diskTree } from "./load.js";
import { renderedOnDisk } from "./previous.js";
import { capacityReport } from "./verify/capacity.js";
import { StrictValidator } from "./verify/strict.js";
import { applyChanges, diffTree, readExisting, type Changes } from "./write.js";
import { editorSchemas } from "./schema/editor.js";

export interface Io {
  readonly cwd: string;
  readonly env: Record<string, string | undefined>;
  readonly stdout: { write(s: string): unknown };
  readonly stderr: { write(s: string): unknown; isTTY?: boolean };
}

export interface RunOptions {
  readonly root: string;
  readonly format: Format | "markdown";
  /** A schema folder (tests); the CLI passes `strict`, built from all schema locations. */
  readonly schemas?: string;
  readonly strict?: StrictValidator;
  readonly clusters?: readonly string[];
}

const validators = new Map<string, StrictValidator>();

/** One compiled validator per schema folder per process. */
export function strictFor(dir: string | undefined): StrictValidator | undefined {
  if (!dir) return undefined;
  let v = validators.get(dir);
  if (!v) validators.set(dir, (v = new StrictValidator(dir)));
  return v;
}

export function compileRoot(opts: RunOptions): CompileResult {
  return compile({ tree: diskTree(opts.root), clusters: opts.clusters, strict: opts.strict ?? strictFor(opts.schemas), previous: renderedOnDisk(opts.root) });
}

export function runRender(opts: RunOptions, io: Io): number {
  const result = compileRoot(opts);
  const diagnostics = [...result.diagnostics];
  let changes: Changes | undefined;
  if (result.ok) {
    changes = diffTree(result.files, readExisting(opts.root, { clusters: opts.clusters }));
    for (const p of changes.blocked)
      diagnostics.push(fileDiag(p, "error", "BERTH0010", "a hand-written file (no berth header) stands where berth must write; berth never overwrites it", "move or delete the file, then render again"));
    for (const p of changes.foreign)
      diagnostics.push(fileDiag(p, "warning", "BERTH0013", "hand-written file under clusters/ left untouched; `berth check` fails while it is there", "move it out of the generated tree"));
  }
  const failed = !result.ok || (changes?.blocked.length ?? 0) > 0;
  print(sortDiagnostics(diagnostics), opts.format, io);
  if (failed || !changes) {
    if (opts.format === "text") io.stderr.write(`berth render: ${summaryLine(diagnostics)}; nothing written\n`);
    return 1;
  }
  applyChanges(opts.root, changes);
  if (opts.format === "text")
    io.stdout.write(`berth render: ${result.files.length} files: ${changes.write.length} written, ${changes.remove.length} removed, ${changes.unchanged} unchanged; ${summaryLine(diagnostics)}\n`);
  return 0;
}

export function runCheck(opts: RunOptions, io: Io): number {
  const result = compileRoot(opts);
  const diagnostics = [...result.diagnostics];
  if (result.ok) {
    const existing = readExisting(opts.root, {});
    const changes = diffTree(result.files, existing);
    const onDisk = new Set(existing.map((f) => f.path));
    for (const f of changes.write)
      diagnostics.push(
        onDisk.has(f.path)
          ? fileDiag(f.path, "error", "BERTH0007", "out of date or edited by hand: the specs render different content", "run `berth render` and commit the result")
          : fileDiag(f.path, "error", "BERTH0008", "missing: the specs render this file", "run `berth render` and commit the result"),
      );
    for (const p of changes.remove) diagnostics.push(fileDiag(p, "error", "BERTH0009", "stale: no spec renders this file any more", "run `berth render` to remove it"));
    for (const p of changes.blocked) diagnostics.push(fileDiag(p, "error", "BERTH0010", "a hand-written file (no berth header) stands where berth must write", "move or delete the file"));
    for (const p of changes.foreign) diagnostics.push(fileDiag(p, "error", "BERTH0006", "hand-written file under clusters/: berth never touches it, but it does not belong in the generated tree", "move it out of clusters/"));
  }
  const sorted = sortDiagnostics(diagnostics);
  const failed = sorted.some((d) => d.severity === "error");
  if (opts.format === "json") {
    const capacity = result.plan ? capacityReport(result.plan).data : [];
    io.stdout.write(JSON.stringify({ ok: !failed, diagnostics: sorted, capacity }, null, 2) + "\n");
    return failed ? 1 : 0;
  }
  print(sorted, opts.format, io);
  if (opts.format === "text") {
    if (result.plan) io.stdout.write(capacityReport(result.plan).text);
    io.stdout.write(`berth check: ${result.files.length} files, ${result.objects.length} objects; ${summaryLine(sorted)}${failed ? "" : "; clusters/ is up to date"}\n`);
  }
  return failed ? 1 : 0;
}

export function runSchema(opts: RunOptions, out: string, io: Io): number {
  mkdirSync(out, { recursive: true });
  for (const [name, schema] of Object.entries(editorSchemas())) writeFileSync(join(out, `${name}.schema.json`), JSON.stringify(schema, null, 2) + "\n");
  if (opts.format === "text") io.stdout.write(`berth schema: wrote ${Object.keys(editorSchemas()).length} schemas to ${out}\n`);
  return 0;
}

export function print(list: LocatedDiagnostic[], format: Format | "markdown", io: Io): void {
  if (format === "text") io.stderr.write(formatDiagnostics(list, "text"));
  else if (format === "json" || format === "github" || format === "sarif") io.stdout.write(formatDiagnostics(list, format));
  else io.stderr.write(formatDiagnostics(list, "text"));
}

function fileDiag(file: string, severity: "error" | "warning", code: LocatedDiagnostic["code"], message: string, hint?: string): LocatedDiagnostic {
  return { file, line: 1, column: 1, severity, code, message, ...(hint ? { hint } : {}) };
}
