/** Model directory: save → load round trip and validation of corrupt directories. */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { UserError } from '../../src/errors.js';
import { validateModelConfig } from '../../src/model/config.js';
import { defaultModelConfig } from './model-config.js';
import { buildBatch, encodeSentence } from '../../src/model/encode.js';
import { loadModelDir, MODEL_FILES, saveModelDir } from '../../src/model/io.js';
import { ENTREL_VERSION } from '../../src/model/version.js';
import { noGrad, randNormal, saveSafetensors, setNumThreads, loadSafetensors } from '../../src/tensor/index.js';
import { SCHEMA } from './fixtures.js';
import { SMALL_DIMS, tinyJointModel } from './tiny-joint.js';
import { tempDir } from '../temp-dir.js';

setNumThreads(1);
const root = tempDir('entrel-io-');

const { model, vocab, train } = tinyJointModel({ torchSeed: 3, train: [12, 4], initSeed: 1, config: SMALL_DIMS });
const saved = join(root, 'model');
saveModelDir(saved, model, SCHEMA, { note: 'test' });

test('save → load gives identical predictions', () => {
  const batch = buildBatch(train.map((s) => encodeSentence(s, vocab, { gold: false })), vocab.words.size);
  const before = model.predict(batch);
  const { model: loaded, schema, meta } = loadModelDir(saved);
  assert.deepEqual(schema, SCHEMA);
  assert.deepEqual(meta, { entrelVersion: ENTREL_VERSION, note: 'test' }); // the writer's version, then the caller's meta
  assert.deepEqual(loaded.predict(batch), before);
  assert.ok(before.some((p) => p.entities.length > 0), 'before.some((p) => p.entities.length > 0)');
  for (const f of [...MODEL_FILES, 'checksum']) assert.ok(existsSync(join(saved, f)), 'existsSync(join(saved, f))');
  saveModelDir(saved, model, SCHEMA); // replacing an existing directory works
  assert.deepEqual(loadModelDir(saved).model.predict(batch), before);
});

test('saveModelDir refuses to replace a directory holding anything but model files, and a file in the way', () => {
  const mine = join(root, 'mine');
  mkdirSync(mine);
  writeFileSync(join(mine, 'notes.txt'), 'keep me');
  assert.throws(() => saveModelDir(mine, model, SCHEMA), (e: Error) => e instanceof UserError && /mine: holds "notes\.txt", which is not a model file: the model replaces the whole directory/.test(e.message));
  assert.deepEqual(readdirSync(mine), ['notes.txt']);
  const file = join(root, 'a-file');
  writeFileSync(file, 'x');
  assert.throws(() => saveModelDir(file, model, SCHEMA), (e: Error) => e instanceof UserError && /cannot write the model: a file is in the way/.test(e.message));
  // A caller names its model (`entrel calibrate` writes the calibrated model).
  assert.throws(() => saveModelDir(file, model, SCHEMA, {}, 'calibrated model'), (e: Error) => e instanceof UserError && /cannot write the calibrated model: a file is in the way/.test(e.message));
  assert.throws(() => saveModelDir(mine, model, SCHEMA, {}, 'calibrated model'), (e: Error) => e instanceof UserError && /the calibrated model replaces the whole directory/.test(e.message));
  assert.equal(readFileSync(file, 'utf8'), 'x');
  // Missing parents are made; nothing but the model is left beside it.
  const nested = join(root, 'new', 'deeper', 'model');
  saveModelDir(nested, model, SCHEMA);
  assert.deepEqual(readdirSync(join(root, 'new', 'deeper')), ['model']);
});

/** Copies the saved model, applies `edit`, optionally refreshes the checksums, expects a UserError. */
function corrupt(name: string, edit: (dir: string) => void, re: RegExp, fixSums = true) {
  test(`corrupt model directory: ${name}`, () => {
    const dir = join(root, name.replace(/\W+/g, '_'));
    saveModelDir(dir, model, SCHEMA);
    edit(dir);
    if (fixSums)
      writeFileSync(
        join(dir, 'checksum'),
        MODEL_FILES.filter((f) => existsSync(join(dir, f)))
          .map((f) => `${createHash('sha256').update(readFileSync(join(dir, f))).digest('hex')}  ${f}\n`)
          .join(''),
      );
    assert.throws(() => loadModelDir(dir), (e: unknown) => {
      assert.ok(e instanceof UserError, String(e));
      assert.match(e.message, re);
      // A program tells a model that is not there from one that is broken by the code.
      assert.equal(e.code, /model directory not found/.test(e.message) ? 'ENTREL_MODEL_NOT_FOUND' : 'ENTREL_MODEL_CORRUPT');
      return true;
    });
  });
}

const editJson = (file: string, f: (o: any) => void) => (dir: string) => {
  const o = JSON.parse(readFileSync(join(dir, file), 'utf8'));
  f(o);
  writeFileSync(join(dir, file), JSON.stringify(o));
};

corrupt('missing directory', (dir) => rmSync(dir, { recursive: true }), /model directory not found/, false);
corrupt('missing weights', (dir) => unlinkSync(join(dir, 'weights.safetensors')), /weights\.safetensors: missing model file/, false);
corrupt('missing checksum', (dir) => unlinkSync(join(dir, 'checksum')), /checksum: missing/, false);
corrupt('unreadable file', (dir) => (unlinkSync(join(dir, 'vocab.json')), mkdirSync(join(dir, 'vocab.json'))), /vocab\.json: cannot read this model file: it is a directory \(EISDIR\)/, false);
corrupt('modified weights', (dir) => writeFileSync(join(dir, 'weights.safetensors'), Buffer.concat([readFileSync(join(dir, 'weights.safetensors')), Buffer.from('x')])), /weights\.safetensors: checksum mismatch/, false);
corrupt('modified config', editJson('config.json', (o) => (o.model.dropout = 0.3)), /config\.json: checksum mismatch/, false);
corrupt('bad version', editJson('config.json', (o) => (o.version = 99)), /config\.json: version: unsupported model format version 99/);
corrupt('bad config value', editJson('config.json', (o) => (o.model.lstmHidden = -1)), /config\.json: lstmHidden/);
corrupt('invalid JSON', (dir) => writeFileSync(join(dir, 'schema.json'), '{'), /schema\.json: cannot read/);
corrupt('vocabulary not matching the schema', editJson('schema.json', (o) => o.entityTypes.reverse()), /vocab\.json: tags\/relation labels do not match/);
corrupt('vocabulary not matching the weights', editJson('vocab.json', (o) => o.words.push('extra-word')), /weights\.safetensors: weight "word\.weight" has shape/);
corrupt('extra weight', (dir) => {
  const p = join(dir, 'weights.safetensors');
  const { tensors } = loadSafetensors(p);
  saveSafetensors(p, { ...tensors, 'rel.bogus': randNormal([2]) });
}, /unexpected weight "rel\.bogus"/);
corrupt('missing weight', (dir) => {
  const p = join(dir, 'weights.safetensors');
  const { tensors } = loadSafetensors(p);
  delete tensors['tagger.bias'];
  saveSafetensors(p, tensors);
}, /missing weight "tagger\.bias"/);

/** Rewrites the weights file's header entry of its first tensor to `entry` (its data stays, unread). */
const editFirstWeight = (entry: Record<string, unknown>) => (dir: string) => {
  const p = join(dir, 'weights.safetensors');
  const buf = readFileSync(p);
  const n = Number(buf.readBigUInt64LE(0));
  const header = JSON.parse(buf.subarray(8, 8 + n).toString('utf8'));
  const first = Object.keys(header).filter((k) => k !== '__metadata__').sort((a, b) => header[a].data_offsets[0] - header[b].data_offsets[0])[0];
  header[first] = { dtype: 'F32', data_offsets: [0, 0], ...entry };
  const json = Buffer.from(JSON.stringify(header));
  const len = Buffer.alloc(8);
  len.writeBigUInt64LE(BigInt(json.length));
  writeFileSync(p, Buffer.concat([len, json, buf.subarray(8 + n)]));
};
// A size of 0 makes the byte count 0 whatever the other sizes claim: sizes beyond 2^53 (which libtorch
// read as INT64_MIN, an internal error) and products beyond any tensor are refused as a corrupt model.
for (const shape of [[0, 1e300], [0, 2 ** 63], [2 ** 64, 0], [0, -1], [0, 1.5], [0, '1'], [0, 2 ** 40, 2 ** 40]])
  corrupt(`weights header with shape ${JSON.stringify(shape)}`, editFirstWeight({ shape }), /weights\.safetensors: not a valid safetensors file \(tensor "[\w.]+" has (an invalid shape|shape \[0,1099511627776,1099511627776\], too large)/);
corrupt('weights header with offsets beyond 2^53', editFirstWeight({ shape: [0], data_offsets: [2 ** 60, 2 ** 60] }), /weights\.safetensors: not a valid safetensors file \(tensor "[\w.]+" has invalid data_offsets/);

corrupt('CRF tagger read with the argmax decoder', editJson('config.json', (o) => (o.model.tagger = 'crf')), /config\.json: decoder: must be "viterbi" with tagger "crf"/);

test('a CRF tagger: its transition scores round-trip; entity scores are the CRF\'s span probabilities', () => {
  const { model: crfModel } = tinyJointModel({ torchSeed: 4, train, initSeed: 1, config: { ...SMALL_DIMS, tagger: 'crf', decoder: 'viterbi' } });
  const crf = crfModel.crf!;
  noGrad(() => crf.transitions.copy_(randNormal(crf.transitions.shape)));
  const dir = join(root, 'crf-model');
  saveModelDir(dir, crfModel, SCHEMA);
  const batch = buildBatch(train.map((s) => encodeSentence(s, vocab, { gold: false })), vocab.words.size);
  const before = crfModel.predict(batch);
  const loaded = loadModelDir(dir).model;
  assert.equal(loaded.config.tagger, 'crf');
  assert.deepEqual(loaded.crf!.transitions.toFloat64Array(), crf.transitions.toFloat64Array());
  assert.deepEqual(loaded.predict(batch), before);
  const scores = before.flatMap((p) => p.entities.map((e) => e.score));
  assert.ok(scores.length > 0 && scores.every((x) => x > 0 && x <= 1 + 1e-9), `${scores}`);
});

test('LM heads (lmHidden > 0) round-trip with the rest; predictions ignore them', () => {
  const { model: lmModel } = tinyJointModel({ torchSeed: 5, train, initSeed: 1, config: { ...SMALL_DIMS, lmHidden: 5 } });
  const dir = join(root, 'lm-model');
  saveModelDir(dir, lmModel, SCHEMA);
  const loaded = loadModelDir(dir).model;
  assert.equal(loaded.config.lmHidden, 5);
  assert.deepEqual(loaded.lm!.fwd.out.weight.shape, [vocab.words.size, 5]);
  assert.deepEqual(loaded.lm!.bwd.hidden.weight.toFloat64Array(), lmModel.lm!.bwd.hidden.weight.toFloat64Array());
  const batch = buildBatch(train.map((s) => encodeSentence(s, vocab, { gold: false })), vocab.words.size);
  const before = lmModel.predict(batch);
  noGrad(() => lmModel.lm!.fwd.out.weight.mul_(0));
  assert.deepEqual(lmModel.predict(batch), before);
  assert.deepEqual(loaded.predict(batch), before);
});

test('predictSentences: input order, empty sentences, extended GloVe vocabulary at inference', async () => {
  const { predictSentences } = await import('../../src/model/predict.js');
  const { gloveTable } = await import('../../src/model/glove.js');
  const { assertSamePrediction, sentence } = await import('./fixtures.js');
  const sents = [train[3], sentence([], []), train[0], sentence(['Zorro', 'works', 'for', 'Acme', 'Corp'], [])];
  const batch = buildBatch([train[3], train[0]].map((s) => encodeSentence(s, vocab, { gold: false })), vocab.words.size);
  const direct = model.predict(batch);
  // predictSentences batches by length, so each sentence may sit beside another one than in `batch`.
  const preds = predictSentences(model, sents, { batchSize: 2 });
  assertSamePrediction(preds[0], direct[0]);
  assertSamePrediction(preds[2], direct[1]);
  assert.deepEqual(preds[1], { tags: [], entities: [], relations: [] });
  // 'zorro' is not a training word: UNK without GloVe, its own (GloVe) vector with it.
  const plain = predictSentences(model, [sents[3]]);
  model.glove = gloveTable(8, ['zorro'], new Float32Array(8).fill(3));
  try {
    const ext = predictSentences(model, [sents[3]]);
    assert.equal(ext[0].tags.length, 5);
    const enc = encodeSentence(sents[3], vocab, { gold: false, glove: model.glove });
    assert.equal(enc.words[0], vocab.words.size);
    assert.ok(plain[0].tags.length === 5, 'plain[0].tags.length === 5');
  } finally {
    model.glove = undefined;
  }
});

test('the tokenizer setting: a model directory without one reads as ptb; a wrong value is named', () => {
  assert.equal(defaultModelConfig().tokenizer, 'ptb');
  const { tokenizer: _, ...old } = defaultModelConfig();
  assert.equal(validateModelConfig(old).tokenizer, 'ptb');
  assert.throws(() => validateModelConfig({ ...old, tokenizer: 'spacy' }, 'm/config.json'), (e: unknown) =>
    e instanceof UserError && e.location.field === 'tokenizer' && /^m\/config\.json.*must be "ptb" or "conll04"/.test(e.message));
});
