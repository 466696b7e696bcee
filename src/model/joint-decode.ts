/**
 * Inference with the joint model (spec §5): the tag decoders over the tagger's emissions (Eq. 1), and
 * a batch's prediction (`predictBatch`): tags → entities → candidate pairs → relation labels (Eq. 2).
 */
import { tidy, type Tensor } from '../tensor/index.js';
import type { Span } from '../data/bilou.js';
import { chainForwardBackward, viterbiTags, type ChainMarginals, type TagGrammar } from '../data/viterbi.js';
import type { Batch } from './encode.js';
import type { JointParts } from './joint-parts.js';
import type { Crf } from './layers/crf.js';
import { candidatePairs, slicePairs, type CandidateRow } from './pairs.js';
import type { SentencePrediction } from './types.js';
import { NONE } from './vocab.js';

/** Most candidate pairs `predict` sends through the relation model at once (bounds its memory). */
const PREDICT_PAIR_SLICE = 4096;

/** Predicted tags [B·T] and the probability of a predicted span's tags (sentence b, tokens [start, end)). */
interface DecodedTags {
  tagIds: Int32Array;
  spanScore(b: number, start: number, end: number): number;
}

/** What the decoders read of the model: its CRF (if any), its decoder setting and the valid tag transitions. */
type Tagger = Pick<JointParts, 'crf' | 'config' | 'grammar'>;

/**
 * Predicted tag ids [B·T], and the probability of a predicted span's tags (`spanScore`, read lazily): the
 * per-token argmax (the paper), or the most probable valid chunking (`decoder: 'viterbi'`,
 * data/viterbi.ts) under the softmax's independent tags or under the CRF.
 */
export function decodeEmissions(model: Tagger, emissions: Tensor, lengths: Int32Array, given?: Int32Array): DecodedTags {
  if (model.crf) return decodeCrf(model.crf, model.grammar, emissions, lengths, given);
  const [B, T, n] = emissions.shape;
  let tagIds: Int32Array;
  let tagProb: Float64Array;
  if (given) {
    // Given tags where the caller gave them, each with P_ent(t_i | s) (Eq. 1); decoded tags elsewhere.
    const decoded = decodeEmissions(model, emissions, lengths);
    const probs = emissions.softmax(2).toFloat32Array();
    tagIds = decoded.tagIds;
    tagProb = new Float64Array(B * T);
    for (let b = 0; b < B; b++)
      for (let i = 0; i < lengths[b]; i++) {
        const p = b * T + i;
        if (given[b * T] >= 0) tagIds[p] = given[p];
        tagProb[p] = probs[p * n + tagIds[p]];
      }
  } else if (model.config.decoder === 'argmax') {
    const best = emissions.softmax(2).max(2);
    [tagIds, tagProb] = [best.indices.toInt32Array(), best.values.toFloat64Array()];
  } else {
    const logp = emissions.logSoftmax(2).toFloat32Array();
    [tagIds, tagProb] = [new Int32Array(B * T), new Float64Array(B * T)];
    for (let b = 0; b < B; b++) {
      const tags = viterbiTags(logp, b * T * n, lengths[b], model.grammar);
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
function decodeCrf(crf: Crf, grammar: TagGrammar, emissions: Tensor, lengths: Int32Array, given?: Int32Array): DecodedTags {
  const [B, T, n] = emissions.shape;
  const em = emissions.toFloat64Array();
  const chain = crf.chainScores();
  const tagIds = new Int32Array(B * T);
  for (let b = 0; b < B; b++)
    if (given && given[b * T] >= 0) tagIds.set(given.subarray(b * T, b * T + lengths[b]), b * T);
    else tagIds.set(viterbiTags(em, b * T * n, lengths[b], grammar, chain), b * T);
  const passes = new Map<number, ChainMarginals>();
  return {
    tagIds,
    spanScore: (b, start, end) => {
      let fb = passes.get(b);
      if (!fb) passes.set(b, (fb = chainForwardBackward(em, b * T * n, lengths[b], grammar, chain)));
      // log P(t_start..t_(end−1)) = α_start(t_start) + Σ (A[t_(i−1), t_i] + e_i(t_i)) + β_(end−1)(t_(end−1)) − log Z
      const t = (i: number) => tagIds[b * T + i];
      let s = fb.logAlpha(start, t(start)) + fb.logBeta(end - 1, t(end - 1)) - fb.logZ;
      for (let i = start + 1; i < end; i++) s += chain.trans[t(i - 1) * n + t(i)] + em[(b * T + i) * n + t(i)];
      return Math.exp(s);
    },
  };
}

/**
 * One batch's predictions in the model's current mode (`JointModel.predict` sets eval mode and the
 * inference scopes): decoded tags (or the batch's `given` ones) → entities (lenient decoder) → all
 * left-to-right pairs → argmax label; NONE dropped, direction undone.
 */
export function predictBatch(model: JointParts, batch: Batch): SentencePrediction[] {
  const { size: B, maxLen: T } = batch;
  const { h, emissions } = model.encode(batch);
  const { tagIds, spanScore } = decodeEmissions(model, emissions, batch.lengths, batch.given);
  const rows: CandidateRow[] = [];
  for (let b = 0; b < B; b++) rows.push({ sent: b, tags: tagIds.subarray(b * T, b * T + batch.lengths[b]) });
  const { pairs, entities } = candidatePairs(rows, model.vocab);
  const names = model.vocab.tags.items;
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
      const r = model.relationLogits(h, batch.lengths, part).softmax(1).max(1);
      return { lab: r.indices.toInt32Array(), score: r.values.toFloat64Array() };
    });
    for (let q = 0; q < part.count; q++) {
      const p = from + q;
      if (lab[q] === NONE) continue;
      const info = model.vocab.relationInfo[lab[q]];
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
