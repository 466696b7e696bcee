/** Calibrated scores (src/model/score-map.ts): the isotonic fit, its application, and `meta.calibration` checks. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isUserError } from '../../src/errors.js';
import { applyScoreMap, fitScoreMap, mapScores, readScoreMaps } from '../../src/model/score-map.js';

test('the fit pools adjacent violators into a non-decreasing map at the blocks\' mean scores', () => {
  // Sorted by score: right, wrong, wrong, right, right. The first two violate order and pool with the third.
  const close = (a: { x: number[]; y: number[] }, b: { x: number[]; y: number[] }) =>
    assert.ok(a.x.length === b.x.length && [...a.x, ...a.y].every((v, i) => Math.abs(v - [...b.x, ...b.y][i]) < 1e-12), JSON.stringify(a));
  const m = fitScoreMap([[0.9, true], [0.2, true], [0.3, false], [0.4, false], [0.8, true]]);
  close(m, { x: [0.3, 0.85], y: [1 / 3, 1] });
  for (let i = 1; i < m.y.length; i++) assert.ok(m.y[i] >= m.y[i - 1], 'm.y[i] >= m.y[i - 1]');
  // Equal neighbours pool too: a block per run of one outcome in ordered data.
  close(fitScoreMap([[0.1, false], [0.2, false], [0.7, true]]), { x: [0.15, 0.7], y: [0, 1] });
  assert.deepEqual(fitScoreMap([]), { x: [0, 1], y: [0, 1] });
});

test('items of equal score are one point of the fit: one value, their share right, in any order', () => {
  // Three items at 1 (one right): whatever their order, a score of 1 maps to 1/3, not to the last run's 0 or 1.
  for (const order of [[true, false, false], [false, false, true], [false, true, false]]) {
    const m = fitScoreMap([[0.2, false], ...order.map((r): [number, boolean] => [1, r])]);
    assert.deepEqual(m, { x: [0.2, 1], y: [0, 1 / 3] }, JSON.stringify(order));
    assert.equal(applyScoreMap(m, 1), 1 / 3);
  }
  // A tie pooled as a whole: [0.4: 2 of 5] stays below [0.6: 2 of 3], though the 0.6 group starts with a wrong one.
  const pts: [number, boolean][] = [[0.4, true], [0.4, true], [0.4, false], [0.4, false], [0.4, false], [0.6, false], [0.6, true], [0.6, true]];
  assert.deepEqual(fitScoreMap(pts), { x: [0.4, 0.6], y: [0.4, 2 / 3] });
  // Copies of 0.1 break at 0.1 itself, not at their sum divided back (0.30000000000000004 / 3).
  assert.deepEqual(fitScoreMap([[0.1, false], [0.1, false], [0.1, true], [0.9, true]]).x, [0.1, 0.9]);
});

test('application interpolates between breakpoints and is constant outside them', () => {
  const m = { x: [0.2, 0.6, 1], y: [0.1, 0.5, 0.9] };
  assert.equal(applyScoreMap(m, 0), 0.1);
  assert.equal(applyScoreMap(m, 0.2), 0.1);
  assert.ok(Math.abs(applyScoreMap(m, 0.4) - 0.3) < 1e-12, 'Math.abs(applyScoreMap(m, 0.4) - 0.3) < 1e-12');
  assert.ok(Math.abs(applyScoreMap(m, 0.8) - 0.7) < 1e-12, 'Math.abs(applyScoreMap(m, 0.8) - 0.7) < 1e-12');
  assert.equal(applyScoreMap(m, 1), 0.9);
  assert.equal(applyScoreMap({ x: [0.5, 0.5], y: [0.2, 0.4] }, 0.5), 0.2);
  const preds = mapScores([{ tags: [], entities: [{ start: 0, end: 1, type: 'A', score: 0.6 }], relations: [{ head: 0, tail: 0, type: 'R', score: 0.2 }] }], { entities: m, relations: m });
  assert.deepEqual([preds[0].entities[0].score, preds[0].relations[0].score], [0.5, 0.1]);
});

test('meta.calibration is checked, naming the field', () => {
  const good = { entities: { x: [0, 1], y: [0, 1] }, relations: { x: [0.5], y: [0.7] }, fittedOn: 'dev.json' };
  assert.deepEqual(readScoreMaps({ calibration: good }, 'config.json'), good);
  assert.equal(readScoreMaps({}, 'config.json'), undefined);
  const bad: [unknown, RegExp][] = [
    ['x', /meta\.calibration: must be an object/],
    [{ ...good, relations: { x: [0.5, 0.6], y: [0.7] } }, /meta\.calibration\.relations: must be \{x, y\}/],
    [{ ...good, entities: { x: [0, 2], y: [0, 1] } }, /meta\.calibration\.entities: must be \{x, y\}/],
    [{ ...good, entities: { x: [0.5, 0.4], y: [0, 1] } }, /meta\.calibration\.entities: x and y must not decrease/],
  ];
  for (const [calibration, message] of bad)
    assert.throws(() => readScoreMaps({ calibration }, 'm/config.json'), (e: unknown) => isUserError(e) && e.location.file === 'm/config.json' && message.test(`${e.location.field}: ${e.message}`), String(message));
});
