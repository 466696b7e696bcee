/**
 * Labels a writer's format cannot hold must be refused, not written into a file entrel's own reader then
 * rejects (or misreads): brat types are whitespace-free, the multi-head TSV puts relation labels in a
 * comma-separated list where `N` means "no relation", and tags end at a line break.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { writeCorpus } from '../../src/data/formats/index.js';
import { inferSchema, documentFromTokens, type Document } from '../../src/data/corpus.js';
import { UserError } from '../../src/errors.js';
import { collect, shape, tmp } from './helpers.js';

const e = (id: string, type: string, start: number, end: number) => ({ id, type, start, end });

/** "Alice met Bob in Paris ." with Alice, Bob and Paris typed `a`, `b`, `c`, Alice→Bob and Bob→Paris related. */
function corpus(id: string, a: string, b: string, rel: string, c = 'Loc', rel2 = 'In'): Document {
  return documentFromTokens(id, [
    {
      tokens: ['Alice', 'met', 'Bob', 'in', 'Paris', '.'],
      entities: [e('e1', a, 0, 1), e('e2', b, 2, 3), e('e3', c, 4, 5)],
      relations: [{ type: rel, head: 'e1', tail: 'e2' }, { type: rel2, head: 'e2', tail: 'e3' }],
    },
  ]);
}

async function refused(docs: Document[], format: string, match: RegExp): Promise<string> {
  const dir = tmp();
  const out = join(dir, format === 'brat' ? 'out' : 'out.txt');
  try {
    await writeCorpus(docs, inferSchema(docs), out, format);
  } catch (err) {
    assert.ok(err instanceof UserError, `not a UserError: ${(err as Error).stack}`);
    assert.ok(!err.message.includes('\n'), err.message);
    assert.match(err.message, match);
    return err.message;
  }
  assert.fail(`${format} wrote ${JSON.stringify(docs.map(shape))}`);
}

test('brat writer refuses an entity type with whitespace, naming the document and the type', async () => {
  const ok = corpus('ok', 'Per', 'Per', 'Knows');
  const bad = corpus('doc 7', 'Some Type', 'Per', 'Knows');
  const msg = await refused([ok, bad], 'brat', /document "doc 7".*entity type "Some Type"/);
  assert.match(msg, /Some_Type/);
  assert.match(msg, /whitespace/);
  // An in-memory corpus is checked whole first: nothing is left half-written (not even the good document).
  const dir = tmp();
  await assert.rejects(writeCorpus([ok, bad], inferSchema([ok, bad]), join(dir, 'out'), 'brat'), UserError);
  assert.ok(!existsSync(join(dir, 'out')) || readdirSync(join(dir, 'out')).length === 0, '!existsSync(join(dir, \'out\')) || readdirSync(join(dir, \'out\')).length === 0');
});

test('brat writer refuses a relation type with whitespace (tab and no-break space included)', async () => {
  await refused([corpus('d1', 'Per', 'Per', 'Knows Well')], 'brat', /document "d1".*relation type "Knows Well".*Knows_Well/);
  await refused([corpus('d1', 'Per', 'Per', 'Knows', 'Loc', 'In\tside')], 'brat', /relation type "In\\tside"/);
  await refused([corpus('d1', 'Per\u00a0Son', 'Per', 'Knows')], 'brat', /entity type "Per\\u00a0Son"|entity type "Per\u00a0Son"/);
});

test('brat writer refuses a type in a document streamed to it, before writing that document', async () => {
  async function* docs() {
    yield corpus('d1', 'Per', 'Per', 'Knows');
    yield corpus('d2', 'Per', 'Per', 'Knows Well');
  }
  const out = join(tmp(), 'out');
  await assert.rejects(writeCorpus(docs(), { entityTypes: [], relationTypes: [] }, out, 'brat'), /document "d2".*"Knows Well"/);
  assert.ok(!existsSync(join(out, 'd2.ann')), '!existsSync(join(out, \'d2.ann\'))');
});

test('brat types with punctuation and non-ASCII letters still round-trip', async () => {
  const doc = corpus('d1', 'Org-Gov/Ünit', 'PER.x', 'ORG-AFF:Emp', 'Loc', '∈');
  const out = join(tmp(), 'out');
  await writeCorpus([doc], inferSchema([doc]), out, 'brat');
  const back = await collect(out);
  assert.deepEqual(back.docs.map(shape), [doc].map(shape));
});

test('multihead writer refuses relation types its list cannot hold: a comma, "N", a tab or line break', async () => {
  await refused([corpus('1', 'Per', 'Per', 'Lives, Works')], 'multihead', /document "1".*relation type "Lives, Works".*comma/);
  await refused([corpus('1', 'Per', 'Per', 'N')], 'multihead', /relation type "N".*no relation/);
  await refused([corpus('1', 'Per', 'Per', 'Knows', 'Loc', 'In\tside')], 'multihead', /relation type "In\\tside"/);
  await refused([corpus('1', 'Per', 'Per', 'Knows', 'Loc', 'a\nb')], 'multihead', /relation type "a\\nb"/);
});

test('multihead writer refuses entity types with a tab or line break, and document ids with whitespace', async () => {
  await refused([corpus('1', 'Per\tX', 'Per', 'Knows')], 'multihead', /document "1".*entity type "Per\\tX"/);
  await refused([corpus('1', 'Per\nX', 'Per', 'Knows')], 'multihead', /entity type "Per\\nX"/);
  // "#doc my doc" is not a header the reader accepts
  await refused([corpus('my doc', 'Per', 'Per', 'Knows')], 'multihead', /document "my doc".*whitespace/);
});

test('multihead writer refuses a token with a tab or a line break inside, which its reader refuses (it was written)', async () => {
  for (const [token, shown] of [['Bob\tSmith', 'Bob\\tSmith'], ['New\nYork', 'New\\nYork'], ['a\rb', 'a\\rb'], ['a\u2028b', 'a\u2028b']]) {
    const doc = documentFromTokens('d1', [{ tokens: ['Alice', 'met', token, '.'], entities: [e('e1', 'Per', 0, 1)], relations: [] }]);
    const message = await refused([doc], 'multihead', /^cannot write document "d1" as multihead: token 2 of "d1", ".*", contains a tab or a line break, which a multihead TSV line cannot hold/s);
    assert.ok(message.includes(`"${shown}"`), message);
  }
});

test('spert-tags writer refuses an entity type with a line break (a tag is one line)', async () => {
  await refused([corpus('1', 'Per\nX', 'Per', 'Knows')], 'spert-tags', /document "1".*entity type "Per\\nX"/);
});

test('types with "-" and spaces round-trip through the tag formats that can hold them', async () => {
  for (const [format, types] of [
    ['spert-tags', ['Some Type', 'Per-Son', 'Loc-']],
    ['multihead', ['Some Type', 'Per-Son', 'Loc-']],
    ['unified', ['Some Type', 'N', 'a, b']],
  ] as const) {
    const doc = corpus('1', types[0], types[1], 'Rel-A B', types[2], 'Rel, 2');
    if (format === 'multihead') doc.sentences[0].relations[1].type = 'Rel 2';
    const out = join(tmp(), 'out.json');
    await writeCorpus([doc], inferSchema([doc]), out, format);
    const back = await collect(out, { format });
    assert.deepEqual(back.docs.map(shape), [doc].map(shape), format);
    assert.equal(back.diagnostics.count(), 0, format);
  }
});

test('brat writer refuses a relation naming an entity the document does not hold (it wrote "Arg1:undefined")', async () => {
  const doc = corpus('d1', 'Per', 'Per', 'Knows');
  doc.sentences[0].relations.push({ type: 'Knows', head: 'e1', tail: 'nope' });
  await refused([doc], 'brat', /relation tail "nope" is not an entity of document "d1"/);
});

test("brat writer refuses a type annotation.conf would read as markup, naming the document", async () => {
  for (const type of ['#Tag', '!Group', '<ENTITY>', '[entities]']) {
    const doc = documentFromTokens('d1', [{ tokens: ['Ann'], entities: [{ id: 'T1', type, start: 0, end: 1 }], relations: [] }]);
    await assert.rejects(writeCorpus([doc], inferSchema([doc]), join(tmp(), 'out'), 'brat'), (e: unknown) =>
      e instanceof UserError && e.message.startsWith(`cannot write document "d1" as brat: entity type ${JSON.stringify(type)} starts with`));
  }
});

const WRITERS = ['jsonl', 'unified', 'spert', 'spert-tags', 'dygie', 'multihead', 'brat', 'doccano', 'labelstudio'];

test('every writer refuses an empty type, which every reader refuses (jsonl wrote it, and then could not read its own file)', async () => {
  for (const format of WRITERS) {
    // named as every writer's refusal is, by its format (Label Studio's said "cannot write document "d1": …")
    await refused([corpus('d1', '', 'Per', 'Knows')], format, new RegExp(`^cannot write document "d1" as ${format}: entity type "" is empty`));
    await refused([corpus('d1', 'Per', 'Per', '')], format, /document "d1".*relation type "" is empty/);
  }
});

test('every writer refuses an empty token or one with whitespace at an edge (brat, doccano and Label Studio wrote an empty span)', async () => {
  const withToken = (start: number, end: number) => {
    const doc = corpus('d1', 'Per', 'Per', 'Knows');
    doc.sentences[0].tokens[2] = { text: doc.text.slice(start, end), start, end };
    return doc;
  };
  const bob = corpus('x', 'Per', 'Per', 'Knows').sentences[0].tokens[2];
  for (const format of WRITERS) {
    await refused([withToken(bob.start, bob.start)], format, /document "d1".*sentence 0, token 2 \(characters 10–10\): empty token/);
    await refused([withToken(bob.start - 1, bob.end)], format, /document "d1".*token 2 .*: token " Bob" starts or ends with whitespace/);
  }
});
