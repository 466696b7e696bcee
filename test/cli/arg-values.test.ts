import { test } from 'node:test';
import assert from 'node:assert/strict';
import { finiteNumber, nonNegativeInteger, positiveInteger } from '../../src/cli/commands/arg-values.js';

test('flag values: counts are plain digits; numbers are finite', () => {
  assert.equal(positiveInteger(' 12 '), 12);
  assert.equal(nonNegativeInteger('0'), 0);
  for (const bad of ['0', '-1', '1.5', '1e2', '', 'x', '99999999999999999999']) assert.throws(() => positiveInteger(bad), /expected a positive integer/, bad);
  for (const bad of ['-1', '2.0', ' ', '0x10']) assert.throws(() => nonNegativeInteger(bad), /expected a non-negative integer/, bad);
  assert.equal(finiteNumber('1e-3'), 0.001);
  assert.equal(finiteNumber('-0.5'), -0.5);
  for (const bad of ['', 'Infinity', 'NaN', 'abc']) assert.throws(() => finiteNumber(bad), /expected a number/, bad);
});
