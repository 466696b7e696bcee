/**
 * The joint entity/relation model of Sun et al. (2018) §3.1–3.2, reference spec §2.
 *
 * Entity model: x_i = c_i ⊕ w_i (char CNN 50 ⊕ word 100) → dropout → BiLSTM (64 per direction)
 * → dropout → h_i = →h_i ⊕ ←h_i; P_ent(t̂_i | s) = Softmax(W_E · h_i)   (Eq. 1, `tagger` Linear).
 * With `tagger: 'crf'` (not in the paper) the same emissions W_E · h_i feed a linear-chain CRF over valid
 * chunkings instead (layers/crf.ts): L_ent is −log P(t | s) of the whole gold sequence.
 *
 * Relation model, for every candidate pair (e1, e2) of a batch at once (spec §2.4–2.7):
 *   z_i = h_i ⊕ onehot(t_i)
 *   f_mid, f_e1, f_e2 = CNN_mid, CNN_e1, CNN_e2 over the z rows of each segment
 *   f_dist = onehot(start(e2) − last(e1)), f_left / f_right by LSTM-minus (pairs.ts)
 *   P_rel(l | s, e1, e2) = Softmax(W_2 · ReLU(W_1 · f_{e1,e2}))   (Eq. 2; dropout after the ReLU)
 * with f_{e1,e2} = [f_mid, f_e1, f_e2, f_dist, f_left, f_right] (the authors' order). With
 * `fixRightContext: false`, f_right is a copy of f_left, as the authors' code does (spec §2.6.4).
 *
 * Deliberate differences from the authors (README, "Where we depart from the authors' code"): pooling
 * ignores padding (layers/conv.ts); by default the char features get no dropout of their own before x's
 * (the authors' code drops them out twice, spec §2.2: `charFeatureDropout: true`).
 *
 * Loss normalisation (`localLoss`, spec §7.1.5): `'batch'` (default) is the authors' code: summed token
 * CE / tokens in the batch + summed pair CE / candidate pairs in the batch; `'sentence'` is the paper:
 * each sentence's token CE averaged over its |s| tokens and its pair CE over its own candidate count,
 * then the mean over the batch's sentences.
 */
import { cat, crossEntropy, eye, inferenceMode, keep, noGrad, oneHot, randUniform, tensor, tidy, zeros, type Tensor } from '../tensor/index.js';
import { CASE_CLASSES } from './casing.js';
import type { Span } from '../data/bilou.js';
import { DEFAULT_LM_WEIGHT } from './config.js';
import { chainForwardBackward, tagGrammar, viterbiTags, type ChainMarginals, type TagGrammar } from '../data/viterbi.js';
import type { Batch } from './encode.js';
import type { GloveTable } from './glove.js';
import { BiLstm } from './layers/bilstm.js';
import { CharCnn } from './layers/charcnn.js';
import { Crf, type TagPath } from './layers/crf.js';
import { MultiWidthCnn } from './layers/conv.js';
import { Dropout } from './layers/dropout.js';
import { LmHead } from './layers/lm-head.js';
import { Embedding } from './layers/embedding.js';
import { Linear } from './layers/linear.js';
import { Module, withParamDType } from './layers/module.js';
import { candidatePairs, relationIndex, slicePairs, type CandidateRow, type ContextIndex, type PairSet, type SegmentIndex } from './pairs.js';
import type { LocalLoss, ModelConfig, NamedParameters, Rng, SentencePrediction } from './types.js';
import { NONE, PAD, UNK, type Vocabulary } from './vocab.js';

export type LossNormalization = 'batch' | 'sentence';

/** Most candidate pairs `predict` sends through the relation model at once (bounds its memory). */
export const PREDICT_PAIR_SLICE = 4096;

export interface LocalLossOptions {
  /** Epoch counter for scheduled sampling (0-based; restarts per training phase as in the authors' code). */
  epoch: number;
  /** Source of the per-token scheduled-sampling draws. */
  rng: Rng;
  /** k of p_gold = k / (k + exp(epoch / k)) (spec §2.8; default 1). */
  scheduleK?: number;
  /** λ in L̃ = λ·L_ent + L_rel (default 1, the paper's plain sum). */
  entityWeight?: number;
  /** Default 'batch' (authors' code). */
  normalization?: LossNormalization;
  /** Add gold relation pairs as candidates (spec §2.4; default true). */
  addGoldPairs?: boolean;
  /** An encoder pass of this batch to reuse (MRT shares one pass between L̃ and its samples). */
  encoded?: Encoded;
  /** γ of the language-model objective added to L̃ (model setting `lmHidden` > 0; default DEFAULT_LM_WEIGHT). */
  lmWeight?: number;
}

export interface Encoded {
  /** [B, T, 2H] BiLSTM states after dropout (zero at padded positions in eval mode). */
  h: Tensor;
  /** [B, T, |tags|] tag scores W_E · h_i (Eq. 1 before the softmax). */
  emissions: Tensor;
}

/** Predicted tags [B·T] and the probability of a predicted span's tags (sentence b, tokens [start, end)). */
interface DecodedTags {
  tagIds: Int32Array;
  spanScore(b: number, start: number, end: number): number;
}

/** One block of the relation features f: its values per distinct input [S, width], and each pair's row. */
interface FeatureBlock {
  f: Tensor;
  of: Int32Array;
}

/** The blocks of f (`relationParts`); f_dist is the bucket per pair. */
interface RelationParts {
  mid: FeatureBlock;
  e1: FeatureBlock;
  e2: FeatureBlock;
  dist: Int32Array;
  left: FeatureBlock;
  right: FeatureBlock;
}

export interface JointModelOptions {
  /** Initial word matrix [|V|, wordDim] (GloVe init, model/glove.ts); default N(0,1) rows. */
  wordInit?: Float32Array;
  /** Parameter dtype (float64 only for gradient checks). */
  dtype?: 'float32' | 'float64';
}

/** p_gold = k / (k + exp(epoch / k)) (spec §2.8). */
export function scheduledGoldProbability(epoch: number, k = 1): number {
  return k / (k + Math.exp(epoch / k));
}

export class JointModel extends Module {
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
  readonly relE1: MultiWidthCnn;
  readonly relMid: MultiWidthCnn;
  readonly relE2: MultiWidthCnn;
  readonly dropZ: Dropout;
  readonly relHidden: Linear;
  readonly dropMlp: Dropout;
  readonly relOut: Linear;
  /** Language-model heads on the forward and backward states (`lmHidden` > 0), for training only. */
  readonly lm?: { fwd: LmHead; bwd: LmHead };
  /** Frozen one-hot table [|tags| + 1, |tags|]: identity plus a zero row for segment padding (spec §2.5). */
  private readonly tagTable: Tensor;
  /** Valid tag transitions (the 'viterbi' decoder, MRT's chunkings sampler). */
  readonly grammar: TagGrammar;
  readonly relFeatureDim: number;

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
      const zDim = H2 + this.numTags;
      const relMid = this.child('rel_mid', new MultiWidthCnn(zDim, c.relWidths, c.relFilters));
      const relE1 = this.child('rel_e1', new MultiWidthCnn(zDim, c.relWidths, c.relFilters));
      const relE2 = this.child('rel_e2', new MultiWidthCnn(zDim, c.relWidths, c.relFilters));
      const featDim = 3 * relMid.outDim + c.maxDistance + 2 * H2;
      const relHidden = this.child('rel_hidden', new Linear(featDim, c.mlpHidden));
      const relOut = this.child('rel_out', new Linear(c.mlpHidden, this.numLabels));
      const lm =
        c.lmHidden > 0
          ? {
              fwd: this.child('lm_fwd', new LmHead(c.lstmHidden, c.lmHidden, vocab.words.size)),
              bwd: this.child('lm_bwd', new LmHead(c.lstmHidden, c.lmHidden, vocab.words.size)),
            }
          : undefined;
      return { word, staticWord, char, casing, lstm, tagger, crf, relMid, relE1, relE2, relHidden, relOut, lm, featDim };
    });
    this.word = modules.word;
    this.staticWord = modules.staticWord;
    this.char = modules.char;
    this.casing = modules.casing;
    this.lstm = modules.lstm;
    this.tagger = modules.tagger;
    this.crf = modules.crf;
    this.relMid = modules.relMid;
    this.relE1 = modules.relE1;
    this.relE2 = modules.relE2;
    this.relHidden = modules.relHidden;
    this.relOut = modules.relOut;
    this.lm = modules.lm;
    this.relFeatureDim = modules.featDim;
    if (c.charFeatureDropout) this.dropC = this.child('drop_c', new Dropout(c.dropout));
    this.dropX = this.child('drop_x', new Dropout(c.dropout, c.lockedDropout));
    this.dropH = this.child('drop_h', new Dropout(c.dropout, c.lockedDropout));
    this.dropZ = this.child('drop_z', new Dropout(c.dropout));
    this.dropMlp = this.child('drop_mlp', new Dropout(c.dropout));
    this.grammar = grammar;
    this.tagTable = keep(cat([eye(this.numTags, dtype), zeros([1, this.numTags], dtype)], 0));
  }

  /** Trainable parameters by stable name (the weights-file keys). */
  parameters(): NamedParameters {
    return this.namedParameters();
  }

  get dtype(): 'float32' | 'float64' {
    return this.tagger.weight.dtype as 'float32' | 'float64';
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
  /**
   * Relation scores W_2 · ReLU(W_1 · f) (Eq. 2 before the softmax) for arbitrary pairs: [P, |R|].
   * `h` [B, T, 2H] from `encode`; `lengths` [B]; each pair reads h row `pairs.sent[p]` and the one-hots
   * of `pairs.tagSeq[p]` (so several tag sequences of one sentence can share one encoder pass).
   */
  relationLogits(h: Tensor, lengths: Int32Array, pairs: PairSet): Tensor {
    if (pairs.count === 0) return zeros([0, this.numLabels], h.dtype);
    return this.relOut.forward(this.dropMlp.forward(this.relationHidden(this.relationParts(h, lengths, pairs)).relu()));
  }

  /** f_{e1,e2} = [f_mid, f_e1, f_e2, f_dist, f_left, f_right] for every pair: [P, relFeatureDim]. */
  relationFeatures(h: Tensor, lengths: Int32Array, pairs: PairSet): Tensor {
    if (pairs.count === 0) return zeros([0, this.relFeatureDim], h.dtype);
    const { mid, e1, e2, dist, left, right } = this.relationParts(h, lengths, pairs);
    const i64 = (a: Int32Array) => tensor(a, { dtype: 'int64' });
    const perPair = (b: FeatureBlock) => b.f.indexSelect(0, i64(b.of));
    const fDist = oneHot(i64(dist), this.config.maxDistance).to(h.dtype);
    return cat([perPair(mid), perPair(e1), perPair(e2), fDist, perPair(left), perPair(right)], 1);
  }

  /**
   * The blocks of f, each computed once per DISTINCT input (pairs.ts): the CNN features of the segments
   * (an entity is e1 or e2 of several pairs; MRT's members share most entities and middles), and the
   * LSTM-minus contexts, which depend on (sentence, start(e1)) and (sentence, end(e2)) only.
   */
  private relationParts(h: Tensor, lengths: Int32Array, pairs: PairSet): RelationParts {
    const [B, T, H2] = h.shape;
    const H = H2 / 2;
    const idx = relationIndex(pairs, T, lengths, this.numTags, this.config.maxDistance);
    const hf = cat([h.reshape([B * T, H2]), zeros([1, H2], h.dtype)], 0); // zero row Z = B·T
    const i64 = (a: Int32Array) => tensor(a, { dtype: 'int64' });
    // z_i = h_i ⊕ v_i (v_i one-hot of t_i): one row per distinct (sentence, i, t_i) + a zero row
    const z = cat([hf.indexSelect(0, i64(idx.zH)), this.tagTable.indexSelect(0, i64(idx.zTag))], 1);
    // Dropout on z draws one mask per z row, shared by the three CNNs (the authors draw one per padded
    // segment of every pair); it is what lets the CNNs read all pairs from per-row products (conv.ts).
    // A z row or a segment read by several pairs or tag sequences (MRT's members agree on most tokens)
    // is ONE network evaluation used by each of them, so they share its mask as well.
    const zDrop = this.dropZ.forward(z);
    const segments = (cnn: MultiWidthCnn, s: SegmentIndex): FeatureBlock => ({ f: cnn.forwardSpans(zDrop, idx.layout, s.start, s.length), of: s.of });
    // (→h_a − →h_b) ⊕ (←h_c − ←h_d) per distinct context; an absent term reads the zero row
    const half = (from: number, plus: Int32Array, minus: Int32Array) =>
      hf.narrow(1, from, H).indexSelect(0, i64(plus)).sub(hf.narrow(1, from, H).indexSelect(0, i64(minus)));
    const side = (c: ContextIndex): FeatureBlock => ({ f: cat([half(0, c.fPlus, c.fMinus), half(H, c.wPlus, c.wMinus)], 1), of: c.of });
    const left = side(idx.left);
    return {
      mid: segments(this.relMid, idx.mid),
      e1: segments(this.relE1, idx.e1),
      e2: segments(this.relE2, idx.e2),
      dist: idx.dist,
      left,
      right: this.config.fixRightContext ? side(idx.right) : left, // the authors' code: f_left twice
    };
  }

  /**
   * W_1 · f + b_1 for every pair [P, mlpHidden], without building f: W_1 · f is the sum over f's blocks of
   * W_block · f_block, and each product is computed once per distinct input of its block, then every
   * pair adds its six rows (f_dist is a one-hot: its product is a column of W_1).
   */
  private relationHidden({ mid, e1, e2, dist, left, right }: RelationParts): Tensor {
    const W = this.relHidden.weight; // [mlpHidden, |f|], columns in f's order
    const n = W.size(0);
    const P = dist.length;
    const columns = (from: number, width: number) => W.narrow(1, from, width).transpose(0, 1);
    const product = (b: FeatureBlock, col: number): [Tensor, Int32Array] => [b.f.matmul(columns(col, b.f.size(1))), b.of];
    const [F, D, C] = [mid.f.size(1), this.config.maxDistance, left.f.size(1)];
    const blocks: [Tensor, Int32Array][] = [product(mid, 0), product(e1, F), product(e2, 2 * F), [columns(3 * F, D), dist], product(left, 3 * F + D), product(right, 3 * F + D + C)];
    const rows = new Int32Array(blocks.length * P);
    let first = 0;
    blocks.forEach(([table, of], k) => {
      for (let p = 0; p < P; p++) rows[k * P + p] = first + of[p];
      first += table.size(0);
    });
    const products = cat(blocks.map(([table]) => table), 0).indexSelect(0, tensor(rows, { dtype: 'int64' }));
    return products.reshape([blocks.length, P, n]).sum(0).add(this.relHidden.bias);
  }

  // ------------------------------------------------------------------------------------------ losses
  /**
   * L_ent of a batch. Softmax (Eq. 1): −(1/|s|) Σ_i log P_ent(t_i | s) per sentence (the paper, 'sentence'),
   * or the token CE summed over the batch / its tokens (the authors' code, 'batch'). CRF: −log P(t | s)
   * per sentence, normalised the same two ways.
   */
  private entityLoss(emissions: Tensor, batch: Batch, goldTags: Int32Array, norm: LossNormalization): Tensor {
    const { size: B, maxLen: T, lengths } = batch;
    const N = batch.tokens;
    const weight = (n: number) => (norm === 'batch' ? 1 / N : 1 / (B * n));
    if (this.crf) {
      const paths = Array.from(lengths, (n, b) => ({ sent: b, tags: goldTags.subarray(b * T, b * T + n) }));
      const sentW = tensor(Float64Array.from(lengths, weight), { dtype: emissions.dtype });
      return this.tagPathLogProbs(emissions, lengths, paths).mul(sentW).sum().neg();
    }
    const pos = new Int32Array(N);
    const gold = new Int32Array(N);
    const tokW = new Float64Array(N);
    let k = 0;
    for (let b = 0; b < B; b++)
      for (let i = 0; i < lengths[b]; i++, k++) {
        pos[k] = b * T + i;
        gold[k] = goldTags[b * T + i];
        tokW[k] = weight(lengths[b]);
      }
    const em = emissions.reshape([B * T, this.numTags]).indexSelect(0, tensor(pos, { dtype: 'int64' }));
    const tokCe = crossEntropy(em, tensor(gold, { dtype: 'int64' }), { reduction: 'none' });
    return tokCe.mul(tensor(tokW, { dtype: tokCe.dtype })).sum();
  }

  /**
   * The language-model objective (Rei 2017): −log P(w_{i+1} | →h_i) − log P(w_{i−1} | ←h_i), each the
   * mean over the batch's real tokens; the word past either end of a sentence is the boundary class (id 0,
   * PAD, never a word). Each direction reads only its own half of h, which has not seen the word it predicts.
   */
  private lmLoss(h: Tensor, batch: Batch): Tensor {
    const lm = this.lm!;
    const { size: B, maxLen: T, lengths } = batch;
    const N = batch.tokens;
    const H = this.config.lstmHidden;
    const V = this.vocab.words.size;
    const word = (p: number) => (batch.words[p] < V ? batch.words[p] : UNK); // extended (GloVe) ids: inference only
    const pos = new Int32Array(N);
    const next = new Int32Array(N);
    const prev = new Int32Array(N);
    let k = 0;
    for (let b = 0; b < B; b++)
      for (let i = 0; i < lengths[b]; i++, k++) {
        pos[k] = b * T + i;
        next[k] = i + 1 < lengths[b] ? word(b * T + i + 1) : PAD;
        prev[k] = i > 0 ? word(b * T + i - 1) : PAD;
      }
    const rows = h.reshape([B * T, 2 * H]).indexSelect(0, tensor(pos, { dtype: 'int64' }));
    const ce = (head: LmHead, states: Tensor, target: Int32Array) =>
      crossEntropy(head.forward(states), tensor(target, { dtype: 'int64' }), { reduction: 'mean' });
    return ce(lm.fwd, rows.narrow(1, 0, H), next).add(ce(lm.bwd, rows.narrow(1, H, H), prev));
  }

  /** L̃ = L_ent + L_rel (+ γ·L_lm with `lmHidden` > 0) on one batch, in the current (normally train) mode. Needs gold tags. */
  localLoss(batch: Batch, opts: LocalLossOptions): LocalLoss {
    if (!batch.tags) throw new Error('localLoss: the batch has no gold tags');
    const goldTags = batch.tags;
    const { size: B, maxLen: T } = batch;
    const norm = opts.normalization ?? 'batch';
    let pairsCount = 0;
    const out = tidy(() => {
      const { h, emissions } = opts.encoded ?? this.encode(batch);
      const entLoss = this.entityLoss(emissions, batch, goldTags, norm);

      // Scheduled sampling (spec §2.8): per token, gold tag with p_gold, else the predicted tag (the
      // argmax in the paper; with the 'viterbi' decoder, the tags inference would feed the relation model).
      const pGold = scheduledGoldProbability(opts.epoch, opts.scheduleK ?? 1);
      const pred = noGrad(() => this.decodeTags(emissions, batch.lengths).tagIds);
      const ss = new Int32Array(B * T);
      for (let b = 0; b < B; b++)
        for (let i = 0; i < batch.lengths[b]; i++) {
          const p = b * T + i;
          ss[p] = opts.rng.random() < pGold ? goldTags[p] : pred[p];
        }
      const rows: CandidateRow[] = batch.sentences.map((s, b) => ({
        sent: b,
        tags: ss.subarray(b * T, b * T + batch.lengths[b]),
        gold: s.relations,
        addGold: opts.addGoldPairs ?? true,
      }));
      const { pairs } = candidatePairs(rows, this.vocab);
      pairsCount = pairs.count;
      let relLoss: Tensor;
      if (pairs.count === 0) relLoss = zeros([], h.dtype);
      else {
        const logits = this.relationLogits(h, batch.lengths, pairs);
        const ce = crossEntropy(logits, tensor(pairs.labels, { dtype: 'int64' }), { reduction: 'none' });
        const pw = new Float64Array(pairs.count);
        if (norm === 'batch') pw.fill(1 / pairs.count);
        else {
          const per = new Int32Array(B);
          for (let p = 0; p < pairs.count; p++) per[pairs.sent[p]]++;
          for (let p = 0; p < pairs.count; p++) pw[p] = 1 / (B * per[pairs.sent[p]]);
        }
        // L_rel = −Σ log P_rel(l | s, e1, e2) / #candidates
        relLoss = ce.mul(tensor(pw, { dtype: ce.dtype })).sum();
      }
      const w = opts.entityWeight ?? 1;
      const loss = (w === 1 ? entLoss : entLoss.mul(w)).add(relLoss);
      const gamma = opts.lmWeight ?? DEFAULT_LM_WEIGHT;
      if (!this.lm || gamma === 0) return { loss, entLoss, relLoss };
      const lmLoss = this.lmLoss(h, batch);
      return { loss: loss.add(lmLoss.mul(gamma)), entLoss, relLoss, lmLoss };
    });
    return { ...out, pairs: pairsCount };
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
      return inferenceMode(() => tidy(() => this.predictInner(batch)));
    } finally {
      this.train(wasTraining);
    }
  }

  /**
   * Predicted tag ids [B·T], and the probability of a predicted span's tags (`spanScore`, read lazily): the
   * per-token argmax (the paper), or the most probable valid chunking (`decoder: 'viterbi'`,
   * data/viterbi.ts) under the softmax's independent tags or under the CRF.
   */
  private decodeTags(emissions: Tensor, lengths: Int32Array, given?: Int32Array): DecodedTags {
    if (this.crf) return this.decodeCrf(emissions, lengths, given);
    const [B, T, n] = emissions.shape;
    let tagIds: Int32Array;
    let tagProb: Float64Array;
    if (given) {
      // Given tags where the caller gave them, each with P_ent(t_i | s) (Eq. 1); decoded tags elsewhere.
      const decoded = this.decodeTags(emissions, lengths);
      const probs = emissions.softmax(2).toFloat32Array();
      tagIds = decoded.tagIds;
      tagProb = new Float64Array(B * T);
      for (let b = 0; b < B; b++)
        for (let i = 0; i < lengths[b]; i++) {
          const p = b * T + i;
          if (given[b * T] >= 0) tagIds[p] = given[p];
          tagProb[p] = probs[p * n + tagIds[p]];
        }
    } else if (this.config.decoder === 'argmax') {
      const best = emissions.softmax(2).max(2);
      [tagIds, tagProb] = [best.indices.toInt32Array(), best.values.toFloat64Array()];
    } else {
      const logp = emissions.logSoftmax(2).toFloat32Array();
      [tagIds, tagProb] = [new Int32Array(B * T), new Float64Array(B * T)];
      for (let b = 0; b < B; b++) {
        const tags = viterbiTags(logp, b * T * n, lengths[b], this.grammar);
        tagIds.set(tags, b * T);
        for (let i = 0; i < tags.length; i++) tagProb[b * T + i] = Math.exp(logp[(b * T + i) * n + tags[i]]);
      }
    }
    // P(the span's predicted tags) = Π_i P_ent(t̂_i | s): the tags are independent given s (Eq. 1).
    return {
      tagIds,
      spanScore(b, start, end) {
        let p = 1;
        for (let i = start; i < end; i++) p *= tagProb[b * T + i];
        return p;
      },
    };
  }

  /** CRF Viterbi (or the given tags); a span's score is the CRF's marginal probability of its tags (forward–backward). */
  private decodeCrf(emissions: Tensor, lengths: Int32Array, given?: Int32Array): DecodedTags {
    const crf = this.crf as Crf;
    const [B, T, n] = emissions.shape;
    const em = emissions.toFloat64Array();
    const chain = crf.chainScores();
    const tagIds = new Int32Array(B * T);
    for (let b = 0; b < B; b++)
      if (given && given[b * T] >= 0) tagIds.set(given.subarray(b * T, b * T + lengths[b]), b * T);
      else tagIds.set(viterbiTags(em, b * T * n, lengths[b], this.grammar, chain), b * T);
    const passes = new Map<number, ChainMarginals>();
    return {
      tagIds,
      spanScore: (b, start, end) => {
        let fb = passes.get(b);
        if (!fb) passes.set(b, (fb = chainForwardBackward(em, b * T * n, lengths[b], this.grammar, chain)));
        // log P(t_start..t_(end−1)) = α_start(t_start) + Σ (A[t_(i−1), t_i] + e_i(t_i)) + β_(end−1)(t_(end−1)) − log Z
        const t = (i: number) => tagIds[b * T + i];
        let s = fb.logAlpha(start, t(start)) + fb.logBeta(end - 1, t(end - 1)) - fb.logZ;
        for (let i = start + 1; i < end; i++) s += chain.trans[t(i - 1) * n + t(i)] + em[(b * T + i) * n + t(i)];
        return Math.exp(s);
      },
    };
  }

  private predictInner(batch: Batch): SentencePrediction[] {
    const { size: B, maxLen: T } = batch;
    const { h, emissions } = this.encode(batch);
    const { tagIds, spanScore } = this.decodeTags(emissions, batch.lengths, batch.given);
    const rows: CandidateRow[] = [];
    for (let b = 0; b < B; b++) rows.push({ sent: b, tags: tagIds.subarray(b * T, b * T + batch.lengths[b]) });
    const { pairs, entities } = candidatePairs(rows, this.vocab);
    const names = this.vocab.tags.items;
    const out: SentencePrediction[] = entities.map((ents: Span[], b) => {
      const ids = rows[b].tags;
      const tags = new Array<string>(ids.length);
      for (let i = 0; i < ids.length; i++) tags[i] = names[ids[i]];
      return {
        tags,
        entities: ents.map((e) => ({ start: e.start, end: e.end, type: e.type, score: spanScore(b, e.start, e.end) })),
        relations: [],
      };
    });
    // The relation model runs over slices of the pairs: a batch of entity-dense sentences (lists of names,
    // 100-token chunks of unpunctuated text) has 10^5 pairs, whose segment tensors would take gigabytes.
    for (let from = 0; from < pairs.count; from += PREDICT_PAIR_SLICE) {
      const part = slicePairs(pairs, from, Math.min(pairs.count, from + PREDICT_PAIR_SLICE));
      const { lab, score } = tidy(() => {
        const r = this.relationLogits(h, batch.lengths, part).softmax(1).max(1);
        return { lab: r.indices.toInt32Array(), score: r.values.toFloat64Array() };
      });
      for (let q = 0; q < part.count; q++) {
        const p = from + q;
        if (lab[q] === NONE) continue;
        const info = this.vocab.relationInfo[lab[q]];
        const [l, rr] = [pairs.ent1[p], pairs.ent2[p]];
        out[pairs.sent[p]].relations.push({
          head: info.forward ? l : rr,
          tail: info.forward ? rr : l,
          type: info.type,
          score: score[q],
        });
      }
    }
    return out;
  }
}
