// HTML built by one tagged template that escapes every interpolated value unless it is already
// markup made by this same template. Spec values (names, groups, messages, hints, file paths) come
// from pull requests, so no value reaches the page without passing through `escapeHtml`.

/** Markup that is safe to insert as is: only `html` and `raw` make one. */
export class Html {
  constructor(readonly text: string) {}

  toString(): string {
    return this.text;
  }
}

export type Part = Html | string | number | boolean | null | undefined | readonly Part[];

const ENTITIES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };

/** Escapes text for element content and for quoted attribute values alike. */
export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ENTITIES[c]!);
}

function emit(p: Part): string {
  if (p instanceof Html) return p.text;
  if (p === null || p === undefined || p === false) return "";
  if (Array.isArray(p)) return (p as readonly Part[]).map(emit).join("");
  return escapeHtml(String(p));
}

/** `html\`<td>${name}</td>\``: each value is escaped; nested `html` results and arrays are joined. */
export function html(strings: TemplateStringsArray, ...values: Part[]): Html {
  let out = strings[0]!;
  for (let i = 0; i < values.length; i++) out += emit(values[i]!) + strings[i + 1]!;
  return new Html(out);
}

/** Trusted markup written in berth's own source (the stylesheet, the search script). */
export function raw(text: string): Html {
  return new Html(text);
}

/**
 * A relative link from the report folder to a file of the repository: each path segment is
 * percent-encoded, so a file name can never turn into a scheme (`javascript:`), a query or a
 * fragment. `fragment` is a GitHub-style line anchor such as `L12`.
 */
export function relativeHref(upToRoot: string, file: string, fragment?: string): string {
  const segments = [...(upToRoot ? upToRoot.split("/") : []), ...file.split("/")].filter((s) => s !== "" && s !== ".");
  const path = segments.map((s) => (s === ".." ? s : encodeSegment(s))).join("/");
  return fragment ? `${path}#${encodeSegment(fragment)}` : path;
}

/** encodeURIComponent, and also the few characters it leaves that mean something in markup. */
function encodeSegment(s: string): string {
  return encodeURIComponent(s).replace(/['()*!]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}
