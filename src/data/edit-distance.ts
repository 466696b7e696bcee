/**
 * Damerau–Levenshtein distance (optimal string alignment: insertions, deletions, substitutions and swaps
 * of neighbours) between two sequences of code points; past `max`, only that it is more (`max + 1`):
 * the names of a schema with thousands of types are then told apart in a row or two each.
 */
export function editDistance(a: readonly string[], b: readonly string[], max = Infinity): number {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  // A shared start and end cost nothing (`/people/person/…` names share most of theirs).
  let [from, end] = [0, 0];
  while (from < a.length && from < b.length && a[from] === b[from]) from++;
  while (end < a.length - from && end < b.length - from && a[a.length - 1 - end] === b[b.length - 1 - end]) end++;
  [a, b] = [a.slice(from, a.length - end), b.slice(from, b.length - end)];
  let [before, prev] = [[] as number[], Array.from({ length: b.length + 1 }, (_, j) => j)];
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) {
      cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) cur[j] = Math.min(cur[j], before[j - 2] + 1);
    }
    // Each later cell comes from this row or the one before (a swap), plus 0 or more: past max in both, it stays past.
    if (Math.min(...cur) > max && Math.min(...prev) > max) return max + 1;
    [before, prev] = [prev, cur];
  }
  return Math.min(prev[b.length], max + 1);
}
