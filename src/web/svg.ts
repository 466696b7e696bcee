import { checkDocument } from '../extract/args.js';
import type { ExtractedDocument } from '../extract/types.js';
import type { ArcEnd } from './arcs.js';
import { PageColors, typesOf } from './colors.js';
import { describeDrawing } from './describe.js';
import { escapeHtml as esc } from '../data/escape.js';
import { markedType, statusClass, statusOf, statusWords } from './marks.js';
import { documentCounts } from './plural.js';
import { shorten } from './shorten.js';
import { columns } from './width.js';
import { checkDrawingOptions, geometry as g, layoutDocument, NO_TEXT, type Arc, type EntityBox, type LayoutOptions, type Row } from './layout.js';
import { drawingCss } from './styles.js';

export interface SvgOptions extends LayoutOptions {
  /** Makes the arrowhead marker id unique when several SVGs share a page. Default `0`. */
  idSuffix?: string;
}

const n = (v: number) => Math.round(v * 10) / 10;

/**
 * One document as an SVG: text rows, entity boxes coloured by type, relation arcs with labels. It
 * carries its own style, so it draws the same saved as a file as on a page.
 */
export function renderDocumentSvg(doc: ExtractedDocument, opts: SvgOptions = {}): string {
  checkDocument(doc, 'doc');
  checkDrawingOptions(opts, ['width', 'stack', 'idSuffix']);
  return drawSvg(doc, opts ?? {}, `<style>${drawingCss}</style>`, new PageColors(typesOf([doc])));
}

/**
 * The same SVG for a page whose stylesheet (`css`) has the style already: no copy per document, in the
 * page's `colors`. For the pages' renderers, which have checked the documents and options their caller gave.
 */
export function renderPageSvg(doc: ExtractedDocument, opts: SvgOptions, colors: PageColors): string {
  return drawSvg(doc, opts, '', colors);
}

function drawSvg(doc: ExtractedDocument, opts: SvgOptions, style: string, colors: PageColors): string {
  const layout = layoutDocument(doc, opts);
  const marker = `entrel-arrow-${(opts.idSuffix ?? '0').replace(/[^\w-]/g, '_')}`;
  const byId = new Map(layout.entities.map((e) => [e.id, e]));
  // A document without text says so, where an empty band would look like a drawing that failed.
  const rows = layout.noText
    ? textAt(NO_TEXT, g.padX, g.rowGap + 15.5, columns(NO_TEXT) * g.charWidth, 'no-text')
    : layout.rows.map((row) => renderRow(row, marker, byId, colors)).join('');
  const desc = layout.noText ? 'The document has no text.' : describeDrawing(doc, layout.entities);
  // Spurious arcs are drawn in another colour: their arrowheads too (sized to their thicker stroke).
  const spurious = doc.relations.some((r) => statusOf(r) === 'spurious') ? arrowhead(`${marker}-spurious`, 'arrowhead spurious', 4.5) : '';
  return (
    `<svg class="entrel-doc" xmlns="http://www.w3.org/2000/svg" width="${n(layout.width)}" height="${n(layout.height)}" ` +
    `viewBox="0 0 ${n(layout.width)} ${n(layout.height)}" role="img" aria-label="${esc(documentCounts(layout.entities.length, doc.relations.length))}">` +
    `<desc>${esc(desc)}</desc>${style}<defs>${arrowhead(marker, 'arrowhead')}${spurious}</defs>${rows}</svg>`
  );
}

const arrowhead = (id: string, cls: string, size = 7) =>
  `<marker id="${id}" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="${size}" markerHeight="${size}" orient="auto"><path d="M0,0 L10,5 L0,10 z" class="${cls}"/></marker>`;

/** ` (score 0.93)`; nothing where the data has no score (a corpus file). */
const scoreText = (score: number) => (Number.isFinite(score) ? ` (score ${score.toFixed(2)})` : '');

function renderRow(row: Row, marker: string, byId: Map<string, { text: string }>, colors: PageColors): string {
  const baseline = row.boxTop + 15.5;
  const text = row.words.map((w) => textAt(w.text, w.x, baseline, w.w, 'word', '', w.rtl)).join('');
  const boxes = row.boxes.map((b) => renderBox(b, row.boxTop + b.dy, baseline + b.dy, colors)).join('');
  // An arc to a stacked box goes on down to it behind the boxes above, whose text it would cross.
  const drops = row.arcs.map((a) => renderDrops(a, row.boxTop, arrowRef(a, marker))).join('');
  // Highest arcs first: a leg that still has to cross a lower arc's label passes behind it, not over it.
  const arcs = [...row.arcs].sort((a, b) => b.level - a.level).map((a) => renderArc(a, row.boxTop, marker, byId)).join('');
  // Arcs last so their labels sit above boxes of long entities.
  return `<g class="row">${text}${drops}${boxes}${arcs}</g>`;
}

/** A text run forced to its grid width, so layout never depends on the font the viewer has. */
function textAt(s: string, x: number, y: number, w: number, cls: string, attrs = '', rtl = false): string {
  const fit = w > 0 ? ` textLength="${n(w)}" lengthAdjust="spacingAndGlyphs"` : '';
  // Right-to-left text starts at its right end.
  const at = rtl ? `x="${n(x + w)}" direction="rtl"` : `x="${n(x)}"`;
  return `<text class="${cls}" ${at} y="${n(y)}"${fit}${attrs}>${esc(s)}</text>`;
}

function renderBox(b: EntityBox, top: number, baseline: number, colors: PageColors): string {
  const e = b.entity;
  const c = colors.of(e.type);
  const title = `${shorten(e.type)} ${e.id}: ${e.text}${scoreText(e.score)}${statusWords(e)}`;
  return (
    `<g class="entity${statusClass(e)}" data-id="${esc(e.id)}" data-type="${esc(e.type)}"><title>${esc(title)}</title>` +
    `<rect x="${n(b.x - 1)}" y="${n(top)}" width="${n(b.w + 2)}" height="${g.boxHeight}" rx="3" fill="${c.fill}" stroke="${c.stroke}"/>` +
    textAt(b.text, b.x, baseline, b.w, 'entity-text', '', b.rtl) +
    textAt(markedType(e), b.tag.x - b.tag.w / 2, top + g.boxHeight + 10 + b.tag.line * g.tagHeight, b.tag.w, 'entity-type', ` fill="${c.stroke}"`) +
    `</g>`
  );
}

const dyOf = (end: ArcEnd) => ('box' in end ? (end.box as EntityBox).dy : 0);

/** ` marker-end="…"` for an arc that ends in an arrowhead; where its tail is stacked, the arrowhead is on the drop to it. */
const arrowRef = (a: Arc, marker: string) => (a.arrow ? ` marker-end="url(#${marker}${statusOf(a.relation) === 'spurious' ? '-spurious' : ''})"` : '');

function renderDrops(a: Arc, boxTop: number, arrow: string): string {
  const legs = ([[a.from, a.x1, ''], [a.to, a.x2, arrow]] as const).filter(([end]) => dyOf(end) > 0);
  if (legs.length === 0) return '';
  const paths = legs.map(([end, x, head]) => `<path class="arc" d="M${n(x)},${n(boxTop)} L${n(x)},${n(boxTop + dyOf(end))}" fill="none"${head}/>`);
  return `<g class="relation${statusClass(a.relation)}">${paths.join('')}</g>`;
}

function renderArc(a: Arc, boxTop: number, marker: string, byId: Map<string, { text: string }>): string {
  const y = boxTop - a.level * g.levelHeight;
  const dir = Math.sign(a.x2 - a.x1);
  const slant = Math.min(4, Math.abs(a.x2 - a.x1) / 4) * dir;
  // An end at an entity drops to its box; an end at the row edge stays level (the arc goes on in another row).
  const start = 'box' in a.from ? `M${n(a.x1)},${n(boxTop)} L${n(a.x1 + slant)},${n(y)}` : `M${n(a.x1)},${n(y)}`;
  const end = 'box' in a.to ? ` L${n(a.x2 - slant)},${n(y)} L${n(a.x2)},${n(boxTop)}` : ` L${n(a.x2)},${n(y)}`;
  const r = a.relation;
  const name = (id: string) => shorten(byId.get(id)?.text ?? id);
  const title = `${shorten(r.type)}: ${name(r.head)} → ${name(r.tail)}${scoreText(r.score)}${statusWords(r)}`;
  const left = a.labelX - a.labelWidth / 2;
  return (
    `<g class="relation${statusClass(r)}" data-type="${esc(r.type)}" data-head="${esc(r.head)}" data-tail="${esc(r.tail)}"><title>${esc(title)}</title>` +
    `<path class="arc" d="${start}${end}" fill="none"${dyOf(a.to) > 0 ? '' : arrowRef(a, marker)}/>` +
    `<rect class="relation-label-bg" x="${n(left)}" y="${n(y - 6.5)}" width="${n(a.labelWidth)}" height="13" rx="2"/>` +
    textAt(a.label, left + 4, y + 3.5, a.labelWidth - 8, 'relation-label') +
    `</g>`
  );
}
