import { test } from 'node:test';
import assert from 'node:assert/strict';
import { finiteNumber, nonNegativeInteger, positiveInteger, probability, thresholdList } from '../../src/cli/commands/arg-values.js';
import { entrel } from './in-process.js';

test('flag values: counts are plain digits; numbers are finite', () => {
  assert.equal(positiveInteger(' 12 '), 12);
  assert.equal(nonNegativeInteger('0'), 0);
  for (const bad of ['0', '-1', '1.5', '1e2', '', 'x', '99999999999999999999']) assert.throws(() => positiveInteger(bad), /expected a positive integer/, bad);
  for (const bad of ['-1', '2.0', ' ', '0x10']) assert.throws(() => nonNegativeInteger(bad), /expected a non-negative integer/, bad);
  assert.equal(finiteNumber('1e-3'), 0.001);
  assert.equal(finiteNumber('-0.5'), -0.5);
  for (const bad of ['', 'Infinity', 'NaN', 'abc']) assert.throws(() => finiteNumber(bad), /expected a number/, bad);
});

test('a probability is a decimal from 0 to 1: what JavaScript also reads as a number (0x1, 1e0, Infinity) is refused', () => {
  assert.deepEqual(['0', '1', '0.5', '.25', ' 1.0 ', '0.'].map(probability), [0, 1, 0.5, 0.25, 1, 0]);
  for (const bad of ['', ' ', '0x1', '1e0', '1e0x', 'Infinity', 'NaN', '-0.5', '1.5', '+0.5', '0,5'])
    assert.throws(() => probability(bad), /^InvalidArgumentError: expected a probability from 0 to 1, written as a decimal \(e\.g\. 0\.5\)$/, bad);
});

test('evaluate --thresholds reads each threshold as extract --threshold reads one (0x1 and 1e-1 were taken)', async () => {
  assert.deepEqual(thresholdList('0, 0.5,.25,1'), [0, 0.5, 0.25, 1]);
  for (const bad of ['0x1', '1e-1', '0.5,Infinity', '0.5,', '-0', '+0.5', '0.5,2'])
    assert.throws(() => thresholdList(bad), /^InvalidArgumentError: expected comma-separated thresholds in \[0, 1\], each a decimal \(e\.g\. 0\.5,0\.7,0\.9\), got "/, bad);
  for (const bad of ['0x1', '0.5,1e-1']) {
    const r = await entrel('evaluate', '--data', 'unread.json', '--thresholds', bad);
    assert.equal(r.code, 1, bad);
    assert.match(r.err, /--thresholds.*expected comma-separated thresholds in \[0, 1\], each a decimal/, bad);
  }
});

