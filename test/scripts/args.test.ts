import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { test } from 'node:test';
import { numberArg, integerListArg, readArgs } from '../../scripts/args.js';
import { CHILD_LIMIT } from '../child-limit.js';

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

test('a negative number after an option is its value (--seed -1 was the three-line "argument is ambiguous")', () => {
  const options = { seed: { type: 'string' }, threshold: { type: 'string', short: 't' }, json: { type: 'boolean' }, set: { type: 'string', multiple: true } } as const;
  assert.deepEqual({ ...readArgs(['--seed', '-1', '--threshold', '-0.5'], options).values }, { seed: '-1', threshold: '-0.5' });
  assert.deepEqual({ ...readArgs(['-t', '-.5', '--seed', '-1e-3'], options).values }, { threshold: '-.5', seed: '-1e-3' });
  assert.deepEqual({ ...readArgs(['--seed=-1'], options).values }, { seed: '-1' });
  assert.deepEqual(readArgs(['--set', 'alpha=-1', '--seed', '-2'], options).sets, ['alpha=-1']);
  // A flag takes no value: the word after it is still an option (here an unknown one).
  assert.throws(() => readArgs(['--json', '-1'], options), /Unknown option '-1'/);
  // After `--` nothing is joined.
  assert.throws(() => readArgs(['--', '--seed', '-1'], options), /unexpected argument "--seed"/);
});

test('a word starting with "-" after an option is one line naming the option, never Node\'s three-line "ambiguous"', () => {
  const options = { out: { type: 'string' }, seed: { type: 'string' } } as const;
  const message = (argv: string[]) => {
    try {
      readArgs(argv, options);
    } catch (e) {
      return (e as Error).message;
    }
    return assert.fail(`${argv.join(' ')} was read`);
  };
  assert.equal(message(['--out', '-x']), '--out: "-x" reads as an option, not as its value; to give it as the value write --out=-x');
  assert.equal(message(['--out', '--seed', '1']), '--out: missing its value (the next word, --seed, is an option)');
  assert.equal(message(['--out', '--help']), '--out: missing its value (the next word, --help, is an option)');
  assert.equal(message(['--out', '--']), '--out: missing its value (the next word, --, is an option)');
});

test('numberArg refuses what is not a number', () => {
  assert.equal(numberArg('3', '--K'), 3);
  assert.throws(() => numberArg('three', '--K'), /^Error: --K: expected a number, got "three"$/);
  assert.throws(() => numberArg('', '--K'), /--K: expected a number/);
});

test('integerListArg refuses an empty, non-numeric, fractional or too small item (--seeds 1,x was [1, NaN], 1,,3 was [1, 0, 3])', () => {
  assert.deepEqual(integerListArg('1,2,3', '--seeds', 0), [1, 2, 3]);
  assert.throws(() => integerListArg('1,x', '--seeds', 0), /--seeds: expected whole numbers of at least 0, got "x"/);
  assert.throws(() => integerListArg('1,,3', '--seeds', 0), /--seeds: expected whole numbers of at least 0, got ""/);
  assert.throws(() => integerListArg('1.5', '--seeds', 0), /--seeds: expected whole numbers of at least 0, got "1\.5"/);
  assert.throws(() => integerListArg('2,0', '--Ks', 1), /--Ks: expected whole numbers of at least 1, got "0"/);
});

test('train:default refuses a mistyped --out before it trains (it would overwrite the bundled model)', () => {
  const r = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/train-default-model.ts', '--ot', 'elsewhere'], { ...CHILD_LIMIT, cwd: root, encoding: 'utf8' });
  assert.equal(r.status, 2, r.stderr);
  assert.match(r.stderr, /^Unknown option '--ot'.*\nusage: npm run train:default/s);
});
