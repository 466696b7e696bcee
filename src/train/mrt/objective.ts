/**
 * L_mrt on one batch (paper §3.3, reference spec §3.3), batched: every member of every sentence's Y′(s)
 * reads the SAME encoder pass (only the relation model depends on the sampled tags), and the candidate
 * pairs of all members of the batch go through the relation model in one call. Per member ŷ = (E′, R′):
 *
 *   log P(E′ | s)      = Σ_i log P_ent(t′_i | s)                        (Eq. 1, summed over tokens;
 *                        the sequence's log-probability under a CRF tagger)
 *   log P(R′ | s, E′)  = Σ_(e1,e2) log P_rel(l′ | s, e1, e2)            (Eq. 2, over left-to-right pairs)
 *   Q                  = Eq. 6 (risk.ts);  Δ = 1 − sentence F1 (eval/sentence-f1.ts)
 *
 * The relation labels l′ are drawn from P_rel (Algorithm 1 lines 11–14), or are the argmax label in the
 * "only sampling entities" variant; drawing happens on detached probabilities, the log-probabilities
 * of the drawn labels are then gathered differentiably.
 */
import type { CompactSentence, Label, RelTuple, SpanTuple } from '../../eval/compact.js';
import { deltaE, deltaER, deltaR } from '../../eval/sentence-f1.js';
import type { Span } from '../../data/bilou.js';
import type { ChainScores, TagGrammar } from '../../data/viterbi.js';
import type { Batch } from '../../model/encode.js';
import type { JointModel } from '../../model/joint.js';
import type { Encoded } from '../../model/joint-parts.js';
import { candidatePairs, type CandidateRow } from '../../model/pairs.js';
import type { GoldRelation, Rng } from '../../model/types.js';
import { NONE } from '../../model/vocab.js';
import { cat, noGrad, tensor, tidy, zeros, type Tensor } from '../../tensor/index.js';
import type { MrtConfig } from '../config-schema.js';
import { mrtRisk, sampleDistribution } from './risk.js';
import { drawCategorical, sampleTagSequences, type TagSampler } from './sampling.js';

/** One member of Y′(s): a tag sequence of sentence `sent`; `gold` marks y itself (column 0). */
export interface Member {
  sent: number;
  tags: Int32Array;
  gold: boolean;
}

/** Draws beyond the distinct samples wanted before a sentence's sample set is left smaller. */
const MAX_DRAWS = 1000;

/**
 * What Algorithm 1 draws tags from, detached, [B, T, |tags|] row-major: the softmax tagger's P_ent, or a
 * CRF tagger's emissions with its transition scores (the draws then come from the CRF, sampling.ts).
 */
export type TagProposal = { probs: Float64Array } | { emissions: Float64Array; chain: ChainScores };

/** Algorithm 1's proposal from this batch's (train-mode) emissions, detached. */
export function tagProposal(model: JointModel, emissions: Tensor): TagProposal {
  return noGrad(() =>
    model.crf
      ? { emissions: emissions.detach().toFloat64Array(), chain: model.crf.chainScores() }
      : { probs: emissions.detach().softmax(2).toFloat64Array() },
  );
}

/**
 * Algorithm 1's proposal for `mrt.proposal`: "train" reads the batch's train-mode emissions (the pass L̃
 * and the members share); "eval" runs a separate eval-mode pass without gradient, as the authors' code
 * (spec §3.3.3). Either way the model is left in train mode.
 */
export function mrtProposal(model: JointModel, batch: Batch, trainEmissions: Tensor, which: MrtConfig['proposal']): TagProposal {
  if (which === 'train') return tagProposal(model, trainEmissions);
  model.eval();
  try {
    return noGrad(() => tidy(() => tagProposal(model, model.encode(batch).emissions)));
  } finally {
    model.train(true);
  }
}

/**
 * Y′(s) for every sentence of the batch, tags only (Algorithm 1 lines 1–9), drawn from `proposal`;
 * `grammar` is the tag set's (its size, and the valid chunkings for `mrt.sampler = 'chunkings' | 'kbest'`; a CRF
 * draws valid chunkings whatever the sampler). The paper adds K samples to the gold output; the authors'
 * code (`paperCompat`) counts the gold among its K.
 */
export function drawMembers(batch: Batch, proposal: TagProposal, grammar: TagGrammar, rng: Rng, mrt: MrtConfig): Member[][] {
  if (!batch.tags) throw new Error('drawMembers: the batch has no gold tags');
  const T = batch.maxLen;
  const count = mrt.paperCompat ? mrt.K - 1 : mrt.K;
  const numTags = grammar.n;
  const sampler = tagSampler(mrt.sampler, grammar, 'chain' in proposal ? proposal.chain : undefined);
  const table = 'chain' in proposal ? proposal.emissions : proposal.probs;
  const out: Member[][] = [];
  for (let b = 0; b < batch.size; b++) {
    const n = batch.lengths[b];
    const gold = batch.tags.slice(b * T, b * T + n);
    const p = table.subarray(b * T * numTags, (b * T + n) * numTags);
    const samples = sampleTagSequences(p, numTags, gold, rng, { count, epsilon: mrt.epsilon, maxDraws: MAX_DRAWS, sampler });
    out.push([{ sent: b, tags: gold, gold: true }, ...samples.map((tags) => ({ sent: b, tags, gold: false }))]);
  }
  return out;
}

/** Config `mrt.sampler` and the tagger → how Y′(s) is drawn. A CRF draws valid chunkings whatever the sampler. */
function tagSampler(kind: MrtConfig['sampler'], grammar: TagGrammar, chain: ChainScores | undefined): TagSampler {
  if (kind === 'kbest') return { kind, grammar, chain };
  if (chain) return { kind: 'crf', grammar, chain };
  return kind === 'chunkings' ? { kind, grammar } : { kind: 'tokens' };
}

interface MrtLoss {
  /** Mean over the batch's sentences of risk + hinge. */
  loss: Tensor;
  risk: Tensor;
  hinge: Tensor;
  /** Candidate pairs scored for all members. */
  pairs: number;
  /** Q [B, M] and Δ [B][M] (tests, diagnostics). */
  Q: Tensor;
  delta: number[][];
}

/** L_mrt for the drawn members, from an encoder pass `enc` of `batch` (in the caller's train/eval mode). */
export function mrtObjective(model: JointModel, batch: Batch, enc: Encoded, members: Member[][], rng: Rng, mrt: MrtConfig): MrtLoss {
  const B = batch.size;
  const L = model.numLabels;
  const dtype = enc.h.dtype;
  const flat = members.flat();
  const G = flat.length;
  const M = Math.max(...members.map((m) => m.length));
  const i64 = (a: Int32Array) => tensor(a, { dtype: 'int64' });
  const golds = batch.sentences.map((s) => s.relations ?? []);

  // log P(E′|s): Σ_i log P_ent(t′_i | s), or the CRF's log P(t′ | s) (`tagger: 'crf'`)
  const logPE = model.tagPathLogProbs(enc.emissions, batch.lengths, flat);

  // Candidate pairs of every member (the gold member's pairs carry the gold labels, spec §2.4).
  const rows: CandidateRow[] = flat.map((m) => ({ sent: m.sent, tags: m.tags, gold: m.gold ? golds[m.sent] : undefined }));
  const { pairs, entities } = candidatePairs(rows, model.vocab);
  const firstPair = new Int32Array(G + 1);
  entities.forEach((e, g) => (firstPair[g + 1] = firstPair[g] + (e.length * (e.length - 1)) / 2));
  const labels = new Int32Array(pairs.count);
  let logPR: Tensor;
  if (pairs.count === 0) logPR = zeros([G], dtype);
  else {
    // With μ = 1, P(R′|E′)^(1−μ) = 1 leaves the relation model out of Q (Eq. 6): its share of L_mrt's
    // gradient is exactly 0, so it runs without autograd (the drawn labels and Δ still need its output).
    const relation = () => model.relationLogits(enc.h, batch.lengths, pairs).logSoftmax(1);
    const logq = mrt.mu === 1 ? noGrad(relation) : relation();
    const q = noGrad(() => logq.detach().exp().toFloat64Array());
    flat.forEach((m, g) => {
      for (let p = firstPair[g]; p < firstPair[g + 1]; p++)
        // The paper's gold member is y = (E, R): its pairs keep their gold labels. The authors' code samples them too.
        labels[p] = m.gold && !mrt.paperCompat ? pairs.labels[p] : mrt.sampleRelations ? drawCategorical(q, p * L, L, rng) : argmax(q, p * L, L);
    });
    const most = Math.max(1, ...Array.from({ length: G }, (_, g) => firstPair[g + 1] - firstPair[g]));
    const relIdx = new Int32Array(G * most).fill(pairs.count * L);
    flat.forEach((_, g) => {
      for (let p = firstPair[g]; p < firstPair[g + 1]; p++) relIdx[g * most + p - firstPair[g]] = p * L + labels[p];
    });
    const logpRel = cat([logq.reshape([-1]), zeros([1], dtype)], 0);
    logPR = logpRel.indexSelect(0, i64(relIdx)).reshape([G, most]).sum(1);
  }

  // [B, M] layout: member j of sentence b at b·M + j; pads read an extra zero and are masked out of Q.
  const slot = new Int32Array(B * M).fill(G);
  const valid = new Int32Array(B * M);
  let g = 0;
  members.forEach((ms, b) =>
    ms.forEach((_, j) => {
      slot[b * M + j] = g++;
      valid[b * M + j] = 1;
    }),
  );
  const layout = (v: Tensor) => cat([v, zeros([1], dtype)], 0).indexSelect(0, i64(slot)).reshape([B, M]);
  const validMask = tensor(valid, { shape: [B, M] }).gt(0);
  const Q = sampleDistribution(layout(logPE), layout(logPR), validMask, mrt.alpha, mrt.mu);

  // Δ(ŷ, y) per member, a constant (no gradient flows through it).
  const delta: number[][] = [];
  const deltaFlat = new Float64Array(B * M);
  g = 0;
  members.forEach((ms, b) => {
    const goldEnts = entities[g]; // column 0 of each sentence holds the gold tags
    const gold = compact(goldEnts, goldRelations(golds[b], goldEnts));
    const row = ms.map((m, j) => {
      const gi = g++;
      if (m.gold && !mrt.paperCompat) return 0; // ŷ = y exactly
      const rels: RelTuple[] = [];
      const ents = entities[gi];
      for (let p = firstPair[gi]; p < firstPair[gi + 1]; p++)
        if (labels[p] !== NONE) {
          const a = ents[pairs.ent1[p]];
          const c = ents[pairs.ent2[p]];
          rels.push([a.start, a.end, a.type, c.start, c.end, c.type, labels[p]]);
        }
      const d = deltaOf(mrt.delta, gold, compact(ents, rels));
      deltaFlat[b * M + j] = d;
      return d;
    });
    delta.push(row);
  });
  const { risk, hinge } = mrtRisk(Q, tensor(deltaFlat, { shape: [B, M], dtype }), {
    useDelta: mrt.delta !== 'none',
    gamma: mrt.gamma,
    halveGamma: mrt.paperCompat,
  });
  return { loss: risk.add(hinge).mean(), risk: risk.mean(), hinge: hinge.mean(), pairs: pairs.count, Q, delta };
}

function argmax(p: ArrayLike<number>, off: number, n: number): number {
  let best = 0;
  for (let j = 1; j < n; j++) if (p[off + j] > p[off + best]) best = j;
  return best;
}

function compact(ents: Span[], rels: RelTuple[]): CompactSentence {
  return { entities: ents.map((e): SpanTuple => [e.start, e.end, e.type]), relations: rels };
}

/**
 * Gold relations as tuples (left, right, directed label id), argument types from the gold spans. As the
 * authors' per-sentence reward (spec §4.3, by §4.2's rules), a relation whose arguments overlap, or one
 * of whose arguments is not an entity of the gold tags (lost to nesting), is left out: no member's tags
 * can hold it, so it would only add the same miss to every sampled member's Δ_R.
 */
function goldRelations(gold: GoldRelation[], ents: Span[]): RelTuple[] {
  const typeOf = (s: [number, number]): Label | undefined => ents.find((e) => e.start === s[0] && e.end === s[1])?.type;
  return gold.flatMap((r): RelTuple[] => {
    const [a, c] = [typeOf(r.left), typeOf(r.right)];
    const overlap = r.left[0] < r.right[1] && r.right[0] < r.left[1];
    return a === undefined || c === undefined || overlap ? [] : [[r.left[0], r.left[1], a, r.right[0], r.right[1], c, r.label]];
  });
}

/** Δ_E = 1 − F_ent, Δ_R = 1 − F_rel, Δ_E+R = 1 − ½(F_ent + F_rel); 'none' (Γ only) = 0. */
function deltaOf(kind: MrtConfig['delta'], gold: CompactSentence, pred: CompactSentence): number {
  if (kind === 'E') return deltaE(gold, pred);
  if (kind === 'R') return deltaR(gold, pred);
  if (kind === 'E+R') return deltaER(gold, pred);
  return 0;
}
