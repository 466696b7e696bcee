import { checkDocument, checkDocuments } from '../extract/args.js';
import type { ExtractedDocument } from '../extract/types.js';
import { PageColors, typesOf } from './colors.js';
import { contentSecurityPolicy } from './csp.js';
import { escapeHtml as esc } from '../data/escape.js';
import { checkDrawingOptions, drawable } from './layout.js';
import { counted } from '../errors.js';
import { documentCounts } from './plural.js';
import { css, tabScript, tabs } from './styles.js';
import { renderPageSvg, type SvgOptions } from './svg.js';

export type HtmlOptions = Omit<SvgOptions, 'idSuffix'> & {
  /** Page title. Default `entrel extraction`. */
  title?: string;
};

/** Legend of the entity types present, with their colours on the page and counts. */
function renderLegend(docs: ExtractedDocument[], colors: PageColors): string {
  const counts = new Map<string, number>();
  for (const d of docs) countTypes(d, counts);
  return renderLegendCounts(counts, colors);
}

/** Adds the document's entities to per-type counts (for a legend built while streaming). */
export function countTypes(doc: ExtractedDocument, counts: Map<string, number>): void {
  for (const e of doc.entities) counts.set(e.type, (counts.get(e.type) ?? 0) + 1);
}

export function renderLegendCounts(counts: ReadonlyMap<string, number>, colors: PageColors): string {
  const items = [...counts]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([type, count]) => {
      const c = colors.of(type);
      return `<li data-type="${esc(type)}"><span class="swatch" style="background:${c.fill};border-color:${c.stroke}"></span>${esc(type)} <small>(${count})</small></li>`;
    });
  return `<ul class="legend" aria-label="Entity types">${items.join('')}</ul>`;
}

/**
 * The visual part for a set of documents: legend, then one figure per document. `colors`: the page's
 * (the web view's: the model's types), by default the documents' types apart.
 */
export function renderDocumentsView(docs: ExtractedDocument[], opts: Omit<SvgOptions, 'idSuffix'> = {}, colors = new PageColors(typesOf(docs))): string {
  const figures = docs.map((doc, i) => renderFigure(doc, i, colors, opts));
  return `<div class="entrel-view">${renderLegend(docs, colors)}${figures.join('')}</div>`;
}

/** A self-contained HTML page (inline CSS and script, no network) for `extract --format html`. */
export function renderHtmlReport(docs: ExtractedDocument[], opts: HtmlOptions = {}): string {
  checkDocuments(docs, 'docs');
  checkDrawingOptions(opts, ['width', 'stack', 'title']);
  opts ??= {};
  const title = opts.title ?? 'entrel extraction';
  const json = `<pre class="json">${esc(readableJson(docs))}</pre>`;
  return htmlPage(title, [tabScript], `<h1>${esc(title)}</h1>${tabs(renderDocumentsView(docs, opts), json)}`);
}

/**
 * The JSON tab's text: indented, with each array of numbers on one line (a token's `[start, end]` took
 * four). Only arrays are touched: a JSON string holds no raw line break.
 */
export function readableJson(value: unknown): string {
  return JSON.stringify(value, null, 2).replace(/\[\n\s*(-?[\d.eE+-]+(?:,\n\s*-?[\d.eE+-]+)*)\n\s*\]/g, (_, numbers: string) => `[${numbers.split(/,\n\s*/).join(', ')}]`);
}

/** One document as a self-contained HTML page. */
export function renderHtml(doc: ExtractedDocument, opts: HtmlOptions = {}): string {
  checkDocument(doc, 'doc');
  return renderHtmlReport([doc], opts);
}

/** Page shell; the meta CSP lets only the given inline scripts run, as defence in depth. */
export function htmlPage(title: string, scripts: string[], body: string): string {
  const [head, tail] = htmlPageParts(title, scripts);
  return head + body + tail;
}

/** The page shell before and after the body, for pages written piece by piece. */
export function htmlPageParts(title: string, scripts: string[]): [string, string] {
  return [
    `<!doctype html><html lang="en"><head><meta charset="utf-8">` +
      `<meta http-equiv="Content-Security-Policy" content="${esc(contentSecurityPolicy(scripts))}">` +
      `<meta name="viewport" content="width=device-width, initial-scale=1"><title>${esc(title)}</title>` +
      // No icon: an empty one, so that browsers do not ask for /favicon.ico (a 404 in the console). CSP img-src allows data:.
      `<link rel="icon" href="data:,">` +
      `<style>${css}</style></head><body>`,
    `${scripts.map((s) => `<script>${s}</script>`).join('')}</body></html>\n`,
  ];
}

/** One document's figure in the page's `colors`: caption and SVG (`index` keeps SVG ids unique within a page). */
export function renderFigure(doc: ExtractedDocument, index: number, colors: PageColors, opts: Omit<SvgOptions, 'idSuffix'> = {}, caption = `Document ${index + 1}`): string {
  const text = `${caption}: ${documentCounts(doc.entities.length, doc.relations.length)}`;
  const empty = doc.entities.length === 0 ? '<p class="note">No entities found.</p>' : '';
  return `<figure class="entrel-figure"><figcaption>${esc(text)}</figcaption>${empty}${undrawnNote(doc, opts.stack)}${renderPageSvg(doc, { ...opts, idSuffix: String(index) }, colors)}</figure>`;
}

/**
 * Says what a drawing leaves out, nothing when nothing: entities (overlapping ones unless `stack`,
 * malformed spans) and relations (an entity's to itself, which has no arc, or one to an entity left out).
 */
export function undrawnNote(doc: ExtractedDocument, stack?: boolean): string {
  const placed = drawable(doc, stack);
  const drawn = new Set(placed.map((p) => p.entity.id));
  const entities = doc.entities.length - placed.length;
  const relations = doc.relations.filter((r) => r.head === r.tail || !drawn.has(r.head) || !drawn.has(r.tail)).length;
  const said = [
    entities > 0 && `${counted(entities, 'entity', 'entities')} not drawn: overlapping another or outside the text`,
    relations > 0 && `${counted(relations, 'relation')} not drawn: from an entity to itself, or to one not drawn`,
  ].filter(Boolean);
  return said.length > 0 ? `<p class="note">${said.join('; ')} (the JSON tab lists all).</p>` : '';
}
