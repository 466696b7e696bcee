/**
 * A model's recorded scores (config.json's `meta.metrics`, free-form JSON) read as ModelMetrics
 * (src/extract/model-metrics.ts) by `entrel info` and a model package's README: what entrel records
 * is shown, anything else is left out rather than printed raw or thrown on.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { formatModelCard } from '../../src/cli/model-card-text.js';
import { readModelCard } from '../../src/extract/model-card.js';
import { recordedMetrics } from '../../src/extract/model-metrics.js';
import { modelReadme } from '../../src/extract/model-readme.js';
import type { ModelInfo } from '../../src/extract/types.js';
import { BUNDLED_MODEL_DIR } from '../../src/model/model-ref.js';

test('recordedMetrics keeps splits that are numbers or objects, and a file only as a string', () => {
  const trained = { dev: { file: 'dev.json', entityF1: 86.3, relationStrictF1: 63.8 } };
  assert.deepEqual(recordedMetrics(trained), trained, 'what entrel train records');
  assert.deepEqual(recordedMetrics({ train: 1, odd: 'x', none: null, list: [1] }), { train: 1 }, 'a number split; others dropped');
  assert.deepEqual(recordedMetrics({ test: { file: 5, entityF1: 1, runs: [1, 2] } }), { test: { entityF1: 1, runs: [1, 2] } }, 'a file that is no string');
  for (const junk of [undefined, null, 'great', 3, [1, 2]]) assert.equal(recordedMetrics(junk), undefined, JSON.stringify(junk));
  const proto = recordedMetrics(JSON.parse('{"__proto__": {"entityF1": 1}}'));
  assert.deepEqual(Object.keys(proto ?? {}), ['__proto__'], 'an own __proto__ split stays a split');
  assert.equal(Object.getPrototypeOf(proto), Object.prototype, 'and is no prototype');
});

test('entrel info and the package README show recorded scores, and "not recorded" for JSON that holds none', () => {
  const card = readModelCard(BUNDLED_MODEL_DIR);
  // As a model directory may record them (the cast: what recordedMetrics is for).
  const metricsLine = (metrics: unknown) => /^metrics +(.*)$/m.exec(formatModelCard({ ...card, metrics: metrics as ModelInfo['metrics'] }))?.[1];
  const scores = (metrics: unknown) => /## Scores\n\n(.*?)\n\n/s.exec(modelReadme({ ...card, metrics: metrics as ModelInfo['metrics'] }, { name: 'm', version: '1.0.0', description: 'd', withVectors: false }))?.[1].trim();
  assert.equal(metricsLine({ test: { file: 't.json', entityF1: 86.3 }, train: 1 }), 'test: entityF1 86.3 (t.json)');
  assert.equal(scores({ test: { file: 'a/t.json', entityF1: 86.3 }, train: 1 }), '| data | metric | value |\n|---|---|---|\n| test (t.json) | entityF1 | 86.3 |\n| train | | 1 |');
  for (const junk of [null, 'great', [1]]) {
    assert.equal(metricsLine(junk), 'not recorded', JSON.stringify(junk));
    assert.equal(scores(junk), 'None recorded.', JSON.stringify(junk));
  }
});
