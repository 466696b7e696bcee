/** What encoding for training drops (nested entities, tokens past 200) is counted, not silent. */
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { documentFromTokens } from '../../src/data/corpus.js';
import { loadConfig } from '../../src/train/config.js';
import { trainingLosses } from '../../src/train/losses.js';
import { buildNNSetup } from '../../src/train/nn.js';
import { tempDir } from '../temp-dir.js';

const tiny = fileURLToPath(new URL('fixtures/tiny.json', import.meta.url));

test('a nested entity and a sentence past 200 tokens are counted with where they are', () => {
  const long = Array.from({ length: 230 }, (_, i) => `w${i}`);
  const doc = documentFromTokens('d1', [
    { tokens: ['John', 'Smith', 'works'], entities: [{ id: 'T1', type: 'Peop', start: 0, end: 2 }, { id: 'T2', type: 'Peop', start: 0, end: 1 }], relations: [] },
    {
      tokens: long,
      entities: [{ id: 'T3', type: 'Peop', start: 0, end: 1 }, { id: 'T4', type: 'Org', start: 210, end: 212 }],
      relations: [{ type: 'Work_For', head: 'T3', tail: 'T4' }],
    },
  ]);
  const d = trainingLosses([doc], 'BILOU');
  assert.equal(d.count('overlapping-entity-not-trained'), 1);
  assert.equal(d.count('sentence-truncated-for-training'), 1);
  const [nested, cut] = [d.summary().find((w) => w.code === 'overlapping-entity-not-trained')!, d.summary().find((w) => w.code === 'sentence-truncated-for-training')!];
  assert.match(nested.examples[0], /document "d1", sentence 0: Peop "John" \[0, 1\)/);
  assert.match(cut.examples[0], /document "d1", sentence 1: 230 tokens, trained on the first 200 \(1 entities and 1 relations past them\)/);
  assert.equal(trainingLosses([doc], 'BILOU', 'keep-longest', 1000).count(), 1); // only the nested one
  const twice = documentFromTokens('d2', [
    { tokens: ['John', 'Smith'], entities: [{ id: 'T1', type: 'Peop', start: 0, end: 2 }, { id: 'T2', type: 'Peop', start: 0, end: 2 }], relations: [] },
  ]);
  assert.equal(trainingLosses([twice], 'BILOU').count(), 0, 'an exact duplicate of a tagged entity loses nothing');
});

test('training says what its targets lose, to the caller\'s onWarning', async () => {
  const dir = tempDir('entrel-losses-');
  const train = join(dir, 'train.json');
  writeFileSync(train, JSON.stringify([{ tokens: ['Mary', 'Jones', 'works', 'for', 'Globex'], entities: [[0, 2, 'Peop'], [1, 2, 'Peop'], [4, 5, 'Org']], relations: [[0, 2, 4, 5, 'Work_For']] }]));
  const config = loadConfig(tiny, [`data.train=${train}`, `data.dev=${train}`]);
  const warnings: { message: string; file?: string }[] = [];
  await buildNNSetup(config, undefined, { onWarning: (message, about) => warnings.push({ message, file: about?.file }) });
  assert.ok(warnings.some((w) => w.message.startsWith(`${train}: overlapping-entity-not-trained ×1`) && w.file === train), JSON.stringify(warnings));
});
