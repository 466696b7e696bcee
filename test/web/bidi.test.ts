/**
 * The right-to-left reordering of a row's pieces: the same visual order as the plain reading of UAX #9
 * (a neutral piece looks back and ahead for its strong neighbours), in time linear in the row, which a row
 * of zero-width characters can fill with tens of thousands of pieces.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { reorderRow, type Piece } from '../../src/web/bidi.js';
import { timed } from '../cpu-clock.js';

/** The reordering as first written: each neutral piece searches the whole row both ways (quadratic). */
function reference(pieces: Piece[], base: 'R' | 'L'): void {
  const direction = (text: string) => {
    const letter = /\p{L}/u.exec(text)?.[0];
    return letter === undefined ? undefined : /[\p{Script=Arabic}\p{Script=Hebrew}\p{Script=Syriac}\p{Script=Thaana}\p{Script=Nko}\p{Script=Adlam}]/u.test(letter) ? 'R' : 'L';
  };
  const dirs = pieces.map((p) => direction(p.text));
  const resolved = dirs.map((d, i) => {
    if (d) return d;
    const before = dirs.slice(0, i).reverse().find(Boolean) ?? base;
    const after = dirs.slice(i + 1).find(Boolean) ?? base;
    return before === after ? before : base;
  });
  for (const [i, d] of resolved.entries()) if (d === 'R') pieces[i].rtl = true;
  const levels = resolved.map((d) => (base === 'L' ? (d === 'R' ? 1 : 0) : d === 'R' ? 1 : 2));
  for (let level = Math.max(0, ...levels); level >= 1; level--) {
    for (let i = 0; i < pieces.length; ) {
      if (levels[i] < level) {
        i++;
        continue;
      }
      let j = i;
      while (j + 1 < pieces.length && levels[j + 1] >= level) j++;
      const run = pieces.slice(i, j + 1);
      const lo = Math.min(...run.map((p) => p.x));
      const hi = Math.max(...run.map((p) => p.x + p.w));
      for (const p of run) p.x = lo + hi - (p.x + p.w);
      i = j + 1;
    }
  }
}

/** A row: pieces of Hebrew, Arabic, Latin, digits, punctuation or zero-width text, side by side (some of no width). */
const row = fc
  .array(fc.record({ text: fc.constantFrom('שרה', 'الظهران.', 'Ann', '42', '—', '(', '\u200b', 'é', '3M'), w: fc.nat(5) }), { maxLength: 60 })
  .map((pieces) => {
    let x = 0;
    return pieces.map((p): Piece => {
      const piece = { text: p.text, x, w: p.w * 8.4 };
      x += piece.w + 8.4 * (p.w % 2);
      return piece;
    });
  });

describe('reorderRow', () => {
  it('places every piece as the quadratic reading of UAX #9 does, in either paragraph direction', () => {
    fc.assert(
      fc.property(row, fc.constantFrom<'R' | 'L'>('R', 'L'), (pieces, base) => {
        const expected = structuredClone(pieces);
        reference(expected, base);
        reorderRow(pieces, base);
        assert.deepEqual(pieces, expected);
      }),
      { numRuns: 3000, seed: 6 },
    );
  });

  it('reorders the review\'s row of 20,000 pieces (one Hebrew letter, then zero-width characters) in linear time', () => {
    // 2.4 s of a drawing went here: each of the neutral pieces searched the row both ways.
    const row = (n: number): Piece[] => Array.from({ length: n }, (_, i) => ({ text: i === 0 ? 'א' : '\u200b', x: 18, w: i === 0 ? 8.4 : 0 }));
    const pieces = row(20_000);
    reorderRow(pieces, 'R');
    assert.ok(pieces.every((p) => p.rtl), 'neutrals between right-to-left and the paragraph end read right to left');
    // A row 4 times as long takes about 4 times as long (quadratic: 16). The fastest of several runs of rows
    // long enough (tens of ms) that timer and collection noise do not count; a quadratic regression fails
    // at its first long run rather than running for minutes. Time not counting other processes'
    // (cpu-clock.ts): on a busy machine they stretched the long runs more than the short ones (33×).
    const time = (n: number) => {
      const p = row(n);
      return timed(() => reorderRow(p, 'R')).ms;
    };
    time(80_000); // warm-up
    const fastest = (n: number, runs: number) =>
      Math.min(...Array.from({ length: runs }, () => {
        const t = time(n);
        assert.ok(t < 2000, `${n} pieces took ${t.toFixed(0)} ms`);
        return t;
      }));
    const [small, large] = [fastest(40_000, 5), fastest(160_000, 5)];
    assert.ok(large / small < 9, `4x the pieces took ${(large / small).toFixed(1)}x the time (${large.toFixed(1)} ms)`);
  });
});
