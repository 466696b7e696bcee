import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spansOverlap } from '../../src/eval/compact.js';
import { percent } from '../../src/eval/table.js';

// One helper each where the error breakdowns and the score tables had copies (review 15b finding 7).

test('spansOverlap: end-exclusive token spans share a token; touching ones do not', () => {
  assert.equal(spansOverlap([0, 2, 'Peop'], [1, 3, 'Loc']), true, 'crossing');
  assert.equal(spansOverlap([0, 4, 'Org'], [1, 2, 'Loc']), true, 'nested');
  assert.equal(spansOverlap([1, 2, 'Loc'], [1, 2, 'Org']), true, 'the same span');
  assert.equal(spansOverlap([0, 2, 'Peop'], [2, 3, 'Loc']), false, 'touching');
  assert.equal(spansOverlap([2, 3, 'Loc'], [0, 2, 'Peop']), false, 'touching, the other way round');
});

test('percent: a fraction as the score tables print it, with 2 decimals', () => {
  assert.deepEqual([percent(0.6789), percent(1), percent(0), percent(2 / 3)], ['67.89', '100.00', '0.00', '66.67']);
});
