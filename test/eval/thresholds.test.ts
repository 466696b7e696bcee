/** Strict relation scores over relation thresholds (src/eval/thresholds.ts). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isUserError } from '../../src/errors.js';
import { formatThresholds, thresholdSweep } from '../../src/eval/index.js';
import { doc, schema, sent } from './helpers.js';

const S = schema(['Peop', 'Org', 'Loc'], ['Work_For', 'Live_In']);
// Gold: two relations. Predicted: the right Work_For (0.9), a wrong Live_In (0.6), the right Live_In (0.3).
const gold = [doc('d', sent(6, [[0, 1, 'Peop'], [2, 3, 'Org'], [4, 5, 'Loc']], [[0, 1, 'Work_For'], [0, 2, 'Live_In']]))];
const pred = [doc('d', sent(6, [[0, 1, 'Peop'], [2, 3, 'Org'], [4, 5, 'Loc']], [[0, 1, 'Work_For'], [1, 2, 'Live_In'], [0, 2, 'Live_In']]))];
const scores = [[[0.9, 0.6, 0.3]]];

test('each threshold keeps the relations scored at least it, in increasing order', () => {
  const rows = thresholdSweep(gold, pred, scores, [0.95, 0, 0.3, 0.5, 0.9], { schema: S });
  assert.deepEqual(rows.map((r) => [r.threshold, r.relations]), [[0, 3], [0.3, 3], [0.5, 2], [0.9, 1], [0.95, 0]]);
  assert.deepEqual([rows[0].p, rows[0].r, rows[0].f1], [2 / 3, 1, 0.8]);
  assert.deepEqual([rows[2].p, rows[2].r], [0.5, 0.5]);
  assert.deepEqual([rows[3].p, rows[3].r, rows[3].f1], [1, 0.5, 2 / 3]);
  assert.deepEqual([rows[4].p, rows[4].f1], [0, 0]);
  const text = formatThresholds(rows);
  assert.match(text, /^0\.90 +1 +100\.00 +50\.00 +66\.67$/m);
  assert.match(text, /^Best F1 80\.00 at 0\.00: choose the threshold on dev data/m);
});

test('bad thresholds and scores that do not fit the predictions are UserErrors', () => {
  const fails = (f: () => unknown, message: RegExp) => assert.throws(f, (e: unknown) => isUserError(e) && message.test((e as Error).message));
  fails(() => thresholdSweep(gold, pred, scores, [1.5]), /a relation threshold must be a number in \[0, 1\], not 1\.5/);
  fails(() => thresholdSweep(gold, pred, scores, [Number.NaN]), /not NaN/);
  fails(() => thresholdSweep(gold, pred, [[[0.9]]], [0.5]), /document 'd', sentence 0: 3 relations but 1 scores/);
  fails(() => thresholdSweep(gold, pred, [], [0.5]), /3 relations but 0 scores/);
});
