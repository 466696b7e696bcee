/**
 * User input that reaches libtorch: raw text through a real model (what the service and `entrel extract`
 * do with a request) and sizes from a training config. Hostile texts — empty, control characters, lone
 * surrogates, one 100,000-character token, a 1,000-token sentence, far beyond the relation distance table —
 * must give documents, and an impossible model size must end in a one-line user error (exit 1), never in
 * an abort or an internal error.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Extractor } from '../../src/extract/extractor.js';
import { modelHandle } from '../../src/model/model-handle.js';
import { SCHEMA } from '../model/fixtures.js';
import { SMALL_DIMS, tinyJointModel } from '../model/tiny-joint.js';
import { cli, TINY_CONFIG } from './harness.js';

const { model } = tinyJointModel({ torchSeed: 9, train: [10, 3], initSeed: 3, config: SMALL_DIMS });
const extractor = Extractor.fromModel(modelHandle(model), SCHEMA, { glove: false });

const HOSTILE: [string, string][] = [
  ['empty', ''],
  ['whitespace only', ' \n\t\r\n '],
  ['control characters', '\u0000\u0001\u0007\u001b[31m Alice \u007f works \u0085 for Acme'],
  ['lone surrogates', '\uD800 Alice \uDC00 works for \uDBFF Acme'],
  ['emoji and combining marks', 'A\u0301lice 👩‍👩‍👧 works for A\u0308cme 🇫🇷 .'],
  ['right-to-left and zero-width', '\u202EAlice\u200B works\u200D for \u05D0\u05D1 Acme'],
  ['one 100,000-character token', 'A'.repeat(100_000)],
  ['a 1,000-token sentence', 'Alice Smith works for Acme Corp in Paris and '.repeat(110)],
  ['punctuation only', '.'.repeat(2000)],
  ['many sentences', 'Bob works for Globex . '.repeat(500)],
];

for (const [name, text] of HOSTILE)
  test(`extraction from hostile text: ${name}`, { timeout: 120_000 }, async () => {
    const doc = await extractor.extract(text);
    assert.equal(doc.text, text);
    for (const e of doc.entities) assert.ok(e.start >= 0 && e.end <= text.length && e.start < e.end, 'e.start >= 0 && e.end <= text.length && e.start < e.end');
    for (const r of doc.relations) assert.ok(doc.entities.some((e) => e.id === r.head) && doc.entities.some((e) => e.id === r.tail), 'doc.entities.some((e) => e.id === r.head) && doc.entities.some((e) => e.id === r.tail)');
  });

// The largest LSTM a config may ask for (model.lstmHidden ≤ 65,536: src/model/config.ts) needs 64 GiB for one tensor.
test('a model size beyond memory is a one-line user error, not an internal error', { timeout: 120_000 }, async () => {
  const r = await cli(['train', '--config', TINY_CONFIG, '--out', '/nonexistent-never-created', '--quiet', '--set', 'model.lstmHidden=65536']);
  assert.equal(r.code, 1, r.stderr);
  assert.match(r.stderr, /^entrel: out of memory: a tensor of [\d.]+ GiB was asked for; use smaller model sizes or batchSize\n$/);
});
