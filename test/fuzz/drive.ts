/** Runs the fuzz property over one target with fast-check; shared by the CI slice and `bench/fuzz.ts`. */
import fc from 'fast-check';
import { runCase, scratch, type Outcome } from './check.js';
import { mutation } from './mutate.js';
import type { Target } from './targets.js';

export interface FuzzCounts {
  cases: number;
  parsed: number;
  userErrors: number;
  /** Cases per mutation kind. */
  byKind: Record<string, number>;
  /** Slowest case, ms. */
  maxMs: number;
}

/** Fuzzes `target` with `numRuns` cases from the fast-check `seed`; throws on the first violation. */
export async function fuzz(target: Target, seed: number, numRuns: number): Promise<FuzzCounts> {
  const counts: FuzzCounts = { cases: 0, parsed: 0, userErrors: 0, byKind: {}, maxMs: 0 };
  const space = scratch();
  const input = fc
    .nat(target.seeds.length - 1)
    .chain((i) => fc.tuple(fc.constant(i), mutation(target.seeds[i].files[target.seeds[i].mutate], target.seeds[i].shape), fc.boolean()));
  try {
    await fc.assert(
      fc.asyncProperty(input, async ([i, m, detect]) => {
        const t0 = performance.now();
        const outcome: Outcome = await runCase(target, target.seeds[i], m, detect, space.dir);
        counts.maxMs = Math.max(counts.maxMs, performance.now() - t0);
        counts.cases++;
        if (outcome === 'parsed') counts.parsed++;
        else counts.userErrors++;
        counts.byKind[m.kind] = (counts.byKind[m.kind] ?? 0) + 1;
      }),
      // No shrinking: a violation's message already says which mutation broke what, and shrinking
      // 100 KB nested inputs would take longer than the whole slice.
      { seed, numRuns, endOnFailure: true },
    );
  } finally {
    space.dispose();
  }
  return counts;
}
