/**
 * Corpus sentences → `EncodedSentence` (ids), and encoded sentences → a padded `Batch` (typed arrays;
 * the model turns them into tensors). Nothing here touches the tensor engine.
 *
 * Gold relations follow the authors' loader (reference spec §1.1 step 2): the pair is stored
 * (left span, right span) by start token, and the label is `T-->` when Arg1 is the left span, `T<--`
 * when Arg1 starts strictly after Arg2. Symmetric types are canonicalised to text order, always `T-->`.
 *
 * Long sentences: the model itself has no length limit (distances beyond `maxDistance` share the last
 * bucket), so prediction never truncates. For training, `maxLength` (optional) truncates a sentence to
 * its first `maxLength` tokens, dropping the entities and relations past the cut, and records it in
 * `EncodedSentence.truncatedFrom` so the caller can report how many were cut (nothing is dropped silently).
 * Tokens longer than `MAX_TOKEN_CHARS` code points keep their first `MAX_TOKEN_CHARS` characters in the
 * char CNN (their word id is unaffected): one 2,000-character URL would otherwise blow up the char tensor.
 */
import { encodeTags, type OverlapPolicy, type Span } from '../data/bilou.js';
import type { Entity, Sentence } from '../data/corpus.js';
import { UserError } from '../errors.js';
import { casingClass } from './casing.js';
import type { GloveTable } from './glove.js';
import type { EncodedSentence, GoldRelation } from './types.js';
import { BACKWARD, FORWARD, UNK, type Vocabulary } from './vocab.js';

const MAX_TOKEN_CHARS = 50;

export interface EncodeOptions {
  /** Include gold tags and relations (default true). */
  gold?: boolean;
  /** Truncate longer sentences (training only); unset = no limit. */
  maxLength?: number;
  /**
   * Inference only: words outside the training vocabulary but in GloVe get id `|V| + gloveRow`
   * (the extended vocabulary, see glove.ts); the batch builder then needs the same table.
   */
  glove?: GloveTable;
  /**
   * Prediction with given entities: the sentence's entities (non-overlapping) become `given` tags, which
   * the model uses instead of decoding its own (relations among known entities); no gold is encoded.
   */
  given?: boolean;
  /**
   * Gold tags of overlapping entities: the longest of each group (default), or every entity written in the
   * sentence's order over the earlier ones, as the authors' loader does (reference spec §1.1).
   */
  overlap?: OverlapPolicy;
}

export function encodeSentence(s: Sentence, vocab: Vocabulary, opts: EncodeOptions = {}): EncodedSentence {
  const n0 = s.tokens.length;
  const n = opts.maxLength !== undefined ? Math.min(n0, opts.maxLength) : n0;
  const V = vocab.words.size;
  const words = new Int32Array(n);
  const chars: Int32Array[] = new Array(n);
  const cases = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    // The model reads a word in its lookup form (soft hyphens dropped, full-width folded): its id, its word
    // vector outside the vocabulary, its chars and casing. Here, so raw text and corpus files read alike.
    const { form, id: known } = vocab.lookup(s.tokens[i].text);
    cases[i] = casingClass(form);
    let id = known;
    if (id === UNK && opts.glove) {
      const r = opts.glove.row(form.toLowerCase());
      if (r !== undefined) id = V + r;
    }
    words[i] = id;
    let c = vocab.charIds(form);
    if (c.length > MAX_TOKEN_CHARS) c = c.slice(0, MAX_TOKEN_CHARS);
    // An empty token still needs one char position for the char CNN.
    chars[i] = c.length ? c : Int32Array.of(UNK);
  }
  const out: EncodedSentence = { words, chars, cases };
  if (n < n0) out.truncatedFrom = n0;
  if (opts.given) {
    out.given = tagIds(n, s.entities, vocab); // the caller refuses overlaps
    return out;
  }
  if (opts.gold === false) return out;

  const kept = s.entities.filter((e) => e.end <= n);
  out.tags = tagIds(n, kept, vocab, opts.overlap);

  const byId = new Map(kept.map((e) => [e.id, e]));
  const rels: GoldRelation[] = [];
  for (const r of s.relations) {
    const h = byId.get(r.head);
    const t = byId.get(r.tail);
    if (!h || !t) continue; // past the truncation point (ids are validated by the corpus readers)
    const fwd = vocab.relations.get(r.type + FORWARD);
    if (fwd === undefined) throw new UserError(`relation type "${r.type}" is not in the model's label schema`);
    const bwd = vocab.relations.get(r.type + BACKWARD);
    const hs: [number, number] = [h.start, h.end];
    const ts: [number, number] = [t.start, t.end];
    if (h.start > t.start) rels.push({ left: ts, right: hs, label: bwd ?? fwd }); // symmetric: no `<--`
    else rels.push({ left: hs, right: ts, label: fwd });
  }
  out.relations = rels;
  return out;
}

/** The tag ids of `entities` over `n` tokens (overlapping ones as `overlap` says); a type outside the model's schema is a UserError. */
function tagIds(n: number, entities: readonly Entity[], vocab: Vocabulary, overlap: OverlapPolicy = 'keep-longest'): Int32Array {
  for (const e of entities)
    if (!vocab.tags.has(`U-${e.type}`)) throw new UserError(`entity type "${e.type}" is not in the model's label schema`);
  const spans: Span[] = entities.map((e) => ({ type: e.type, start: e.start, end: e.end }));
  return Int32Array.from(encodeTags(n, spans, vocab.tagScheme, overlap).tags, (t) => vocab.tags.get(t) ?? 0);
}

/** A padded minibatch as typed arrays, in the order of the input sentences (not sorted). */
export interface Batch {
  sentences: EncodedSentence[];
  size: number;
  /** Longest sentence (T). */
  maxLen: number;
  /** Longest token in chars (W, ≥ 1). */
  maxChars: number;
  lengths: Int32Array;
  /** [B·T] word ids, PAD past each length; ids ≥ |V| index `extraWords` rows (after remapping). */
  words: Int32Array;
  /** [B·T·W] char ids, PAD-padded. */
  chars: Int32Array;
  /** [B·T] char count of each token (0 at padded positions). */
  charLens: Int32Array;
  /** [B·T] casing class of each token (0 at padded positions, model/casing.ts). */
  cases: Int32Array;
  /** [B·T] gold tag ids (0 = O at padding), when every sentence has gold. */
  tags?: Int32Array;
  /** [B·T] given tag ids (`EncodedSentence.given`), −1 throughout a sentence whose entities are not given; absent when none are. */
  given?: Int32Array;
  /** Extended-vocabulary rows for this batch: word id |V| + k reads row k of this [K, dim] matrix. */
  extraWords?: Float32Array;
  /** Total real tokens. */
  tokens: number;
}

export function buildBatch(sentences: EncodedSentence[], vocabSize: number, glove?: GloveTable): Batch {
  const B = sentences.length;
  let T = 1;
  let W = 1;
  let tokens = 0;
  for (const s of sentences) {
    T = Math.max(T, s.words.length);
    tokens += s.words.length;
    for (const c of s.chars) W = Math.max(W, c.length);
  }
  const lengths = new Int32Array(B);
  const words = new Int32Array(B * T);
  const chars = new Int32Array(B * T * W);
  const charLens = new Int32Array(B * T);
  const cases = new Int32Array(B * T);
  const allGold = sentences.every((s) => s.tags !== undefined);
  const tags = allGold ? new Int32Array(B * T) : undefined;
  let given: Int32Array | undefined;
  const extra = new Map<number, number>(); // glove row → extra row k
  for (let b = 0; b < B; b++) {
    const s = sentences[b];
    const n = s.words.length;
    if (n === 0) throw new Error('buildBatch: empty sentence');
    lengths[b] = n;
    for (let i = 0; i < n; i++) {
      let id = s.words[i];
      if (id >= vocabSize) {
        if (!glove) throw new Error('buildBatch: extended word id without a GloVe table');
        const row = id - vocabSize;
        let k = extra.get(row);
        if (k === undefined) extra.set(row, (k = extra.size));
        id = vocabSize + k;
      }
      words[b * T + i] = id;
      const c = s.chars[i];
      chars.set(c, (b * T + i) * W);
      charLens[b * T + i] = c.length;
    }
    cases.set(s.cases, b * T);
    if (tags) tags.set(s.tags!, b * T);
    if (s.given) (given ??= new Int32Array(B * T).fill(-1)).set(s.given, b * T);
  }
  let extraWords: Float32Array | undefined;
  if (extra.size) {
    const d = glove!.dim;
    extraWords = new Float32Array(extra.size * d);
    for (const [row, k] of extra) extraWords.set(glove!.vectors.subarray(row * d, (row + 1) * d), k * d);
  }
  return { sentences, size: B, maxLen: T, maxChars: W, lengths, words, chars, charLens, cases, tags, given, extraWords, tokens };
}
