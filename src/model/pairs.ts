/**
 * Candidate entity pairs (reference spec §2.4) and the index arrays that let the relation model compute
 * the features of ALL pairs of a batch with a handful of gathers (spec §2.6), each distinct input (z row,
 * segment, context) once. Pure JS, typed arrays.
 *
 * A pair is (left, right) by start token, spans end-exclusive, with the direction folded into its label.
 * Each pair names the batch row of `h` it reads (`sent`) and the tag sequence whose one-hots enter its
 * z rows (`tagSeq`): MRT gives several tag sequences (samples) of one sentence the same `sent`.
 */
import { decodeTags, type Span } from '../data/bilou.js';
import type { GoldRelation } from './types.js';
import { NONE, type Vocabulary } from './vocab.js';

export interface PairSet {
  count: number;
  /** Batch row of each pair's sentence (row of h). */
  sent: Int32Array;
  /** Left entity [s1, e1), right entity [s2, e2); s1 < s2 (or equal for gold pairs that overlap—never added). */
  s1: Int32Array;
  e1: Int32Array;
  s2: Int32Array;
  e2: Int32Array;
  /** Tag ids feeding the one-hot part of z for each pair (shared references, sentence length). */
  tagSeq: ArrayLike<number>[];
  /** Gold directed label id (NONE = 0 when the pair is not a gold relation or no gold is known). */
  labels: Int32Array;
  /** Indices of the left/right entity in the row's decoded entities (−1 for added gold pairs). */
  ent1: Int32Array;
  ent2: Int32Array;
}

/** One tag sequence to build candidates from. */
export interface CandidateRow {
  /** Batch row of h. */
  sent: number;
  tags: ArrayLike<number>;
  /** Gold relations of the sentence (labels for the candidates). */
  gold?: GoldRelation[];
  /** Also add every gold pair whose spans are disjoint (training, spec §2.4). */
  addGold?: boolean;
}

/** Decodes tag ids with the lenient chunk decoder of spec §5.1 (data/bilou.ts). */
function decodeTagIds(tags: ArrayLike<number>, vocab: Vocabulary): Span[] {
  const names = vocab.tags.items;
  const s = new Array<string>(tags.length);
  for (let i = 0; i < tags.length; i++) s[i] = names[tags[i]];
  return decodeTags(s);
}

/** All left-to-right pairs of each row's decoded entities (+ gold pairs), labelled from gold. */
export function candidatePairs(rows: CandidateRow[], vocab: Vocabulary): { pairs: PairSet; entities: Span[][] } {
  const sent: number[] = [];
  const s1: number[] = [];
  const e1: number[] = [];
  const s2: number[] = [];
  const e2: number[] = [];
  const lab: number[] = [];
  const ent1: number[] = [];
  const ent2: number[] = [];
  const tagSeq: ArrayLike<number>[] = [];
  const entities: Span[][] = [];
  for (const row of rows) {
    const ents = decodeTagIds(row.tags, vocab);
    entities.push(ents);
    // A pair's four token indices are ≤ the row's length n: one number, exact while (n + 1)^4 < 2^53
    // (n < 9,740; gold labels and added gold pairs are training rows, ≤ maxTrainLength ≤ 2,000 tokens).
    const n1 = row.tags.length + 1;
    const key = (a: number, b: number, c: number, d: number) => ((a * n1 + b) * n1 + c) * n1 + d;
    // One label a pair: the last relation listed wins (spec §2.4); train/losses.ts counts the others.
    const gold = new Map<number, number>();
    for (const g of row.gold ?? []) gold.set(key(g.left[0], g.left[1], g.right[0], g.right[1]), g.label);
    const seen = new Set<number>();
    const push = (a: number, b: number, c: number, d: number, i: number, j: number) => {
      const k = key(a, b, c, d);
      sent.push(row.sent);
      s1.push(a);
      e1.push(b);
      s2.push(c);
      e2.push(d);
      lab.push(gold.get(k) ?? NONE);
      tagSeq.push(row.tags);
      ent1.push(i);
      ent2.push(j);
      seen.add(k);
    };
    // Decoded chunks are sorted by start and never overlap.
    for (let i = 0; i < ents.length; i++)
      for (let j = i + 1; j < ents.length; j++) push(ents[i].start, ents[i].end, ents[j].start, ents[j].end, i, j);
    if (row.addGold)
      for (const g of row.gold ?? []) {
        if (g.left[1] > g.right[0]) continue; // overlapping arguments are never candidates
        const k = key(g.left[0], g.left[1], g.right[0], g.right[1]);
        if (!seen.has(k)) push(g.left[0], g.left[1], g.right[0], g.right[1], -1, -1);
      }
  }
  const i32 = (a: number[]) => Int32Array.from(a);
  return {
    pairs: { count: sent.length, sent: i32(sent), s1: i32(s1), e1: i32(e1), s2: i32(s2), e2: i32(e2), tagSeq, labels: i32(lab), ent1: i32(ent1), ent2: i32(ent2) },
    entities,
  };
}

/** Pairs [from, to) of a set (prediction runs the relation model over large sets in slices). */
export function slicePairs(p: PairSet, from: number, to: number): PairSet {
  const sub = (a: Int32Array) => a.subarray(from, to);
  return {
    count: to - from,
    sent: sub(p.sent),
    s1: sub(p.s1),
    e1: sub(p.e1),
    s2: sub(p.s2),
    e2: sub(p.e2),
    labels: sub(p.labels),
    ent1: sub(p.ent1),
    ent2: sub(p.ent2),
    tagSeq: p.tagSeq.slice(from, to),
  };
}

/**
 * One segment kind (e1, middle or e2): the distinct segments, layout rows start[s] … start[s] + length[s] − 1,
 * and each pair's one. Segments that read the same z rows are one: an entity is e1 or e2 of several pairs,
 * and MRT's members share most entities (and the middles between them).
 */
export interface SegmentIndex {
  start: Int32Array;
  /** 0 for the empty middle of adjacent entities (all empty middles are one segment). */
  length: Int32Array;
  /** [P] the pair's segment. */
  of: Int32Array;
}

/**
 * The distinct contexts of one side of the pairs and each pair's one, for h flattened to [B·T + 1, 2H]
 * with a zero last row Z: context c = (f[fPlus[c]] − f[fMinus[c]]) ⊕ (w[wPlus[c]] − w[wMinus[c]]),
 * f = forward half, w = backward half of h (LSTM-minus, paper §3.2):
 * - left of the pair, positions 0…i with i = s1−1: f_left = f_i ⊕ (w_0 − w_{i+1}); zeros when s1 = 0
 *   (f index → Z, and w_0 − w_{s1} = 0). It depends on (sentence, s1) only.
 * - right of the pair, positions j…|s|−1 with j = e2: f_right = (f_{|s|−1} − f_{j−1}) ⊕ w_j; zeros when
 *   j = |s| (the difference vanishes and w index → Z). It depends on (sentence, e2) only.
 */
export interface ContextIndex {
  fPlus: Int32Array;
  fMinus: Int32Array;
  wPlus: Int32Array;
  wMinus: Int32Array;
  /** [P] the pair's context. */
  of: Int32Array;
}

/** Everything the relation model gathers. */
interface RelationIndex {
  count: number;
  /**
   * The z table z_i = h_i ⊕ onehot(t_i): one row per distinct (sentence, token, tag) the pairs read, and a
   * final zero row; row r reads flat-h row `zH[r]` and tag `zTag[r]` (the zero row reads the zero row of
   * h and |tags| = the zero one-hot).
   */
  zH: Int32Array;
  zTag: Int32Array;
  /**
   * Segment rows: one block per distinct (sentence, tag sequence), one row per real token, so that every
   * segment is a contiguous run of them; row r reads z row `layout[r]`. Tag sequences of one sentence
   * share the z row of every token they tag alike (MRT's samples mostly agree with gold and each other).
   */
  layout: Int32Array;
  e1: SegmentIndex;
  mid: SegmentIndex;
  e2: SegmentIndex;
  /** [P] distance bucket: min(start(e2) − last(e1), maxDistance − 1) (spec §2.6.2). */
  dist: Int32Array;
  left: ContextIndex;
  right: ContextIndex;
}

export function relationIndex(
  pairs: PairSet,
  T: number,
  lengths: Int32Array,
  numTags: number,
  maxDistance: number,
): RelationIndex {
  const P = pairs.count;
  const Z = lengths.length * T;
  // One layout block per distinct (sentence, tag sequence); training has one per sentence, MRT one per member.
  const blockOf = new Map<ArrayLike<number>, Map<number, number>>();
  const blocks: { sent: number; tags: ArrayLike<number> }[] = [];
  const block = new Int32Array(P);
  for (let p = 0; p < P; p++) {
    const tags = pairs.tagSeq[p];
    let bySent = blockOf.get(tags);
    if (!bySent) blockOf.set(tags, (bySent = new Map()));
    let r = bySent.get(pairs.sent[p]);
    if (r === undefined) {
      bySent.set(pairs.sent[p], (r = blocks.length));
      blocks.push({ sent: pairs.sent[p], tags });
    }
    block[p] = r;
  }
  // Block r holds its sentence's real tokens only, from row blockStart[r] (padding rows would only cost).
  const blockStart = new Int32Array(blocks.length + 1);
  blocks.forEach(({ sent }, r) => (blockStart[r + 1] = blockStart[r] + lengths[sent]));
  const layout = new Int32Array(blockStart[blocks.length]);
  const zOf = new Int32Array(Z * numTags).fill(-1); // (flat-h row, tag) → z row
  const zH: number[] = [];
  const zTag: number[] = [];
  blocks.forEach(({ sent, tags }, r) => {
    for (let i = 0; i < lengths[sent]; i++) {
      const key = (sent * T + i) * numTags + tags[i];
      if (zOf[key] < 0) {
        zOf[key] = zH.length;
        zH.push(sent * T + i);
        zTag.push(tags[i]);
      }
      layout[blockStart[r] + i] = zOf[key];
    }
  });
  zH.push(Z);
  zTag.push(numTags);
  // Blocks hold contiguous token rows, so every segment is a contiguous run of layout rows; two segments are
  // the same when they start at the same token of the same sentence and read the same z rows.
  const seg = (start: Int32Array, end: Int32Array): SegmentIndex => {
    const rows = new Int32Array(P);
    const lens = new Int32Array(P);
    const next = new Int32Array(P); // the previous distinct segment at the same place (−1: none)
    const of = new Int32Array(P);
    const last = new Map<number, number>(); // (sentence, first token, length) → its newest distinct segment
    let S = 0;
    for (let p = 0; p < P; p++) {
      const n = Math.max(0, end[p] - start[p]);
      const row = blockStart[block[p]] + start[p];
      const place = n === 0 ? -1 : (pairs.sent[p] * T + start[p]) * (T + 1) + n;
      let s = last.get(place) ?? -1;
      while (s >= 0 && !sameRows(layout, rows[s], row, n)) s = next[s];
      if (s < 0) {
        s = S++;
        rows[s] = row;
        lens[s] = n;
        next[s] = last.get(place) ?? -1;
        last.set(place, s);
      }
      of[p] = s;
    }
    return { start: rows.slice(0, S), length: lens.slice(0, S), of };
  };
  const dist = new Int32Array(P);
  for (let p = 0; p < P; p++) dist[p] = Math.max(0, Math.min(pairs.s2[p] - pairs.e1[p] + 1, maxDistance - 1));
  // One context per distinct (sentence, token `at[p]`): s1 for the left side, e2 for the right.
  const contexts = (at: Int32Array, right: boolean): ContextIndex => {
    const [fPlus, fMinus, wPlus, wMinus, of] = [0, 0, 0, 0, 0].map(() => new Int32Array(P));
    const index = new Map<number, number>();
    for (let p = 0; p < P; p++) {
      const key = pairs.sent[p] * (T + 1) + at[p];
      let c = index.get(key);
      if (c === undefined) {
        index.set(key, (c = index.size));
        const [base, n, a] = [pairs.sent[p] * T, lengths[pairs.sent[p]], at[p]];
        if (right) [fPlus[c], fMinus[c], wPlus[c], wMinus[c]] = [base + n - 1, base + a - 1, a < n ? base + a : Z, Z];
        else [fPlus[c], fMinus[c], wPlus[c], wMinus[c]] = [a > 0 ? base + a - 1 : Z, Z, base, base + a];
      }
      of[p] = c;
    }
    const C = index.size;
    return { fPlus: fPlus.slice(0, C), fMinus: fMinus.slice(0, C), wPlus: wPlus.slice(0, C), wMinus: wMinus.slice(0, C), of };
  };
  return {
    count: P,
    zH: Int32Array.from(zH),
    zTag: Int32Array.from(zTag),
    layout,
    e1: seg(pairs.s1, pairs.e1),
    mid: seg(pairs.e1, pairs.s2),
    e2: seg(pairs.s2, pairs.e2),
    dist,
    left: contexts(pairs.s1, false),
    right: contexts(pairs.e2, true),
  };
}

/** Whether layout rows a … a + n − 1 and b … b + n − 1 read the same z rows. */
function sameRows(layout: Int32Array, a: number, b: number, n: number): boolean {
  for (let r = 0; r < n; r++) if (layout[a + r] !== layout[b + r]) return false;
  return true;
}
