import { test } from 'node:test';
import assert from 'node:assert/strict';
import { foldPositions, splitPositions } from '../../src/data/split.js';
import { TrainRng } from '../../src/train/rng.js';

const range = (n: number) => Array.from({ length: n }, (_, i) => i);
/** The seeded order of 0 … 11 as the split draws it: one document per fold. */
const splitOrder = (seed: number) => foldPositions(12, 12, seed).map((f) => f[0]);
const trainShuffle = (seed: number) => TrainRng.seeded(seed).shuffle(range(12));

// Drawn by the code before seeds kept their high bits (`xoroshiro128plus(seed | 0)`): 32-bit seeds must
// keep giving these splits, folds and training orders, or old split.json and train runs stop reproducing.
const PINNED: [number, number[]][] = [
  [1, [5, 8, 9, 7, 3, 4, 0, 10, 11, 1, 2, 6]],
  [42, [0, 8, 9, 3, 7, 6, 4, 2, 11, 10, 5, 1]],
  [2 ** 31 - 1, [5, 6, 10, 8, 11, 1, 4, 2, 7, 3, 9, 0]],
  [-1, [9, 3, 4, 11, 0, 10, 5, 2, 7, 1, 6, 8]],
];

test('seeds of 32 bits split, fold and shuffle as they always have', () => {
  for (const [seed, order] of PINNED) {
    assert.deepEqual(splitOrder(seed), order, `split, seed ${seed}`);
    assert.deepEqual(trainShuffle(seed), order, `training shuffle, seed ${seed}`);
  }
  const rng = TrainRng.seeded(1);
  rng.shuffle(range(12));
  assert.deepEqual([rng.random(), rng.int(1000)], [0.3232984705040848, 257]);
});

test('a seed beyond 32 bits draws otherwise than its low 32 bits (2^32 + 1 is not seed 1)', () => {
  // Each pair shares its low 32 bits: the old code folded the first onto the second.
  for (const [wide, twin] of [[2 ** 32 + 1, 1], [2 ** 32 - 1, -1], [-(2 ** 32) + 42, 42], [Number.MAX_SAFE_INTEGER, -1]]) {
    assert.notDeepEqual(splitOrder(wide), splitOrder(twin), `split, ${wide} vs ${twin}`);
    assert.notDeepEqual(trainShuffle(wide), trainShuffle(twin), `training shuffle, ${wide} vs ${twin}`);
    assert.notDeepEqual(TrainRng.seeded(wide).getState(), TrainRng.seeded(twin).getState());
    const split = (seed: number) => splitPositions(40, { dev: { count: 4 }, test: { count: 4 }, seed });
    assert.notDeepEqual(split(wide), split(twin), `split parts, ${wide} vs ${twin}`);
  }
  // Still seeded: the same wide seed gives the same order twice.
  assert.deepEqual(splitOrder(2 ** 32 + 1), splitOrder(2 ** 32 + 1));
});
