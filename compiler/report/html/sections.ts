// The page's main sections: capacity per cluster and pool, quota use per tenant, and per model
// its split, routes, callers and Application. Every value from a spec is escaped by `html`.
import { measureRow, percent, splitBar } from "./bars.js";
import { html, relativeHref, type Html } from "./escape.js";
import { DIMENSION_LABEL, formatValue, type ClusterView, type ModelPlacement, type ModelView, type PoolView, type TenantView } from "./view.js";

/** Below these counts the entries start open: a small repository reads without a click. */
const OPEN_MODELS = 30;
const OPEN_TENANTS = 10;

const list = (items: readonly string[], none = "—") => (items.length > 0 ? items.join(", ") : none);

export function capacitySection(clusters: readonly ClusterView[], up: string): Html {
  const body = clusters.map(
    (c) => html`<section aria-labelledby="c-${c.name}"><h3 id="c-${c.name}">Cluster ${c.name}</h3>
<p class="muted">${c.environment} · ${c.region} · Kubernetes ${c.kubernetesVersion} · <a href="${relativeHref(up, c.file)}">${c.file}</a></p>
${c.pools.map(poolBlock)}</section>`,
  );
  return html`<section id="capacity" aria-labelledby="h-capacity"><h2 id="h-capacity">Capacity per cluster and pool</h2>
<p>Pod requests (each pod with its mesh sidecar) at <span class="key lo"></span> minimum and <span class="key hi"></span> maximum replicas, against what the pool offers at maxSize after the node reservation. A hatched bar is past its limit.</p>
${clusters.length > 0 ? body : html`<p>No cluster was planned: see the diagnostics.</p>`}</section>`;
}

function poolBlock(p: PoolView): Html {
  const nodes = p.nodesNeeded ? `needs ${p.nodesNeeded.min} nodes at min, ${p.nodesNeeded.max} at max` : "nodes needed unknown";
  const largest = p.largest.map(
    (c) =>
      html`<tr><th scope="row">${c.model}</th><td>${c.tenant}</td><td>${c.pods}</td><td>${c.atMax.map((a) => `${DIMENSION_LABEL[a.dimension]} ${formatValue(a.dimension, a.amount)} (${percent(a.share)})`).join(" · ")}</td></tr>`,
  );
  return html`<section class="pool" aria-labelledby="p-${p.cluster}-${p.name}"><h4 id="p-${p.cluster}-${p.name}">Pool ${p.name} <span class="muted">on ${p.cluster}</span></h4>
<p>${p.instanceType} × ${p.minSize}..${p.maxSize} nodes; ${nodes}; ${p.models} model${p.models === 1 ? "" : "s"}. <span class="${p.healthy ? "ok" : "bad"}">${p.healthy ? "✓" : "✗"} ${p.status}</span></p>
<table class="measures"><caption class="muted">requests against the pool at maxSize</caption><tbody>${p.measures.map(measureRow)}</tbody></table>
${largest.length > 0 ? html`<table class="largest"><caption class="muted">largest contributors at maximum replicas</caption><thead><tr><th scope="col">model</th><th scope="col">tenant</th><th scope="col">pods min–max</th><th scope="col">requests at max (share of pool)</th></tr></thead><tbody>${largest}</tbody></table>` : ""}
</section>`;
}

export function tenantsSection(tenants: readonly TenantView[], up: string): Html {
  const open = tenants.length <= OPEN_TENANTS;
  const items = tenants.map((t) => {
    const fullest = t.fullest
      ? `fullest: ${DIMENSION_LABEL[t.fullest.dimension]} ${percent(t.fullest.share)} of quota at max on ${t.fullest.cluster}`
      : "no models";
    const rows = t.clusters.map(
      (c) =>
        html`<tr><th scope="row">${c.cluster}</th><td>${c.models}</td><td><table class="measures"><tbody>${c.measures.map(measureRow)}</tbody></table>${c.largest ? html`<p class="muted">largest ${c.largest}</p>` : ""}</td></tr>`,
    );
    return html`<details class="t" id="t-${t.name}"${open ? html` open` : ""}><summary><h3>${t.name}</h3> <span>${fullest}</span></summary>
<dl><dt>spec</dt><dd><a href="${relativeHref(up, t.file)}">${t.file}</a></dd><dt>namespace</dt><dd>${t.namespace}</dd><dt>owners</dt><dd>${list(t.owners)}</dd><dt>priority</dt><dd>${t.priority}</dd><dt>access</dt><dd>${list(
      t.access.map((a) => `${a.group} (${a.role})`),
      "no groups",
    )}</dd></dl>
<table><caption class="muted">quota use at minimum and maximum replicas</caption><thead><tr><th scope="col">cluster</th><th scope="col">models</th><th scope="col">quota</th></tr></thead><tbody>${rows}</tbody></table></details>`;
  });
  return html`<section id="tenants" aria-labelledby="h-tenants"><h2 id="h-tenants">Tenants and their quotas</h2>${items.length > 0 ? items : html`<p>No tenant was planned.</p>`}</section>`;
}

/**
 * One placement as labelled lines of one paragraph: a fleet's page holds thousands of these, and
 * every node counts when the browser parses it (a definition list took three times as many).
 */
function placementLines(p: ModelPlacement, up: string): Html {
  const routes = p.routes.map((r) => `${r.group} → ${r.version}`);
  const a = p.application;
  const project = a && a.project !== a.name ? ` (project ${a.project})` : "";
  const app = a ? html`${p.clusters.length === 1 ? html`<a href="${relativeHref(up, a.file)}">${a.name}</a>` : a.name}${project}` : "none";
  // Line breaks are newlines under white-space: pre-line, not <br> elements: fewer nodes to parse.
  return html`<p class="pl">on: ${p.clusters.join(", ")}
traffic: ${splitBar(p.versions)}
routes: ${list(routes, "none")}
callers: ${list(p.access, "nobody")}
synced by: ${app}
pool: ${p.pool ?? "—"}, ${p.replicas} replicas</p>`;
}

export function modelsSection(models: readonly ModelView[], notDeployed: readonly { name: string; tenant: string; file: string }[], up: string): Html {
  const open = models.length <= OPEN_MODELS;
  const items = models.map((m) => {
    const slo = m.slo ? html` · SLO: ${m.slo.map(([k, v]) => `${k} ${v}`).join(", ")}` : "";
    return html`<details class="m"${open ? html` open` : ""}><summary><h3>${m.name}</h3> <span>${m.tenant}</span></summary><p>spec: <a href="${relativeHref(up, m.file)}">${m.file}</a>${slo}</p>${m.placements.map((p) => placementLines(p, up))}</details>
`;
  });
  const missing = notDeployed.length
    ? html`<h3>Not deployed</h3><p>These specs are on no cluster (see the diagnostics):</p><ul>${notDeployed.map((m) => html`<li><a href="${relativeHref(up, m.file)}">${m.name}</a> (${m.tenant})</li>`)}</ul>`
    : "";
  return html`<section id="models" aria-labelledby="h-models"><h2 id="h-models">Models: versions, routes and access</h2>
<p>Per cluster: the weighted <b>traffic</b> split of requests without a version pin or a matching group route, group <b>routes</b> to a version, the groups allowed to call the model (<b>callers</b>), the Argo CD Application that syncs its objects, and its SLO where the spec has one. Clusters where all of that is the same are listed together.</p>
${items.length > 0 ? items : html`<p>No model was planned.</p>`}${missing}</section>`;
}
