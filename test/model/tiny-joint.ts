/** The tests' tiny joint model, made as training makes one (createJointModel): no GloVe, a few synthetic sentences, every seed fixed. */
import type { Sentence } from '../../src/data/corpus.js';
import { defaultModelConfig } from './model-config.js';
import { createJointModel } from '../../src/model/create.js';
import { buildBatch, encodeSentence } from '../../src/model/encode.js';
import type { ModelConfig } from '../../src/model/types.js';
import { Vocabulary } from '../../src/model/vocab.js';
import { manualSeed, setNumThreads } from '../../src/tensor/index.js';
import { SCHEMA, seededRng, syntheticSentences } from './fixtures.js';

/** Dimensions small enough for finite differences and brute force; `config` overrides any of them. */
export const TINY_DIMS: Partial<ModelConfig> = { wordDim: 5, charDim: 4, charFilters: 3, lstmHidden: 4, relFilters: 3, mlpHidden: 6, dropout: 0, maxDistance: 6 };

/** A little larger, for the save/load and fault tests. */
export const SMALL_DIMS: Partial<ModelConfig> = { wordDim: 8, charDim: 6, charFilters: 4, lstmHidden: 8, relFilters: 4, mlpHidden: 8, maxDistance: 8 };

export interface TinyJointOptions {
  /** libtorch's seed, set before the parameters are made. */
  torchSeed: number;
  /** The training sentences, or `[n, seed]` of `syntheticSentences`. */
  train: Sentence[] | [number, number];
  config?: Partial<ModelConfig>;
  /** Seed of the word-matrix initialisation (default 2). */
  initSeed?: number;
  dtype?: 'float32' | 'float64';
  /** Leave the model in training mode (default: eval mode, no dropout). */
  training?: boolean;
}

/** A tiny model over its training sentences, and those sentences as one batch. */
export function tinyJointModel(o: TinyJointOptions) {
  setNumThreads(1); // tiny ops: threads only add overhead
  manualSeed(o.torchSeed);
  const train = typeof o.train[0] === 'number' ? syntheticSentences(...(o.train as [number, number])) : (o.train as Sentence[]);
  const config = defaultModelConfig({ ...TINY_DIMS, ...o.config });
  const vocab = Vocabulary.build(train, SCHEMA, config.tagScheme);
  const { model } = createJointModel(config, vocab, { wordRng: seededRng(o.initSeed ?? 2), dtype: o.dtype });
  if (!o.training) model.eval();
  return { model, vocab, train, batch: buildBatch(train.map((s) => encodeSentence(s, vocab)), vocab.words.size) };
}
