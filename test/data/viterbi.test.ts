/** Constrained tag decoding: the best valid chunking, checked against brute force. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { decodeTags } from '../../src/data/bilou.js';
import { tagGrammar, viterbiTags, type TagGrammar } from '../../src/data/viterbi.js';
import { BILOU, isValid as valid, randomLogProbs, validSequences } from './chunkings.js';

/** The best valid sequence of n^T. */
function bruteForce(logp: Float64Array, T: number, g: TagGrammar): { seq: number[]; score: number } {
  return validSequences(logp, T, g).reduce((a, b) => (b.score > a.score ? b : a));
}

test('tagGrammar: B/I continue with I/L of the same type; O, L, U are followed by O, B or U', () => {
  const g = tagGrammar(BILOU);
  const ok = (a: string, b: string) => g.allowed[BILOU.indexOf(a) * g.n + BILOU.indexOf(b)] === 1;
  assert.ok(ok('B-Peop', 'I-Peop') && ok('B-Peop', 'L-Peop') && ok('I-Peop', 'L-Peop'), 'ok(\'B-Peop\', \'I-Peop\') && ok(\'B-Peop\', \'L-Peop\') && ok(\'I-Peop\', \'L-Peop\')');
  assert.ok(!ok('B-Peop', 'L-Org') && !ok('B-Peop', 'O') && !ok('I-Peop', 'U-Peop') && !ok('B-Peop', 'B-Peop'), '!ok(\'B-Peop\', \'L-Org\') && !ok(\'B-Peop\', \'O\') && !ok(\'I-Peop\', \'U-Peop\') && !ok(\'B-Peop\', \'B-Peop\')');
  assert.ok(ok('O', 'B-Org') && ok('L-Peop', 'U-Org') && ok('U-Peop', 'O'), 'ok(\'O\', \'B-Org\') && ok(\'L-Peop\', \'U-Org\') && ok(\'U-Peop\', \'O\')');
  assert.ok(!ok('O', 'I-Peop') && !ok('O', 'L-Peop') && !ok('U-Org', 'L-Org'), '!ok(\'O\', \'I-Peop\') && !ok(\'O\', \'L-Peop\') && !ok(\'U-Org\', \'L-Org\')');
  assert.deepEqual([...g.first].map((v, j) => (v ? BILOU[j] : '')).filter(Boolean), ['O', 'B-Peop', 'U-Peop', 'B-Org', 'U-Org']);
  assert.deepEqual([...g.last].map((v, j) => (v ? BILOU[j] : '')).filter(Boolean), ['O', 'L-Peop', 'U-Peop', 'L-Org', 'U-Org']);
});

test('viterbiTags finds the most probable valid sequence (brute force over 9^T, T = 1…4)', () => {
  const g = tagGrammar(BILOU);
  for (let T = 1; T <= 4; T++)
    for (let seed = 1; seed <= 25; seed++) {
      const logp = randomLogProbs(T, g.n, seed * 31 + T);
      const got = [...viterbiTags(logp, 0, T, g)];
      const want = bruteForce(logp, T, g);
      assert.ok(valid(got, g), `T=${T} seed=${seed}: ${got} is not valid`);
      const score = got.reduce((s, tag, t) => s + logp[t * g.n + tag], 0);
      assert.ok(Math.abs(score - want.score) < 1e-12, `T=${T} seed=${seed}: ${score} < ${want.score}`);
    }
});

test('viterbiTags agrees with the argmax where the argmax is valid, and repairs `B-Peop O`', () => {
  const g = tagGrammar(BILOU);
  const rows = (...ps: number[][]) => Float64Array.from(ps.flatMap((p) => p.map(Math.log)));
  const p = (hot: string, q: number) => BILOU.map((t) => (t === hot ? q : (1 - q) / (BILOU.length - 1)));
  // argmax B-Peop L-Peop O: valid, kept
  const a = rows(p('B-Peop', 0.9), p('L-Peop', 0.8), p('O', 0.9));
  assert.deepEqual([...viterbiTags(a, 0, 3, g)].map((i) => BILOU[i]), ['B-Peop', 'L-Peop', 'O']);
  // argmax B-Peop O: invalid; U-Peop O wins when U is the runner-up of token 0
  const u = p('B-Peop', 0.5);
  u[BILOU.indexOf('U-Peop')] = 0.45;
  u[0] = 0.01;
  const b = rows(u.map((x) => x / u.reduce((s, y) => s + y, 0)), p('O', 0.9));
  const tags = [...viterbiTags(b, 0, 2, g)].map((i) => BILOU[i]);
  assert.deepEqual(tags, ['U-Peop', 'O']);
  assert.deepEqual(decodeTags(tags), [{ type: 'Peop', start: 0, end: 1 }]);
});

test('viterbiTags reads rows at an offset and handles BIEOU names and empty sentences', () => {
  const tags = ['O', 'B-Loc', 'I-Loc', 'E-Loc', 'S-Loc'];
  const g = tagGrammar(tags);
  assert.equal(g.allowed[1 * 5 + 3], 1); // B → E
  assert.equal(g.allowed[4 * 5 + 3], 0); // S → E
  const pad = new Float64Array(5).fill(-9);
  const body = Float64Array.from([-5, -0.1, -5, -5, -5, -5, -5, -5, -0.2, -5]); // B then E
  const logp = Float64Array.from([...pad, ...body]);
  assert.deepEqual([...viterbiTags(logp, 5, 2, g)], [1, 3]);
  assert.equal(viterbiTags(logp, 0, 0, g).length, 0);
});
