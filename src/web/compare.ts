/**
 * Predictions drawn against gold (`entrel view --gold`, displaCy/brat-style error analysis): one figure
 * per document in which every entity and relation is marked correct, spurious or missed (marks.ts),
 * captioned with the document's counts, and a page headed by the corpus scores.
 */
import { checkDocument } from '../extract/args.js';
import type { ExtractedDocument, ExtractedEntity, ExtractedRelation } from '../extract/types.js';
import { described, UserError } from '../errors.js';
import { escapeHtml as esc } from '../data/escape.js';
import { undrawnNote } from './html.js';
import { PageColors, typesOf } from './colors.js';
import { checkDrawingOptions, type LayoutOptions } from './layout.js';
import { ITEM_STATUSES, renderMarksLegend, type ItemStatus } from './marks.js';
import { pageWriter, type PageExtras } from './page-stream.js';
import { renderPageSvg } from './svg.js';

export interface ComparedEntity extends ExtractedEntity {
  status: ItemStatus;
}

export interface ComparedRelation extends ExtractedRelation {
  status: ItemStatus;
}

/**
 * Gold and predicted annotation of one document in one: an item in both is there once, `correct`.
 * Scores are NaN where the data has none (corpus files): they are then neither drawn nor listed.
 */
export interface ComparedDocument extends ExtractedDocument {
  /** Names the document in its caption and JSON. */
  id?: string;
  entities: ComparedEntity[];
  relations: ComparedRelation[];
}

export type StatusCounts = Record<ItemStatus, number>;

export function comparisonCounts(doc: ComparedDocument): { entities: StatusCounts; relations: StatusCounts } {
  const count = (items: { status: ItemStatus }[]) => {
    const c: StatusCounts = { correct: 0, spurious: 0, missed: 0 };
    for (const x of items) c[x.status]++;
    return c;
  };
  return { entities: count(doc.entities), relations: count(doc.relations) };
}

/** Whether the document holds a spurious or missed item. */
export const hasErrors = (doc: ComparedDocument): boolean => [...doc.entities, ...doc.relations].some((x) => x.status !== 'correct');

const countsText = (c: StatusCounts) => ITEM_STATUSES.map((s) => `${c[s]} ${s}`).join(', ');

/**
 * One document's figure in the page's `colors`: the caption with its counts, and the drawing. Predictions
 * are on the text line; a missed entity that overlaps a predicted one (a boundary or type error) is drawn below it.
 */
export function renderComparisonFigure(doc: ComparedDocument, index: number, colors: PageColors, opts: LayoutOptions = {}): string {
  const c = comparisonCounts(doc);
  const caption = `${doc.id ?? `Document ${index + 1}`}: entities ${countsText(c.entities)}; relations ${countsText(c.relations)}`;
  const empty = doc.entities.length === 0 ? '<p class="note">No entities in gold or predictions.</p>' : '';
  const svg = renderPageSvg(doc, { ...opts, stack: true, idSuffix: String(index) }, colors);
  return `<figure class="entrel-figure"><figcaption>${esc(caption)}</figcaption>${empty}${undrawnNote(doc, true)}${svg}</figure>`;
}

/** The document as the JSON tab shows it: every item with its status, scores only where known, and the counts. */
export function comparisonJson(doc: ComparedDocument): unknown {
  const { id, text, sentences, entities, relations } = doc;
  return { id, text, sentences, entities: entities.map(knownScore), relations: relations.map(knownScore), counts: comparisonCounts(doc) };
}

/** An item without its score when the data had none (NaN would be `null` in JSON). */
export function knownScore<T extends { score: number }>(item: T): T | Omit<T, 'score'> {
  if (Number.isFinite(item.score)) return item;
  const { score: _, ...rest } = item;
  return rest;
}

/** Micro scores of one criterion, as the Scorer reports them. */
export interface MicroScores {
  tp: number;
  fp: number;
  fn: number;
  p: number;
  r: number;
  f1: number;
}

/** The corpus scores a comparison page shows: an `EvalReport` (`evaluate`, `Scorer`) is one. */
export interface ComparisonScores {
  entities: { micro: MicroScores };
  relations: { strict: { micro: MicroScores } };
}

/** The scores table: micro P/R/F1 of entities and strict relations, with the counts behind them. */
function renderScores(scores: ComparisonScores): string {
  const pct = (x: number) => (100 * x).toFixed(1);
  const row = (name: string, m: MicroScores) =>
    `<tr><th scope="row">${name}</th><td>${pct(m.p)}</td><td>${pct(m.r)}</td><td>${pct(m.f1)}</td><td>${m.tp}</td><td>${m.fp}</td><td>${m.fn}</td></tr>`;
  return (
    `<table class="scores"><thead><tr><th>micro</th><th>P %</th><th>R %</th><th>F1 %</th><th>correct</th><th>spurious</th><th>missed</th></tr></thead>` +
    `<tbody>${row('Entities', scores.entities.micro)}${row('Relations (strict)', scores.relations.strict.micro)}</tbody></table>`
  );
}

/** What a comparison page holds besides its figures: `about` (HTML) and the scores above the tabs, the key to the marks atop the View. */
export function comparisonExtras(scores: ComparisonScores | undefined, about = '', viewEnd?: () => string): PageExtras {
  return { top: about + (scores ? renderScores(scores) : ''), viewTop: `<h2>Marks</h2>${renderMarksLegend()}`, viewEnd };
}

/** The comparison always stacks overlapping entities (a missed one under a predicted one): no `stack`. */
export interface ComparisonHtmlOptions extends Omit<LayoutOptions, 'stack'> {
  /** Page title. Default `entrel comparison`. */
  title?: string;
  /** Corpus scores for the top of the page, e.g. what `evaluate` returned for the same documents. */
  scores?: ComparisonScores;
}

/**
 * Predictions against gold as a self-contained page (what `entrel view --gold` writes): the scores, a
 * key to the marks, per document a figure with every entity and relation marked correct, spurious
 * (thick outline, ✗) or missed (dashed, hollow) and its JSON, and the legend of entity types.
 */
export function renderComparisonHtml(docs: ComparedDocument[], opts: ComparisonHtmlOptions = {}): string {
  checkComparedDocuments(docs, 'docs');
  checkDrawingOptions(opts, ['title', 'scores', 'width']);
  opts ??= {};
  const colors = new PageColors(typesOf(docs));
  const page = pageWriter(opts.title ?? 'entrel comparison', colors, comparisonExtras(opts.scores));
  const parts = docs.map((doc, i) => page.part({ doc, figure: renderComparisonFigure(doc, i, colors, { width: opts.width }), json: comparisonJson(doc) }));
  return page.head() + parts.join('') + page.end();
}

function checkComparedDocuments(docs: unknown, field: string): asserts docs is ComparedDocument[] {
  if (!Array.isArray(docs)) throw new UserError(`must be an array of compared documents, got ${described(docs)}`, { field });
  docs.forEach((d, i) => {
    checkDocument(d, `${field}[${i}]`);
    for (const kind of ['entities', 'relations'] as const)
      d[kind].forEach((x: unknown, j) => {
        const status = (x as { status?: unknown } | null)?.status;
        if (!(ITEM_STATUSES as readonly unknown[]).includes(status))
          throw new UserError(`must be ${ITEM_STATUSES.join(', ')}, got ${described(status)}`, { field: `${field}[${i}].${kind}[${j}].status` });
      });
  });
}
