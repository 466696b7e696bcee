/**
 * brat collections of raw text (the `text` layout): sentences and tokens as `extract` makes them, cut at
 * the entities; which layout `auto` picks; what the writer records; a byte-order mark counted as brat counts it.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Diagnostics } from '../../src/data/diagnostics.js';
import { CONF_MARK } from '../../src/data/formats/brat-conf.js';
import { loadCorpus, writeCorpus } from '../../src/data/formats/index.js';
import { inferSchema, type Document } from '../../src/data/corpus.js';
import { textToDocument } from '../../src/data/text-document.js';
import { collect, shape, tmp } from './helpers.js';

// Raw text as annotators write it in brat: punctuation against the words, a paragraph a line.
const TEXT = 'John Smith works for Acme Inc. in Boston. Mary lives in a New York-based flat.\nShe met John in Boston.\n';
const at = (s: string, from = 0) => {
  const i = TEXT.indexOf(s, from);
  assert.ok(i >= 0, s);
  return `${i} ${i + s.length}\t${s}`;
};
const ANN = [
  `T1\tPER ${at('John Smith')}`,
  `T2\tORG ${at('Acme Inc.')}`,
  `T3\tLOC ${at('Boston')}`,
  `T4\tPER ${at('Mary')}`,
  `T5\tLOC ${at('New York')}`, // inside the token "York-based"
  `T6\tLOC ${at('Boston', TEXT.indexOf('met'))}`,
  'R1\tWork_For Arg1:T1 Arg2:T2',
  'R2\tLocated_In Arg1:T2 Arg2:T3',
  'R3\tLive_In Arg1:T4 Arg2:T5',
  'R4\tLive_In Arg1:T1 Arg2:T5', // across the splitter's sentences
  '',
].join('\n');

function collection(files: Record<string, string>): string {
  const dir = join(tmp(), 'c');
  mkdirSync(dir);
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

test('a brat collection of raw text is split as extract splits it, tokens cut at every entity (auto: no conf)', async () => {
  const dir = collection({ 'a.txt': TEXT, 'a.ann': ANN });
  const { docs, diagnostics } = await collect(dir);
  const [d] = docs;
  const s = shape(d);
  assert.equal(s.length, 3, JSON.stringify(s.map((x) => x.tokens.join(' '))));
  assert.deepEqual(s[0].tokens, ['John', 'Smith', 'works', 'for', 'Acme', 'Inc.', 'in', 'Boston', '.']);
  assert.deepEqual(s[0].entities, ['0:2:PER', '4:6:ORG', '7:8:LOC']);
  assert.deepEqual(s[0].relations, ['0:2:PER-Work_For->4:6:ORG', '4:6:ORG-Located_In->7:8:LOC']);
  // "York-based" is cut at the entity's end; the entity is exactly its characters
  assert.deepEqual(s[1].tokens, ['Mary', 'lives', 'in', 'a', 'New', 'York', '-based', 'flat', '.']);
  assert.deepEqual(s[1].entities, ['0:1:PER', '4:6:LOC']);
  assert.deepEqual(s[1].relations, ['0:1:PER-Live_In->4:6:LOC']);
  assert.deepEqual(s[2].entities, ['4:5:LOC']);
  // R4 joins entities of two sentences: counted, as in every format
  assert.deepEqual(diagnostics.summary().map((w) => [w.code, w.count]), [['cross-sentence-relation-dropped', 1]]);
  for (const sentence of d.sentences) for (const e of sentence.entities) {
    const text = d.text.slice(sentence.tokens[e.start].start, sentence.tokens[e.end - 1].end);
    assert.ok(ANN.includes(`\t${text}\n`), text);
  }
});

test('the lines layout on raw text widens entities to whitespace pieces and says which layout cuts them', async () => {
  const dir = collection({ 'a.txt': TEXT, 'a.ann': ANN });
  const { docs, diagnostics } = await collect(dir, { bratLayout: 'lines' });
  assert.equal(docs[0].sentences.length, 2);
  const widened = diagnostics.summary().find((w) => w.code === 'brat-entity-widened-to-tokens');
  assert.equal(widened?.count, 3); // Boston., York-based, Boston.
  assert.match(widened!.examples[0], /--brat-layout text cuts tokens at the entity/);
});

test("an entity across the splitter's cut keeps its sentences together", async () => {
  const text = 'He saw the film Stop. Go Away last year. It grew.';
  const start = text.indexOf('Stop');
  const end = text.indexOf(' last');
  const dir = collection({ 'a.txt': text, 'a.ann': `T1\tMISC ${start} ${end}\t${text.slice(start, end)}\n` });
  const s = shape((await collect(dir, { bratLayout: 'text' })).docs[0]);
  // the splitter alone cuts after "Stop." (3 sentences); the entity joins the first two
  assert.deepEqual(s.map((x) => x.tokens.join(' ')), ['He saw the film Stop . Go Away last year .', 'It grew .']);
  assert.deepEqual(s[0].entities, ['4:8:MISC']);
});

test('a byte-order mark is a character of the text, as brat counts it: offsets after it are not shifted', async () => {
  const text = '\uFEFFJohn works for Acme.\n';
  const ann = 'T1\tPER 1 5\tJohn\nT2\tORG 16 20\tAcme\nR1\tWork_For Arg1:T1 Arg2:T2\n';
  for (const bratLayout of ['text', 'lines'] as const) {
    const { docs, diagnostics } = await collect(collection({ 'a.txt': text, 'a.ann': ann }), { bratLayout });
    assert.equal(diagnostics.count('brat-entity-text-mismatch'), 0, bratLayout);
    const [sentence] = docs[0].sentences;
    assert.deepEqual(sentence.entities.map((e) => docs[0].text.slice(sentence.tokens[e.start].start, sentence.tokens[e.end - 1].end)), bratLayout === 'text' ? ['John', 'Acme'] : ['John', 'Acme.']);
  }
  // An .ann's own byte-order mark is no character of its first line.
  const { docs, diagnostics } = await collect(collection({ 'a.txt': 'John works.\n', 'a.ann': '\uFEFFT1\tPER 0 4\tJohn\n' }));
  assert.equal(diagnostics.count(), 0);
  assert.equal(docs[0].sentences[0].entities.length, 1);
});

test('the lines layout counts a relation a line break would part, and loses to a layout that keeps it', async () => {
  const tok = (text: string, start: number) => ({ text, start, end: start + text.length });
  // One sentence over two lines: lines would read it as two, Meet's arguments apart; ptb only re-cuts "can't".
  const doc: Document = {
    id: 'd1',
    text: "Ann can't\nmeet Bob .",
    sentences: [{
      tokens: [tok('Ann', 0), tok("can't", 4), tok('meet', 10), tok('Bob', 15), tok('.', 19)],
      entities: [{ id: 'T1', type: 'Peop', start: 0, end: 1 }, { id: 'T2', type: 'Peop', start: 3, end: 4 }],
      relations: [{ type: 'Meet', head: 'T1', tail: 'T2' }],
    }],
  };
  const out = join(tmp(), 'split-relation');
  const diagnostics = new Diagnostics();
  await writeCorpus([doc], inferSchema([doc]), out, 'brat', diagnostics);
  assert.match(readFileSync(join(out, 'annotation.conf'), 'utf8'), /^# entrel layout: text, tokenizer ptb /m);
  assert.equal(diagnostics.count('relation-not-kept'), 0);
  const back = await loadCorpus(out);
  assert.equal(back.documents[0].sentences.flatMap((s) => s.relations).length, 1);
  // Where the text layout loses more (the splitter parts two relations of a one-line sentence), lines is
  // recorded, and the relation it loses is counted.
  const parted: Document = {
    id: 'd2',
    text: 'Ann left . Bob met Tom .',
    sentences: [{
      tokens: [tok('Ann', 0), tok('left', 4), tok('.', 9), tok('Bob', 11), tok('met', 15), tok('Tom', 19), tok('.', 23)],
      entities: [{ id: 'A', type: 'Peop', start: 0, end: 1 }, { id: 'B', type: 'Peop', start: 3, end: 4 }, { id: 'C', type: 'Peop', start: 5, end: 6 }],
      relations: [{ type: 'Meet', head: 'A', tail: 'B' }, { type: 'Meet', head: 'A', tail: 'C' }],
    }],
  };
  const out2 = join(tmp(), 'lines-relation');
  const d2 = new Diagnostics();
  await writeCorpus([doc, parted], inferSchema([doc]), out2, 'brat', d2);
  assert.match(readFileSync(join(out2, 'annotation.conf'), 'utf8'), /^# entrel layout: lines /m);
  assert.equal(d2.count('relation-not-kept'), 1, d2.format().join('\n'));
});

test('the writer records the layout that reads its documents back unchanged, and auto reads it so', async () => {
  // Documents split by entrel's own splitter (extract's output, or raw text converted): the text layout.
  const raw = textToDocument('r', 'Mary Jones lives in Paris. She works for IBM.');
  const [s0, s1] = raw.sentences;
  s0.entities.push({ id: 'e1', type: 'PER', start: 0, end: 2 }, { id: 'e2', type: 'LOC', start: 4, end: 5 });
  s0.relations.push({ type: 'Live_In', head: 'e1', tail: 'e2' });
  s1.entities.push({ id: 'e3', type: 'ORG', start: 3, end: 4 });
  const out = join(tmp(), 'raw');
  const diagnostics = new Diagnostics();
  await writeCorpus([raw], inferSchema([raw]), out, 'brat', diagnostics);
  assert.equal(diagnostics.count(), 0, diagnostics.format().join('\n'));
  const conf = readFileSync(join(out, 'annotation.conf'), 'utf8').split('\n');
  assert.deepEqual(conf.slice(0, 2), [CONF_MARK, '# entrel layout: text, tokenizer ptb (raw text, split into sentences and tokens as entrel extract does)']);
  const back = await loadCorpus(out);
  assert.equal(back.diagnostics.count(), 0);
  assert.deepEqual(back.documents.map(shape), [raw].map(shape));

  // Cut by the conll04 tokenizer (`$300`, `didn 't`): recorded, and read back so.
  const c4 = textToDocument('c', 'He paid $300 and didn\'t leave.', { style: 'conll04' });
  c4.sentences[0].entities.push({ id: 'm', type: 'MONEY', start: 2, end: 3 });
  const out3 = join(tmp(), 'c4');
  await writeCorpus([c4], inferSchema([c4]), out3, 'brat');
  assert.match(readFileSync(join(out3, 'annotation.conf'), 'utf8'), /^# entrel layout: text, tokenizer conll04 /m);
  assert.deepEqual((await loadCorpus(out3)).documents.map(shape), [c4].map(shape));

  // Token data a sentence a line (as the token formats rebuild their text): the lines layout, and a
  // sentence-final "said." piece stays one token as the corpus had it.
  const tok = (text: string, start: number) => ({ text, start, end: start + text.length });
  const tokens: Document = {
    id: 't',
    text: 'Ann said.\nBob left .',
    sentences: [
      { tokens: [tok('Ann', 0), tok('said.', 4)], entities: [{ id: 'a', type: 'PER', start: 0, end: 1 }], relations: [] },
      { tokens: [tok('Bob', 10), tok('left', 14), tok('.', 19)], entities: [], relations: [] },
    ],
  };
  const out2 = join(tmp(), 'tok');
  await writeCorpus([tokens], inferSchema([tokens]), out2, 'brat');
  assert.match(readFileSync(join(out2, 'annotation.conf'), 'utf8'), /^# entrel layout: lines /m);
  assert.deepEqual((await loadCorpus(out2)).documents.map(shape), [tokens].map(shape));
});

test('a conf entrel wrote before it recorded a layout reads as lines; --ace05 with the text layout is refused', async () => {
  const dir = collection({ 'a.txt': 'Ann said.\n', 'a.ann': 'T1\tPER 0 3\tAnn\n', 'annotation.conf': `${CONF_MARK}\n[entities]\nPER\n` });
  assert.deepEqual(shape((await collect(dir)).docs[0])[0].tokens, ['Ann', 'said.']);
  assert.deepEqual(shape((await collect(dir, { bratLayout: 'text' })).docs[0])[0].tokens, ['Ann', 'said', '.']);
  await assert.rejects(collect(dir, { ace05: true, bratLayout: 'text' }), /--ace05 \(data\.ace05\) reads LSTM-ER's output a sentence a line: it cannot be read with the brat layout text/);
});
