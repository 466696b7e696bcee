/** The N best valid chunkings (list Viterbi), checked against brute force. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { kBestTags } from '../../src/data/kbest.js';
import { tagGrammar, viterbiTags, type ChainScores } from '../../src/data/viterbi.js';
import { BILOU, isValid, randomLogProbs, validSequences } from './chunkings.js';

const g = tagGrammar(BILOU);

function randomChain(seed: number): ChainScores {
  const r = randomLogProbs(1, g.n * g.n + 2 * g.n, seed);
  return { trans: r.subarray(0, g.n * g.n), start: r.subarray(g.n * g.n, g.n * g.n + g.n), end: r.subarray(g.n * g.n + g.n) };
}

for (const withChain of [false, true])
  test(`kBestTags: the N best valid sequences, best first, distinct, with their scores (brute force over 9^T, T = 1…4${withChain ? ', CRF chain' : ''})`, () => {
    for (let T = 1; T <= 4; T++)
      for (let seed = 1; seed <= 12; seed++) {
        const logp = randomLogProbs(T, g.n, seed * 17 + T);
        const chain = withChain ? randomChain(seed) : undefined;
        const all = validSequences(logp, T, g, chain).sort((a, b) => b.score - a.score);
        for (const N of [1, 3, 7]) {
          const got = kBestTags(logp, 0, T, g, N, chain);
          assert.equal(got.length, Math.min(N, all.length));
          assert.equal(new Set(got.map((b) => b.tags.join(','))).size, got.length, 'distinct');
          got.forEach((b, r) => {
            assert.ok(isValid([...b.tags], g), 'isValid([...b.tags], g)');
            const exact = all.find((a) => a.seq.join(',') === b.tags.join(','))!.score;
            assert.ok(Math.abs(b.score - exact) < 1e-9, 'its own score');
            assert.ok(Math.abs(b.score - all[r].score) < 1e-9, `T=${T} seed=${seed} N=${N}: rank ${r} scores ${b.score}, want ${all[r].score}`);
          });
          assert.deepEqual([...got[0].tags], [...viterbiTags(logp, 0, T, g, chain)]);
        }
      }
  });

test('kBestTags: fewer sequences than N when the sentence has fewer, rows at an offset, empty sentences', () => {
  const small = tagGrammar(['O', 'U-Peop']);
  const logp = Float64Array.from([-9, -9, Math.log(0.7), Math.log(0.3)]); // one pad row, then one token
  const got = kBestTags(logp, 2, 1, small, 5);
  assert.deepEqual(got.map((b) => [...b.tags]), [[0], [1]]);
  assert.deepEqual(kBestTags(logp, 0, 0, small, 3).map((b) => b.tags.length), [0]);
  assert.deepEqual(kBestTags(logp, 0, 1, small, 0), []);
});
