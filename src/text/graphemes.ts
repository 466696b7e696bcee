/**
 * Grapheme-cluster test for token junctions. V8's Intl.Segmenter costs time proportional to the whole
 * string for every segment it yields (quadratic over a long text), so it only ever sees a small window
 * around a junction, and only when a cheap test says the junction could be inside a cluster.
 */
const segmenter = new Intl.Segmenter('en', { granularity: 'grapheme' });
/**
 * Characters that can attach to what precedes them (GB9, GB9a): marks, ZWJ, tags, modifiers. Regional
 * indicators are left out: the tokenizer pairs them from the start of their run, as GB12/13 do.
 */
const ATTACHES = /[\p{M}\p{Cf}\p{Emoji_Modifier}\uFF9E\uFF9F]/uy;
/** Characters that can attach to what follows them (GB9b prepend, GB11 ZWJ). */
const ATTACHED_TO = /\p{Cf}/uy;
/** Clusters are assumed shorter than this many code units (emoji ZWJ sequences are about 35). */
const LOOKBACK = 64;

const isLow = (s: string, i: number) => (s.charCodeAt(i) & 0xfc00) === 0xdc00;
const isHigh = (s: string, i: number) => (s.charCodeAt(i) & 0xfc00) === 0xd800;

/** Whether code-unit offset `j` of `s` (0 < j < s.length) falls inside a grapheme cluster. */
export function insideGrapheme(s: string, j: number): boolean {
  ATTACHES.lastIndex = j;
  ATTACHED_TO.lastIndex = j - (isLow(s, j - 1) && isHigh(s, j - 2) ? 2 : 1);
  if (!ATTACHES.test(s) && !ATTACHED_TO.test(s)) return false;
  let a = Math.max(0, j - LOOKBACK);
  if (a > 0 && isLow(s, a)) a--;
  const window = s.slice(a, Math.min(s.length, j + 8));
  return segmenter.segment(window).containing(j - a)!.index !== j - a;
}
