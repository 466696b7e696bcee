/**
 * Error analysis: what kind of mistakes make up the strict false positives and false negatives.
 *
 * Every strict fp (a prediction the gold side lacks) and fn (a gold item the prediction lacks) falls in
 * exactly one category, so a breakdown's counts add up to the Scorer's fp and fn, overall and per type
 * (the erroneous item's type: the predicted one's for an fp, the gold one's for an fn). Both sides are
 * read as the Scorer reads them (duplicates once, symmetric relations unordered, `paperCompat` gold).
 * The categories are defined in errors-entities.ts and errors-relations.ts.
 */
import type { LabelSchema, Sentence, Token } from '../data/corpus.js';
import type { CompactSentence, RelTuple, SpanTuple } from './compact.js';
import { ENTITY_ERROR_CATEGORIES, RELATION_ERROR_CATEGORIES, type EntityErrorCategory, type RelationErrorCategory } from './errors-categories.js';
import { classifyEntities, entityConfusion } from './errors-entities.js';
import { classifyRelations, relationConfusion } from './errors-relations.js';
import { Tally, type ErrorBreakdown, type FpFn } from './errors-tally.js';
import { compactPair, type ScorerOptions } from './scorer.js';

export type { ConfusionMatrix, ErrorBreakdown, ErrorInstance } from './errors-tally.js';

/** An entity as an error shows it: token span (end-exclusive), type, and the tokens' text. */
export interface SpanRef {
  start: number;
  end: number;
  type: string;
  text: string;
}
export interface RelationRef {
  type: string;
  head: SpanRef;
  tail: SpanRef;
}

export interface ErrorReport {
  entities: ErrorBreakdown<EntityErrorCategory, SpanRef>;
  relations: ErrorBreakdown<RelationErrorCategory, RelationRef> & {
    /**
     * Of each category's errors, those whose two arguments are both correct entities (predicted and
     * gold alike): the relation model's own errors, as opposed to ones an entity error brought along.
     */
    argumentsCorrect: Record<RelationErrorCategory, FpFn>;
  };
}

/** Where a sentence is: its gold document's id and its index in that document. */
export interface SentenceLocation {
  document: string;
  sentence: number;
}

/** Items once each, as the Scorer's keyed maps count them. */
const unique = <T extends readonly unknown[]>(items: readonly T[]): T[] => [
  ...new Map(items.map((x) => [JSON.stringify(x), x])).values(),
];

/** Accumulates the error breakdown of a corpus, sentence by sentence, beside (or without) a Scorer. */
export class ErrorAnalyzer {
  private readonly symmetric: Set<string>;
  private readonly entities: Tally<EntityErrorCategory, SpanRef>;
  private readonly relations: Tally<RelationErrorCategory, RelationRef>;
  private readonly argumentsCorrect = Object.fromEntries(RELATION_ERROR_CATEGORIES.map((c) => [c, { fp: 0, fn: 0 }])) as Record<RelationErrorCategory, FpFn>;

  constructor(
    schema: LabelSchema,
    private readonly options: ScorerOptions = {},
  ) {
    this.symmetric = new Set(schema.relationTypes.filter((r) => r.symmetric).map((r) => r.name));
    const relTypes = schema.relationTypes.map((r) => r.name);
    this.entities = new Tally(ENTITY_ERROR_CATEGORIES, schema.entityTypes);
    this.relations = new Tally(RELATION_ERROR_CATEGORIES, relTypes);
  }

  /** Analyses one sentence pair; the gold sentence's tokens give the errors' text. */
  add(gold: Sentence, pred: Sentence, at: SentenceLocation): void {
    const where = `document '${at.document}', sentence ${at.sentence}`;
    this.addCompact(...compactPair(gold, pred, this.symmetric, this.options, where), gold.tokens, at);
  }

  /**
   * Analyses a sentence pair already read as the Scorer reads it (`compactPair`); `tokens` are gold's.
   * @internal for evaluate.ts: left out of the published types (stripInternal), as Scorer.addCompact.
   */
  addCompact(g: CompactSentence, p: CompactSentence, tokens: readonly Token[], at: SentenceLocation): void {
    const span = spanRef(tokens);
    const rel = (r: RelTuple): RelationRef => ({ type: String(r[6]), head: span([r[0], r[1], r[2]]), tail: span([r[3], r[4], r[5]]) });

    const [ge, pe] = [unique(g.entities), unique(p.entities)];
    for (const c of classifyEntities(ge, pe)) this.entities.error(c, span, at);
    this.entities.confuse(entityConfusion(ge, pe));

    const isSym = (t: string) => this.symmetric.has(t);
    const [gr, pr] = [unique(g.relations), unique(p.relations)];
    const predKeys = new Set(pe.map((e) => JSON.stringify(e)));
    const correct = new Set(ge.map((e) => JSON.stringify(e)).filter((k) => predKeys.has(k)));
    for (const c of classifyRelations(gr, pr, isSym)) {
      this.relations.error(c, rel, at);
      const [h, t] = [[c.item[0], c.item[1], c.item[2]], [c.item[3], c.item[4], c.item[5]]];
      if (correct.has(JSON.stringify(h)) && correct.has(JSON.stringify(t))) this.argumentsCorrect[c.category][c.side]++;
    }
    this.relations.confuse(relationConfusion(gr, pr));
  }

  report(): ErrorReport {
    const argumentsCorrect = Object.fromEntries(RELATION_ERROR_CATEGORIES.map((c) => [c, { ...this.argumentsCorrect[c] }])) as Record<RelationErrorCategory, FpFn>;
    return { entities: this.entities.report(), relations: { ...this.relations.report(), argumentsCorrect } };
  }
}

const spanRef =
  (tokens: readonly Token[]) =>
  (e: SpanTuple): SpanRef => ({
    start: e[0],
    end: e[1],
    type: String(e[2]),
    text: tokens.slice(e[0], e[1]).map((t) => t.text).join(' '),
  });
