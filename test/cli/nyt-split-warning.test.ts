/**
 * A model chosen on the seeded dev part of NYT CoType's test file (its recorded config's
 * `data.devSplit`) run on that file read whole, dev sentences included: one warning naming `--split
 * test`. Runs the CLI in this process on a tiny model.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { saveModelDir } from '../../src/model/io.js';
import { SCHEMA } from '../model/fixtures.js';
import { fitTinyModel } from '../model/tiny-fit.js';
import { tmp } from '../data/helpers.js';
import { entrel } from './in-process.js';

const nyt = fileURLToPath(new URL('../../../shared/data/nyt_cotype/test.json', import.meta.url));
const work = tmp();
// Trained to its fit (about 30 epochs), not for a time: the same model on a busy machine.
const { model } = fitTinyModel();
const modelDir = (name: string, data: Record<string, unknown>) => {
  const dir = join(work, name);
  saveModelDir(dir, model, SCHEMA, { glove: false, trainConfig: { data: { train: 'nyt-train.json', dev: nyt, format: 'nyt', ...data } } });
  return dir;
};
const chosenOnDev = modelDir('nyt-dev', { devSplit: 'dev', testSplit: 'test' });
const chosenElsewhere = modelDir('nyt-own-dev', {});
const warned = (err: string) => err.split('\n').filter((l) => /chosen on the seeded dev part/.test(l));

test('evaluate --data warns when a model chosen on NYT\'s dev part scores the whole test file, not with --split test', async () => {
  const whole = await entrel('evaluate', '--model', chosenOnDev, '--data', nyt, '--out', join(work, 'whole.json'));
  assert.equal(whole.code, 0, whole.err);
  assert.deepEqual(warned(whole.err).length, 1, whole.err);
  assert.match(whole.err, /nyt-dev was chosen on the seeded dev part of NYT CoType's test file \(its config's data\.devSplit\), but .*test\.json is read whole, those sentences included: give --split test/);
  for (const args of [['--model', chosenOnDev, '--split', 'test'], ['--model', chosenElsewhere]]) {
    const r = await entrel('evaluate', ...args, '--data', nyt, '--out', join(work, `${args.length}.json`));
    assert.equal(r.code, 0, r.err);
    assert.deepEqual(warned(r.err), [], args.join(' '));
  }
});
