// Every rule and panel expression berth renders is checked with Prometheus's own PromQL grammar
// (@prometheus-io/lezer-promql, which Prometheus's UI parses with): it must parse, and every
// metric and label it names must be one that the cluster's rendered scrape configuration
// produces (series.ts). A rule or a panel over a series nobody scrapes would stay silent forever.
import { parser } from "@prometheus-io/lezer-promql";
import type { SyntaxNode } from "@lezer/common";

export interface ExprNames {
  /** Where the text stops parsing, if it does. */
  readonly error?: number;
  /** Each selector: its metric (undefined for `{__name__=...}`) and the labels its matchers name. */
  readonly selectors: readonly { metric?: string; labels: readonly string[] }[];
  /** Labels of `by`, `without`, `on` and `ignoring` clauses. */
  readonly grouping: readonly string[];
}

// Many expressions differ only in label values (one per model): parsed once per shape.
const STRING = /"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|`[^`]*`/g;
const cache = new Map<string, ExprNames>();

export function namesOf(expr: string): ExprNames {
  const shape = expr.replace(STRING, '""');
  const hit = cache.get(shape);
  if (hit) return hit;
  const names = parse(shape);
  if (cache.size > 10_000) cache.clear();
  cache.set(shape, names);
  return names;
}

function parse(text: string): ExprNames {
  const tree = parser.parse(text);
  let error: number | undefined;
  const selectors: { metric?: string; labels: string[] }[] = [];
  const grouping: string[] = [];
  const slice = (n: SyntaxNode) => text.slice(n.from, n.to);
  tree.iterate({
    enter: (ref) => {
      if (ref.type.isError && error === undefined) error = ref.from;
      if (ref.name === "VectorSelector") {
        const node = ref.node;
        const id = node.getChild("Identifier");
        const labels: string[] = [];
        const matchers = node.getChild("LabelMatchers");
        if (matchers)
          for (let c = matchers.firstChild; c; c = c.nextSibling) {
            const name = c.getChild("LabelName");
            if (name) labels.push(slice(name));
          }
        selectors.push({ metric: id ? slice(id) : undefined, labels });
      }
      if (ref.name === "GroupingLabels") for (let c = ref.node.firstChild; c; c = c.nextSibling) if (c.name === "LabelName") grouping.push(slice(c));
    },
  });
  return { error, selectors, grouping };
}

/** Labels a series may carry; names of the series berth's configuration produces. */
export type SeriesRegistry = ReadonlyMap<string, ReadonlySet<string>>;

/** Why an expression would fail against the registry, or undefined when it would not. */
export function checkExpr(expr: string, registry: SeriesRegistry): string | undefined {
  const names = namesOf(expr);
  if (names.error !== undefined) return `does not parse as PromQL (at character ${names.error + 1} of ${JSON.stringify(expr)})`;
  const seen = new Set<string>();
  for (const s of names.selectors) {
    if (s.metric === undefined) return `selects series by label only (${JSON.stringify(expr)}); berth names the metric of every selector`;
    const labels = registry.get(s.metric);
    if (!labels) return `names metric ${s.metric}, which no rendered monitor, Telemetry or recording rule produces`;
    for (const l of s.labels) if (l !== "__name__" && !labels.has(l)) return `names label ${l} of ${s.metric}, which no rendered monitor or Telemetry produces`;
    for (const l of labels) seen.add(l);
  }
  for (const l of names.grouping) if (!seen.has(l)) return `groups by label ${l}, which none of its series carries`;
  return undefined;
}
