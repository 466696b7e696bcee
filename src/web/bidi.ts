/**
 * Visual order of a row's pieces (words and entity boxes) for right-to-left scripts. The layout puts each
 * piece at its logical column, which reads backwards in Arabic or Hebrew; this is the Unicode bidi
 * algorithm's reordering (UAX #9, L2) at the grain of pieces: each piece keeps its own text, which the
 * browser shapes and orders inside, and runs of right-to-left pieces are mirrored in place.
 */

export interface Piece {
  text: string;
  x: number;
  w: number;
  /** Set on right-to-left pieces: drawn with that base direction, so `الظهران.` ends with its period on the left. */
  rtl?: boolean;
}

const rtlChar = /[\p{Script=Arabic}\p{Script=Hebrew}\p{Script=Syriac}\p{Script=Thaana}\p{Script=Nko}\p{Script=Adlam}]/u;
const strong = /[\p{L}]/u;

/** 'R', 'L', or undefined for pieces without letters (digits, punctuation), from their first letter. */
function direction(text: string): 'R' | 'L' | undefined {
  const letter = strong.exec(text)?.[0];
  return letter === undefined ? undefined : rtlChar.test(letter) ? 'R' : 'L';
}

export const hasRtl = (text: string): boolean => rtlChar.test(text);

/**
 * Moves `pieces` (in logical order) to their visual places. `base` is the paragraph's direction:
 * right-to-left paragraphs read their left-to-right runs (names, numbers in Latin) from the right too.
 */
export function reorderRow(pieces: Piece[], base: 'R' | 'L'): void {
  const dirs = pieces.map((p) => direction(p.text));
  // A piece without letters goes with its neighbours if they agree, else with the paragraph (N1, N2): the
  // strong direction before each piece in one pass, the one after it in another (a row of zero-width
  // characters can hold thousands of pieces).
  const before: ('R' | 'L')[] = [];
  let last = base;
  for (const [i, d] of dirs.entries()) {
    before[i] = last;
    last = d ?? last;
  }
  const resolved = dirs.slice();
  let next = base;
  for (let i = dirs.length - 1; i >= 0; i--) {
    resolved[i] ??= before[i] === next ? next : base;
    next = dirs[i] ?? next;
  }
  for (const [i, d] of resolved.entries()) if (d === 'R') pieces[i].rtl = true;
  // Embedding levels 0–2 (I1, I2), then reverse every run at each level from the highest down to 1 (L2):
  // one pass over the row per level.
  const levels = resolved.map((d) => (base === 'L' ? (d === 'R' ? 1 : 0) : d === 'R' ? 1 : 2));
  for (let level = 2; level >= 1; level--) {
    for (let i = 0; i < pieces.length; ) {
      if (levels[i] < level) {
        i++;
        continue;
      }
      let j = i;
      while (j + 1 < pieces.length && levels[j + 1] >= level) j++;
      mirror(pieces.slice(i, j + 1));
      i = j + 1;
    }
  }
}

/** Reverses a run on the grid: the run keeps its place and its spacing, its pieces swap sides. */
function mirror(run: Piece[]): void {
  const lo = run.reduce((m, p) => Math.min(m, p.x), Infinity);
  const hi = run.reduce((m, p) => Math.max(m, p.x + p.w), -Infinity);
  for (const p of run) p.x = lo + hi - (p.x + p.w);
}

/** The direction of a paragraph starting at `start`: that of its first letter (UAX #9 P2, P3). */
export function paragraphDirection(text: string, start: number): 'R' | 'L' {
  const re = /[\p{L}\n\r]/gu;
  re.lastIndex = start;
  return direction(re.exec(text)?.[0] ?? '') ?? 'L';
}
