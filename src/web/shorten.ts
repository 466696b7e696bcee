/** Longest name or type a drawing writes where it is repeated, or drawn as a label (data attributes keep it whole). */
const MAX_SHOWN = 60;

const graphemes = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

/**
 * `text`, cut to at most MAX_SHOWN UTF-16 units with `…`: an entity's name and type are said again in each
 * of its relations, and every type is drawn under its box or on its arc and said in the titles and
 * description, so a long one made a drawing of gigabytes (with thousands of relations) or many times its
 * request. Cut so, a drawing stays within a few dozen times its request. The cut falls between user-perceived
 * characters, so an emoji sequence (👩‍👩‍👧) or a letter with its combining marks is kept whole or left out whole.
 */
export function shorten(text: string): string {
  if (text.length <= MAX_SHOWN) return text;
  let cut = 0;
  // Whether a boundary falls before the code point at unit i depends only on the code points up to and
  // including that one, which may take units i and i + 1 (an astral character): segmenting two units past
  // MAX_SHOWN finds every boundary that matters. Segmenting the whole of a long text took seconds.
  for (const { index, segment } of graphemes.segment(text.slice(0, MAX_SHOWN + 2))) {
    if (index + segment.length > MAX_SHOWN) break;
    cut = index + segment.length;
  }
  return `${text.slice(0, cut)}…`;
}
