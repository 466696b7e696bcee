/**
 * Seeded, checkpointable randomness outside libtorch: the epoch shuffle, scheduled sampling and MRT
 * draws all read one xoroshiro128+ stream (pure-rand), whose four-number state goes into checkpoints.
 * Dropout draws from libtorch's own generator, seeded here too and saved beside it (see checkpoint.ts),
 * so that a resumed run repeats the uninterrupted run bit for bit.
 */
import { uniformFloat64 } from 'pure-rand/distribution/uniformFloat64';
import { uniformInt } from 'pure-rand/distribution/uniformInt';
import { xoroshiro128plusFromState } from 'pure-rand/generator/xoroshiro128plus';
import type { RandomGenerator } from 'pure-rand/types/RandomGenerator';
import { seededGenerator } from '../data/seeded-rng.js';
import type { Rng } from '../model/types.js';

export class TrainRng implements Rng {
  private constructor(private gen: RandomGenerator) {}

  static seeded(seed: number): TrainRng {
    return new TrainRng(seededGenerator(seed));
  }

  static fromState(state: readonly number[]): TrainRng {
    return new TrainRng(xoroshiro128plusFromState(state));
  }

  /** Uniform in [0, 1), 53 random bits. */
  random(): number {
    return uniformFloat64(this.gen);
  }

  /** Uniform integer in [0, n). */
  int(n: number): number {
    return uniformInt(this.gen, 0, n - 1);
  }

  /** Fisher–Yates shuffle of `a` in place. */
  shuffle<T>(a: T[]): T[] {
    for (let i = a.length - 1; i > 0; i--) {
      const j = this.int(i + 1);
      [a[i], a[j]] = [a[j], a[i]];
    }
    return a;
  }

  getState(): number[] {
    return [...this.gen.getState()];
  }
}
