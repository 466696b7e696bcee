/**
 * What a writer's format cannot hold is counted (README "Corpus formats": nothing is dropped silently),
 * and only when it is lost for that corpus: every warning is checked against what reading back gives.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadCorpus, writeCorpus } from '../../src/data/formats/index.js';
import { Diagnostics } from '../../src/data/diagnostics.js';
import { inferSchema, type Document } from '../../src/data/corpus.js';
import { DATA, tmp } from './helpers.js';

const CONLL = join(DATA, 'conll04/unified_two_are_better/test.CoNLL04.json');
const CONLL_SPERT = join(DATA, 'conll04/spert/conll04_test.json');
const SCIERC = join(DATA, 'scierc/dygie/dev.json');
const SCIERC_SPERT = join(DATA, 'scierc/tanl_spert/scierc_joint_er_dev.json');
const TOKEN_FORMATS = ['unified', 'spert', 'spert-tags', 'dygie', 'multihead'];
const ALL = [...TOKEN_FORMATS, 'brat', 'jsonl'];

const outFor = (format: string) => join(tmp(), format === 'brat' ? 'out' : format === 'multihead' ? 'out.txt' : 'out.json');

/** Writes `docs`, returns the write warnings and what reads back. */
async function roundTrip(docs: Document[], schema: ReturnType<typeof inferSchema>, format: string) {
  const diagnostics = new Diagnostics();
  const out = outFor(format);
  await writeCorpus(docs, schema, out, format, diagnostics);
  return { diagnostics, back: await loadCorpus(out, { format }) };
}

test('one-sentence-a-record writers count each document of several sentences they split (SciERC)', async () => {
  const c = await loadCorpus(SCIERC);
  const multi = c.documents.filter((d) => d.sentences.length > 1).length;
  assert.ok(multi > 0, 'multi > 0');
  for (const format of ALL) {
    const { diagnostics, back } = await roundTrip(c.documents, c.schema, format);
    const split = ['unified', 'spert', 'spert-tags', 'multihead'].includes(format);
    assert.equal(diagnostics.count('document-split-into-sentences'), split ? multi : 0, format);
    if (!split) assert.equal(back.documents.length, c.documents.length, format);
    else {
      assert.ok(back.documents.length > c.documents.length, format);
      assert.match(diagnostics.summary().find((w) => w.code === 'document-split-into-sentences')!.examples[0], /\(\d+ sentences\)/);
    }
  }
  // one-sentence documents lose nothing by being one record
  const conll = await loadCorpus(CONLL);
  for (const format of ALL) assert.equal((await roundTrip(conll.documents, conll.schema, format)).diagnostics.count(), 0, format);
});

test('unified counts the document ids it cannot store, and only those', async () => {
  const c = await loadCorpus(CONLL_SPERT); // ids are orig_id, not record numbers
  const { diagnostics, back } = await roundTrip(c.documents, c.schema, 'unified');
  const lost = c.documents.filter((d, i) => back.documents[i].id !== d.id).length;
  assert.equal(lost, 288);
  assert.equal(diagnostics.count('document-id-not-kept'), lost);
  assert.match(diagnostics.format().join('\n'), /document-id-not-kept ×288 \(e\.g\. "17" \(read back as 1\)/);
  // ids that are the record numbers survive (CoNLL04 unified → unified)
  const u = await loadCorpus(CONLL);
  assert.equal((await roundTrip(u.documents, u.schema, 'unified')).diagnostics.count('document-id-not-kept'), 0);
  // a split document's id is lost too
  const s = await loadCorpus(SCIERC);
  assert.equal((await roundTrip(s.documents, s.schema, 'unified')).diagnostics.count('document-id-not-kept'), s.documents.length);
  // the writers with an id per record keep it (a split document's records as ID#0, ID#1, …)
  for (const format of ['spert', 'spert-tags', 'multihead']) {
    const { diagnostics: d, back: b } = await roundTrip(s.documents, s.schema, format);
    assert.equal(d.count('document-id-not-kept'), 0, format);
    assert.equal(b.documents[0].id, `${s.documents[0].id}#0`, format);
  }
});

test('writers without a schema file count each symmetric relation type, and none when there are none (brat keeps them in annotation.conf)', async () => {
  const c = await loadCorpus(SCIERC_SPERT); // its types file marks Compare and Conjunction symmetric
  for (const format of ALL) {
    const { diagnostics, back } = await roundTrip(c.documents, c.schema, format);
    const lost = c.schema.relationTypes.filter((r) => r.symmetric && !back.schema.relationTypes.find((x) => x.name === r.name)?.symmetric);
    assert.equal(diagnostics.count('symmetric-flag-not-kept'), lost.length, format);
    if (!['spert', 'jsonl', 'brat'].includes(format)) {
      assert.deepEqual(lost.map((r) => r.name), ['Compare', 'Conjunction'], format);
      assert.deepEqual(diagnostics.summary().find((w) => w.code === 'symmetric-flag-not-kept')?.examples, ['"Compare"', '"Conjunction"']);
    }
  }
  const plain = await loadCorpus(CONLL);
  assert.ok(!plain.schema.relationTypes.some((r) => r.symmetric), '!plain.schema.relationTypes.some((r) => r.symmetric)');
  for (const format of ALL)
    assert.equal((await roundTrip(plain.documents, plain.schema, format)).diagnostics.count('symmetric-flag-not-kept'), 0, format);
});

/** Two sentences on one line, a double space, a token cut from its punctuation. */
const RAW: Document = {
  id: 'x/1',
  text: 'John  Smith works for IBM. He is.',
  sentences: [
    {
      tokens: [[0, 4], [6, 11], [12, 17], [18, 21], [22, 25], [25, 26]].map(([start, end]) => ({ text: '', start, end })),
      entities: [{ id: 'e1', type: 'Peop', start: 0, end: 2 }, { id: 'e2', type: 'Org', start: 4, end: 5 }],
      relations: [{ type: 'Work_For', head: 'e1', tail: 'e2' }],
    },
    { tokens: [[27, 29], [30, 32], [32, 33]].map(([start, end]) => ({ text: '', start, end })), entities: [], relations: [] },
  ],
};
for (const s of RAW.sentences) for (const t of s.tokens) t.text = RAW.text.slice(t.start, t.end);

test('brat counts renamed ids, sentences sharing a line and re-cut tokens, and only when they happen', async () => {
  const tok = (text: string, start: number) => ({ text, start, end: start + text.length });
  const plain: Document = {
    id: 'd2',
    text: 'A b\nC',
    sentences: [{ tokens: [tok('A', 0), tok('b', 2)], entities: [], relations: [] }, { tokens: [tok('C', 4)], entities: [], relations: [] }],
  };
  const docs = [RAW, { ...plain, id: 'x_1' }, plain];
  const { diagnostics, back } = await roundTrip(docs, inferSchema(docs), 'brat');
  assert.deepEqual(back.documents.map((d) => d.id).sort(), ['d2', 'x_1', 'x_1_2']);
  assert.equal(back.documents.find((d) => d.id === 'd2')!.sentences.length, 2);
  const w = Object.fromEntries(diagnostics.summary().map((x) => [x.code, x]));
  assert.equal(w['document-id-renamed'].count, 2);
  assert.deepEqual(w['document-id-renamed'].examples, ['"x/1" → "x_1" (its file name)', '"x_1" → "x_1_2" (its file name)']);
  assert.equal(w['brat-sentence-boundary-not-kept'].count, 1);
  assert.match(w['brat-sentence-boundary-not-kept'].examples[0], /^"x\/1": sentence 1 shares line 1/);
  assert.equal(back.documents.find((d) => d.text === RAW.text)!.sentences.length, 1); // the two were merged
  assert.equal(w['brat-tokens-not-kept'].count, 1);
  assert.match(w['brat-tokens-not-kept'].examples[0], /token "IBM" at 22 is read back as "IBM\."/);
  // the plain document, whose id is a safe file name, loses nothing
  assert.deepEqual(Object.keys(w).sort(), ['brat-sentence-boundary-not-kept', 'brat-tokens-not-kept', 'document-id-renamed']);
});

test('token formats count a document whose text the tokens do not rebuild; brat and jsonl keep it', async () => {
  for (const format of ALL) {
    const { diagnostics, back } = await roundTrip([RAW], inferSchema([RAW]), format);
    const kept = back.documents.map((d) => d.text).join('\n') === RAW.text;
    assert.equal(diagnostics.count('text-not-kept'), kept ? 0 : 1, format);
    assert.equal(kept, format === 'brat' || format === 'jsonl', format);
  }
  assert.match(
    (await roundTrip([RAW], inferSchema([RAW]), 'dygie')).diagnostics.summary().find((w) => w.code === 'text-not-kept')!.examples[0],
    /^"x\/1" from character 5: " Smith/,
  );
  // Whitespace after the last token (a text file's final line break) moves no offset: not counted.
  const tokens = { ...RAW, text: RAW.sentences.map((s) => s.tokens.map((t) => t.text).join(' ')).join('\n') };
  for (const [text, counted] of [[tokens.text + '\n', 0], [tokens.text + ' \n\n', 0]] as const)
    assert.equal((await roundTrip([{ ...tokens, text }], inferSchema([RAW]), 'dygie')).diagnostics.count('text-not-kept'), counted, JSON.stringify(text.slice(-3)));
});

test('a document without sentences, which a one-sentence-a-record or brat file cannot hold, is counted', async () => {
  const empty: Document = { id: 'e', text: '', sentences: [] };
  const docs = [RAW, empty];
  for (const format of ALL) {
    const { diagnostics, back } = await roundTrip(docs, inferSchema(docs), format);
    const dropped = !back.documents.some((d) => d.id === 'e');
    assert.equal(diagnostics.count('empty-document-dropped'), dropped ? 1 : 0, format);
    assert.equal(dropped, format !== 'jsonl' && format !== 'dygie', format);
  }
});

test("dygie: what a document cannot hold is counted on reading, as the writer writes none of it (SciERC's coreference clusters)", async () => {
  const lines = readFileSync(SCIERC, 'utf8').trim().split('\n').map((l) => JSON.parse(l));
  const withClusters = lines.filter((l) => l.clusters.length).length;
  assert.ok(withClusters > 40, `${withClusters}`);
  const c = await loadCorpus(SCIERC);
  assert.equal(c.diagnostics.count('dygie-clusters-dropped'), withClusters);
  assert.match(c.diagnostics.format().join('\n'), new RegExp(`dygie-clusters-dropped ×${withClusters} \\(e\\.g\\. .*dev\\.json:1 ${lines[0].doc_key}: ${lines[0].clusters.length} coreference clusters;`));
  // events, fields the reader has no use for and a model's scores after a span's type
  const doc = { dataset: 'ace-event', doc_key: 'd', sentences: [['Bob', 'left', '.']], ner: [[[0, 0, 'PER', 1.5, 0.9]]], relations: [[]], clusters: [[[0, 0]]], events: [[[[1, 'Move']]]], predicted_ner: [[]] };
  const f = join(tmp(), 'd.json');
  writeFileSync(f, `${JSON.stringify(doc)}\n`);
  const d = await loadCorpus(f, { format: 'dygie' });
  const w = Object.fromEntries(d.diagnostics.summary().map((x) => [x.code, x.examples]));
  assert.deepEqual(w['dygie-clusters-dropped'], [`${f}:1 d: 1 coreference cluster`]);
  assert.deepEqual(w['dygie-events-dropped'], [`${f}:1 d: 1 event`]);
  assert.deepEqual(w['dygie-field-dropped'], [`${f}:1 d: "dataset"`, `${f}:1 d: "predicted_ner"`, `${f}:1 d: the values after the type of 1 span`]);
  // written back: the document, and nothing of the rest
  const { back } = await roundTrip(d.documents, d.schema, 'dygie');
  assert.equal(back.diagnostics.count(), 0);
});
