/**
 * The joint neural model (Sun et al. 2018 §3.1–3.2): vocabularies, GloVe, sentence encoding, layers,
 * the model and its directory format. `createJointModel` is the one-call way to make a fresh model.
 */
import type { LabelSchema, Sentence } from '../data/corpus.js';
import { defaultModelConfig } from './config.js';
import { initialWordMatrix, loadGlove, type GloveTable } from './glove.js';
import { JointModel } from './joint.js';
import type { ModelConfig, Rng } from './types.js';
import { Vocabulary } from './vocab.js';

export * from './types.js';
export * from './vocab.js';
export * from './config.js';
export * from './glove.js';
export * from './word-vectors.js';
export * from './encode.js';
export * from './pairs.js';
export * from './joint.js';
export * from './io.js';
export * from './predict.js';

export interface CreateModelOptions {
  /** GloVe initialisation of the word matrix: true = the bundled GloVe 6B 100d, a table (e.g. `loadWordVectors(file)`), or false (default true). */
  glove?: boolean | GloveTable;
  /** Source of the U(−0.25, 0.25) init of words outside GloVe (seeded by the caller). */
  rng: Rng;
  dtype?: 'float32' | 'float64';
}

/**
 * Vocabulary from the training sentences + a fresh model (layer weights from libtorch's generator:
 * call `manualSeed` first for reproducibility). Returns how many vocabulary words GloVe covered.
 */
export function createJointModel(
  train: Iterable<Sentence>,
  schema: LabelSchema,
  config: Partial<ModelConfig>,
  opts: CreateModelOptions,
): { model: JointModel; vocab: Vocabulary; gloveFound: number } {
  const cfg = defaultModelConfig(config);
  const vocab = Vocabulary.build(train, schema, cfg.tagScheme);
  const glove = opts.glove === false ? undefined : opts.glove === true || opts.glove === undefined ? loadGlove() : opts.glove;
  const { matrix, found } = initialWordMatrix(vocab, cfg.wordDim, opts.rng, glove);
  const model = new JointModel(cfg, vocab, { wordInit: matrix, dtype: opts.dtype });
  return { model, vocab, gloveFound: found };
}
