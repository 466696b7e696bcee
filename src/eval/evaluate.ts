/**
 * Corpus evaluation: aligns predicted documents with gold ones (by document id, or by position when both
 * list the same ids in the same order; then by sentence index), checks that both tokenise identically
 * (or puts both on common tokens where they tokenise one text differently: data/common-tokens.ts), and
 * scores every sentence.
 */
import { onCommonTokens } from '../data/common-tokens.js';
import { checkDocumentArray, checkLabelSchema, inferSchema, type Document, type LabelSchema, type Sentence } from '../data/corpus.js';
import type { Diagnostics } from '../data/diagnostics.js';
import { checkOptions, quote, UserError, type ErrorLocation } from '../errors.js';
import { ErrorAnalyzer, type ErrorReport, type SentenceLocation } from './errors.js';
import { compactPair, Scorer, type EvalReport, type ScorerOptions } from './scorer.js';

export interface EvaluateOptions extends ScorerOptions {
  /** Types and symmetry; default: inferred from gold ∪ predictions, nothing symmetric. */
  schema?: LabelSchema;
  /** Receives `missing-prediction` warnings; without it they go to process.emitWarning. */
  diagnostics?: Diagnostics;
  /** The files gold and predictions were read from, named in errors. */
  goldFile?: string;
  /** The file the predictions were read from, named in errors. */
  predFile?: string;
}

/** Whether two sentences have the same tokens (count and character offsets). */
function sameTokens(g: Sentence, p: Sentence): boolean {
  if (g.tokens.length !== p.tokens.length) return false;
  return g.tokens.every((t, i) => t.start === p.tokens[i].start && t.end === p.tokens[i].end);
}

/** Errors about one side name its file, when the caller gave it. */
const at = (file?: string): ErrorLocation => (file === undefined ? {} : { file });

function byId(docs: readonly Document[], side: string, loc: ErrorLocation): Map<string, Document> {
  const m = new Map<string, Document>();
  for (const d of docs) {
    if (m.has(d.id))
      throw new UserError(`${side} two documents with id '${d.id}' (documents pair by id, or by position when both sides list the same ids in the same order)`, loc);
    m.set(d.id, d);
  }
  return m;
}

/** What the two sides are called in pairing errors (`vote` pairs systems with the first one). */
export interface PairingNames {
  /** e.g. `gold has`. */
  goldHas: string;
  /** e.g. `predictions have`. */
  predHave: string;
  gold: string;
  /** e.g. `predicted tokens differ from gold`. */
  predTokens: string;
}

const GOLD_AND_PREDICTIONS: PairingNames = { goldHas: 'gold has', predHave: 'predictions have', gold: 'gold', predTokens: 'predicted tokens differ from gold' };

/**
 * The prediction of each gold document (undefined: none). By position when both sides list the same ids
 * in the same order, as predictions made from the gold file do (`evaluate --model`, `predict`): a file
 * whose ids repeat (read with a `duplicate-document-id` warning) is scored too. Else by id.
 */
export function pairDocuments(
  gold: readonly Document[],
  pred: readonly Document[],
  opts: EvaluateOptions = {},
  names: PairingNames = GOLD_AND_PREDICTIONS,
): (Document | undefined)[] {
  if (gold.length === pred.length && gold.every((g, i) => g.id === pred[i].id)) return [...pred];
  const predLoc = at(opts.predFile);
  const preds = byId(pred, names.predHave, predLoc);
  const golds = byId(gold, names.goldHas, at(opts.goldFile));
  for (const id of preds.keys())
    if (!golds.has(id))
      throw new UserError(`${names.predHave} document '${id}', which ${names.gold}${opts.goldFile === undefined ? '' : ` (${opts.goldFile})`} does not have`, predLoc);
  return gold.map((g) => preds.get(g.id));
}

export function evaluate(gold: readonly Document[], pred: readonly Document[], opts: EvaluateOptions = {}): EvalReport {
  checkPair(gold, pred, opts);
  opts ??= {}; // null: no options, as checkOptions takes it
  const scorer = new Scorer(schemaFor(gold, pred, opts), { paperCompat: opts.paperCompat });
  forEachSentencePair(gold, pred, opts, (g, p, _at, where) => scorer.add(g, p, where));
  return scorer.report();
}

export const EVALUATE_OPTIONS: readonly (keyof EvaluateOptions)[] = ['schema', 'paperCompat', 'diagnostics', 'goldFile', 'predFile'];

/** What a library caller passes to evaluate: two document lists, an options object (a schema if any). */
function checkPair(gold: unknown, pred: unknown, opts: unknown): void {
  checkDocumentArray(gold, 'gold');
  checkDocumentArray(pred, 'pred');
  checkOptions(opts, 'options', EVALUATE_OPTIONS);
  const schema = (opts as EvaluateOptions | undefined)?.schema;
  if (schema !== undefined) checkLabelSchema(schema, 'options.schema');
}

/** `evaluate` and the error breakdown (errors.ts) of the same sentence pairs, in one pass. */
export function evaluateWithErrors(gold: readonly Document[], pred: readonly Document[], opts: EvaluateOptions = {}): { report: EvalReport; errors: ErrorReport } {
  checkPair(gold, pred, opts);
  opts ??= {};
  const schema = schemaFor(gold, pred, opts);
  const scorer = new Scorer(schema, { paperCompat: opts.paperCompat });
  const analyzer = new ErrorAnalyzer(schema, opts);
  const symmetric = new Set(schema.relationTypes.filter((r) => r.symmetric).map((r) => r.name));
  forEachSentencePair(gold, pred, opts, (g, p, at, where) => {
    // Read once for both, as the Scorer reads them.
    const [cg, cp] = compactPair(g, p, symmetric, opts, where);
    scorer.addCompact(cg, cp);
    analyzer.addCompact(cg, cp, g.tokens, at);
  });
  return { report: scorer.report(), errors: analyzer.report() };
}

/** The schema scoring uses: the caller's, else the types of both sides. */
export const schemaFor = (gold: readonly Document[], pred: readonly Document[], opts: EvaluateOptions): LabelSchema =>
  opts.schema ?? inferSchema([...gold, ...pred]);

/**
 * `documentIndex` is the gold document's position in the gold list, `predDocument` the prediction it was
 * paired with (undefined: none, the sentence is scored as an empty prediction), `goldDocument` the gold
 * document as scored (on common tokens with the prediction where they tokenise its text differently).
 */
type Visit = (
  gold: Sentence,
  pred: Sentence,
  at: SentenceLocation,
  where: string,
  documentIndex: number,
  predDocument: Document | undefined,
  goldDocument: Document,
) => void;

/** Whether two documents have the same sentences, each with the same tokens. */
export const sameSentences = (a: Document, b: Document): boolean =>
  a.sentences.length === b.sentences.length && a.sentences.every((s, i) => sameTokens(s, b.sentences[i]));

/** Non-empty sentences: a sentence without tokens has no place in the text, and none on common tokens. */
const sentencesWithTokens = (d: Document): number => d.sentences.filter((s) => s.tokens.length > 0).length;

/**
 * A gold document and its prediction with the same sentences and tokens: as they are, else (`common`) on
 * the common tokens of their one text, with a `scored-on-common-tokens` warning. Documents of different
 * texts, or tokenised differently with `common` false, are refused.
 */
export function comparablePair(g: Document, p: Document, opts: EvaluateOptions, common = true): [Document, Document] {
  if (sameSentences(g, p)) return [g, p];
  const onCommon = common ? onCommonTokens([g, p]) : undefined;
  if (Array.isArray(onCommon)) {
    const [cg, cp] = onCommon;
    const n = sentencesWithTokens(g);
    const joined = cg.sentences.length === n ? '' : `, in ${cg.sentences.length} ${cg.sentences.length === 1 ? 'sentence' : 'sentences'} for gold's ${n}`;
    opts.diagnostics?.warn('scored-on-common-tokens', `document '${g.id}': tokenised differently, scored on the tokens of both${joined}`);
    return [cg, cp];
  }
  const why = common ? onCommon && textDiffersNote(p, onCommon.at) : " (scores are listed by the predictions' own sentences and tokens, so they must tokenise as gold does)";
  throw notAlike(g, p, GOLD_AND_PREDICTIONS, at(opts.predFile), why ?? '');
}

/** `, and so does its text, from character N ("…")`: why two tokenisations cannot be put on common tokens. */
export const textDiffersNote = (d: Document, at: number): string =>
  `; its text differs too, from character ${at} (${quote(d.text.slice(at, at + 20))} against the other's), so it cannot be put on common tokens`;

/** The refusal of `other`, which has other sentences or tokens than `first` (named by `names`). */
export function notAlike(first: Document, other: Document, names: PairingNames, loc: ErrorLocation, note = ''): UserError {
  if (other.sentences.length !== first.sentences.length) {
    const i = Math.min(other.sentences.length, first.sentences.length);
    return new UserError(`document '${first.id}', sentence ${i}: ${names.predHave} ${other.sentences.length} sentences, ${names.goldHas} ${first.sentences.length}${note}`, loc);
  }
  const i = first.sentences.findIndex((s, k) => !sameTokens(s, other.sentences[k]));
  return new UserError(`document '${first.id}', sentence ${i}: ${names.predTokens} (count or character offsets)${note}`, loc);
}

/**
 * Every gold sentence with its prediction (empty where the document has none), on the same tokens: as
 * they are, or on common tokens (`comparablePair`) unless `common` is false (scores listed by sentence
 * and item, as calibration reads them, follow the prediction's own sentences).
 */
export function forEachSentencePair(gold: readonly Document[], pred: readonly Document[], opts: EvaluateOptions, visit: Visit, common = true): void {
  const predicted = pairDocuments(gold, pred, opts);
  const diag = opts.diagnostics;
  let missing = 0;
  gold.forEach((original, gi) => {
    const p = predicted[gi];
    if (!p) {
      missing++;
      diag?.warn('missing-prediction', `document '${original.id}' scored as an empty prediction`);
    }
    const [g, cp] = p ? comparablePair(original, p, opts, common) : [original, undefined];
    g.sentences.forEach((gs, i) => {
      const where = `document '${g.id}', sentence ${i}${g === original ? '' : ' (on common tokens)'}`;
      const ps = cp ? cp.sentences[i] : { tokens: gs.tokens, entities: [], relations: [] };
      visit(gs, ps, { document: g.id, sentence: i }, where, gi, p, g);
    });
  });
  if (missing > 0 && !diag)
    process.emitWarning(`${missing} gold document(s) have no prediction and were scored as empty predictions`);
}
