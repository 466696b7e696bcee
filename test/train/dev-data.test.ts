/**
 * The dev data chooses best/ and stops training: dev data it cannot score on (no documents, no gold
 * entities, no gold relations when selecting on relation F1) would keep the first epoch's model without a
 * word, so it is refused before training, naming the file.
 */
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { isUserError } from '../../src/errors.js';
import { loadConfig } from '../../src/train/config.js';
import { buildNNSetup } from '../../src/train/nn.js';
import { tempDir } from '../temp-dir.js';

const fixtures = fileURLToPath(new URL('fixtures/', import.meta.url));
const root = tempDir('entrel-dev-data-');
const dev = JSON.parse(readFileSync(join(fixtures, 'tiny-dev.json'), 'utf8')) as { entities: unknown[]; relations: unknown[] }[];

function devFile(name: string, records: unknown[]): string {
  const file = join(root, name);
  writeFileSync(file, JSON.stringify(records));
  return file;
}
const setup = (file: string, sets: string[] = []) => buildNNSetup(loadConfig(join(fixtures, 'tiny.json'), [`data.dev=${file}`, ...sets]));
const refused = (file: string, message: RegExp) => (e: unknown) => isUserError(e) && e.message.startsWith(`${file}: `) && message.test(e.message);

test('a dev file without documents or without entities is refused', async () => {
  const empty = devFile('empty.json', []);
  await assert.rejects(setup(empty), refused(empty, /has no annotated entities \(0 documents, 0 sentences\): the dev data chooses the model kept in best\//));
  const unannotated = devFile('unannotated.json', dev.map((r) => ({ ...r, entities: [], relations: [] })));
  await assert.rejects(setup(unannotated), refused(unannotated, /has no annotated entities \(6 documents, 6 sentences\)/));
});

test('dev entities without relations: refused when selecting on relation F1, taken with select=entity+relation', async () => {
  const file = devFile('no-relations.json', dev.map((r) => ({ ...r, relations: [] })));
  await assert.rejects(setup(file), refused(file, /has no annotated relations \(6 documents, 6 sentences, 12 entities\), and select is "relation": .*set select=entity\+relation$/));
  assert.equal((await setup(file, ['select=entity+relation'])).dev.sentences.length, 6);
});

test('dev data that is training data (the same file, or documents of the same id and text) is warned about, naming the dev file', async () => {
  const warned = async (file: string, sets: string[] = []) => {
    const warnings: string[] = [];
    await buildNNSetup(loadConfig(join(fixtures, 'tiny.json'), [`data.dev=${JSON.stringify(file)}`, ...sets]), undefined, { quiet: true, onWarning: (m) => warnings.push(m) });
    return warnings.filter((m) => m.includes('training data'));
  };
  const train = join(fixtures, 'tiny-train.json');
  const advice = 'best/ is chosen, and patience stops, on sentences the model trains on, and its dev scores are training scores; give dev data of other documents (entrel split)';
  assert.deepEqual(await warned(train), [`${train}: is also training data (data.train): ${advice}`]);
  const records = JSON.parse(readFileSync(train, 'utf8')) as unknown[];
  const copy = devFile('train-copy.json', records.slice(0, 5)); // unified documents are numbered: the first 5 are the same
  assert.deepEqual(await warned(copy), [`${copy}: 5 of its 5 documents are also in the training data (the same id and text): ${advice}`]);
  assert.deepEqual(await warned(join(fixtures, 'tiny-dev.json')), []);
});
