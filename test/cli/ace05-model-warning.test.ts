/**
 * A model trained on ACE05 read with `--ace05` (its recorded config's `data.ace05`) run by `evaluate
 * --data` or `predict` on LSTM-ER's brat files read without it: one warning line naming the flag (the
 * files were read otherwise, header lines as sentences, without a word). Runs the CLI in this process on
 * a tiny model.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { confText } from '../../src/data/formats/brat-conf.js';
import { saveModelDir } from '../../src/model/io.js';
import { SCHEMA } from '../model/fixtures.js';
import { fitTinyModel } from '../model/tiny-fit.js';
import { FIXTURES, tmp } from '../data/helpers.js';
import { entrel } from './in-process.js';

const work = tmp();
// Trained to its fit (about 30 epochs), not for a time: the same model on a busy machine.
const { model } = fitTinyModel();
const modelDir = (name: string, data: Record<string, unknown>) => {
  const dir = join(work, name);
  saveModelDir(dir, model, SCHEMA, { glove: false, trainConfig: { data: { train: 'std/train', dev: 'std/dev', ...data } } });
  return dir;
};
const aceModel = modelDir('ace-model', { format: 'brat', ace05: true });
const otherModel = modelDir('other-model', { format: 'brat' });

/** LSTM-ER's files in a collection of their own; `conf`: as a part `split --ace05` wrote. */
function collection(name: string, conf = false): string {
  const dir = join(work, name);
  mkdirSync(dir);
  for (const ext of ['.txt', '.ann']) copyFileSync(join(FIXTURES, 'brat', 'ace05', `CNN_TEST.split${ext}`), join(dir, `CNN_TEST.split${ext}`));
  if (conf) writeFileSync(join(dir, 'annotation.conf'), confText({ entityTypes: ['PER', 'GPE', 'ORG'], relationTypes: [{ name: 'PER-SOC', symmetric: true }] }, { layout: 'lines', ace05: true }));
  return dir;
}
const plain = collection('plain');
const part = collection('part', true);

const WARNING = /^entrel: warning: .*ace-model was trained on ACE05 read with --ace05 \(its config's data\.ace05\), but .*plain is read without it: give --ace05 to read it as the model's training data was read$/m;
const warned = (err: string) => err.split('\n').filter((l) => /trained on ACE05 read with --ace05/.test(l));

test('evaluate --data and predict warn, once, when the model was trained with --ace05 and the brat data is read without it', async () => {
  const out = join(work, 'pred.jsonl');
  for (const args of [['evaluate', '--model', aceModel, '--data', plain, '--out', join(work, 'eval.json')], ['predict', '--model', aceModel, '--data', plain, '--out', out]]) {
    const r = await entrel(...args);
    assert.equal(r.code, 0, r.err);
    assert.match(r.err, WARNING, args[0]);
    assert.equal(warned(r.err).length, 1, r.err);
  }
});

test('no such warning with --ace05, on a part that records the ACE05 layout, or for a model trained without it', async () => {
  const runs = [
    ['predict', '--model', aceModel, '--data', plain, '--ace05'],
    ['predict', '--model', aceModel, '--data', part],
    ['predict', '--model', otherModel, '--data', plain],
    ['evaluate', '--model', aceModel, '--data', part, '--out', join(work, 'eval-part.json')],
  ];
  for (const [k, args] of runs.entries()) {
    const r = await entrel(...args, ...(args[0] === 'predict' ? ['--out', join(work, `pred-${k}.jsonl`)] : []));
    assert.equal(r.code, 0, r.err);
    assert.deepEqual(warned(r.err), [], args.join(' '));
  }
});
