/**
 * Geometry of one document's view: text rows in a monospace grid, entity boxes, and relation arcs above
 * them. Pure computation (no DOM, no font measuring), so Node and the browser draw the same picture.
 */
import { checkOptions, described, UserError } from '../errors.js';
import type { ExtractedDocument, ExtractedEntity, ExtractedRelation } from '../extract/types.js';
import { placeArcs, type ArcEnd, type ArcPiece, type Box } from './arcs.js';
import { hasRtl, paragraphDirection, reorderRow } from './bidi.js';
import { markedType, statusOf } from './marks.js';
import { placeTags, type Tag } from './tags.js';
import { columnIndex, columns } from './width.js';
import { wrapRows, type Span } from './wrap.js';
import { firstIndex } from '../data/search.js';

export const geometry = {
  charWidth: 8.4,
  padX: 18,
  levelHeight: 18,
  arcBase: 8,
  boxHeight: 22,
  tagHeight: 14,
  rowGap: 6,
  labelCharWidth: 6.2,
  laneGap: 4,
};

export interface LayoutOptions {
  /** Row width in characters (monospace columns), at least 10 (a smaller one draws 10). Default 80. */
  width?: number;
  /**
   * Draw an entity that overlaps another (nested gold, or a missed entity against a predicted one) in a
   * lane below the text instead of leaving it out. Default false: extraction never overlaps.
   */
  stack?: boolean;
}

/**
 * A library caller's drawing options (`names`: those the entry point takes), checked: a misspelt name, a
 * width that is not a positive number (NaN drew nothing), a flag or text of another type.
 */
export function checkDrawingOptions(opts: unknown, names: readonly string[]): void {
  checkOptions(opts, 'options', names);
  const o = (opts ?? {}) as Record<string, unknown>;
  const fail = (field: string, what: string): never => {
    throw new UserError(`must be ${what}, got ${described(o[field])}`, { field: `options.${field}` });
  };
  if (o.width !== undefined && !(typeof o.width === 'number' && Number.isFinite(o.width) && o.width > 0)) fail('width', 'a positive number of characters');
  if (o.stack !== undefined && typeof o.stack !== 'boolean') fail('stack', 'true or false');
  for (const k of ['title', 'idSuffix']) if (o[k] !== undefined && typeof o[k] !== 'string') fail(k, 'a string');
}

interface Word {
  text: string;
  x: number;
  w: number;
  /** Right-to-left text (bidi.ts). */
  rtl?: boolean;
}

export interface EntityBox extends Box {
  entity: ExtractedEntity;
  text: string;
  /** Right-to-left text (bidi.ts). */
  rtl?: boolean;
  /** The type name under the box. */
  tag: Tag;
  /** 0: on the text line; 1, 2, …: stacked below it (`stack`). Its top is `dy` below the row's `boxTop`. */
  lane: number;
  dy: number;
}

export interface Arc extends ArcPiece {
  relation: ExtractedRelation;
  /** Draw an arrowhead at the `to` end (it is the tail, Arg2). */
  arrow: boolean;
}

export interface Row {
  /** Top of the row; levels of arcs stack upward from `boxTop`. */
  y: number;
  boxTop: number;
  height: number;
  words: Word[];
  boxes: EntityBox[];
  arcs: Arc[];
}

interface DocumentLayout {
  width: number;
  height: number;
  rows: Row[];
  /** Entities that are drawn: well-formed spans; without `stack`, the first of any overlapping ones. */
  entities: ExtractedEntity[];
  /**
   * The document has nothing to draw (no text, or only spaces and controls, and no entity box): no rows,
   * and the drawing is the note `NO_TEXT` (`width` and `height` are its), not an empty band.
   */
  noText: boolean;
}

/** What the drawing of a document without text shows. */
export const NO_TEXT = '(no text)';

/** Controls and line breaks show as spaces; everything else as typed. */
const display = (s: string) => s.replace(/[\p{Cc}\p{Zl}\p{Zp}]/gu, ' ');

/**
 * Entities that can be drawn (a document from a client may hold anything schema-valid), each with its
 * lane, sorted by start. Lane 0 is the text line: the first of overlapping entities, predictions before
 * missed ones (the line shows what was predicted). With `stack`, an entity that overlaps one goes to the
 * first lane below where it fits; without, it is left out.
 */
export function drawable(doc: ExtractedDocument, stack = false): { entity: ExtractedEntity; lane: number }[] {
  const valid = doc.entities
    .filter((e) => Number.isInteger(e.start) && Number.isInteger(e.end) && e.start >= 0 && e.start < e.end && e.end <= doc.text.length)
    .sort((a, b) => Number(statusOf(a) === 'missed') - Number(statusOf(b) === 'missed') || a.start - b.start || b.end - a.end);
  const lanes: { start: number; end: number }[][] = []; // each sorted by start, without overlaps
  const out: { entity: ExtractedEntity; lane: number }[] = [];
  for (const entity of valid) {
    let lane = lanes.findIndex((spans) => fits(spans, entity));
    if (lane < 0) lane = stack || lanes.length === 0 ? lanes.push([]) - 1 : -1;
    if (lane < 0) continue;
    insertSorted(lanes[lane], entity);
    out.push({ entity, lane });
  }
  return out.sort((a, b) => a.entity.start - b.entity.start || a.lane - b.lane);
}

/** Index of the first span in `spans` (sorted, disjoint) that ends after `at`. */
const firstEndingAfter = (spans: { end: number }[], at: number): number => firstIndex(spans.length, (i) => spans[i].end > at);

const fits = (spans: { start: number; end: number }[], e: { start: number; end: number }) => {
  const next = spans[firstEndingAfter(spans, e.start)];
  return next === undefined || next.start >= e.end;
};

const insertSorted = (spans: { start: number; end: number }[], e: { start: number; end: number }) => spans.splice(firstEndingAfter(spans, e.start), 0, e);

export function layoutDocument(doc: ExtractedDocument, opts: LayoutOptions = {}): DocumentLayout {
  const g = geometry;
  const width = Math.max(10, Math.floor(opts.width ?? 80));
  const text = doc.text;
  const placed = drawable(doc, opts.stack);
  const entities = placed.map((p) => p.entity);
  const cols = columnIndex(text);
  const spans = wrapRows(text, entities, cols, width);

  // Rows first without vertical positions; entities go to the row holding their start.
  const rows: Row[] = spans.map(() => ({ y: 0, boxTop: 0, height: 0, words: [], boxes: [], arcs: [] }));
  const rowOf = new Map<string, { row: number; box: EntityBox }>();
  let r = 0;
  for (const { entity, lane } of placed) {
    while (r < spans.length - 1 && entity.start >= spans[r + 1].start) r++;
    const x = g.padX + (cols[entity.start] - cols[spans[r].start]) * g.charWidth;
    const w = (cols[entity.end] - cols[entity.start]) * g.charWidth;
    const box: EntityBox = { entity, text: display(text.slice(entity.start, entity.end)), x, w, tag: { x: 0, w: 0, line: 0 }, lane, dy: 0 };
    rows[r].boxes.push(box);
    if (!rowOf.has(entity.id)) rowOf.set(entity.id, { row: r, box });
  }
  // Stacked boxes repeat their text below the line: the line's words are cut by its own boxes only.
  rows.forEach((row, i) => (row.words = words(text, spans[i], row.boxes.filter((b) => b.lane === 0), cols)));
  if (rows.every((row) => row.words.length === 0 && row.boxes.length === 0))
    return { width: 2 * g.padX + columns(NO_TEXT) * g.charWidth, height: g.boxHeight + 2 * g.rowGap, rows: [], entities, noText: true };
  // Right-to-left script reads from the right: rows holding some get their pieces reordered.
  let base: 'R' | 'L' = 'L';
  rows.forEach((row, i) => {
    if (i === 0 || /[\n\r]/.test(text.slice(spans[i - 1].end, spans[i].start))) base = paragraphDirection(text, spans[i].start);
    if (hasRtl(text.slice(spans[i].start, spans[i].end))) reorderRow([...row.words, ...row.boxes].sort((a, b) => a.x - b.x), base);
  });

  const maxCols = spans.reduce((m, s) => Math.max(m, cols[s.end] - cols[s.start]), width);
  const svgWidth = 2 * g.padX + maxCols * g.charWidth;
  for (const relation of doc.relations) {
    const head = rowOf.get(relation.head);
    const tail = rowOf.get(relation.tail);
    if (!head || !tail || head === tail) continue;
    const piece = (row: number, from: ArcEnd, to: ArcEnd, arrow: boolean) =>
      rows[row].arcs.push({ relation, from, to, arrow, label: markedType(relation), labelWidth: columns(markedType(relation)) * g.labelCharWidth + 8, x1: 0, x2: 0, labelX: 0, level: 0 });
    if (head.row === tail.row) {
      piece(head.row, { box: head.box }, { box: tail.box }, true);
    } else {
      // Split across rows: each part runs from its entity to the row's edge, the tail's part has the arrow.
      const headFirst = head.row < tail.row;
      const headEdge = headFirst ? svgWidth - 4 : 4;
      piece(head.row, { box: head.box }, { edge: headEdge }, false);
      piece(tail.row, { edge: svgWidth - headEdge }, { box: tail.box }, true);
    }
  }
  for (const row of rows) placeArcs(row.arcs, svgWidth);

  // Each lane: its boxes, then their tags; the next lane starts below them. An arc to a box stacked in
  // a lower lane drops through the lanes above it: their tags keep clear of the drop (a missed entity's
  // arc would otherwise run through the type of the predicted one above it). `below`: height under boxTop.
  const below = rows.map((row) => {
    const drops = row.arcs.flatMap((a) => ([[a.from, a.x1], [a.to, a.x2]] as const).flatMap(([end, x]) => ('box' in end ? [{ x, lane: (end.box as EntityBox).lane }] : [])));
    let dy = 0;
    for (let lane = 0; lane === 0 || row.boxes.some((b) => b.lane >= lane); lane++) {
      const boxes = row.boxes.filter((b) => b.lane === lane);
      const through = drops.filter((d) => d.lane > lane).map((d) => d.x);
      const tags = placeTags(boxes.map((b) => ({ ...b, tagWidth: columns(markedType(b.entity)) * g.labelCharWidth })), svgWidth, through);
      boxes.forEach((b, i) => ((b.tag = tags[i]), (b.dy = dy)));
      dy += g.boxHeight + (1 + tags.reduce((m, t) => Math.max(m, t.line), 0)) * g.tagHeight + g.laneGap;
    }
    return dy - g.laneGap;
  });

  let y = 0;
  for (const [i, row] of rows.entries()) {
    const levels = row.arcs.reduce((m, a) => Math.max(m, a.level), 0); // not Math.max(...): a row can have more arcs than a call has arguments
    row.y = y;
    row.boxTop = y + g.arcBase + levels * g.levelHeight;
    row.height = g.arcBase + levels * g.levelHeight + below[i] + g.rowGap;
    y += row.height;
  }
  return { width: svgWidth, height: y, rows, entities, noText: false };
}

/** Words of a row outside its entity boxes, each placed at its column. */
function words(text: string, span: Span, boxes: EntityBox[], cols: Int32Array): Word[] {
  const out: Word[] = [];
  const re = /\S+/gu;
  const visible = display(text.slice(span.start, span.end));
  for (const m of visible.matchAll(re)) {
    let start = span.start + (m.index as number);
    const end = start + m[0].length;
    // Cut out entity parts; entities are drawn as boxes.
    for (const { entity: e } of boxes) {
      if (e.end <= start || e.start >= end) continue;
      if (e.start > start) out.push(word(text, start, e.start, span, cols));
      start = Math.max(start, e.end);
    }
    if (start < end) out.push(word(text, start, end, span, cols));
  }
  return out;
}

function word(text: string, start: number, end: number, span: Span, cols: Int32Array): Word {
  const g = geometry;
  return { text: display(text.slice(start, end)), x: g.padX + (cols[start] - cols[span.start]) * g.charWidth, w: (cols[end] - cols[start]) * g.charWidth };
}
