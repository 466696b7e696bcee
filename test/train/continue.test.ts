/**
 * Continuing a trained model on other annotated data (`--init` with another `data.train`): the model's
 * vocabulary is extended by the new words and characters, its labels are kept, its trained rows copied.
 */
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { loadModelDir } from '../../src/model/io.js';
import { loadConfig } from '../../src/train/config.js';
import { predictEncoded } from '../../src/model/predict.js';
import { encodeAll, loadSplit } from '../../src/train/data.js';
import { evaluateModel } from '../../src/train/evaluate.js';
import { trainMRT } from '../../src/train/mrt/task.js';
import { isUserError } from '../../src/errors.js';
import { buildSetupFrom, continueNN, trainNN } from '../../src/train/nn.js';
import { assertSamePrediction } from '../model/fixtures.js';
import { tempDir } from '../temp-dir.js';

const here = fileURLToPath(new URL('.', import.meta.url));
const fixture = (f: string) => join(here, 'fixtures', f);
const root = tempDir('entrel-continue-');
// Every word- or character-indexed parameter: embeddings, the frozen channel, the LM heads' outputs.
const MODEL = ['model.staticWords=true', 'model.lmHidden=4'];
const nnBest = join(root, 'nn', 'best');
const trained = trainNN(loadConfig(fixture('tiny.json'), ['epochs=4', ...MODEL]), join(root, 'nn'), { quiet: true });
/** The tiny config continuing nn/best on `train` (tiny-dev.json brings words the model never saw). */
const continuing = (train: string[], sets: string[] = []) =>
  loadConfig(fixture('tiny.json'), [...MODEL, 'epochs=2', `init=${JSON.stringify(nnBest)}`, `data.train=${JSON.stringify(train)}`, ...sets]);
const trainAndDev = [fixture('tiny-train.json'), fixture('tiny-dev.json')];

test('the vocabulary keeps every id and appends the new words; trained rows are copied, new rows start fresh', async () => {
  await trained;
  const loaded = loadModelDir(nnBest).model;
  const s = await buildSetupFrom(continuing(trainAndDev), nnBest, { quiet: true });
  assert.ok(s.vocab.extends(loaded.vocab), 's.vocab.extends(loaded.vocab)');
  assert.equal(s.vocab.words.items.slice(0, loaded.vocab.words.size).join(), loaded.vocab.words.items.join());
  assert.ok(loaded.vocab.words.get('initech') === undefined && s.vocab.wordId('Initech') >= loaded.vocab.words.size, 'loaded.vocab.words.get(\'initech\') === undefined && s.vocab.wordId(\'Initech\') >= loaded.vocab.word...');
  assert.ok(s.vocab.chars.size > loaded.vocab.chars.size, 'tiny-dev.json has characters tiny-train.json lacks');
  const before = new Map(loaded.parameters());
  let grown = 0;
  for (const [name, p] of s.model.parameters()) {
    const t = before.get(name)!;
    const rows = p.toFloat64Array().subarray(0, t.shape.reduce((a, b) => a * b, 1));
    assert.deepEqual(rows, t.toFloat64Array(), `${name}: the trained rows`);
    if (p.shape[0] !== t.shape[0]) grown++;
  }
  assert.equal(grown, 7, 'word, word_static, char and both LM output layers (weight and bias)');
  // Sentences of known words only: the continued model predicts exactly what the trained one did.
  const train = (await loadSplit(fixture('tiny-train.json'))).sentences;
  const ours = predictEncoded(s.model, encodeAll(train, s.vocab, { gold: false }), { batchSize: 4 });
  predictEncoded(loaded, encodeAll(train, loaded.vocab, { gold: false }), { batchSize: 4 }).forEach((p, i) => assertSamePrediction(ours[i], p));
});

test('MRT on the new data trains the new words\' rows and writes a model with the extended vocabulary', async () => {
  await trained;
  const cfg = continuing(trainAndDev);
  const start = await buildSetupFrom(cfg, nnBest, { quiet: true });
  const out = join(root, 'mrt');
  const r = await trainMRT(cfg, out, { quiet: true });
  assert.equal(r.epochs, 2);
  const model = loadModelDir(join(out, 'best')).model; // epoch 1 or 2: trained either way
  const id = model.vocab.wordId('Initech');
  assert.equal(id, start.vocab.wordId('Initech'));
  assert.ok(id >= loadModelDir(nnBest).model.vocab.words.size, 'id >= loadModelDir(nnBest).model.vocab.words.size');
  const row = (w: Float64Array) => [...w.subarray(id * cfg.model.wordDim, (id + 1) * cfg.model.wordDim)];
  assert.notDeepEqual(row(model.word.weight.toFloat64Array()), row(start.model.word.weight.toFloat64Array()), 'a new word is trained');
  const report = await evaluateModel(join(out, 'best'), fixture('tiny-dev.json'), { format: 'unified' });
  const m = report.entities.micro;
  assert.equal(m.tp + m.fn, 12, 'every gold entity of the dev file is scored');
});

test('data with a label the model lacks is refused, naming the file and the label', async () => {
  await trained;
  const bad = join(root, 'drugs.json');
  writeFileSync(bad, JSON.stringify([{ tokens: ['Aspirin', 'helps', '.'], entities: [[0, 1, 'Drug']], relations: [] }]));
  await assert.rejects(buildSetupFrom(continuing([fixture('tiny-train.json'), bad]), nnBest, { quiet: true }), (e: Error) => {
    assert.match(e.message, /drugs\.json.*entity type "Drug".*not trained with.*without --init/);
    return true;
  });
});

/** tiny-train.json's sentences, each passed through `edit` (relations as [s1, e1, s2, e2, type]), in a file of `root`. */
function editedTrain(name: string, edit: (s: { relations: unknown[][] }) => void): string {
  const sentences = JSON.parse(readFileSync(fixture('tiny-train.json'), 'utf8')) as { relations: unknown[][] }[];
  sentences.forEach(edit);
  const file = join(root, name);
  writeFileSync(file, JSON.stringify(sentences));
  return file;
}

test('continuing on data that lacks some of the model\'s types warns that the run unlearns them, for NN and MRT alike', async () => {
  await trained;
  const noLiveIn = editedTrain('no-live-in.json', (s) => (s.relations = s.relations.filter((r) => r[4] !== 'Live_In')));
  const expected = [`${noLiveIn}: the model's relation type "Live_In" has no training instance: continuing will teach the model to find none`];
  for (const run of [continueNN, trainMRT]) {
    const warnings: string[] = [];
    await run(continuing([noLiveIn], ['epochs=1']), join(root, `no-live-in-${run.name}`), { quiet: true, onWarning: (m) => warnings.push(m) });
    assert.deepEqual(warnings.filter((m) => m.includes('no training instance')), expected, run.name);
  }
});

test('continuing a model with relation types on data without relations is refused (--init --local and MRT)', async () => {
  await trained;
  const ner = editedTrain('ner-only.json', (s) => (s.relations = []));
  const refused = (e: Error) => {
    assert.ok(isUserError(e), String(e));
    assert.match(e.message, /ner-only\.json: has no relations, but the model in .*best has relation types \(Work_For, Live_In, OrgBased_In\): continuing it on this data would teach it to find none .*without --init/);
    return true;
  };
  await assert.rejects(continueNN(continuing([ner]), join(root, 'ner-local'), { quiet: true }), refused);
  await assert.rejects(trainMRT(continuing([ner]), join(root, 'ner-mrt'), { quiet: true }), refused);
});
