/**
 * NN training of a tiny JointModel on hand-made sentences: a kill and --resume reproduce the
 * uninterrupted run (weights checksum and dev scores); the best model evaluates and predicts from disk.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { loadConfig } from '../../src/train/config.js';
import type { TrainConfig } from '../../src/train/config-schema.js';
import { loadModelDir } from '../../src/model/io.js';
import { evaluateModel, predictToFile } from '../../src/train/evaluate.js';
import { buildNNSetup, buildSetupFrom, devScores, trainNN } from '../../src/train/nn.js';
import { trainedMeta } from '../../src/train/provenance.js';
import { tempDir } from '../temp-dir.js';

const here = fileURLToPath(new URL('.', import.meta.url));
const config = loadConfig(join(here, 'fixtures/tiny.json'));
const root = tempDir('entrel-nn-');
const checksum = (dir: string) => createHash('sha256').update(readFileSync(join(dir, 'last', 'weights.safetensors'))).digest('hex');

/** Trains `cfg` into `refDir`, and again into `out` killed after epoch `killAt` then resumed; asserts both end alike. */
async function killAndResume(cfg: TrainConfig, refDir: string, out: string, killAt: number) {
  const ref = await trainNN(cfg, join(root, refDir), { quiet: true });
  await assert.rejects(trainNN(cfg, join(root, out), { quiet: true, onEpoch: (r) => { if (r.epoch === killAt) throw new Error('kill -9'); } }), /kill -9/);
  const res = await trainNN(cfg, join(root, out), { quiet: true, resume: true });
  assert.equal(checksum(join(root, out)), checksum(join(root, refDir)));
  assert.deepEqual(res.history.map((r) => r.dev), ref.history.map((r) => r.dev));
  return { ref, res, out: join(root, out) };
}

test('kill + --resume gives the uninterrupted run bit for bit', async () => {
  const { ref, res, out } = await killAndResume(config, 'ref', 'killed', 17);
  assert.equal(res.bestScore, ref.bestScore);
  assert.ok(ref.bestScore >= 0.5, `the tiny model should learn the tiny data (dev rel F1 ${ref.bestScore})`);
  const svg = readFileSync(join(out, 'curve.svg'), 'utf8');
  assert.match(svg, /^<svg [^>]*>[\s\S]*<polyline[\s\S]*dev relation F1[\s\S]*<\/svg>\n$/);
});

test('a CRF tagger: kill + --resume gives the uninterrupted run bit for bit, and best/ scores what it logged', async () => {
  const crf = loadConfig(join(here, 'fixtures/tiny.json'), ['model.tagger=crf', 'model.decoder=viterbi', 'epochs=12']);
  const { ref } = await killAndResume(crf, 'crf-ref', 'crf-killed', 6);
  const best = ref.history.find((r) => r.epoch === ref.bestEpoch)!;
  const report = await evaluateModel(join(root, 'crf-ref', 'best'), crf.data.dev, { format: 'unified' });
  assert.equal(report.entities.micro.f1, best.dev.entF1);
  assert.ok(best.dev.entF1 > 0.5, `the tiny CRF model should learn the tiny data (dev entity F1 ${best.dev.entF1})`);
});

test('two word channels (model.staticWords): kill + --resume gives the uninterrupted run bit for bit, the frozen one unchanged', async () => {
  const two = loadConfig(join(here, 'fixtures/tiny.json'), ['model.staticWords=true', 'epochs=8']);
  const { out } = await killAndResume(two, 'static-ref', 'static-killed', 4);
  const start = await buildNNSetup(two); // the same seed: the initial weights
  const trained = loadModelDir(join(out, 'best')).model;
  assert.deepEqual(trained.staticWord!.weight.toFloat64Array(), start.model.staticWord!.weight.toFloat64Array());
  assert.notDeepEqual(trained.word.weight.toFloat64Array(), start.model.word.weight.toFloat64Array());
});

test('validateEvery scores dev within epochs and keeps the best of all scores, training exactly as without it', async () => {
  const every = loadConfig(join(here, 'fixtures/tiny.json'), ['epochs=14', 'validateEvery=6']);
  const plain = await trainNN({ ...every, validateEvery: 0 }, join(root, 'validate-off'), { quiet: true });
  const res = await trainNN(every, join(root, 'validate-on'), { quiet: true });
  assert.equal(checksum(join(root, 'validate-on')), checksum(join(root, 'validate-off')));
  assert.deepEqual(res.history.map((r) => r.dev), plain.history.map((r) => r.dev));
  const log = readFileSync(join(root, 'validate-on', 'train.log.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
  // 18 training sentences in batches of 6: scored after 6 and 12 of them, then at the epoch's end.
  const within = log.filter((r) => r.type === 'validation');
  assert.deepEqual(within.map((r) => [r.epoch, r.sentences]), Array.from({ length: 14 }, (_, i) => i + 1).flatMap((e) => [[e, 6], [e, 12]]));
  const scores = log.filter((r) => r.type === 'validation' || r.type === 'epoch');
  const top = Math.max(...scores.map((r) => r.dev.relF1));
  assert.equal(res.bestScore, top);
  const kept = scores.filter((r) => r.best).pop();
  assert.equal(kept.dev.relF1, top);
  const report = await evaluateModel(join(root, 'validate-on', 'best'), every.data.dev, { format: 'unified' });
  assert.equal(report.relations.strict.micro.f1, kept.dev.relF1);
  assert.equal(report.entities.micro.f1, kept.dev.entF1);
  const { meta } = loadModelDir(join(root, 'validate-on', 'best'));
  const where = kept.type === 'validation' ? ` \\(after ${kept.sentences} of its 18 sentences\\)` : '';
  assert.match(String(meta.trainedOn), new RegExp(`; epoch ${kept.epoch}${where}, chosen on`));
});

test('lossNormalization reaches the local loss: the paper\'s per-sentence mean trains differently from the per-batch one; a bad value names the key', async () => {
  const batch = await trainNN(loadConfig(join(here, 'fixtures/tiny.json'), ['epochs=2']), join(root, 'norm-batch'), { quiet: true });
  const sentence = await trainNN(loadConfig(join(here, 'fixtures/tiny.json'), ['epochs=2', 'lossNormalization=sentence']), join(root, 'norm-sentence'), { quiet: true });
  const losses = (r: typeof batch) => r.history.map((h) => h.loss.total);
  assert.notDeepEqual(losses(sentence), losses(batch));
  assert.throws(() => loadConfig(join(here, 'fixtures/tiny.json'), ['lossNormalization=token']), /lossNormalization: expected "batch" or "sentence"/);
});

test('a model kept within an epoch says how far into it', () => {
  const meta = trainedMeta(config, 18, 'the local loss', { epoch: 3, sentences: 12, dev: { entF1: 0.5, relF1: 0.25 } });
  assert.equal(meta.trainedOn, 'tiny-train.json (18 sentences) with the local loss; epoch 3 (after 12 of its 18 sentences), chosen on tiny-dev.json by strict relation F1');
  assert.deepEqual(meta.metrics, { dev: { file: 'tiny-dev.json', entityF1: 50, relationStrictF1: 25 } });
});

test('lmWeight without the language-model heads is refused, naming the field', async () => {
  const noHeads = loadConfig(join(here, 'fixtures/tiny.json'), ['lmWeight=0.5']);
  await assert.rejects(buildNNSetup(noHeads), /lmWeight.*model\.lmHidden > 0/);
  const withHeads = loadConfig(join(here, 'fixtures/tiny.json'), ['lmWeight=0.5', 'model.lmHidden=4']);
  assert.ok((await buildNNSetup(withHeads)).model.lm, '(await buildNNSetup(withHeads)).model.lm');
});

test('the best model evaluates to its logged dev score and predicts to JSON Lines', async () => {
  const out = join(root, 'ref');
  const log = readFileSync(join(out, 'train.log.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
  const best = log.filter((r) => r.type === 'epoch' && r.best).pop();
  const report = await evaluateModel(join(out, 'best'), config.data.dev, { format: 'unified' });
  assert.equal(report.relations.strict.micro.f1, best.dev.relF1);
  assert.equal(report.entities.micro.f1, best.dev.entF1);
  // best/ says how it was made: entrel's version, its data, epoch and dev scores (file names, not paths).
  const { meta } = loadModelDir(join(out, 'best'));
  assert.equal(meta.entrelVersion, JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')).version);
  assert.equal(meta.trainedOn, `tiny-train.json (18 sentences) with the local loss; epoch ${best.epoch}, chosen on tiny-dev.json by strict relation F1`);
  const percent = (f: number) => Math.round(f * 1000) / 10;
  assert.deepEqual(meta.metrics, { dev: { file: 'tiny-dev.json', entityF1: percent(best.dev.entF1), relationStrictF1: percent(best.dev.relF1) } });
  const pred = join(root, 'pred.jsonl');
  await predictToFile(join(out, 'best'), config.data.dev, pred);
  assert.equal(readFileSync(pred, 'utf8').trim().split('\n').length, 6);
});

test('a setup continuing best/ scores what best/ scored (MRT --init, --init --local)', async () => {
  const out = join(root, 'ref');
  const setup = await buildSetupFrom(config, join(out, 'best'), { quiet: true });
  const log = readFileSync(join(out, 'train.log.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
  const best = log.filter((r) => r.type === 'epoch' && r.best).pop();
  assert.deepEqual(devScores(setup, 100), best.dev);
});
