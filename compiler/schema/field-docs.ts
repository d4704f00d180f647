// The field tables of docs/specs.md as data, for the editor schemas: one place says what a field
// means (the reference), and editors show the same text on hover. spec-fields.ts is generated
// from it (`npm run docs`), and a test keeps the two in step.

export interface FieldDoc {
  readonly type: string;
  readonly default?: string;
  readonly meaning: string;
}

/** kind -> field path under `spec` (`versions[].name`, `runtimes.<framework>.image`) -> its row. */
export type FieldDocs = Record<string, Record<string, FieldDoc>>;

const HEADING = /^## (Platform|Cluster|Tenant|Model|Store)\b/;

/** Markdown inline text as plain text: code spans and links lose their marks. */
export function plain(cell: string): string {
  return cell
    .replace(/\[([^\]]+)\]\([^)]*\)/g, "$1")
    .replace(/`([^`]*)`/g, "$1")
    .trim();
}

/** `a.b/c.d`, `e` -> [a.b.d, a.c.d, a.e]: a cell may name several fields, later ones beside the first. */
export function fieldPaths(cell: string): string[] {
  const names = [...cell.matchAll(/`([^`]+)`/g)].map((m) => m[1]!);
  const out: string[] = [];
  let parent = "";
  for (const [i, name] of names.entries()) {
    const full = i > 0 && !name.includes(".") && !name.includes("[") ? `${parent}${name}` : name;
    if (i === 0) parent = full.includes(".") ? full.slice(0, full.lastIndexOf(".") + 1) : "";
    let paths = [""];
    for (const segment of full.split(".")) {
      const options = segment.includes("/") && !segment.startsWith("<") ? segment.split("/") : [segment];
      paths = paths.flatMap((p) => options.map((o) => (p ? `${p}.${o}` : o)));
    }
    out.push(...paths);
  }
  return out;
}

/** The field tables of each kind's section of docs/specs.md. */
export function parseFieldDocs(markdown: string): FieldDocs {
  const docs: FieldDocs = {};
  let kind: string | undefined;
  let columns: string[] | undefined;
  for (const line of markdown.split("\n")) {
    const heading = /^## /.test(line) ? HEADING.exec(line) : null;
    if (/^## /.test(line)) {
      kind = heading?.[1];
      columns = undefined;
      continue;
    }
    if (!kind || !line.startsWith("|")) {
      columns = line.startsWith("|") ? columns : undefined;
      continue;
    }
    const cells = line
      .slice(1, line.endsWith("|") ? -1 : undefined)
      .split(/(?<!\\)\|/)
      .map((c) => c.trim());
    if (!columns) {
      columns = cells;
      continue;
    }
    if (cells.every((c) => /^-+$/.test(c)) || columns[0] !== "field") continue;
    const get = (name: string): string | undefined => {
      const i = columns!.indexOf(name);
      return i < 0 ? undefined : cells[i];
    };
    const def = get("default");
    const doc: FieldDoc = {
      type: plain(get("type") ?? ""),
      meaning: plain(get("meaning") ?? ""),
      ...(def && !/^(required|none)$/.test(def) ? { default: plain(def) } : {}),
    };
    for (const path of fieldPaths(cells[0]!)) (docs[kind] ??= {})[path] = doc;
  }
  return docs;
}

/** The generated module's text. */
export function fieldDocsModule(docs: FieldDocs): string {
  return `// Generated from docs/specs.md by \`npm run docs\` (compiler/schema/field-docs.ts): do not edit.\nimport type { FieldDocs } from "./field-docs.js";\n\nexport const SPEC_FIELDS: FieldDocs = ${JSON.stringify(docs, null, 2)};\n`;
}
