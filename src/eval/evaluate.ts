/**
 * Corpus evaluation: aligns predicted documents with gold ones (by document id, then sentence index),
 * checks that both tokenise identically, and scores every sentence.
 */
import { inferSchema, type Document, type LabelSchema, type Sentence } from '../data/corpus.js';
import type { Diagnostics } from '../data/diagnostics.js';
import { UserError } from '../errors.js';
import { Scorer, type EvalReport, type ScorerOptions } from './scorer.js';

export interface EvaluateOptions extends ScorerOptions {
  /** Types and symmetry; default: inferred from gold ∪ predictions, nothing symmetric. */
  schema?: LabelSchema;
  /** Receives `missing-prediction` warnings; without it they go to process.emitWarning. */
  diagnostics?: Diagnostics;
}

function sameTokens(g: Sentence, p: Sentence): boolean {
  if (g.tokens.length !== p.tokens.length) return false;
  return g.tokens.every((t, i) => t.start === p.tokens[i].start && t.end === p.tokens[i].end);
}

function byId(docs: readonly Document[], side: string): Map<string, Document> {
  const m = new Map<string, Document>();
  for (const d of docs) {
    if (m.has(d.id)) throw new UserError(`${side} has two documents with id '${d.id}'`);
    m.set(d.id, d);
  }
  return m;
}

export function evaluate(gold: readonly Document[], pred: readonly Document[], opts: EvaluateOptions = {}): EvalReport {
  const preds = byId(pred, 'predictions');
  const golds = byId(gold, 'gold');
  for (const id of preds.keys())
    if (!golds.has(id)) throw new UserError(`predictions have document '${id}', which gold does not have`);

  const scorer = new Scorer(opts.schema ?? inferSchema([...gold, ...pred]), opts);
  const diag = opts.diagnostics;
  let missing = 0;
  for (const g of gold) {
    const p = preds.get(g.id);
    if (!p) {
      missing++;
      diag?.warn('missing-prediction', `document '${g.id}' scored as an empty prediction`);
    } else if (p.sentences.length !== g.sentences.length) {
      const i = Math.min(p.sentences.length, g.sentences.length);
      throw new UserError(
        `document '${g.id}', sentence ${i}: predictions have ${p.sentences.length} sentences, gold has ${g.sentences.length}`,
      );
    }
    g.sentences.forEach((gs, i) => {
      const where = `document '${g.id}', sentence ${i}`;
      const ps = p ? p.sentences[i] : { tokens: gs.tokens, entities: [], relations: [] };
      if (!sameTokens(gs, ps))
        throw new UserError(`${where}: predicted tokens differ from gold (count or character offsets)`);
      scorer.add(gs, ps, where);
    });
  }
  if (missing > 0 && !diag)
    process.emitWarning(`${missing} gold document(s) have no prediction and were scored as empty predictions`);
  return scorer.report();
}
