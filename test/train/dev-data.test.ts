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
