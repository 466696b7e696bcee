/**
 * Token casing classes for the optional casing embedding (`caseDim` > 0). The word embedding is looked up
 * lowercased (GloVe 6B is uncased), so capitalisation reaches the tagger only through the char CNN, whose
 * max-pooling cannot tell an initial capital from an inner one; this class states it directly.
 */
export const CASE_CLASSES = 8; // 0 is padding

const UPPER = /\p{Lu}/u;
const LOWER = /\p{Ll}/u;
const DIGIT = /\p{Nd}/u;
const ALL_DIGITS = /^[\p{Nd}.,]+$/u;

/** 1 lower · 2 Initial · 3 ALLCAPS · 4 mIxEd · 5 number · 6 has a digit · 7 no letters or digits. */
export function casingClass(token: string): number {
  const hasUpper = UPPER.test(token);
  const hasLower = LOWER.test(token);
  if (DIGIT.test(token)) return ALL_DIGITS.test(token) ? 5 : 6;
  if (!hasUpper && !hasLower) return 7;
  if (!hasUpper) return 1;
  if (!hasLower) return 3;
  const rest = token.slice(String.fromCodePoint(token.codePointAt(0)!).length);
  return UPPER.test(token[0]) && !UPPER.test(rest) ? 2 : 4;
}
