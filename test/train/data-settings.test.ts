/**
 * The training config's data settings a paper reproduction needs: NYT's seeded dev carve-out named in the
 * config (data.devSplit / data.testSplit) and the authors' tag overwriting of overlapping entities
 * (overlappingEntities "overwrite", reference spec §1.1).
 */
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { documentFromTokens } from '../../src/data/corpus.js';
import { encodeSentence } from '../../src/model/encode.js';
import { Vocabulary } from '../../src/model/vocab.js';
import { loadConfig } from '../../src/train/config.js';
import { readingOptions } from '../../src/train/data.js';
import { trainingLosses } from '../../src/train/losses.js';
import { buildNNSetup } from '../../src/train/nn.js';
import { tempDir } from '../temp-dir.js';
import { userError } from '../user-error.js';

const tiny = fileURLToPath(new URL('fixtures/tiny.json', import.meta.url));
const nyt = fileURLToPath(new URL('../../../shared/data/nyt_cotype/test.json', import.meta.url));

test('data.devSplit and data.testSplit select the parts of an NYT file, and need format "nyt"', () => {
  const config = loadConfig(tiny, [`data.train=${nyt}`, `data.dev=${nyt}`, `data.test=${nyt}`, 'data.format="nyt"', 'data.devSplit="dev"', 'data.testSplit="test"']);
  assert.equal(readingOptions(config, 'dev').split, 'dev');
  assert.equal(readingOptions(config, 'test').split, 'test');
  assert.equal(readingOptions(config).split, undefined, 'the training file is read whole');
  assert.match(userError(() => loadConfig(tiny, ['data.devSplit="dev"'])).message, /data\.devSplit.*needs data\.format "nyt"/);
  assert.match(userError(() => loadConfig(tiny, ['data.testSplit="test"'])).message, /data\.testSplit.*needs data\.format "nyt"/);
  assert.match(userError(() => loadConfig(tiny, ['data.format="nyt"', 'data.devSplit="half"'])).message, /data\.devSplit.*expected "dev", "test" or "all"/);
});

test('training chooses on NYT\'s 39 dev sentences with devSplit "dev", and warns when dev is the whole test file', async () => {
  const sets = [`data.train=${nyt}`, `data.dev=${nyt}`, 'data.format="nyt"'];
  const quietly = { quiet: true, onWarning: () => {} };
  const split = await buildNNSetup(loadConfig(tiny, [...sets, 'data.devSplit="dev"']), undefined, quietly);
  assert.equal(split.dev.documents.length, 39);
  const warnings: string[] = [];
  const whole = await buildNNSetup(loadConfig(tiny, sets), undefined, { quiet: true, onWarning: (m) => warnings.push(m) });
  assert.equal(whole.dev.documents.length, 395);
  assert.ok(warnings.some((m) => /read whole as dev: .*data\.devSplit "dev"/.test(m)), JSON.stringify(warnings));
});

// "He works for the New York Times": ORG [4, 7) listed before GPE [4, 6), as ACE05 lists them.
const nested = documentFromTokens('d', [
  {
    tokens: ['He', 'works', 'for', 'the', 'New', 'York', 'Times'],
    entities: [{ id: 'T1', type: 'ORG', start: 4, end: 7 }, { id: 'T2', type: 'GPE', start: 4, end: 6 }],
    relations: [],
  },
]);

test('overlappingEntities "overwrite" writes the later entity over the earlier, as the authors\' loader', () => {
  const sentence = nested.sentences[0];
  const vocab = Vocabulary.build([sentence], { entityTypes: ['GPE', 'ORG'], relationTypes: [] }, 'BIEOU');
  const tags = (overlap?: 'keep-longest' | 'overwrite') =>
    [...encodeSentence(sentence, vocab, { overlap }).tags!].map((id) => vocab.tags.items[id]).slice(4);
  assert.deepEqual(tags(), ['B-ORG', 'I-ORG', 'E-ORG']);
  assert.deepEqual(tags('overwrite'), ['B-GPE', 'E-GPE', 'E-ORG']);
  const lost = (overlap: 'keep-longest' | 'overwrite') => trainingLosses([nested], 'BIEOU', { overlap }).summary()[0].examples[0];
  assert.match(lost('keep-longest'), /GPE "New York" \[4, 6\) overlaps another entity, which the tags keep/);
  assert.match(lost('overwrite'), /ORG "New York Times" \[4, 7\) overlaps another entity, whose tags are written over it/);
});

test('training encodes its targets with the config\'s overlappingEntities', async () => {
  const dir = tempDir('entrel-overlap-');
  const train = join(dir, 'train.json');
  writeFileSync(train, JSON.stringify([{ tokens: ['He', 'works', 'for', 'the', 'New', 'York', 'Times'], entities: [[4, 7, 'ORG'], [4, 6, 'GPE']], relations: [] }]));
  const setup = async (policy: string) => {
    const s = await buildNNSetup(loadConfig(tiny, [`data.train=${train}`, `data.dev=${train}`, `overlappingEntities="${policy}"`, 'select="entity+relation"']), undefined, { quiet: true, onWarning: () => {} });
    return [...s.train[0].tags!].slice(4).map((id) => s.vocab.tags.items[id]);
  };
  assert.deepEqual(await setup('overwrite'), ['B-GPE', 'L-GPE', 'L-ORG']);
  assert.deepEqual(await setup('keep-longest'), ['B-ORG', 'I-ORG', 'L-ORG']);
});

test('data.types: the types file is read with the training and dev data, and its digest recorded as data.types', async () => {
  const dir = tempDir('entrel-data-types-');
  const types = join(dir, 'tiny_types.json');
  const entry = (t: string, symmetric?: boolean) => [t, { short: t, verbose: t, ...(symmetric !== undefined && { symmetric }) }];
  const write = (symmetric: boolean) => writeFileSync(types, JSON.stringify({
    entities: Object.fromEntries(['Peop', 'Org', 'Loc', 'Other'].map((t) => entry(t))),
    relations: Object.fromEntries([entry('Work_For'), entry('Live_In'), entry('OrgBased_In'), entry('Kill', symmetric)]),
  }));
  write(true);
  const warnings: string[] = [];
  const setup = await buildNNSetup(loadConfig(tiny, [`data.types=${JSON.stringify(types)}`]), undefined, { quiet: true, onWarning: (m) => warnings.push(m) });
  assert.deepEqual(setup.schema.entityTypes, ['Peop', 'Org', 'Loc', 'Other'], "the types file's order and its type no file has");
  assert.equal(setup.schema.relationTypes.find((r) => r.name === 'Kill')?.symmetric, true);
  assert.ok(warnings.some((m) => /entity type "Other" and relation type "Kill" never occur in the training data/.test(m)), JSON.stringify(warnings));
  const digest = setup.data['data.types'];
  assert.match(digest ?? '', /^[0-9a-f]{64}$/);
  assert.equal(Object.keys(setup.data)[0], 'data.types', 'compared first on resume: a changed types file changes data.train\'s digest too');
  write(false);
  const other = await buildNNSetup(loadConfig(tiny, [`data.types=${JSON.stringify(types)}`]), undefined, { quiet: true, onWarning: () => {} });
  assert.notEqual(other.data['data.types'], digest, 'another symmetric flag, another digest');
  const without = await buildNNSetup(loadConfig(tiny), undefined, { quiet: true, onWarning: () => {} });
  assert.equal(without.data['data.types'], undefined);
  assert.deepEqual(without.schema.entityTypes, ['Peop', 'Org', 'Loc']);
});
