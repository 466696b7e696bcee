/**
 * Corpus files → what the trainer and the evaluator feed the model: documents, their sentences in
 * order, and the sentences as ids. Also batched prediction over a whole split.
 */
import { allSentences, mergeSchemas, type Document, type LabelSchema, type Sentence } from '../data/corpus.js';
import { CORPUS_OPTIONS, loadCorpus, type CorpusOptions } from '../data/formats/index.js';
import { buildBatch, encodeSentence, type EncodeOptions } from '../model/encode.js';
import type { GloveTable } from '../model/glove.js';
import type { JointModel } from '../model/joint.js';
import type { EncodedSentence, SentencePrediction } from '../model/types.js';
import type { Vocabulary } from '../model/vocab.js';
import { emitWarning, warnCounted, type OnWarning } from './warnings.js';

/** Sentences longer than this are truncated for training (reference spec §1.2: max_sent_len 200). */
export const MAX_TRAIN_LENGTH = 200;

export interface Split {
  file: string;
  format: string;
  documents: Document[];
  sentences: Sentence[];
  schema: LabelSchema;
  /** Each file's own label schema, in order (errors name the file a label comes from). */
  parts: { file: string; schema: LabelSchema }[];
}

/**
 * One corpus file, or several read in order as one split (schemas merged; `file` lists them). `opts` is
 * the format's name, or all the reading options (`--types`, `--split`, `--ace05`). Each file's reading
 * warnings go to `onWarning`.
 */
export async function loadSplit(files: string | readonly string[], opts: string | Omit<CorpusOptions, 'diagnostics'> = {}, onWarning: OnWarning = emitWarning): Promise<Split> {
  const list = typeof files === 'string' ? [files] : files;
  // The reading options only (a DataOptions also holds batchSize, minVotes, …).
  const read: CorpusOptions = typeof opts === 'string' ? { format: opts } : Object.fromEntries(Object.entries(opts).filter(([k]) => (CORPUS_OPTIONS as readonly string[]).includes(k)));
  let split: Split | undefined;
  for (const file of list) {
    const c = await loadCorpus(file, read);
    warnCounted(onWarning, file, c.diagnostics);
    const part: Split = { file, format: c.format, documents: c.documents, sentences: [...allSentences(c)], schema: c.schema, parts: [{ file, schema: c.schema }] };
    split = split
      ? {
          file: `${split.file}, ${file}`,
          format: split.format,
          documents: [...split.documents, ...part.documents],
          sentences: [...split.sentences, ...part.sentences],
          schema: mergeSchemas(split.schema, part.schema),
          parts: [...split.parts, ...part.parts],
        }
      : part;
  }
  if (!split) throw new Error('loadSplit: no files');
  return split;
}

/** Type names for a message: `entity types "A", "B" and relation type "R"`; undefined when both lists are empty. */
export function typesPhrase(entities: readonly string[], relations: readonly string[]): string | undefined {
  const list = (kind: string, names: readonly string[]) =>
    names.length === 0 ? [] : [`${kind} type${names.length > 1 ? 's' : ''} ${names.map((n) => JSON.stringify(n)).join(', ')}`];
  const parts = [...list('entity', entities), ...list('relation', relations)];
  return parts.length ? parts.join(' and ') : undefined;
}

export function encodeAll(sentences: Sentence[], vocab: Vocabulary, opts: EncodeOptions): EncodedSentence[] {
  return sentences.map((s) => encodeSentence(s, vocab, opts));
}

/**
 * Eval-mode predictions for every sentence, in order, `batchSize` sentences at a time. A sentence without
 * tokens (the jsonl format allows one) predicts nothing, without the model, which takes none.
 */
export function predictAll(model: JointModel, encoded: EncodedSentence[], batchSize: number, glove?: GloveTable): SentencePrediction[] {
  const out: SentencePrediction[] = encoded.map(() => ({ tags: [], entities: [], relations: [] }));
  const nonEmpty = encoded.flatMap((e, i) => (e.words.length ? [i] : []));
  for (let i = 0; i < nonEmpty.length; i += batchSize) {
    const ids = nonEmpty.slice(i, i + batchSize);
    const preds = model.predict(buildBatch(ids.map((j) => encoded[j]), model.vocab.words.size, glove));
    ids.forEach((j, k) => (out[j] = preds[k]));
  }
  return out;
}
