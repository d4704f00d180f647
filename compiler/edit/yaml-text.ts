// Text for the nodes a command adds, written the way the file already writes its neighbours:
// the same quoting per key, flow or block items, padding inside braces, indentation.
import { isMap, isScalar, parse, Scalar, type YAMLMap } from "yaml";

export type Plain = string | number;
export type Fields = ReadonlyArray<readonly [key: string, value: Plain]>;

/** How the file writes things, read from an existing node of the same kind. */
export interface Style {
  /** Scalar style per key, e.g. artifact -> QUOTE_DOUBLE. */
  readonly quoting: ReadonlyMap<string, Scalar.Type | undefined>;
  /** Key order of the model node. */
  readonly order: readonly string[];
  readonly flow: boolean;
  /** `{ a: 1 }` rather than `{a: 1}`. */
  readonly padded: boolean;
}

const CANONICAL_ORDER = ["name", "artifact", "traffic", "image", "env"];

export function styleOf(model: YAMLMap | undefined, text: string): Style {
  const quoting = new Map<string, Scalar.Type | undefined>();
  const order: string[] = [];
  for (const pair of model?.items ?? []) {
    if (!isScalar(pair.key)) continue;
    const key = String(pair.key.value);
    order.push(key);
    if (isScalar(pair.value)) quoting.set(key, pair.value.type);
  }
  const src = model?.range ? text.slice(model.range[0], model.range[1]) : "{}";
  return { quoting, order, flow: model ? model.flow === true : true, padded: /^\{\s/.test(src) };
}

/** Orders fields as the model node orders its keys; keys it lacks go where the schema lists them. */
export function orderFields(fields: Fields, style: Style): Fields {
  const rank = (k: string) => {
    const i = style.order.indexOf(k);
    if (i >= 0) return i;
    const c = CANONICAL_ORDER.indexOf(k);
    // After the last known key that comes before it in the canonical order.
    const before = CANONICAL_ORDER.slice(0, c)
      .map((x) => style.order.indexOf(x))
      .filter((x) => x >= 0);
    return (before.length ? Math.max(...before) : -1) + 0.5 + c / 100;
  };
  return [...fields].sort((a, b) => rank(a[0]) - rank(b[0]));
}

/** A scalar in the style the file uses for that key, falling back to plain, then double quotes. */
export function scalarText(value: Plain, style?: Scalar.Type): string {
  if (typeof value === "number") return String(value);
  if (style === Scalar.QUOTE_SINGLE) return `'${value.replace(/'/g, "''")}'`;
  if (style !== Scalar.QUOTE_DOUBLE && plainIsSafe(value)) return value;
  return JSON.stringify(value);
}

/** A plain scalar that reads back as the same string, in block and in flow context. */
function plainIsSafe(value: string): boolean {
  if (value === "" || /[,[\]{}#&*!|>'"%@`]/.test(value) || /^[-?:]/.test(value) || /:\s|\s$|^\s/.test(value)) return false;
  try {
    return parse(`[${value}]`)?.[0] === value && parse(`k: ${value}`)?.k === value;
  } catch {
    return false;
  }
}

export function flowMapText(fields: Fields, style: Style): string {
  const body = fields.map(([k, v]) => `${k}: ${scalarText(v, style.quoting.get(k))}`).join(", ");
  return style.padded ? `{ ${body} }` : `{${body}}`;
}

/** Block mapping lines; the first has no indentation (it follows `- ` or a key). */
export function blockMapLines(fields: Fields, style: Style, indent: string): string[] {
  return fields.map(([k, v], i) => `${i === 0 ? "" : indent}${k}: ${scalarText(v, style.quoting.get(k))}`);
}

/** A sequence item's text after its `- `, with continuation lines indented by `indent`. */
export function itemText(fields: Fields, style: Style, indent: string, nl: string): string {
  const ordered = orderFields(fields, style);
  return style.flow ? flowMapText(ordered, style) : blockMapLines(ordered, style, indent).join(nl);
}

/** The style of the last mapping among `items` (the nearest neighbour of an appended item), else of `fallback`. */
export function neighbourStyle(items: readonly unknown[], fallback: YAMLMap | undefined, text: string): Style {
  const model = [...items].reverse().find((i) => isMap(i)) as YAMLMap | undefined;
  return styleOf(model ?? fallback, text);
}
