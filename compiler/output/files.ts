// The output files: each rendered object made into YAML behind the ownership header when read.
import { cmp } from "../base/order.js";
import type { Rendered, RenderedText } from "../emit/types.js";
import { header } from "./header.js";
import { toYaml } from "./yaml.js";

export interface OutputFile {
  readonly path: string;
  /** May be made anew on each read (RenderedFile renders it on demand): read it once per use. */
  readonly content: string;
}

/**
 * The output files, each made into YAML when its content is read and not kept: at 5,000 models
 * the rendered text is ~140 MB, which render and check need one file at a time (to compare it
 * with the disk, or to write it), never all at once.
 */
export function outputFiles(objects: readonly Rendered[], texts: readonly RenderedText[]): OutputFile[] {
  const files: OutputFile[] = [];
  const seen = new Set<string>();
  for (const r of objects) {
    if (seen.has(r.path)) throw new Error(`berth bug: two objects render to ${r.path}`);
    seen.add(r.path);
    files.push(new RenderedFile(r));
  }
  for (const t of texts) files.push({ path: t.path, content: header(t.sources) + t.content });
  return files.sort((a, b) => cmp(a.path, b.path));
}

class RenderedFile implements OutputFile {
  readonly path: string;

  constructor(private readonly rendered: Rendered) {
    this.path = rendered.path;
  }

  get content(): string {
    return header(this.rendered.sources) + toYaml(this.rendered.object);
  }
}
