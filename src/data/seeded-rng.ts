/**
 * The one seed-to-generator step of the package (the data split and folds, training's shuffle and draws,
 * the bootstrap): xoroshiro128+ from pure-rand, seeded with all of a safe integer's bits.
 */
import { xoroshiro128plus, xoroshiro128plusFromState } from 'pure-rand/generator/xoroshiro128plus';
import type { RandomGenerator } from 'pure-rand/types/RandomGenerator';

/**
 * The generator of a seed. `xoroshiro128plus` keeps the seed's low 32 bits only (2^32 + 1 would draw as
 * 1), so the bits above go into the state word it leaves 0; seeds in [−2^31, 2^31) draw exactly as it
 * draws them, and distinct safe integers give distinct states (negative seeds included).
 */
export function seededGenerator(seed: number): RandomGenerator {
  const low = seed | 0;
  const high = (seed - low) / 2 ** 32;
  return high === 0 ? xoroshiro128plus(low) : xoroshiro128plusFromState([-1, ~low, low, high | 0]);
}
