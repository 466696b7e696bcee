/**
 * Entity spans ↔ chunk tags. Encoding writes BILOU (U single, B…I…L) or BIEOU (the paper's name: E for L)
 * or BIO. Decoding is the paper's lenient conlleval-style chunker (reference spec §5.1), which accepts
 * every tag sequence, valid or not.
 */
export type TagScheme = 'BILOU' | 'BIEOU' | 'BIO';

export interface Span {
  type: string;
  /** First token. */
  start: number;
  /** One past the last token. */
  end: number;
}

/**
 * What to do when spans overlap (a flat tag sequence holds one chunk per token):
 * - `keep-longest` (default): accept spans longest first, then earliest start, then input order; a span
 *   overlapping an accepted one is dropped. Keeps the most text tagged and is order-independent.
 * - `overwrite`: the paper's loader (spec §1.1): write spans in input order, later tags overwrite earlier
 *   ones. `dropped` then lists the spans the tags no longer decode to exactly.
 */
export type OverlapPolicy = 'keep-longest' | 'overwrite';

interface EncodeResult {
  tags: string[];
  /** Input spans the tags cannot hold, in input order. */
  dropped: Span[];
}

function spanTags(len: number, type: string, scheme: TagScheme): string[] {
  if (scheme === 'BIO') return Array.from({ length: len }, (_, i) => `${i === 0 ? 'B' : 'I'}-${type}`);
  if (len === 1) return [`U-${type}`];
  const last = scheme === 'BILOU' ? 'L' : 'E';
  return Array.from({ length: len }, (_, i) => `${i === 0 ? 'B' : i === len - 1 ? last : 'I'}-${type}`);
}

export function encodeTags(
  length: number,
  spans: readonly Span[],
  scheme: TagScheme = 'BILOU',
  policy: OverlapPolicy = 'keep-longest',
): EncodeResult {
  for (const s of spans)
    if (!(Number.isInteger(s.start) && Number.isInteger(s.end) && s.start >= 0 && s.end > s.start && s.end <= length))
      throw new RangeError(`span [${s.start}, ${s.end}) is not inside a sentence of ${length} tokens`);
  const tags = new Array<string>(length).fill('O');
  const write = (s: Span) => spanTags(s.end - s.start, s.type, scheme).forEach((t, i) => (tags[s.start + i] = t));

  if (policy === 'overwrite') {
    spans.forEach(write);
    const kept = new Set(decodeTags(tags).map(key));
    return { tags, dropped: spans.filter((s) => !kept.has(key(s))) };
  }
  const order = spans
    .map((s, i) => ({ s, i }))
    .sort((a, b) => b.s.end - b.s.start - (a.s.end - a.s.start) || a.s.start - b.s.start || a.i - b.i);
  const taken = new Array<boolean>(length).fill(false);
  const droppedIdx = new Set<number>();
  for (const { s, i } of order) {
    let free = true;
    for (let t = s.start; t < s.end && free; t++) free = !taken[t];
    if (!free) {
      droppedIdx.add(i);
      continue;
    }
    for (let t = s.start; t < s.end; t++) taken[t] = true;
    write(s);
  }
  return { tags, dropped: spans.filter((_, i) => droppedIdx.has(i)) };
}

const key = (s: Span) => `${s.start}:${s.end}:${s.type}`;

/** Prefix and type; `O` and tags without '-' count as outside. L is read as E and S as U. */
function splitTag(tag: string): [string, string] {
  const dash = tag.indexOf('-');
  if (dash === -1) return ['O', ''];
  const p = tag.slice(0, dash);
  return [p === 'L' ? 'E' : p === 'S' ? 'U' : p, tag.slice(dash + 1)];
}

/**
 * Whether `decodeTags` repairs `tag` after `prev` (undefined at the start): a continuation (I-, L-/E-) of no
 * open chunk of its type, which it reads as the start of a new chunk. The readers of tag formats count
 * these; in BILOU also `isUnclosedTag`.
 */
export function isRepairedTag(prev: string | undefined, tag: string): boolean {
  const [p, t] = splitTag(tag);
  if (p !== 'I' && p !== 'E') return false;
  const [pp, pt] = prev === undefined ? ['O', ''] : splitTag(prev);
  return !((pp === 'B' || pp === 'I') && pt === t);
}

/**
 * Whether, in BILOU, `decodeTags` repairs the chunk `tag` opens or continues before `next` (undefined at
 * the end): a B- or I- that no I- or L-/E- of its type follows, which it reads as a chunk ending there
 * (BILOU ends a chunk with L-, and a one-token one is U-). In BIO such a B- or I- ends a valid chunk.
 */
export function isUnclosedTag(tag: string, next: string | undefined): boolean {
  const [p, t] = splitTag(tag);
  if (p !== 'B' && p !== 'I') return false;
  const [np, nt] = next === undefined ? ['O', ''] : splitTag(next);
  return !((np === 'I' || np === 'E') && nt === t);
}

/**
 * Spec §5.1, verbatim: a token starts a chunk if its prefix is B or U, or it is I/E after E/U/O, or its
 * type differs from the previous tag's; otherwise a same-type token extends the open chunk.
 * E.g. `B-X E-X E-X` → [0,2) and [2,3); `I-X` after O starts a chunk; `B-X I-X` is one chunk.
 */
export function decodeTags(tags: readonly string[]): Span[] {
  const out: Span[] = [];
  let prevP = 'O';
  let prevT = '';
  let open: Span | undefined;
  tags.forEach((tag, i) => {
    const [p, t] = splitTag(tag);
    const start =
      p === 'B' || p === 'U' || ((prevP === 'E' || prevP === 'U' || prevP === 'O') && (p === 'I' || p === 'E')) || (p !== 'O' && t !== prevT);
    if (start) {
      if (open) out.push(open);
      open = { type: t, start: i, end: i + 1 };
    } else if (open && t === open.type) open.end = i + 1;
    prevP = p;
    prevT = t;
  });
  if (open) out.push(open);
  return out;
}
