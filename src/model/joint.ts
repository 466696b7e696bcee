/**
 * The joint entity/relation model of Sun et al. (2018) §3.1–3.2, reference spec §2: the entity model here,
 * the relation model in relation-head.ts, the local loss in joint-loss.ts, decoding and prediction in
 * joint-decode.ts.
 *
 * Entity model: x_i = c_i ⊕ w_i (char CNN 50 ⊕ word 100) → dropout → BiLSTM (64 per direction)
 * → dropout → h_i = →h_i ⊕ ←h_i; P_ent(t̂_i | s) = Softmax(W_E · h_i)   (Eq. 1, `tagger` Linear).
 * With `tagger: 'crf'` (not in the paper) the same emissions W_E · h_i feed a linear-chain CRF over valid
 * chunkings instead (layers/crf.ts): L_ent is −log P(t | s) of the whole gold sequence.
 *
 * Relation model (relation-head.ts, Eq. 2): P_rel(l | s, e1, e2) = Softmax(W_2 · ReLU(W_1 · f_{e1,e2})),
 * f_{e1,e2} read from h and the one-hot tags of every candidate pair.
 *
 * Deliberate differences from the authors (README, "Where we depart from the authors' code"): pooling
 * ignores padding (layers/conv.ts); by default the char features get no dropout of their own before x's
 * (the authors' code drops them out twice, spec §2.2: `charFeatureDropout: true`).
 */
import { cat, inferenceMode, randUniform, tensor, tidy, zeros, type Tensor } from '../tensor/index.js';
import { CASE_CLASSES } from './casing.js';
import { tagGrammar, type TagGrammar } from '../data/viterbi.js';
import type { Batch } from './encode.js';
import type { GloveTable } from './glove.js';
import { predictBatch } from './joint-decode.js';
import type { Encoded, JointParts } from './joint-parts.js';
import { localLoss, type LocalLossOptions } from './joint-loss.js';
import { BiLstm } from './layers/bilstm.js';
import { CharCnn } from './layers/charcnn.js';
import { Crf, type TagPath } from './layers/crf.js';
import { Dropout } from './layers/dropout.js';
import { LmHead } from './layers/lm-head.js';
import { Embedding } from './layers/embedding.js';
import { Linear } from './layers/linear.js';
import { Module, withParamDType } from './layers/module.js';
import type { PairSet } from './pairs.js';
import { RelationHead } from './relation-head.js';
import type { LocalLoss, ModelConfig, NamedParameters, SentencePrediction } from './types.js';
import { PAD, UNK, type Vocabulary } from './vocab.js';


interface JointModelOptions {
  /** Initial word matrix [|V|, wordDim] (GloVe init, model/glove.ts); default N(0,1) rows. */
  wordInit?: Float32Array;
  /** Parameter dtype (float64 only for gradient checks). */
  dtype?: 'float32' | 'float64';
}

export class JointModel extends Module implements JointParts {
  readonly config: ModelConfig;
  readonly vocab: Vocabulary;
  readonly numTags: number;
  readonly numLabels: number;
  /** Inference-time extended vocabulary (model/glove.ts); set by the caller, never saved. */
  glove?: GloveTable;

  readonly word: Embedding;
  /** The frozen second word channel (`staticWords`): the initial vectors, never updated. */
  readonly staticWord?: Embedding;
  readonly char: CharCnn;
  /** Casing-class embedding (`caseDim` > 0; model/casing.ts). */
  readonly casing?: Embedding;
  /** The char features' own dropout (`charFeatureDropout`, the authors' code). */
  readonly dropC?: Dropout;
  readonly dropX: Dropout;
  readonly lstm: BiLstm;
  readonly dropH: Dropout;
  readonly tagger: Linear;
  /** The CRF over the emissions (`tagger: 'crf'`); absent for the paper's softmax. */
  readonly crf?: Crf;
  /** The relation model (Eq. 2) over h and the tags. */
  readonly relation: RelationHead;
  /** Language-model heads on the forward and backward states (`lmHidden` > 0), for training only. */
  readonly lm?: { fwd: LmHead; bwd: LmHead };
  /** Valid tag transitions (the 'viterbi' decoder, MRT's chunkings sampler). */
  readonly grammar: TagGrammar;

  /** The parameters whose rows (dim 0) are word or character ids: they grow with an extended vocabulary. */
  vocabularyRows(): Set<Tensor> {
    const lm = this.lm ? [this.lm.fwd, this.lm.bwd].flatMap((h) => [h.out.weight, h.out.bias]) : [];
    return new Set([this.word.weight, this.char.emb.weight, ...(this.staticWord ? [this.staticWord.weight] : []), ...lm]);
  }

  constructor(config: ModelConfig, vocab: Vocabulary, opts: JointModelOptions = {}) {
    super();
    this.config = config;
    this.vocab = vocab;
    this.numTags = vocab.tags.size;
    this.numLabels = vocab.relations.size;
    const c = config;
    const dtype = opts.dtype ?? 'float32';
    const H2 = 2 * c.lstmHidden;
    const grammar = tagGrammar(vocab.tags.items);
    const modules = withParamDType(dtype, () => {
      const word = this.child('word', new Embedding(vocab.words.size, c.wordDim, opts.wordInit));
      // Kim (2014)'s two channels: training words drift from GloVe as they are fine-tuned while words
      // first met at inference keep their GloVe vectors; a frozen copy gives both one shared space.
      const staticWord = c.staticWords
        ? this.child('word_static', new Embedding(vocab.words.size, c.wordDim, opts.wordInit ?? word.weight.toFloat32Array()))
        : undefined;
      staticWord?.weight.requiresGrad_(false); // optimisers skip gradient-less parameters
      const char = this.child('char', new CharCnn(vocab.chars.size, c.charDim, c.charWidths, c.charFilters, c.dropout));
      const casing = c.caseDim > 0 ? this.child('case', new Embedding(CASE_CLASSES, c.caseDim)) : undefined;
      const lstm = this.child('lstm', new BiLstm(c.wordDim * (staticWord ? 2 : 1) + char.outDim + c.caseDim, c.lstmHidden, c.lstmLayers, c.dropout));
      const tagger = this.child('tagger', new Linear(H2, this.numTags));
      const crf = c.tagger === 'crf' ? this.child('crf', new Crf(grammar)) : undefined;
      // its parameters are named rel_mid.*, rel_e1.*, rel_e2.*, rel_hidden.*, rel_out.* (relation-head.ts)
      const relation = this.child('rel', new RelationHead(c, H2, this.numTags, this.numLabels));
      const lm =
        c.lmHidden > 0
          ? {
              fwd: this.child('lm_fwd', new LmHead(c.lstmHidden, c.lmHidden, vocab.words.size)),
              bwd: this.child('lm_bwd', new LmHead(c.lstmHidden, c.lmHidden, vocab.words.size)),
            }
          : undefined;
      return { word, staticWord, char, casing, lstm, tagger, crf, relation, lm };
    });
    this.word = modules.word;
    this.staticWord = modules.staticWord;
    this.char = modules.char;
    this.casing = modules.casing;
    this.lstm = modules.lstm;
    this.tagger = modules.tagger;
    this.crf = modules.crf;
    this.relation = modules.relation;
    this.lm = modules.lm;
    if (c.charFeatureDropout) this.dropC = this.child('drop_c', new Dropout(c.dropout));
    this.dropX = this.child('drop_x', new Dropout(c.dropout, c.lockedDropout));
    this.dropH = this.child('drop_h', new Dropout(c.dropout, c.lockedDropout));
    this.grammar = grammar;
  }

  /** Trainable parameters by stable name (the weights-file keys). */
  parameters(): NamedParameters {
    return this.namedParameters();
  }

  // ------------------------------------------------------------------------------------ entity model
  /** x = [c ; w] → dropout → BiLSTM → dropout = h; emissions = W_E h (Eq. 1). */
  encode(batch: Batch): Encoded {
    const { size: B, maxLen: T, maxChars: W } = batch;
    // Char CNN over the real tokens only, scattered back with one gather (padding → a zero row).
    const N = batch.tokens;
    const realChars = new Int32Array(N * W);
    const realLens = new Int32Array(N);
    const scatter = new Int32Array(B * T).fill(N);
    let k = 0;
    for (let b = 0; b < B; b++)
      for (let i = 0; i < batch.lengths[b]; i++, k++) {
        const p = b * T + i;
        realChars.set(batch.chars.subarray(p * W, (p + 1) * W), k * W);
        realLens[k] = batch.charLens[p];
        scatter[p] = k;
      }
    const cnnOut = this.char.forward(realChars, realLens, W); // [N, 50]
    const charFeat = this.dropC ? this.dropC.forward(cnnOut) : cnnOut;
    const charAll = cat([charFeat, zeros([1, charFeat.size(1)], charFeat.dtype)], 0)
      .indexSelect(0, tensor(scatter, { dtype: 'int64' }))
      .reshape([B, T, -1]);
    let wordIds = tensor(batch.words, { dtype: 'int64', shape: [B, T] });
    const pUnk = this.config.wordDropout;
    // Word dropout (training only): a real word becomes UNK with probability pUnk, so the tagger learns
    // to lean on characters and context for the words it will meet outside the training vocabulary.
    if (this.training && pUnk > 0) wordIds = wordIds.maskedFill(randUniform([B, T]).lt(pUnk).logicalAnd(wordIds.ne(PAD)), UNK);
    const extra = batch.extraWords
      ? tensor(batch.extraWords, { shape: [batch.extraWords.length / this.config.wordDim, this.config.wordDim] })
      : undefined;
    const w = this.word.forward(wordIds, extra);
    // x_i = c_i ⊕ w_i (authors' order) [⊕ static w_i] [⊕ casing embedding]
    const parts = [charAll, w];
    if (this.staticWord) parts.push(this.staticWord.forward(wordIds, extra));
    if (this.casing) parts.push(this.casing.forward(tensor(batch.cases, { dtype: 'int64', shape: [B, T] })));
    const x = this.dropX.forward(cat(parts, 2));
    const h = this.dropH.forward(this.lstm.forward(x, batch.lengths)); // h_i = →h_i ⊕ ←h_i
    return { h, emissions: this.tagger.forward(h) };
  }

  /**
   * log P(t′ | s) of whole tag sequences [G], each of batch row `sent`, differentiably: Σ_i log P_ent(t′_i | s)
   * under the paper's softmax (Eq. 1, the tags independent given s), or the CRF's sequence log-probability.
   */
  tagPathLogProbs(emissions: Tensor, lengths: Int32Array, paths: readonly TagPath[]): Tensor {
    if (this.crf) return this.crf.pathLogProbs(emissions, this.crf.logPartition(emissions, lengths), paths);
    const [B, T, n] = emissions.shape;
    // gather log P_ent(t′_i) from the flattened [B·T·|tags|] log-probs; a zero pads short rows
    const logp = cat([emissions.logSoftmax(2).reshape([-1]), zeros([1], emissions.dtype)], 0);
    const idx = new Int32Array(paths.length * T).fill(B * T * n);
    paths.forEach((m, g) => {
      for (let i = 0; i < m.tags.length; i++) idx[g * T + i] = (m.sent * T + i) * n + m.tags[i];
    });
    return logp.indexSelect(0, tensor(idx, { dtype: 'int64' })).reshape([paths.length, T]).sum(1);
  }

  // ---------------------------------------------------------------------------------- relation model
  /** Relation scores W_2 · ReLU(W_1 · f) (Eq. 2 before the softmax) for arbitrary pairs: [P, |R|] (RelationHead.logits). */
  relationLogits(h: Tensor, lengths: Int32Array, pairs: PairSet): Tensor {
    return this.relation.logits(h, lengths, pairs);
  }

  /** f_{e1,e2} = [f_mid, f_e1, f_e2, f_dist, f_left, f_right] for every pair (RelationHead.features). */
  relationFeatures(h: Tensor, lengths: Int32Array, pairs: PairSet): Tensor {
    return this.relation.features(h, lengths, pairs);
  }

  // ------------------------------------------------------------------------------------------ losses
  /** L̃ = L_ent + L_rel (+ γ·L_lm with `lmHidden` > 0) on one batch, in the current (normally train) mode (joint-loss.ts). Needs gold tags. */
  localLoss(batch: Batch, opts: LocalLossOptions): LocalLoss {
    return localLoss(this, batch, opts);
  }

  // --------------------------------------------------------------------------------------- inference
  /**
   * Eval-mode prediction (spec §5): argmax tags → entities (lenient decoder) → all left-to-right pairs →
   * argmax label; NONE dropped, direction undone. Where the batch has `given` tags (entities the caller
   * knows), they replace the decoded ones, and the entities' scores are the tagger's probability of them.
   * Restores the previous train/eval mode.
   */
  predict(batch: Batch): SentencePrediction[] {
    const wasTraining = this.training;
    this.eval();
    try {
      return inferenceMode(() => tidy(() => predictBatch(this, batch)));
    } finally {
      this.train(wasTraining);
    }
  }
}
