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
const ATTACHES = /[\p{M}\p{Cf}\p{Emoji_Modifier}\uFF9E\uFF9F\u1160-\u11FF\uD7B0-\uD7FF]/uy;
/**
 * Characters that can attach to what follows them: GB9b Prepend (JavaScript has no property escape for
 * it, so the Unicode 15 list is spelled out), GB11 ZWJ and other format characters, and Hangul L, LV and
 * LVT (GB6–8).
 */
const ATTACHED_TO =
  /[\p{Cf}\u0600-\u0605\u06DD\u070F\u0890\u0891\u08E2\u0D4E\u1100-\u115F\uA960-\uA97C\uAC00-\uD7A3\u{110BD}\u{110CD}\u{111C2}\u{111C3}\u{1193F}\u{11941}\u{11A3A}\u{11A84}-\u{11A89}\u{11D46}\u{11F02}]/uy;
/** Prepend characters (GB9b), those of ATTACHED_TO. */
const PREPEND = /[\u0600-\u0605\u06DD\u070F\u0890\u0891\u08E2\u0D4E\u{110BD}\u{110CD}\u{111C2}\u{111C3}\u{1193F}\u{11941}\u{11A3A}\u{11A84}-\u{11A89}\u{11D46}\u{11F02}]/uy;
/** Characters that are surely not Control (GB4/5: Control is of Cc, Cf, Zl, Zp and unassigned code points). */
const NOT_CONTROL = /[\p{L}\p{M}\p{N}\p{P}\p{S}\p{Zs}\u0600-\u0605\u06DD\u070F\u0890\u0891\u08E2\u{110BD}\u{110CD}]/uy;
/** Printable ASCII: no rule but GB9b (after a Prepend) keeps one in the cluster before it. */
const ASCII_PRINTABLE = /[\x21-\x7E]/y;
/** Clusters are assumed shorter than this many code units (emoji ZWJ sequences are about 35). */
const LOOKBACK = 64;

const isLow = (s: string, i: number) => (s.charCodeAt(i) & 0xfc00) === 0xdc00;
const isHigh = (s: string, i: number) => (s.charCodeAt(i) & 0xfc00) === 0xd800;

/**
 * Whether code-unit offset `j` of `s` (0 < j < s.length) falls inside a grapheme cluster. ICU is asked
 * only where the rules need context: after a Prepend (GB9b) and before printable ASCII the answer is
 * known (each ICU call costs microseconds: a text of Prepend or format characters asked it at every one).
 */
export function insideGrapheme(s: string, j: number): boolean {
  const before = j - (isLow(s, j - 1) && isHigh(s, j - 2) ? 2 : 1);
  ATTACHES.lastIndex = j;
  ATTACHED_TO.lastIndex = before;
  const attaches = ATTACHES.test(s);
  if (!attaches && !ATTACHED_TO.test(s)) return false;
  PREPEND.lastIndex = before;
  if (PREPEND.test(s)) {
    NOT_CONTROL.lastIndex = j;
    if (NOT_CONTROL.test(s)) return true; // GB9b: Prepend × anything but a control (GB5)
  } else if (!attaches) {
    ASCII_PRINTABLE.lastIndex = j;
    if (ASCII_PRINTABLE.test(s)) return false; // after a ZWJ or format character: only GB9b would join
  }
  let a = Math.max(0, j - LOOKBACK);
  if (a > 0 && isLow(s, a)) a--;
  const window = s.slice(a, Math.min(s.length, j + 8));
  return segmenter.segment(window).containing(j - a)!.index !== j - a;
}
