/** Every writer: write real data, read it back, same content; the canonical JSONL keeps everything. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync as readdir } from 'node:fs';
import { join } from 'node:path';
import { loadCorpus, writeCorpus, WRITABLE_FORMATS } from '../../src/data/formats/index.js';
import { Diagnostics } from '../../src/data/diagnostics.js';
import { DATA, collect, shape, tmp } from './helpers.js';

const CONLL = join(DATA, 'conll04/unified_two_are_better/test.CoNLL04.json');
const SCIERC = join(DATA, 'scierc/dygie/dev.json');

test('writable formats', () => {
  assert.deepEqual([...WRITABLE_FORMATS].sort(), ['brat', 'doccano', 'dygie', 'jsonl', 'labelstudio', 'multihead', 'spert', 'spert-tags', 'unified']);
});

for (const format of ['jsonl', 'unified', 'spert', 'dygie', 'brat', 'multihead', 'spert-tags'])
  test(`${format} writer round-trips CoNLL04`, async () => {
    const c = await loadCorpus(CONLL);
    const out = join(tmp(), format === 'brat' ? 'out' : `out.${format === 'multihead' ? 'txt' : 'json'}`);
    await writeCorpus(c.documents, c.schema, out, format);
    const back = await collect(out, { format });
    const flat = (docs: typeof c.documents) => docs.flatMap(shape);
    assert.deepEqual(flat(back.docs), flat(c.documents));
  });

test('jsonl keeps ids, text, offsets and the schema sidecar exactly (SciERC, documents of many sentences)', async () => {
  const c = await loadCorpus(SCIERC, { symmetric: ['CONJUNCTION', 'COMPARE'] });
  const out = join(tmp(), 'scierc.jsonl');
  await writeCorpus(c.documents, c.schema, out, 'jsonl');
  assert.ok(existsSync(join(out, '..', 'scierc_types.json')), 'existsSync(join(out, \'..\', \'scierc_types.json\'))');
  const back = await loadCorpus(out);
  assert.equal(back.format, 'jsonl');
  assert.deepEqual(back.documents, c.documents);
  assert.deepEqual(back.schema, c.schema);
  // dygie → dygie is byte-stable on the content fields
  const dy = join(tmp(), 'dev.json');
  await writeCorpus(back.documents, back.schema, dy, 'dygie');
  const orig = readFileSync(SCIERC, 'utf8').trim().split('\n').map((l) => JSON.parse(l));
  const mine = readFileSync(dy, 'utf8').trim().split('\n').map((l) => JSON.parse(l));
  for (const [i, o] of orig.entries()) {
    assert.deepEqual(mine[i].sentences, o.sentences);
    assert.deepEqual(mine[i].ner, o.ner);
    assert.deepEqual(mine[i].relations, o.relations);
  }
});

test('spert writer writes the types file with symmetric flags', async () => {
  const c = await loadCorpus(join(DATA, 'scierc/tanl_spert/scierc_joint_er_dev.json'));
  const out = join(tmp(), 'x.json');
  await writeCorpus(c.documents, c.schema, out, 'spert');
  const types = JSON.parse(readFileSync(join(out, '..', 'x_types.json'), 'utf8'));
  assert.equal(types.relations.Compare.symmetric, true);
  assert.equal(types.relations['Used-for'].symmetric, false);
  assert.deepEqual((await loadCorpus(out)).schema, c.schema);
});

test('spert reads back its own types file when the directory holds other *_types.json files', async () => {
  const c = await loadCorpus(join(DATA, 'scierc/tanl_spert/scierc_joint_er_dev.json'));
  const dir = tmp();
  // gold and predictions side by side, each with its types file
  await writeCorpus(c.documents, c.schema, join(dir, 'gold.jsonl'), 'jsonl');
  await writeCorpus(c.documents, c.schema, join(dir, 'pred.json'), 'spert');
  const back = await loadCorpus(join(dir, 'pred.json'));
  assert.deepEqual(back.schema, c.schema);
  assert.equal(back.schema.relationTypes.find((r) => r.name === 'Compare')?.symmetric, true);
});

test('tag writers count the overlapping entities they cannot hold', async () => {
  const c = await loadCorpus(join(DATA, 'scierc/tanl_spert/scierc_joint_er_dev.json'));
  const diagnostics = new Diagnostics();
  await writeCorpus(c.documents, c.schema, join(tmp(), 't.json'), 'spert-tags', diagnostics);
  assert.ok(diagnostics.count('overlapping-entity-dropped') > 0, 'diagnostics.count(\'overlapping-entity-dropped\') > 0');
  assert.ok(diagnostics.count('relation-dropped-with-entity') > 0, 'diagnostics.count(\'relation-dropped-with-entity\') > 0');
});

test('writes are atomic: a failing source leaves no file behind', async () => {
  const dir = tmp();
  const out = join(dir, 'x.jsonl');
  async function* bad() {
    yield (await loadCorpus(CONLL)).documents[0];
    throw new Error('boom');
  }
  await assert.rejects(writeCorpus(bad(), { entityTypes: [], relationTypes: [] }, out, 'jsonl'), /boom/);
  assert.ok(!existsSync(out), '!existsSync(out)');
  assert.deepEqual(readdir(dir), []);
});


test('brat writer: ids too long for a file name are cut, and ids cut to the same name stay apart', async () => {
  const c = await loadCorpus(CONLL);
  const [a, b] = c.documents;
  const long = 'x'.repeat(300); // was ENAMETOOLONG, reported as an internal error
  const out = join(tmp(), 'out');
  await writeCorpus([{ ...a, id: `${long}a` }, { ...b, id: `${long}b` }], c.schema, out, 'brat');
  assert.deepEqual(readdir(out).sort(), ['annotation.conf', `${'x'.repeat(200)}.ann`, `${'x'.repeat(200)}.txt`, `${'x'.repeat(200)}_2.ann`, `${'x'.repeat(200)}_2.txt`]);
  const back = await collect(out, { format: 'brat' });
  const sorted = (docs: typeof c.documents) => docs.flatMap(shape).map((x) => JSON.stringify(x)).sort();
  assert.deepEqual(sorted(back.docs), sorted([a, b]));
});

test('types files keep types named __proto__ or constructor (zod records dropped __proto__)', async () => {
  const { documentFromTokens, inferSchema } = await import('../../src/data/corpus.js');
  const doc = documentFromTokens('1', [
    {
      tokens: ['a', 'b', 'c'],
      entities: [{ id: 'e1', type: '__proto__', start: 0, end: 1 }, { id: 'e2', type: 'constructor', start: 2, end: 3 }],
      relations: [{ type: '__proto__', head: 'e1', tail: 'e2' }, { type: 'toString', head: 'e2', tail: 'e1' }],
    },
  ]);
  const schema = inferSchema([doc], ['__proto__']);
  for (const [format, name] of [['jsonl', 'x.jsonl'], ['spert', 'x.json']]) {
    const out = join(tmp(), name);
    await writeCorpus([doc], schema, out, format);
    const types = JSON.parse(readFileSync(join(out, '..', 'x_types.json'), 'utf8'));
    assert.deepEqual(Object.keys(types.entities), ['__proto__', 'constructor']);
    const back = await loadCorpus(out);
    assert.deepEqual(back.schema, schema, format);
    assert.deepEqual(back.documents.map(shape), [doc].map(shape));
  }
});
