/** Binary search over anything sorted, without materialising it. */

/** The first index in [0, n) where `ok` holds, `ok` being false then true along the indices (n if none). */
export function firstIndex(n: number, ok: (i: number) => boolean): number {
  let [lo, hi] = [0, n];
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (ok(mid)) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}
