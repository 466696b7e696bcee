/**
 * Sentence-by-sentence comparison of gold and predicted annotation, accumulated over a corpus.
 *
 * Entities match on exact span + type. Relations match under three criteria:
 * - `strict`: both spans, both entity types, relation type and direction (the paper's "exact match");
 * - `boundaries`: both spans, relation type and direction, entity types ignored;
 * - `nyt`: the NYT "ignore entity type" variant (spec §4.2). Its original stores only the two spans under
 *   the relation type, which in our representation is exactly `boundaries`; it is kept as its own
 *   criterion so reports can name the number the paper compares with Zheng et al.
 * Relation types the schema marks symmetric are scored unordered (arguments put in text order), except
 * under `paperCompat`.
 */
import { checkLabelSchema, type LabelSchema, type Sentence } from '../data/corpus.js';
import { checkOptions } from '../errors.js';
import { compactSentence, type CompactSentence } from './compact.js';
import { TypeCounter, type CriterionScores } from './metrics.js';
import { paperCompatGold } from './paper-compat.js';

export interface EvalReport {
  entities: CriterionScores;
  relations: { strict: CriterionScores; boundaries: CriterionScores; nyt: CriterionScores };
  sentences: number;
}

export interface ScorerOptions {
  /** Reproduce the authors' gold-side quirks (see paper-compat.ts). Default false. */
  paperCompat?: boolean;
}

/**
 * The two sides as a Scorer compares them: symmetric relation types canonical, and the gold side as the
 * authors' evaluator reads it under `paperCompat`, which knows no symmetric types (spec §4.2: the direction
 * must match). The error breakdown (errors.ts) reads them the same way.
 */
export function compactPair(
  gold: Sentence,
  pred: Sentence,
  symmetric: ReadonlySet<string>,
  options: ScorerOptions,
  where?: string,
): [gold: CompactSentence, pred: CompactSentence] {
  const isSym = (t: string) => !options.paperCompat && symmetric.has(t);
  const g = compactSentence(gold, isSym, where);
  return [options.paperCompat ? paperCompatGold(gold, g) : g, compactSentence(pred, isSym, where)];
}

const keyed = <T>(items: readonly T[], key: (x: T) => unknown[], type: (x: T) => unknown) =>
  new Map(items.map((x) => [JSON.stringify(key(x)), String(type(x))]));

/** A sentence's items under each criterion: item key → type (keys are sets, so a duplicate counts once). */
interface CriterionItems {
  entities: Map<string, string>;
  strict: Map<string, string>;
  /** Also the `nyt` criterion's items (see above). */
  boundaries: Map<string, string>;
}

export function criterionItems(c: CompactSentence): CriterionItems {
  return {
    entities: keyed(c.entities, (e) => [...e], (e) => e[2]),
    strict: keyed(c.relations, (r) => [...r], (r) => r[6]),
    boundaries: keyed(c.relations, (r) => [r[0], r[1], r[3], r[4], r[6]], (r) => r[6]),
  };
}

/** The option names a Scorer takes (a misspelt one is refused, not ignored). */
const SCORER_OPTIONS: readonly (keyof ScorerOptions)[] = ['paperCompat'];

export class Scorer {
  private readonly entities = new TypeCounter();
  private readonly strict = new TypeCounter();
  private readonly boundaries = new TypeCounter();
  private readonly nyt = new TypeCounter();
  private readonly symmetric: Set<string>;
  private sentences = 0;

  constructor(
    private readonly schema: LabelSchema,
    private readonly options: ScorerOptions = {},
  ) {
    checkLabelSchema(schema, 'schema');
    checkOptions(options, 'options', SCORER_OPTIONS);
    this.options ??= {};
    this.symmetric = new Set(schema.relationTypes.filter((r) => r.symmetric).map((r) => r.name));
  }

  /** Scores one sentence pair; `where` names it in errors (e.g. `document d1, sentence 3`). */
  add(gold: Sentence, pred: Sentence, where?: string): void {
    const [g, p] = compactPair(gold, pred, this.symmetric, this.options, where);
    this.addCompact(g, p);
  }

  /**
   * Scores compact tuples directly; symmetric relations must already be canonical (`compactPair`).
   * @internal for evaluate.ts: left out of the published types (stripInternal), as its precondition goes unchecked.
   */
  addCompact(gold: CompactSentence, pred: CompactSentence): void {
    this.sentences++;
    const [g, p] = [criterionItems(gold), criterionItems(pred)];
    this.entities.add(g.entities, p.entities);
    this.strict.add(g.strict, p.strict);
    this.boundaries.add(g.boundaries, p.boundaries);
    this.nyt.add(g.boundaries, p.boundaries);
  }

  report(): EvalReport {
    const rels = this.schema.relationTypes.map((r) => r.name);
    return {
      entities: this.entities.summarize(this.schema.entityTypes),
      relations: {
        strict: this.strict.summarize(rels),
        boundaries: this.boundaries.summarize(rels),
        nyt: this.nyt.summarize(rels),
      },
      sentences: this.sentences,
    };
  }
}
