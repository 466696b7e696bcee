/** scripts/args.ts's value helpers and usage: what the bench scripts' checks are made of (test/bench/args.test.ts runs them). */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { choiceArg, integerArg, integerListArg, numberArg, usageText } from '../../scripts/args.js';

test('numberArg with a range: at least min, above `above`; the message names the option and the value', () => {
  assert.equal(numberArg('0', '--seconds', { min: 0 }), 0);
  assert.equal(numberArg('0.5', '--duration', { above: 0 }), 0.5);
  assert.throws(() => numberArg('-1', '--seconds', { min: 0 }), /^Error: --seconds: expected a number of at least 0, got "-1"$/);
  assert.throws(() => numberArg('0', '--duration', { above: 0 }), /^Error: --duration: expected a number above 0, got "0"$/);
  assert.throws(() => numberArg('abc', '--duration', { above: 0 }), /^Error: --duration: expected a number above 0, got "abc"$/);
  assert.throws(() => numberArg('Infinity', '--seconds', { min: 0 }), /got "Infinity"/);
});

test('integerArg: a whole number in its range, else an error naming the option, the value and the range', () => {
  assert.equal(integerArg('3000', '--runs', 1), 3000);
  assert.equal(integerArg('0', '--top', 0), 0);
  assert.equal(integerArg('64', '--workers', 0, 64), 64);
  assert.throws(() => integerArg('abc', '--runs', 1), /^Error: --runs: expected a whole number of at least 1, got "abc"$/);
  assert.throws(() => integerArg('0', '--runs', 1), /got "0"/);
  assert.throws(() => integerArg('1.5', '--runs', 1), /got "1\.5"/);
  assert.throws(() => integerArg('', '--runs', 1), /got ""/);
  // Written as the CLI's counts are (arg-values.ts): digits only.
  for (const v of ['1e2', '1.0', '0x10', '9007199254740993']) assert.throws(() => integerArg(v, '--runs', 1), new RegExp(`got "${v.replace('.', '\\.')}"`));
  assert.equal(integerArg('-3', '--seed'), -3);
  assert.throws(() => integerArg('65', '--workers', 0, 64), /^Error: --workers: expected a whole number from 0 to 64, got "65"$/);
  assert.throws(() => integerArg('x', '--n'), /^Error: --n: expected a whole number, got "x"$/);
});

test('integerListArg with a maximum', () => {
  assert.deepEqual(integerListArg('0,2', '--workers', 0, 64), [0, 2]);
  assert.throws(() => integerListArg('0,65', '--workers', 0, 64), /^Error: --workers: expected whole numbers from 0 to 64, got "65"$/);
  assert.throws(() => integerListArg('16,0', '--connections', 1), /^Error: --connections: expected whole numbers of at least 1, got "0"$/);
  assert.throws(() => integerListArg('1,1e1', '--connections', 1), /got "1e1"$/);
  assert.throws(() => integerListArg('2,', '--connections', 1), /got ""$/);
});

test('choiceArg refuses an unknown value, naming the known ones', () => {
  assert.equal(choiceArg('dev', '--split', ['test', 'dev']), 'dev');
  assert.throws(() => choiceArg('tst', '--split', ['test', 'dev']), /^Error: --split: expected one of test, dev, got "tst"$/);
  assert.throws(() => choiceArg('', '--only', ['config']), /got ""/);
});

test('usageText lists every option but the internal ones, with its default, and --help', () => {
  const options = {
    runs: { type: 'string', default: '3000' },
    seed: { type: 'string' },
    fake: { type: 'boolean', default: false },
    child: { type: 'boolean', default: false },
    model: { type: 'string', multiple: true },
  } as const;
  const usage = usageText('npm run bench:x [-- --runs N]', options, {
    runs: { value: 'N', text: 'cases' },
    seed: { value: 'S', text: 'the seed', default: 'from the clock' },
    fake: { text: 'no model' },
    child: { text: 'the server', internal: true },
    model: { value: 'DIR', text: 'a model' },
  });
  assert.equal(
    usage,
    [
      'npm run bench:x [-- --runs N]',
      '  --runs N     cases (default: 3000)',
      '  --seed S     the seed (default: from the clock)',
      '  --fake       no model',
      '  --model DIR  a model',
      '  --help       print this usage',
    ].join('\n'),
  );
});
