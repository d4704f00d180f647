// Bars as inline SVG, each with its figures in text beside it: the picture is for a glance, the
// label is what a screen reader, a colour-blind reader or a printout gets. Widths are percentages
// of the track (the svg's own background; heights come from the stylesheet, an SVG 2 geometry
// property, which keeps 10,000 bars small), so a bar reads the same at any page width.
import { html, type Html } from "./escape.js";
import { DIMENSION_LABEL, formatValue, share, type Measure } from "./view.js";

/** A share as a person reads it: 0%, <1%, 37%, 120%; "no quota" for something over a limit of 0. */
export function percent(s: number | null): string {
  if (s === null) return "—";
  if (s === Infinity) return "over a limit of 0";
  if (s > 0 && s < 0.005) return "<1%";
  return `${Math.round(s * 100)}%`;
}

/** The drawn width of a share: the track is 100%; anything over it fills the track. */
function width(s: number | null): string {
  if (s === null || s <= 0) return "0%";
  return `${(Math.min(1, s) * 100).toFixed(2).replace(/\.?0+$/, "")}%`;
}

/**
 * One resource at minimum and maximum replicas against its limit: the max bar behind, the min
 * bar in front; past the limit the bar is hatched and the label says "over".
 */
export function measureBar(m: Measure): Html {
  const atMin = share(m.atMin, m.limit);
  const atMax = share(m.atMax, m.limit);
  const over = atMax !== null && atMax > 1;
  const fmt = (n: number) => formatValue(m.dimension, n);
  const limit = m.limit === null ? "an unknown capacity" : fmt(m.limit);
  const label = `min ${fmt(m.atMin)} (${percent(atMin)}) · max ${fmt(m.atMax)} (${percent(atMax)}) of ${limit}${over ? " — over" : ""}`;
  return html`<div class="meter${over ? " over" : ""}"><svg class="bar" aria-hidden="true" data-min="${m.atMin}" data-max="${m.atMax}" data-limit="${m.limit ?? ""}"><rect class="hi" width="${width(atMax)}"/><rect class="lo" width="${width(atMin)}"/></svg><span>${label}</span></div>`;
}

/** A table row of one measure: the resource's name, then its bar and label. */
export function measureRow(m: Measure): Html {
  return html`<tr><th scope="row">${DIMENSION_LABEL[m.dimension]}</th><td>${measureBar(m)}</td></tr>`;
}

/** A single share (a tenant's fullest quota, a pool's fullest resource) as a short bar. */
export function shareBar(s: number | null, text: string): Html {
  return html`<div class="meter${s !== null && s > 1 ? " over" : ""}"><svg class="bar" aria-hidden="true" data-share="${s === null || s === Infinity ? "" : s}"><rect class="hi" width="${width(s)}"/></svg><span>${text}</span></div>`;
}

/**
 * The traffic split as one stacked bar and a label naming every version and weight; a single
 * version with all the traffic needs no picture.
 */
export function splitBar(versions: readonly { name: string; traffic: number }[]): Html {
  const label = versions.map((v) => `${v.name} ${v.traffic}%`).join(" · ");
  const serving = versions.filter((v) => v.traffic > 0);
  if (serving.length < 2) return html`${label}`;
  let x = 0;
  const segments = serving.map((v, i) => {
    const seg = html`<rect class="s${i % 4}"${x > 0 ? html` x="${x}%"` : ""} width="${v.traffic}%"/>`;
    x += v.traffic;
    return seg;
  });
  return html`<svg class="bar split" aria-hidden="true">${segments}</svg> ${label}`;
}
