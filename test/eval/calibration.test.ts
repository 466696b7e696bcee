/** Score calibration (src/eval/calibration.ts): bins, precision by strict matching, ECE. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isUserError } from '../../src/errors.js';
import { calibration, formatCalibration } from '../../src/eval/index.js';
import { doc, schema, sent } from './helpers.js';

const S = schema(['Peop', 'Org', 'Loc'], ['Work_For', 'Live_In']);
const gold = [doc('d', sent(6, [[0, 1, 'Peop'], [2, 3, 'Org'], [4, 5, 'Loc']], [[0, 1, 'Work_For']]))];
// Entities: Peop right (0.95), Org right (0.85), Loc typed Org, wrong (0.82). Relations: Work_For right (0.9), Live_In wrong (0.55).
const pred = [doc('d', sent(6, [[0, 1, 'Peop'], [2, 3, 'Org'], [4, 5, 'Org']], [[0, 1, 'Work_For'], [0, 2, 'Live_In']]))];
const scores = { entities: [[[0.95, 0.85, 0.82]]], relations: [[[0.9, 0.55]]] };

test('items fall in bins of 0.1 by score, right when strict scoring matches them; ECE weighs the gaps', () => {
  const c = calibration(gold, pred, scores, { schema: S });
  const filled = (bins: typeof c.entities.bins) => bins.filter((b) => b.items > 0).map((b) => [b.low, b.items, +b.meanScore.toFixed(3), b.precision]);
  assert.deepEqual(filled(c.entities.bins), [[0.8, 2, 0.835, 0.5], [0.9, 1, 0.95, 1]]);
  assert.deepEqual(filled(c.relations.bins), [[0.5, 1, 0.55, 0], [0.9, 1, 0.9, 1]]);
  // Entities: 2/3 · |0.835 − 0.5| + 1/3 · |0.95 − 1|; relations: ½ · 0.55 + ½ · 0.1.
  assert.ok(Math.abs(c.entities.ece - ((2 / 3) * 0.335 + (1 / 3) * 0.05)) < 1e-9, 'Math.abs(c.entities.ece - ((2 / 3) * 0.335 + (1 / 3) * 0.05)) < 1e-9');
  assert.ok(Math.abs(c.relations.ece - 0.325) < 1e-9, 'Math.abs(c.relations.ece - 0.325) < 1e-9');
  assert.deepEqual([c.entities.items, c.relations.items], [3, 2]);
  const text = formatCalibration(c);
  assert.match(text, /^0\.8–0\.9 +2 +83\.5 +50\.0 +0$/m);
  assert.match(text, /Expected calibration error: entities 24\.0 points over 3, relations 32\.5 over 2\./);
  // A score of exactly 1 is in the last bin.
  const one = calibration(gold, pred, { entities: [[[1, 1, 1]]], relations: [[[1, 1]]] }, { schema: S });
  assert.equal(one.relations.bins[9].items, 2);
});

test('scores that do not fit the predictions are a UserError', () => {
  assert.throws(() => calibration(gold, pred, { entities: [[[0.9]]], relations: scores.relations }), (e: unknown) => isUserError(e) && /3 entities but 1 scores/.test((e as Error).message));
});
