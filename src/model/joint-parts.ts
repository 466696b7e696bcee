/**
 * What the local loss (joint-loss.ts) and decoding (joint-decode.ts) use of the joint model: the model
 * (joint.ts) is built from them, so they see it through this shape rather than import it back.
 */
import type { TagGrammar } from '../data/viterbi.js';
import type { Tensor } from '../tensor/index.js';
import type { Batch } from './encode.js';
import type { Crf, TagPath } from './layers/crf.js';
import type { LmHead } from './layers/lm-head.js';
import type { PairSet } from './pairs.js';
import type { ModelConfig } from './types.js';
import type { Vocabulary } from './vocab.js';

export interface Encoded {
  /** [B, T, 2H] BiLSTM states after dropout (zero at padded positions in eval mode). */
  h: Tensor;
  /** [B, T, |tags|] tag scores W_E · h_i (Eq. 1 before the softmax). */
  emissions: Tensor;
}

export interface JointParts {
  readonly config: ModelConfig;
  readonly vocab: Vocabulary;
  readonly numTags: number;
  /** The CRF over the emissions (`tagger: 'crf'`); absent for the paper's softmax. */
  readonly crf?: Crf;
  /** Language-model heads on the forward and backward states (`lmHidden` > 0), for training only. */
  readonly lm?: { fwd: LmHead; bwd: LmHead };
  /** Valid tag transitions (the 'viterbi' decoder, MRT's chunkings sampler). */
  readonly grammar: TagGrammar;
  encode(batch: Batch): Encoded;
  tagPathLogProbs(emissions: Tensor, lengths: Int32Array, paths: readonly TagPath[]): Tensor;
  relationLogits(h: Tensor, lengths: Int32Array, pairs: PairSet): Tensor;
}
