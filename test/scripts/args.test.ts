import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { test } from 'node:test';
import { numberArg, integerListArg, readArgs } from '../../scripts/args.js';

const root = join(import.meta.dirname, '..', '..');
const SETS = { study: { type: 'string' }, only: { type: 'string' }, set: { type: 'string', multiple: true } } as const;

test('--set: every word after a --set up to the next option, as entrel train reads them', () => {
  assert.deepEqual(readArgs(['--study', 'x', '--set', 'a=1', 'b=2', '--only', 'seed-1', '--set', 'c=3'], SETS).sets, ['a=1', 'b=2', 'c=3']);
  assert.deepEqual(readArgs(['--set', 'alpha=-1', '--only', 'l'], SETS).sets, ['alpha=-1']);
  assert.deepEqual(readArgs(['--set=a=1', 'b=2'], SETS).sets, ['a=1', 'b=2']);
  assert.deepEqual({ ...readArgs(['--study', 'x'], SETS).values }, { study: 'x' });
});

test('a mistyped option, an option without its value or a stray word is an error, not ignored', () => {
  const options = { work: { type: 'string' }, out: { type: 'string' }, set: { type: 'string', multiple: true } } as const;
  assert.throws(() => readArgs(['--ot', 'DIR'], options), /Unknown option '--ot'/);
  assert.throws(() => readArgs(['--work'], options), /'--work <value>' argument missing/);
  assert.throws(() => readArgs(['--out', 'a', 'b'], options), /unexpected argument "b"/);
  assert.deepEqual(readArgs(['r1', 'r2'], {}, true).positionals, ['r1', 'r2']);
});

test('numberArg refuses what is not a number', () => {
  assert.equal(numberArg('3', '--K'), 3);
  assert.throws(() => numberArg('three', '--K'), /^Error: --K: expected a number, got "three"$/);
  assert.throws(() => numberArg('', '--K'), /--K: expected a number/);
});

test('integerListArg refuses an empty, non-numeric, fractional or too small item (--seeds 1,x was [1, NaN], 1,,3 was [1, 0, 3])', () => {
  assert.deepEqual(integerListArg('1,2,3', '--seeds', 0), [1, 2, 3]);
  assert.throws(() => integerListArg('1,x', '--seeds', 0), /--seeds: expected a number, got "x"/);
  assert.throws(() => integerListArg('1,,3', '--seeds', 0), /--seeds: expected a number, got ""/);
  assert.throws(() => integerListArg('1.5', '--seeds', 0), /--seeds: expected whole numbers of at least 0, got "1\.5"/);
  assert.throws(() => integerListArg('2,0', '--Ks', 1), /--Ks: expected whole numbers of at least 1, got "0"/);
});

test('train:default refuses a mistyped --out before it trains (it would overwrite the bundled model)', () => {
  const r = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/train-default-model.ts', '--ot', 'elsewhere'], { cwd: root, encoding: 'utf8' });
  assert.equal(r.status, 2, r.stderr);
  assert.match(r.stderr, /^Unknown option '--ot'.*\nusage: npm run train:default/s);
});
