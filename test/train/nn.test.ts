/**
 * NN training of a tiny JointModel on hand-made sentences: a kill and --resume reproduce the
 * uninterrupted run (weights checksum and dev scores); the best model evaluates and predicts from disk.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { loadConfig } from '../../src/train/config.js';
import { evaluateModel, predictToFile } from '../../src/train/evaluate.js';
import { buildNNSetup, devScores, initFromModelDir, trainNN } from '../../src/train/nn.js';

const here = fileURLToPath(new URL('.', import.meta.url));
const config = loadConfig(join(here, 'fixtures/tiny.json'));
const root = mkdtempSync(join(tmpdir(), 'entrel-nn-'));
const checksum = (dir: string) => createHash('sha256').update(readFileSync(join(dir, 'last', 'weights.safetensors'))).digest('hex');

test('kill + --resume gives the uninterrupted run bit for bit', async () => {
  const ref = await trainNN(config, join(root, 'ref'), { quiet: true });
  const out = join(root, 'killed');
  await assert.rejects(trainNN(config, out, { quiet: true, onEpoch: (r) => { if (r.epoch === 17) throw new Error('kill -9'); } }), /kill -9/);
  const res = await trainNN(config, out, { quiet: true, resume: true });
  assert.equal(checksum(out), checksum(join(root, 'ref')));
  assert.deepEqual(res.history.map((r) => r.dev), ref.history.map((r) => r.dev));
  assert.equal(res.bestScore, ref.bestScore);
  assert.ok(ref.bestScore >= 0.5, `the tiny model should learn the tiny data (dev rel F1 ${ref.bestScore})`);
  const svg = readFileSync(join(out, 'curve.svg'), 'utf8');
  assert.match(svg, /^<svg [^>]*>[\s\S]*<polyline[\s\S]*dev relation F1[\s\S]*<\/svg>\n$/);
});

test('a CRF tagger: kill + --resume gives the uninterrupted run bit for bit, and best/ scores what it logged', async () => {
  const crf = loadConfig(join(here, 'fixtures/tiny.json'), ['model.tagger=crf', 'model.decoder=viterbi', 'epochs=12']);
  const ref = await trainNN(crf, join(root, 'crf-ref'), { quiet: true });
  const out = join(root, 'crf-killed');
  await assert.rejects(trainNN(crf, out, { quiet: true, onEpoch: (r) => { if (r.epoch === 6) throw new Error('kill -9'); } }), /kill -9/);
  const res = await trainNN(crf, out, { quiet: true, resume: true });
  assert.equal(checksum(out), checksum(join(root, 'crf-ref')));
  assert.deepEqual(res.history.map((r) => r.dev), ref.history.map((r) => r.dev));
  const best = ref.history.find((r) => r.epoch === ref.bestEpoch)!;
  const report = await evaluateModel(join(root, 'crf-ref', 'best'), crf.data.dev, { format: 'unified' });
  assert.equal(report.entities.micro.f1, best.dev.entF1);
  assert.ok(best.dev.entF1 > 0.5, `the tiny CRF model should learn the tiny data (dev entity F1 ${best.dev.entF1})`);
});

test('the best model evaluates to its logged dev score and predicts to JSON Lines', async () => {
  const out = join(root, 'ref');
  const log = readFileSync(join(out, 'train.log.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
  const best = log.filter((r) => r.type === 'epoch' && r.best).pop();
  const report = await evaluateModel(join(out, 'best'), config.data.dev, { format: 'unified' });
  assert.equal(report.relations.strict.micro.f1, best.dev.relF1);
  assert.equal(report.entities.micro.f1, best.dev.entF1);
  const pred = join(root, 'pred.jsonl');
  await predictToFile(join(out, 'best'), config.data.dev, pred);
  assert.equal(readFileSync(pred, 'utf8').trim().split('\n').length, 6);
});

test('a fresh setup initialised from best/ scores what best/ scored (MRT --init)', async () => {
  const out = join(root, 'ref');
  const s = await buildNNSetup(config);
  initFromModelDir(s, join(out, 'best'));
  const log = readFileSync(join(out, 'train.log.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
  const best = log.filter((r) => r.type === 'epoch' && r.best).pop();
  assert.deepEqual(devScores(s, 100), best.dev);
});
