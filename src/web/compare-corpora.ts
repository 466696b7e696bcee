/**
 * Predictions against gold for the view (`entrel view --gold`): every entity and relation marked
 * correct, spurious or missed under the Scorer's strict criteria, by the same tuples it matches on
 * (src/eval/compact.ts: entity span + type; relation spans, entity types, relation type and direction,
 * symmetric types unordered). The scores are `evaluate`'s, which also pairs the documents, puts a
 * pair that tokenises one text differently on common tokens, and refuses what it cannot pair.
 */
import { inferSchema, type Document, type LabelSchema } from '../data/corpus.js';
import type { Diagnostics } from '../data/diagnostics.js';
import { comparablePair, compactSentence, evaluate, pairDocuments, type EvalReport } from '../eval/index.js';
import type { ComparedDocument, ComparedEntity } from './compare.js';
import type { ItemStatus } from './marks.js';
import { viewEntity, viewSentence } from './corpus-view.js';

export interface CompareOptions {
  /** Types and symmetry; default: inferred from gold ∪ predictions, nothing symmetric. */
  schema?: LabelSchema;
  /** Receives `missing-prediction` warnings, as in `evaluate`. */
  diagnostics?: Diagnostics;
  /** The files gold and predictions were read from, named in errors. */
  goldFile?: string;
  predFile?: string;
}

export interface Comparison {
  /** The corpus scores (all documents), from `evaluate`. */
  report: EvalReport;
  /** One per gold document, in gold order, compared as it is iterated (a page can stream them). */
  documents: Iterable<ComparedDocument>;
}

/**
 * Scores `pred` against `gold` and marks every item of every document (see the module comment). Draw
 * the result with `renderComparisonHtml([...documents], { scores: report })`, or one document as an SVG
 * with `renderDocumentSvg(doc, { stack: true })`.
 */
export function compareCorpora(gold: readonly Document[], pred: readonly Document[], opts: CompareOptions = {}): Comparison {
  const schema = opts.schema ?? inferSchema([...gold, ...pred]);
  const report = evaluate(gold, pred, { ...opts, schema });
  const symmetric = new Set(schema.relationTypes.filter((r) => r.symmetric).map((r) => r.name));
  const isSymmetric = (type: string) => symmetric.has(type);
  const paired = pairDocuments(gold, pred, opts);
  // Without the diagnostics: `evaluate` warned about each pair put on common tokens already.
  const quiet = { ...opts, diagnostics: undefined };
  return {
    report,
    documents: {
      *[Symbol.iterator]() {
        for (const [i, g] of gold.entries()) {
          const p = paired[i];
          yield p ? compareDocument(...comparablePair(g, p, quiet), isSymmetric) : compareDocument(g, undefined, isSymmetric);
        }
      },
    },
  };
}

/** Each item once by its key: correct (in both), spurious (predicted only), missed (gold only). */
function marked<T>(gold: readonly T[], pred: readonly T[], key: (x: T) => string): [T, ItemStatus][] {
  const inGold = new Set(gold.map(key));
  const seen = new Set<string>();
  const out: [T, ItemStatus][] = [];
  const add = (x: T, status: ItemStatus) => {
    const k = key(x);
    if (!seen.has(k)) out.push([x, status]);
    seen.add(k);
  };
  for (const x of pred) add(x, inGold.has(key(x)) ? 'correct' : 'spurious');
  for (const x of gold) add(x, 'missed');
  return out;
}

/**
 * One document's gold and predictions in one (no prediction: everything missed). Sentences pair by
 * index and must have the same tokens (`compareCorpora` puts them on common tokens: `comparablePair`). Entity ids are
 * new (`T1`… in text order): gold and predictions each have their own.
 */
export function compareDocument(gold: Document, pred: Document | undefined, isSymmetric: (type: string) => boolean = () => false): ComparedDocument {
  const doc: ComparedDocument = { id: gold.id, text: gold.text, sentences: [], entities: [], relations: [] };
  let tokenBase = 0;
  gold.sentences.forEach((gs, si) => {
    doc.sentences.push(viewSentence(gs, doc.sentences[si - 1]?.end ?? 0));
    const ps = pred?.sentences[si] ?? { tokens: gs.tokens, entities: [], relations: [] };
    const where = `document '${gold.id}', sentence ${si}`;
    const [g, p] = [compactSentence(gs, isSymmetric, where), compactSentence(ps, isSymmetric, where)];
    const key = (t: readonly unknown[]) => JSON.stringify(t);
    const entities = marked(g.entities, p.entities, key).sort(([a], [b]) => a[0] - b[0] || a[1] - b[1]);
    const byKey = new Map<string, ComparedEntity>();
    for (const [[start, end, type], status] of entities) {
      const e = { ...viewEntity(gold.text, gs, { doc: gold.id, si, tokenBase }, `T${doc.entities.length + 1}`, String(type), start, end), status };
      byKey.set(key([start, end, type]), e);
      doc.entities.push(e);
    }
    // A relation's arguments are among the entities: its tuple holds their spans and types.
    for (const [r, status] of marked(g.relations, p.relations, key)) {
      const [head, tail] = [byKey.get(key(r.slice(0, 3))), byKey.get(key(r.slice(3, 6)))];
      doc.relations.push({ type: String(r[6]), head: head!.id, tail: tail!.id, score: NaN, status });
    }
    tokenBase += gs.tokens.length;
  });
  return doc;
}
