/**
 * How a drawing looks. A standalone SVG (`renderDocumentSvg`) carries it, having no page to style it:
 * without it arcs have no stroke and labels are black boxes.
 */
export const drawingCss = `
svg.entrel-doc { background: #fff; }
.entrel-doc text { white-space: pre; }
.entrel-doc .word, .entrel-doc .entity-text { font: 14px ui-monospace, "DejaVu Sans Mono", monospace; fill: #111; }
.entrel-doc .no-text { font: italic 14px ui-monospace, "DejaVu Sans Mono", monospace; fill: #666; }
.entrel-doc .entity-type { font: 600 10px ui-monospace, "DejaVu Sans Mono", monospace; paint-order: stroke; stroke: #fff; stroke-width: 3px; stroke-linejoin: round; }
.entrel-doc .arc { stroke: #555; stroke-width: 1.2; }
.entrel-doc .arrowhead { fill: #555; }
.entrel-doc .relation-label { font: 10px ui-monospace, "DejaVu Sans Mono", monospace; fill: #222; }
.entrel-doc .relation-label-bg { fill: #fff; stroke: #aaa; stroke-width: 0.6; }
.entrel-doc .entity.missed rect { fill: #fff; stroke-width: 1.6; stroke-dasharray: 5 3; }
.entrel-doc .entity.spurious rect { stroke: #b00020; stroke-width: 3; }
.entrel-doc .relation.missed .arc { stroke-dasharray: 5 3; }
.entrel-doc .relation.missed .relation-label-bg { stroke: #555; stroke-dasharray: 3 2; }
.entrel-doc .relation.spurious .arc { stroke: #b00020; stroke-width: 2; }
.entrel-doc .relation.spurious .relation-label-bg { stroke: #b00020; stroke-width: 1.2; }
.entrel-doc .relation.spurious .relation-label { fill: #b00020; }
.entrel-doc .arrowhead.spurious { fill: #b00020; }
.entrel-doc .relation:hover .arc { stroke: #c00; stroke-width: 2; }
.entrel-doc .relation:hover .arrowhead { fill: #c00; }
`;

/** Style and behaviour shared by the report page and the service's page: inline, so pages work offline. */
export const css = `
:root { color-scheme: light; }
body { font: 15px/1.4 system-ui, sans-serif; margin: 0; padding: 16px 24px; color: #1b1b1b; background: #fafafa; }
h1 { font-size: 20px; margin: 0 0 12px; }
.tabs { display: flex; gap: 4px; border-bottom: 1px solid #ccc; margin: 12px 0; }
.tabs button { font: inherit; padding: 6px 14px; border: 1px solid #ccc; border-bottom: none; background: #eee; cursor: pointer; border-radius: 4px 4px 0 0; }
.tabs button[aria-selected="true"] { background: #fff; font-weight: 600; }
.legend { list-style: none; display: flex; flex-wrap: wrap; gap: 6px 16px; padding: 0; margin: 0 0 12px; }
.legend li { display: flex; align-items: center; gap: 6px; }
.swatch { display: inline-block; width: 14px; height: 14px; border: 1.5px solid; border-radius: 3px; }
.entrel-figure { margin: 0 0 16px; padding: 8px; background: #fff; border: 1px solid #ddd; border-radius: 4px; overflow-x: auto; }
.entrel-figure figcaption { font-size: 12px; color: #666; margin-bottom: 4px; }
${drawingCss.trim()}
.note { color: #666; font-style: italic; }
.scores { border-collapse: collapse; margin: 0 0 12px; font-variant-numeric: tabular-nums; }
.scores th, .scores td { padding: 2px 10px; border-bottom: 1px solid #ddd; text-align: right; }
.scores th:first-child { text-align: left; }
.legend.marks li { gap: 4px; }
.error { color: #b00020; font-weight: 600; }
pre.json { background: #fff; border: 1px solid #ddd; padding: 8px; overflow: auto; font-size: 12px; }
textarea { width: 100%; box-sizing: border-box; font: 14px ui-monospace, monospace; }
form .controls { display: flex; gap: 12px; align-items: center; margin-top: 6px; }
button[aria-disabled="true"] { opacity: 0.5; cursor: progress; }
/* Paper does not scroll: a drawing wider than the page shrinks to fit instead of being cut off. */
@media print {
  .entrel-figure { overflow: visible; }
  .entrel-doc { max-width: 100%; height: auto; }
}
`;

/**
 * Switches between the panels of `.tabs` (View / JSON), by click or, as the WAI-ARIA tabs pattern has it,
 * by the arrow, Home and End keys on the focused tab (only the selected tab is in the Tab order).
 */
export const tabScript = `
function entrelSelectTab(tab) {
  for (const b of document.querySelectorAll('[data-tab]')) {
    b.setAttribute('aria-selected', String(b === tab));
    b.tabIndex = b === tab ? 0 : -1;
  }
  for (const p of document.querySelectorAll('[data-panel]')) p.hidden = p.dataset.panel !== tab.dataset.tab;
}
document.addEventListener('click', (ev) => {
  const tab = ev.target.closest && ev.target.closest('[data-tab]');
  if (tab) entrelSelectTab(tab);
});
document.addEventListener('keydown', (ev) => {
  if (!ev.target.closest || !ev.target.closest('[data-tab]')) return;
  const all = [...document.querySelectorAll('[data-tab]')];
  const i = all.indexOf(ev.target.closest('[data-tab]'));
  const to = { ArrowRight: i + 1, ArrowLeft: i - 1, Home: 0, End: all.length - 1 }[ev.key];
  if (to === undefined) return;
  ev.preventDefault();
  const tab = all[(to + all.length) % all.length];
  entrelSelectTab(tab);
  tab.focus();
});
`;

/** The View / JSON tab bar; `tabScript` shows every `panel` of the chosen tab and hides the others. */
export const tabBar =
  `<nav class="tabs" role="tablist"><button type="button" role="tab" id="entrel-tab-view" data-tab="view" aria-selected="true">View</button>` +
  `<button type="button" role="tab" id="entrel-tab-json" data-tab="json" aria-selected="false" tabindex="-1">JSON</button></nav>`;

/** Content of one tab; a page may hold many panels of a tab (a streamed page has two per document). */
export function panel(tab: 'view' | 'json', html: string): string {
  return `<section role="tabpanel" aria-labelledby="entrel-tab-${tab}" data-panel="${tab}"${tab === 'view' ? '' : ' hidden'}>${html}</section>`;
}

export function tabs(view: string, json: string): string {
  return tabBar + panel('view', view) + panel('json', json);
}
