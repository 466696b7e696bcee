/**
 * Monospace columns of text, so layout can be computed anywhere (Node or browser) without measuring
 * fonts: combining marks and joiners take 0 columns, emoji and East Asian wide characters 2, others 1.
 */
const zeroWidth = /^[\p{M}\u200b-\u200f\ufe00-\ufe0f]$/u;
const wide =
  /^[\p{Emoji_Presentation}\u1100-\u115f\u2e80-\u303e\u3041-\u33ff\u3400-\u4dbf\u4e00-\u9fff\ua000-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6\u{20000}-\u{3fffd}]$/u;

export function charColumns(ch: string): number {
  if (ch.charCodeAt(0) < 0x300) return 1; // fast path: Latin text
  if (zeroWidth.test(ch)) return 0;
  return wide.test(ch) ? 2 : 1;
}

/** `cols[i]` = columns before UTF-16 offset `i` (for `i` = 0 … length; inside a surrogate pair, the pair's start). */
export function columnIndex(text: string): Int32Array {
  const cols = new Int32Array(text.length + 1);
  let col = 0;
  for (let i = 0; i < text.length; ) {
    const cp = text.codePointAt(i) as number;
    const units = cp > 0xffff ? 2 : 1;
    for (let k = 0; k < units; k++) cols[i + k] = col;
    col += charColumns(String.fromCodePoint(cp));
    i += units;
  }
  cols[text.length] = col;
  return cols;
}

/** Columns `text` takes (a type name in a tag or label: `出生地` is 6, not 3). */
export function columns(text: string): number {
  return columnIndex(text)[text.length];
}
