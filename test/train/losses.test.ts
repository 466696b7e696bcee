/** What encoding for training drops (nested entities, tokens past maxTrainLength, a pair's second label) is counted, not silent. */
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { documentFromTokens, inferSchema } from '../../src/data/corpus.js';
import { encodeSentence } from '../../src/model/encode.js';
import { candidatePairs } from '../../src/model/pairs.js';
import { Vocabulary } from '../../src/model/vocab.js';
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
  assert.match(cut.examples[0], /document "d1", sentence 1: 230 tokens, trained on the first 200 \(1 entities and 1 relations past them\); split such documents into sentences, or raise maxTrainLength$/);
  assert.equal(trainingLosses([doc], 'BILOU', { maxLength: 1000 }).count(), 1); // only the nested one
  const twice = documentFromTokens('d2', [
    { tokens: ['John', 'Smith'], entities: [{ id: 'T1', type: 'Peop', start: 0, end: 2 }, { id: 'T2', type: 'Peop', start: 0, end: 2 }], relations: [] },
  ]);
  assert.equal(trainingLosses([twice], 'BILOU').count(), 0, 'an exact duplicate of a tagged entity loses nothing');
});

test('training says what its targets lose, to the caller\'s onWarning', async () => {
  const dir = tempDir('entrel-losses-');
  const train = join(dir, 'train.json');
  writeFileSync(train, JSON.stringify([{ tokens: ['Mary', 'Jones', 'works', 'for', 'Globex'], entities: [[0, 2, 'Peop'], [1, 2, 'Peop'], [4, 5, 'Org']], relations: [[0, 2, 4, 5, 'Work_For'], [0, 2, 4, 5, 'Live_In']] }]));
  const config = loadConfig(tiny, [`data.train=${train}`, `data.dev=${train}`]);
  const warnings: { message: string; file?: string }[] = [];
  await buildNNSetup(config, undefined, { onWarning: (message, about) => warnings.push({ message, file: about?.file }) });
  for (const code of ['overlapping-entity-not-trained', 'relation-label-not-trained'])
    assert.ok(warnings.some((w) => w.message.startsWith(`${train}: ${code} ×1`) && w.file === train), JSON.stringify(warnings));
});

test('several relations on one entity pair: the one the relation classifier trains (the last listed) is said, and each other one counted', () => {
  const [john, mary, paris] = [{ id: 'T1', type: 'Per', start: 0, end: 1 }, { id: 'T2', type: 'Per', start: 2, end: 3 }, { id: 'T3', type: 'Loc', start: 4, end: 5 }];
  const relations = [
    { type: 'Spouse', head: 'T1', tail: 'T2' },
    { type: 'Knows', head: 'T1', tail: 'T2' },
    { type: 'Boss_Of', head: 'T2', tail: 'T1' }, // the other direction: the same pair, label Boss_Of<--
    { type: 'In', head: 'T1', tail: 'T3' },
  ];
  const doc = documentFromTokens('a', [{ tokens: ['John', 'married', 'Mary', 'in', 'Paris', '.'], entities: [john, mary, paris], relations }]);
  const d = trainingLosses([doc], 'BILOU');
  assert.equal(d.count(), 2);
  assert.deepEqual(d.summary()[0].examples, [
    'document "a", sentence 0: Spouse "John" → "Mary" is not trained: the pair\'s one label is Boss_Of "Mary" → "John", the last listed of its relations',
    'document "a", sentence 0: Knows "John" → "Mary" is not trained: the pair\'s one label is Boss_Of "Mary" → "John", the last listed of its relations',
  ]);
  // What the warning says is kept is what the model trains on.
  const schema = inferSchema([doc]);
  const vocab = Vocabulary.build(doc.sentences, schema, 'BILOU');
  const enc = encodeSentence(doc.sentences[0], vocab);
  const { pairs } = candidatePairs([{ sent: 0, tags: enc.tags!, gold: enc.relations, addGold: true }], vocab);
  const label = (s1: number, s2: number) => vocab.relations.items[pairs.labels[[...pairs.s1].findIndex((s, p) => s === s1 && pairs.s2[p] === s2)]];
  assert.deepEqual([label(0, 2), label(0, 4)], ['Boss_Of<--', 'In-->']);
});

test('a relation listed both ways on a pair loses a label only when its type is directed', () => {
  const both = documentFromTokens('b', [{
    tokens: ['John', 'and', 'Mary'],
    entities: [{ id: 'T1', type: 'Per', start: 0, end: 1 }, { id: 'T2', type: 'Per', start: 2, end: 3 }],
    relations: [{ type: 'Spouse', head: 'T1', tail: 'T2' }, { type: 'Spouse', head: 'T2', tail: 'T1' }],
  }]);
  assert.equal(trainingLosses([both], 'BILOU', { schema: inferSchema([both], ['Spouse']) }).count(), 0, 'symmetric: one label for both directions');
  assert.equal(trainingLosses([both], 'BILOU', { schema: inferSchema([both]) }).count('relation-label-not-trained'), 1);
});

test('maxTrainLength sets where training cuts a sentence; outside 20 to 2000 it is refused', async () => {
  const dir = tempDir('entrel-max-length-');
  const train = join(dir, 'long.json');
  const tokens = Array.from({ length: 230 }, (_, i) => (i === 0 ? 'Mary' : i === 220 ? 'Globex' : `w${i}`));
  writeFileSync(train, JSON.stringify([{ tokens, entities: [[0, 1, 'Peop'], [220, 221, 'Org']], relations: [[0, 1, 220, 221, 'Work_For']] }]));
  const run = async (sets: string[]) => {
    const warnings: string[] = [];
    const s = await buildNNSetup(loadConfig(tiny, [`data.train=${train}`, ...sets]), undefined, { quiet: true, onWarning: (m) => warnings.push(m) });
    return { length: s.train[0].words.length, relations: s.train[0].relations!.length, truncated: warnings.filter((m) => m.includes('sentence-truncated-for-training')) };
  };
  const cut = await run([]);
  assert.deepEqual([cut.length, cut.relations, cut.truncated.length], [200, 0, 1]);
  assert.match(cut.truncated[0], /230 tokens, trained on the first 200 \(1 entities and 1 relations past them\); split such documents into sentences, or raise maxTrainLength/);
  assert.deepEqual(await run(['maxTrainLength=250']), { length: 230, relations: 1, truncated: [] });
  for (const bad of ['19', '2001', '100.5'])
    assert.throws(() => loadConfig(tiny, [`maxTrainLength=${bad}`]), (e: Error) => e.message === `${tiny}: maxTrainLength: expected an integer from 20 to 2000, got ${bad} (from --set)`);
});
