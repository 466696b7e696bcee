/**
 * Corpus files → what the trainer and the evaluator feed the model: documents, their sentences in
 * order, and the sentences as ids (model/predict.ts's predictEncoded predicts them).
 */
import { allSentences, mergeSchemas, type Document, type LabelSchema, type Sentence } from '../data/corpus.js';
import { CORPUS_OPTIONS, loadCorpus, type CorpusOptions } from '../data/formats/index.js';
import { encodeSentence, type EncodeOptions } from '../model/encode.js';
import type { EncodedSentence } from '../model/types.js';
import type { Vocabulary } from '../model/vocab.js';
import type { TrainConfig } from './config-schema.js';
import { emitWarning, warnCounted, type OnWarning } from './warnings.js';

export interface Split {
  file: string;
  format: string;
  documents: Document[];
  sentences: Sentence[];
  schema: LabelSchema;
  /** Each file's own label schema, in order (errors name the file a label comes from). */
  parts: { file: string; schema: LabelSchema }[];
}

/** How a corpus file is read: its format and the options of some formats (`--types`, `--split`, `--ace05`, …). */
type ReadingOptions = Omit<CorpusOptions, 'diagnostics'>;

/**
 * How a file of a training config is read, by training and by anything that reads it again (a script
 * scoring the test file): its `data` block's format, types file and brat options, the part of an NYT file
 * its `dev` or `test` holds, and its model's tokenizer, which cuts brat's raw text (the `text` layout) as
 * the model will cut what it extracts from.
 */
export function readingOptions(config: TrainConfig, file: 'train' | 'dev' | 'test' = 'train'): ReadingOptions {
  const { format, types, bratLayout, ace05, devSplit, testSplit } = config.data;
  const split = file === 'dev' ? devSplit : file === 'test' ? testSplit : undefined;
  return { format, bratLayout, ace05, tokenizer: config.model.tokenizer, ...(types === undefined ? {} : { typesFile: types }), ...(split === undefined ? {} : { split }) };
}

/**
 * One corpus file, or several read in order as one split (schemas merged; `file` lists them), with the
 * reading options in `opts` (other keys are ignored). Each file's reading warnings go to `onWarning`.
 */
export async function loadSplit(files: string | readonly string[], opts: ReadingOptions = {}, onWarning: OnWarning = emitWarning): Promise<Split> {
  const list = typeof files === 'string' ? [files] : files;
  // The reading options only (a DataOptions also holds batchSize, minVotes, …).
  const read: CorpusOptions = Object.fromEntries(Object.entries(opts).filter(([k]) => (CORPUS_OPTIONS as readonly string[]).includes(k)));
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
