/** Placing a label among vertical lines (arc legs, drops to stacked boxes) that must not cross it. */

/**
 * The point of [lo, hi] nearest `want` at least `r` from every x of `lines` (sorted), if any: the centre
 * of a label of half-width `r` minus its margin that no line crosses, moved as little as it can.
 */
export function nearestClear(lines: readonly number[], r: number, lo: number, hi: number, want: number): number | undefined {
  let best: number | undefined;
  const consider = (a: number, b: number) => {
    if (a > b) return;
    const c = Math.min(Math.max(want, a), b);
    if (best === undefined || Math.abs(c - want) < Math.abs(best - want)) best = c;
  };
  // A line at x rules out the points in (x - r, x + r); the free gaps lie between.
  let free = lo;
  for (const x of lines) {
    consider(free, Math.min(x - r, hi));
    free = Math.max(free, x + r);
  }
  consider(free, hi);
  return best;
}
