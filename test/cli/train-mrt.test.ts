/** `entrel train` as the steering runs it: an NN run, then MRT with --init and several --set keys. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { tempDir } from '../temp-dir.js';
import { CHILD_LIMIT } from '../child-limit.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const bin = join(root, 'bin', 'entrel.js');
const tiny = join(root, 'test', 'train', 'fixtures', 'tiny.json');

function entrel(...args: string[]) {
  const r = spawnSync(process.execPath, [bin, ...args], { ...CHILD_LIMIT, cwd: root, encoding: 'utf8' });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

test('train, then train --init with MRT keys after one --set; MRT without a model is a one-line error', () => {
  const dir = tempDir('entrel-cli-mrt-');
  const nn = entrel('train', '--config', tiny, '--out', join(dir, 'nn'), '--quiet', '--set', 'epochs=4', 'seed=3');
  assert.equal(nn.code, 0, nn.err);
  const mrt = entrel('train', '--config', tiny, '--init', join(dir, 'nn', 'best'), '--out', join(dir, 'mrt'), '--quiet', '--json',
    '--set', 'epochs=2', 'delta=E', 'gamma=false', 'alpha=0.5', 'mu=0.5', 'K=3', 'sampleRelations=false', 'seed=2');
  assert.equal(mrt.code, 0, mrt.err);
  assert.equal(JSON.parse(mrt.out).epochs, 2);
  const start = JSON.parse(readFileSync(join(dir, 'mrt', 'train.log.jsonl'), 'utf8').split('\n')[0]);
  assert.equal(start.kind, 'mrt');
  assert.deepEqual(
    { ...start.config.mrt },
    { delta: 'E', gamma: false, alpha: 0.5, mu: 0.5, K: 3, sampleRelations: false, epsilon: 0.1, sampler: 'tokens', proposal: 'train', paperCompat: false, weight: 1 },
  );
  const bad = entrel('train', '--config', tiny, '--mrt', '--out', join(dir, 'x'));
  assert.equal(bad.code, 1);
  assert.match(bad.err, /--init/);
  assert.equal(bad.err.trim().split('\n').length, 1);
});

test('train --init --local continues a model on other data with the local loss alone; --local alone is a one-line error', () => {
  const dir = tempDir('entrel-cli-local-');
  const nn = entrel('train', '--config', tiny, '--out', join(dir, 'nn'), '--quiet', '--set', 'epochs=2');
  assert.equal(nn.code, 0, nn.err);
  const data = JSON.stringify(['tiny-train.json', 'tiny-dev.json'].map((f) => join(root, 'test', 'train', 'fixtures', f)));
  const local = entrel('train', '--config', tiny, '--init', join(dir, 'nn', 'best'), '--local', '--out', join(dir, 'local'), '--set', 'epochs=2', `data.train=${data}`);
  assert.equal(local.code, 0, local.err);
  assert.match(local.err, /the training data has \d+ words and \d+ characters the model in .*nn\/best has not seen/);
  assert.equal(JSON.parse(readFileSync(join(dir, 'local', 'train.log.jsonl'), 'utf8').split('\n')[0]).kind, 'nn');
  for (const [args, message] of [[['--local'], /--init/], [['--local', '--mrt', '--init', join(dir, 'nn', 'best')], /exclude each other/]] as const) {
    const bad = entrel('train', '--config', tiny, ...args, '--out', join(dir, 'x'));
    assert.equal(bad.code, 1);
    assert.match(bad.err, message);
    assert.equal(bad.err.trim().split('\n').length, 1);
  }
});

test('train warns about what the training data cannot teach: no relations, or types only dev has', () => {
  const dir = tempDir('entrel-cli-unlearnable-');
  const fixture = (f: string) => JSON.parse(readFileSync(join(root, 'test', 'train', 'fixtures', f), 'utf8')) as { entities: unknown[][]; relations: unknown[][] }[];
  const noRelations = join(dir, 'norel.json');
  writeFileSync(noRelations, JSON.stringify(fixture('tiny-train.json').map((s) => ({ ...s, relations: [] }))));
  const devNewTypes = join(dir, 'dev.json');
  writeFileSync(devNewTypes, JSON.stringify(fixture('tiny-dev.json').map((s, i) => (i ? s : { ...s, entities: s.entities.map((e) => [e[0], e[1], 'Weird']), relations: [] }))));
  const a = entrel('train', '--config', tiny, '--out', join(dir, 'a'), '--quiet', '--set', 'epochs=1', `data.train=${noRelations}`);
  assert.equal(a.code, 0, a.err);
  assert.match(a.err, /norel\.json: warning: the training data has no relations: the model will learn to find none/);
  const b = entrel('train', '--config', tiny, '--out', join(dir, 'b'), '--quiet', '--set', 'epochs=1', `data.dev=${devNewTypes}`);
  assert.equal(b.code, 0, b.err);
  assert.match(b.err, /tiny-train\.json: warning: entity type "Weird" never occurs in the training data/);
  const c = entrel('train', '--config', tiny, '--out', join(dir, 'c'), '--quiet', '--set', 'epochs=1');
  assert.equal(c.code, 0, c.err);
  // One epoch on the tiny data scores 0 (its own warning, select.ts); nothing is said of the data.
  assert.deepEqual(c.err.split('\n').filter((l) => /warning/.test(l) && !/were 0 in every epoch/.test(l)), [], c.err);
});

test('--init with a run directory points at its best/; --resume with no checkpoint says it starts a new run', () => {
  const dir = tempDir('entrel-cli-init-');
  const run = join(dir, 'nn');
  const fresh = entrel('train', '--config', tiny, '--out', run, '--resume', '--quiet', '--set', 'epochs=1');
  assert.equal(fresh.code, 0, fresh.err);
  assert.match(fresh.err, /nn\/last: no checkpoint to resume from: starting a new run/);
  const bad = entrel('train', '--config', tiny, '--init', run, '--out', join(dir, 'mrt'), '--quiet');
  assert.equal(bad.code, 1);
  assert.match(bad.err.trim(), /nn\/config\.json: missing model file; .*nn is a training run: its model is .*nn\/best$/);
});
