/** Longest name or type a drawing writes where it is repeated, or drawn as a label (data attributes keep it whole). */
const MAX_SHOWN = 60;

/**
 * `text`, cut to MAX_SHOWN characters with `…`: an entity's name and type are said again in each of its
 * relations, and every type is drawn under its box or on its arc and said in the titles and description,
 * so a long one made a drawing of gigabytes (with thousands of relations) or many times its request.
 * Cut so, a drawing stays within a few dozen times its request.
 */
export function shorten(text: string): string {
  if (text.length <= MAX_SHOWN) return text;
  const cut = /[\ud800-\udbff]/.test(text[MAX_SHOWN - 1]) ? MAX_SHOWN - 1 : MAX_SHOWN; // not inside a surrogate pair
  return `${text.slice(0, cut)}…`;
}
