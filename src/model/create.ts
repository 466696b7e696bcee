/**
 * A fresh JointModel, made the one way training makes it (train/nn.ts) and the tests make their tiny
 * ones: word rows from the pretrained vectors where they have the word, else U(−0.25, 0.25) from
 * `wordRng`; every other weight from libtorch's generator, which the caller seeds (`manualSeed`).
 */
import { initialWordMatrix, type GloveTable } from './glove.js';
import { JointModel } from './joint.js';
import type { ModelConfig, Rng } from './types.js';
import type { Vocabulary } from './vocab.js';

interface CreateModelOptions {
  /** Source of the random word rows. */
  wordRng: Rng;
  /** Pretrained word vectors: initial word rows, and the extended vocabulary at inference (model/glove.ts). */
  glove?: GloveTable;
  /** Keep the word embeddings fixed (optimisers skip gradient-less parameters). */
  freezeWords?: boolean;
  dtype?: 'float32' | 'float64';
}

/** The model, and how many vocabulary words the pretrained vectors covered. */
export function createJointModel(config: ModelConfig, vocab: Vocabulary, opts: CreateModelOptions): { model: JointModel; found: number } {
  const { matrix, found } = initialWordMatrix(vocab, config.wordDim, opts.wordRng, opts.glove);
  const model = new JointModel(config, vocab, { wordInit: matrix, dtype: opts.dtype });
  model.glove = opts.glove;
  if (opts.freezeWords) model.word.weight.requiresGrad_(false);
  return { model, found };
}
