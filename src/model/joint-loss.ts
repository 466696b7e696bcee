/**
 * The local loss of the joint model (Sun et al. 2018 §3.1–3.2, spec §2.8 and §7.1.5):
 * L̃ = λ·L_ent + L_rel (+ γ·L_lm with `lmHidden` > 0), with scheduled sampling of the tags the relation
 * model reads.
 *
 * Loss normalisation (spec §7.1.5): `'batch'` (default) is the authors' code: summed token CE / tokens
 * in the batch + summed pair CE / candidate pairs in the batch; `'sentence'` is the paper: each
 * sentence's token CE averaged over its |s| tokens and its pair CE over its own candidate count, then
 * the mean over the batch's sentences.
 */
import { crossEntropy, noGrad, tensor, tidy, zeros, type Tensor } from '../tensor/index.js';
import { DEFAULT_LM_WEIGHT } from './config.js';
import type { Batch } from './encode.js';
import { decodeEmissions } from './joint-decode.js';
import type { Encoded, JointParts } from './joint-parts.js';
import type { LmHead } from './layers/lm-head.js';
import { candidatePairs, type CandidateRow } from './pairs.js';
import type { LocalLoss, Rng } from './types.js';
import { PAD, UNK } from './vocab.js';

type LossNormalization = 'batch' | 'sentence';

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

/** p_gold = k / (k + exp(epoch / k)) (spec §2.8). */
export function scheduledGoldProbability(epoch: number, k = 1): number {
  return k / (k + Math.exp(epoch / k));
}

/** L̃ = L_ent + L_rel (+ γ·L_lm with `lmHidden` > 0) on one batch, in the model's current (normally train) mode. Needs gold tags. */
export function localLoss(model: JointParts, batch: Batch, opts: LocalLossOptions): LocalLoss {
  if (!batch.tags) throw new Error('localLoss: the batch has no gold tags');
  const goldTags = batch.tags;
  const { size: B, maxLen: T } = batch;
  const norm = opts.normalization ?? 'batch';
  let pairsCount = 0;
  const out = tidy(() => {
    const { h, emissions } = opts.encoded ?? model.encode(batch);
    const entLoss = entityLoss(model, emissions, batch, goldTags, norm);

    // Scheduled sampling (spec §2.8): per token, gold tag with p_gold, else the predicted tag (the
    // argmax in the paper; with the 'viterbi' decoder, the tags inference would feed the relation model).
    const pGold = scheduledGoldProbability(opts.epoch, opts.scheduleK ?? 1);
    const pred = noGrad(() => decodeEmissions(model, emissions, batch.lengths).tagIds);
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
    const { pairs } = candidatePairs(rows, model.vocab);
    pairsCount = pairs.count;
    let relLoss: Tensor;
    if (pairs.count === 0) relLoss = zeros([], h.dtype);
    else {
      const logits = model.relationLogits(h, batch.lengths, pairs);
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
    if (!model.lm || gamma === 0) return { loss, entLoss, relLoss };
    const lm = lmLoss(model.lm, model.config.lstmHidden, model.vocab.words.size, h, batch);
    return { loss: loss.add(lm.mul(gamma)), entLoss, relLoss, lmLoss: lm };
  });
  return { ...out, pairs: pairsCount };
}

/**
 * L_ent of a batch. Softmax (Eq. 1): −(1/|s|) Σ_i log P_ent(t_i | s) per sentence (the paper, 'sentence'),
 * or the token CE summed over the batch / its tokens (the authors' code, 'batch'). CRF: −log P(t | s)
 * per sentence, normalised the same two ways.
 */
function entityLoss(model: Pick<JointParts, 'crf' | 'tagPathLogProbs' | 'numTags'>, emissions: Tensor, batch: Batch, goldTags: Int32Array, norm: LossNormalization): Tensor {
  const { size: B, maxLen: T, lengths } = batch;
  const N = batch.tokens;
  const weight = (n: number) => (norm === 'batch' ? 1 / N : 1 / (B * n));
  if (model.crf) {
    const paths = Array.from(lengths, (n, b) => ({ sent: b, tags: goldTags.subarray(b * T, b * T + n) }));
    const sentW = tensor(Float64Array.from(lengths, weight), { dtype: emissions.dtype });
    return model.tagPathLogProbs(emissions, lengths, paths).mul(sentW).sum().neg();
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
  const em = emissions.reshape([B * T, model.numTags]).indexSelect(0, tensor(pos, { dtype: 'int64' }));
  const tokCe = crossEntropy(em, tensor(gold, { dtype: 'int64' }), { reduction: 'none' });
  return tokCe.mul(tensor(tokW, { dtype: tokCe.dtype })).sum();
}

/**
 * The language-model objective (Rei 2017): −log P(w_{i+1} | →h_i) − log P(w_{i−1} | ←h_i), each the
 * mean over the batch's real tokens; the word past either end of a sentence is the boundary class (id 0,
 * PAD, never a word). Each direction reads only its own half of h (H = `lstmHidden` each), which has not
 * seen the word it predicts; V is the training vocabulary's size.
 */
function lmLoss(lm: { fwd: LmHead; bwd: LmHead }, H: number, V: number, h: Tensor, batch: Batch): Tensor {
  const { size: B, maxLen: T, lengths } = batch;
  const N = batch.tokens;
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
