/**
 * Which `*_types.json` a SpERT file is read with (findTypesFile): its own, else SpERT's layout (the
 * longest prefix of its name), else the only one; several and none fitting are counted, not silent.
 */
import assert from 'node:assert/strict';
import { copyFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { Diagnostics } from '../../src/data/diagnostics.js';
import { loadCorpus } from '../../src/data/formats/index.js';
import { findTypesFile } from '../../src/data/formats/types-file.js';
import { tempDir } from '../temp-dir.js';

const SCIERC = join(import.meta.dirname, '..', '..', '..', 'shared', 'data', 'scierc', 'tanl_spert');
const TYPES = JSON.stringify({ entities: { T: { short: 'T', verbose: 'T' } }, relations: {} });

/** A directory holding `names` (types files get a one-type schema, data files an empty array). */
function dirWith(...names: string[]): string {
  const dir = tempDir('entrel-types-file-');
  for (const n of names) writeFileSync(join(dir, n), n.endsWith('_types.json') ? TYPES : '[]');
  return dir;
}

test("SpERT's own layout: scierc_types.json for scierc_joint_er_test.json, beside another *_types.json (convert's output)", async () => {
  const dir = tempDir('entrel-types-file-');
  for (const f of ['scierc_joint_er_test.json', 'scierc_types.json']) copyFileSync(join(SCIERC, f), join(dir, f));
  writeFileSync(join(dir, 'pred_types.json'), TYPES);
  const diagnostics = new Diagnostics();
  const c = await loadCorpus(join(dir, 'scierc_joint_er_test.json'), { diagnostics });
  assert.equal(c.schema.relationTypes.find((r) => r.name === 'Conjunction')?.symmetric, true, 'the symmetric flags are read');
  assert.equal(diagnostics.count('types-file-ambiguous'), 0);
});

test('the exact name first, then the longest prefix ending at a _, then the only one', async () => {
  const d1 = dirWith('a_b.json', 'a_b_types.json', 'a_types.json');
  assert.equal(await findTypesFile(join(d1, 'a_b.json')), join(d1, 'a_b_types.json'));
  const d2 = dirWith('x_y_z.json', 'x_types.json', 'x_y_types.json', 'other_types.json');
  assert.equal(await findTypesFile(join(d2, 'x_y_z.json')), join(d2, 'x_y_types.json'));
  const d3 = dirWith('xy_test.json', 'x_types.json', 'other_types.json');
  assert.equal(await findTypesFile(join(d3, 'xy_test.json')), undefined, 'a prefix ends at a word boundary: x is not xy');
  const d4 = dirWith('data.jsonl', 'conll04_types.json');
  assert.equal(await findTypesFile(join(d4, 'data.jsonl')), join(d4, 'conll04_types.json'), 'the only one');
  assert.equal(await findTypesFile(join(dirWith('data.json'), 'data.json')), undefined, 'none');
});

test('several candidates, none fitting the name: none is read, and that is counted once, naming them and --types', async () => {
  const dir = dirWith('sci_test.json', 'scierc_types.json', 'pred_types.json');
  const file = join(dir, 'sci_test.json');
  const diagnostics = new Diagnostics();
  assert.equal(await findTypesFile(file, diagnostics), undefined);
  assert.equal(await findTypesFile(file, diagnostics), undefined);
  assert.equal(diagnostics.count('types-file-ambiguous'), 1, 'a read consults the schema twice: one warning');
  const [example] = diagnostics.summary()[0].examples;
  assert.match(example, /sci_test\.json: read without a types file .*2 in its directory \(pred_types\.json, scierc_types\.json\).*--types FILE picks one/);
  await findTypesFile(join(dir, 'other.json'), diagnostics);
  assert.equal(diagnostics.count('types-file-ambiguous'), 2, 'another data file is another warning');
});

test('the only types file in the directory, declaring none of the data entity types, is refused naming it; the undeclared-type warning names the file', async () => {
  const dir = tempDir('entrel-types-file-');
  copyFileSync(join(SCIERC, 'scierc_types.json'), join(dir, 'other_types.json'));
  const data = join(dir, 'mine.json');
  const record = (types: string[]) => ({ tokens: ['A', 'and', 'B'], entities: types.map((type, i) => ({ type, start: 2 * i, end: 2 * i + 1 })), relations: [{ type: 'Compare', head: 0, tail: 1 }] });
  writeFileSync(data, JSON.stringify([record(['X', 'X'])]));
  await assert.rejects(loadCorpus(data), (e: Error) =>
    e.name === 'UserError' && /^.*other_types\.json: the only \*_types\.json beside .*mine\.json, so read as its types file, but it declares none of the data's entity types \("X"\): name the data's own with --types FILE/.test(e.message));
  // One of its types used: it is taken, and what it does not declare is warned about by its name.
  writeFileSync(data, JSON.stringify([record(['X', 'Task'])]));
  const c = await loadCorpus(data);
  assert.match(c.diagnostics.format().join('\n'), /type-not-declared ×1 \(e\.g\. entity type "X" is not declared in .*other_types\.json\)/);
});
