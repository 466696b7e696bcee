/**
 * Corpus files → what the trainer and the evaluator feed the model: documents, their sentences in
 * order, and the sentences as ids. Also batched prediction over a whole split.
 */
import { allSentences, type Document, type LabelSchema, type Sentence } from '../data/corpus.js';
import { loadCorpus } from '../data/formats/index.js';
import { buildBatch, encodeSentence, type EncodeOptions } from '../model/encode.js';
import type { GloveTable } from '../model/glove.js';
import type { JointModel } from '../model/joint.js';
import type { EncodedSentence, SentencePrediction } from '../model/types.js';
import type { Vocabulary } from '../model/vocab.js';

/** Sentences longer than this are truncated for training (reference spec §1.2: max_sent_len 200). */
export const MAX_TRAIN_LENGTH = 200;

export interface Split {
  file: string;
  format: string;
  documents: Document[];
  sentences: Sentence[];
  schema: LabelSchema;
}

export async function loadSplit(file: string, format?: string): Promise<Split> {
  const c = await loadCorpus(file, { format });
  for (const line of c.diagnostics.format()) process.stderr.write(`entrel: ${file}: ${line}\n`);
  return { file, format: c.format, documents: c.documents, sentences: [...allSentences(c)], schema: c.schema };
}

/** `a` extended by the types only `b` has (order of `a` first); symmetric if either says so. */
export function mergeSchemas(a: LabelSchema, b: LabelSchema): LabelSchema {
  const sym = new Set([...a.relationTypes, ...b.relationTypes].filter((r) => r.symmetric).map((r) => r.name));
  const rels = [...new Set([...a.relationTypes, ...b.relationTypes].map((r) => r.name))];
  return {
    entityTypes: [...new Set([...a.entityTypes, ...b.entityTypes])],
    relationTypes: rels.map((name) => ({ name, symmetric: sym.has(name) })),
  };
}

export function encodeAll(sentences: Sentence[], vocab: Vocabulary, opts: EncodeOptions): EncodedSentence[] {
  return sentences.map((s) => encodeSentence(s, vocab, opts));
}

/** Eval-mode predictions for every sentence, in order, `batchSize` sentences at a time. */
export function predictAll(model: JointModel, encoded: EncodedSentence[], batchSize: number, glove?: GloveTable): SentencePrediction[] {
  const out: SentencePrediction[] = [];
  for (let i = 0; i < encoded.length; i += batchSize)
    out.push(...model.predict(buildBatch(encoded.slice(i, i + batchSize), model.vocab.words.size, glove)));
  return out;
}
