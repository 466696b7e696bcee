/**
 * `entrel evaluate --model DIR --data FILE` reads FILE as every other command does (--split, --types,
 * --paper-compat reach it) and scores any file it can read, repeated document ids included.
 */
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { loadConfig } from '../../src/train/config.js';
import { isUserError } from '../../src/errors.js';
import { DEFAULT_MODEL_DIR } from '../../src/extract/model-info.js';
import { evaluateModel, predictFile, predictToFile } from '../../src/train/evaluate.js';
import { trainNN } from '../../src/train/nn.js';
import { tempDir } from '../temp-dir.js';
import { stderrOf } from '../stderr.js';

const tiny = fileURLToPath(new URL('fixtures/tiny.json', import.meta.url));
const nyt = fileURLToPath(new URL('../../../shared/data/nyt_cotype/test.json', import.meta.url));
const root = tempDir('entrel-evaldata-');
const trained = trainNN(loadConfig(tiny, ['epochs=1']), join(root, 'run'), { quiet: true });
const model = join(root, 'run', 'best');

test('a file whose document ids repeat is scored (predictions pair by position), not refused', async () => {
  await trained;
  const line = (id: string) => JSON.stringify({ id, text: 'Mary Jones works for Globex', sentences: [{ tokens: [[0, 4], [5, 10], [11, 16], [17, 20], [21, 27]], entities: [{ id: 'T1', type: 'Peop', start: 0, end: 2 }], relations: [] }] });
  const file = join(root, 'dup.jsonl');
  writeFileSync(file, [line('d1'), line('d2'), line('d1')].join('\n') + '\n');
  const report = await evaluateModel(model, file);
  assert.equal(report.sentences, 3);
  assert.equal(report.entities.micro.tp + report.entities.micro.fn, 3);
});

test('--split reaches the reader: NYT test part only', async () => {
  await trained;
  const { predicted } = await predictFile(model, nyt, { split: 'test' });
  assert.equal(predicted.length, 356);
  assert.equal((await evaluateModel(model, nyt, { split: 'dev' })).sentences, 39);
});

test('--paper-compat reaches the scorer: a gold relation between overlapping entities is skipped', async () => {
  await trained;
  const file = join(root, 'nested.json');
  writeFileSync(file, JSON.stringify([{ tokens: ['Mary', 'Jones', 'Lima', 'x'], entities: [[0, 3, 'Peop'], [2, 3, 'Loc']], relations: [[0, 3, 2, 3, 'Live_In']] }]));
  const gold = (r: Awaited<ReturnType<typeof evaluateModel>>) => r.relations.strict.micro.tp + r.relations.strict.micro.fn;
  assert.equal(gold(await evaluateModel(model, file, { format: 'unified' })), 1);
  assert.equal(gold(await evaluateModel(model, file, { format: 'unified', paperCompat: true })), 0);
});

test('a sentence without tokens (jsonl allows one) is predicted empty and skipped in training, not an internal error', async () => {
  await trained;
  const file = join(root, 'empty-sentence.jsonl');
  const sentences = [{ tokens: [], entities: [], relations: [] }, { tokens: [[0, 4], [5, 10]], entities: [{ id: 'T1', type: 'Peop', start: 0, end: 2 }], relations: [] }];
  writeFileSync(file, JSON.stringify({ id: 'a', text: 'Mary Jones', sentences }) + '\n');
  const { predicted } = await predictFile(model, file);
  assert.deepEqual(predicted[0].sentences[0], { tokens: [], entities: [], relations: [] });
  assert.equal((await evaluateModel(model, file)).sentences, 2);
  // Its one sentence has no relation to select on: the mean of entity and relation F1 selects.
  const run = await trainNN(loadConfig(tiny, ['epochs=1', `data.train=${file}`, `data.dev=${file}`, 'data.format=jsonl', 'select=entity+relation']), join(root, 'empty-run'), { quiet: true });
  assert.equal(run.epochs, 1);
});

test('training data without a sentence with tokens is an error naming the file, not a run on random weights', async () => {
  const file = join(root, 'no-sentences.jsonl');
  writeFileSync(file, JSON.stringify({ id: 'a', text: 'x', sentences: [{ tokens: [], entities: [], relations: [] }] }) + '\n');
  const config = loadConfig(tiny, ['epochs=1', `data.train=${file}`, 'data.format=jsonl']);
  await assert.rejects(trainNN(config, join(root, 'nothing'), { quiet: true }), { name: 'UserError', message: `${file}: has no sentence with tokens: there is nothing to train on` });
});

test('a library caller\'s options are checked before the model runs: a misspelt name, a batch size libtorch cannot take', async () => {
  await trained;
  const file = join(root, 'one.jsonl');
  writeFileSync(file, JSON.stringify({ id: 'd', text: 'Mary Jones', sentences: [{ tokens: [[0, 4], [5, 10]], entities: [], relations: [] }] }) + '\n');
  const refused = (message: RegExp) => (e: Error) => e.name === 'UserError' && message.test(e.message);
  await assert.rejects(evaluateModel(model, file, { threshold: 0.5 } as object), refused(/^options: unknown option "threshold" \(allowed: format, typesFile, /));
  for (const b of [0, -1, NaN, 2.5]) await assert.rejects(evaluateModel(model, file, { batchSize: b }), refused(/^batchSize: must be a positive whole number of sentences, got /), String(b));
  for (const key of ['goldEntities', 'rawScores', 'paperCompat'] as const)
    await assert.rejects(evaluateModel(model, file, { [key]: 'yes' as never }), refused(new RegExp(`^${key}: must be true or false, got "yes"$`)), key);
  assert.equal((await evaluateModel(model, file, { batchSize: 1 })).sentences, 1);
  // null is no options, as the check takes it: not a TypeError after it.
  assert.equal((await evaluateModel(model, file, null as never)).sentences, 1);
});

test("evaluation and prediction warn through onWarning, never on stderr; predicting with gold entities warns of those the model cannot be given", async () => {
  await trained;
  const file = join(root, 'foreign.json');
  // A type the model does not know, two overlapping entities, a relation given twice (a reading warning).
  const rel = [0, 2, 5, 6, 'Live_In'];
  writeFileSync(file, JSON.stringify([{ tokens: ['Mary', 'Jones', 'took', 'Aspirin', 'in', 'Lima'], entities: [[0, 2, 'Peop'], [1, 2, 'Peop'], [3, 4, 'Drug'], [5, 6, 'Loc']], relations: [rel, rel] }]));
  const warnings: { message: string; file?: string }[] = [];
  const opts = { format: 'unified', goldEntities: true, onWarning: (message: string, about?: { file: string }) => warnings.push({ message, file: about?.file }) };
  const out = join(root, 'foreign-pred.jsonl');
  const said = await stderrOf(async () => {
    await evaluateModel(model, file, opts);
    await predictToFile(model, file, out, opts);
  });
  assert.equal(said, '');
  const messages = warnings.map((w) => w.message);
  assert.ok(warnings.every((w) => w.file === file && w.message.startsWith(`${file}: `)), JSON.stringify(warnings));
  assert.ok(messages.some((m) => /duplicate-relation/.test(m)), 'reading');
  assert.ok(messages.includes(`${file}: entity type "Drug" the model in ${model} does not know: they cannot be predicted, so every one in the data counts as a miss`), 'evaluate');
  assert.ok(messages.some((m) => /1 of the data's entities cannot be given to the model \(each overlaps another/.test(m)), 'overlap');
  assert.ok(messages.includes(`${file}: entity type "Drug" the model in ${model} does not know: its 1 entity in the data cannot be given to the model, so the predictions lack it and its relations`), 'predict');
  const types = JSON.parse(readFileSync(out, 'utf8')).sentences[0].entities.map((e: { type: string }) => e.type);
  assert.deepEqual(types, ['Peop', 'Loc']);
});

test('no model is the bundled model, as for the CLI; a model argument that names none is a UserError naming it', async () => {
  const file = join(root, 'bundled.jsonl');
  writeFileSync(file, JSON.stringify({ id: 'a', text: 'Mary Jones works for Globex', sentences: [{ tokens: [[0, 4], [5, 10], [11, 16], [17, 20], [21, 27]], entities: [{ id: 'T1', type: 'Peop', start: 0, end: 2 }], relations: [] }] }) + '\n');
  assert.equal((await evaluateModel(undefined, file)).sentences, 1);
  await predictToFile(undefined, file, join(root, 'bundled-pred.jsonl'));
  assert.equal((await predictFile(DEFAULT_MODEL_DIR, file)).predicted.length, 1);
  for (const [value, field] of [[null, 'modelDir'], [5, 'modelDir'], ['', 'modelDir'], [[model, 5], 'modelDir[1]']] as const) {
    const named = (e: unknown) => isUserError(e) && new RegExp(`^${field.replace(/[[\]]/g, '\\$&')}: (must be a model directory|is empty)`).test(e.message);
    await assert.rejects(evaluateModel(value as never, file), named, String(value));
    await assert.rejects(predictToFile(value as never, file, join(root, 'never.jsonl')), named, String(value));
  }
});
