/**
 * ACE05 read as the paper reads it (`ace05`) in every format it comes in: PER-SOC in text order and
 * symmetric for dygie and unified as for brat; brat's tokens cut at spaces only; a brat part recording
 * the ACE05 layout read so without the flag; LSTM-ER's file names read without it counted. Hand-made
 * fixtures (ACE05 itself is licensed).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { confText } from '../../src/data/formats/brat-conf.js';
import { loadCorpus } from '../../src/data/formats/index.js';
import { FIXTURES, collect, shape, tmp } from './helpers.js';

const ACE = join(FIXTURES, 'brat', 'ace05');

// "His sister lives in Texas ." with PER-SOC annotated sister → His, and PHYS sister → Texas.
const tokens = ['His', 'sister', 'lives', 'in', 'Texas', '.'];
const ordered = ['0:1:PER-PER-SOC->1:2:PER', '1:2:PER-PHYS->4:5:GPE'];
const annotated = ['1:2:PER-PER-SOC->0:1:PER', '1:2:PER-PHYS->4:5:GPE'];

function dygieFile(): string {
  const file = join(tmp(), 'ace.dygie.json');
  // A header line as DyGIE's ACE05 keeps it, then the sentence (document-level inclusive offsets).
  const doc = {
    doc_key: 'CNN_1',
    sentences: [['CNN_1'], tokens],
    ner: [[], [[1, 1, 'PER'], [2, 2, 'PER'], [5, 5, 'GPE']]],
    relations: [[], [[2, 2, 1, 1, 'PER-SOC'], [2, 2, 5, 5, 'PHYS']]],
  };
  writeFileSync(file, JSON.stringify(doc) + '\n');
  return file;
}

function unifiedFile(): string {
  const file = join(tmp(), 'ace.json');
  const record = { tokens, entities: [[0, 1, 'PER'], [1, 2, 'PER'], [4, 5, 'GPE']], relations: [[1, 2, 0, 1, 'PER-SOC'], [1, 2, 4, 5, 'PHYS']] };
  writeFileSync(file, JSON.stringify([record]));
  return file;
}

test('--ace05 on DyGIE JSONL and unified JSON: PER-SOC in text order and symmetric, other types as annotated, no line skipped', async () => {
  for (const [file, sentence] of [[dygieFile(), 1], [unifiedFile(), 0]] as const) {
    const ace = await loadCorpus(file, { ace05: true });
    const [d] = ace.documents;
    assert.equal(d.sentences.length, sentence + 1, file); // DyGIE's header line stays a sentence: skipping is brat's
    assert.deepEqual(shape(d)[sentence].relations, ordered, file);
    assert.equal(ace.schema.relationTypes.find((r) => r.name === 'PER-SOC')?.symmetric, true, file);
    assert.equal(ace.schema.relationTypes.find((r) => r.name === 'PHYS')?.symmetric, false, file);
    // without it, as annotated and directed
    const plain = await loadCorpus(file);
    assert.deepEqual(shape(plain.documents[0])[sentence].relations, annotated, file);
    assert.equal(plain.schema.relationTypes.find((r) => r.name === 'PER-SOC')?.symmetric, false, file);
  }
});

/** An LSTM-ER document of one sentence after the 3 header lines, with a trailing date line. */
function lstmEr(sentence: string): string {
  const dir = tmp();
  const text = `DOC1\nNEWS STORY\n2003-01-01 00:00:00\n${sentence}\n2003-01-01 10:00:00\n`;
  const [s, a] = [text.indexOf('Smith'), text.indexOf('Acme')];
  writeFileSync(join(dir, 'DOC1.split.txt'), text);
  writeFileSync(join(dir, 'DOC1.split.ann'), `TDOC1-E1-1\tPER ${s} ${s + 5}\tSmith\nTDOC1-E2-1\tORG ${a} ${a + 4}\tAcme\nRDOC1-R1-1\tORG-AFF Arg1:TDOC1-E1-1 Arg2:TDOC1-E2-1\n`);
  return dir;
}

test("brat --ace05 cuts tokens at spaces only, as the authors' split(' '): CoreNLP's 1\\u00a01/2 stays one token", async () => {
  const { docs, diagnostics } = await collect(lstmEr('Smith paid 1\u00a01/2 million to Acme .'), { ace05: true });
  // It was cut in two ("1", "1/2"): 8 tokens, and every offset after it one off from the authors'.
  assert.deepEqual(shape(docs[0])[0].tokens, ['Smith', 'paid', '1\u00a01/2', 'million', 'to', 'Acme', '.']);
  assert.deepEqual(shape(docs[0])[0].relations, ['0:1:PER-ORG-AFF->5:6:ORG']);
  assert.equal(diagnostics.count(), 0);
  // Two spaces in a row make an empty token there, and white space at a token's edge is part of it: neither is a token here, both counted.
  const odd = await collect(lstmEr('Smith paid  \u00a0x to Acme .'), { ace05: true });
  assert.deepEqual(shape(odd.docs[0])[0].tokens, ['Smith', 'paid', 'x', 'to', 'Acme', '.']);
  const w = odd.diagnostics.summary().find((x) => x.code === 'brat-ace05-token-whitespace-dropped');
  assert.equal(w?.count, 2);
  assert.match(w.examples[0], /DOC1\.split\.txt:4 an empty token at character \d+/);
  assert.match(w.examples[1], /token "\u00a0x" at character \d+ read as "x"/);
});

test('LSTM-ER files read without --ace05 are counted; a conf recording the ACE05 layout reads them as --ace05 does; ace05: false reads them otherwise', async () => {
  const dir = tmp();
  for (const ext of ['.txt', '.ann']) copyFileSync(join(ACE, `CNN_TEST.split${ext}`), join(dir, `CNN_TEST.split${ext}`));
  // They were read as raw text, header and date lines as sentences, without a word.
  const plain = await collect(dir);
  const named = plain.diagnostics.summary().find((w) => w.code === 'brat-split-file-without-ace05');
  assert.equal(named?.count, 1);
  assert.match(named.examples[0], /CNN_TEST\.split\.txt is named as LSTM-ER's ACE05 output: read it with --ace05 \(data\.ace05\)/);
  assert.equal((await collect(dir, { ace05: true })).diagnostics.count('brat-split-file-without-ace05'), 0);

  const flagged = await loadCorpus(dir, { ace05: true });
  writeFileSync(join(dir, 'annotation.conf'), confText(flagged.schema, { layout: 'lines', ace05: true }));
  const recorded = await loadCorpus(dir);
  assert.deepEqual(recorded.documents, flagged.documents);
  assert.deepEqual(recorded.schema, flagged.schema);
  assert.equal(recorded.diagnostics.count('brat-split-file-without-ace05'), 0);
  const otherwise = await loadCorpus(dir, { ace05: false });
  assert.equal(otherwise.documents[0].id, 'CNN_TEST.split');
  assert.equal(otherwise.documents[0].sentences.length, 6); // the conf's lines layout, header and date lines as sentences
  assert.equal(otherwise.diagnostics.count('brat-split-file-without-ace05'), 0);
});

test("--ace05 reads LSTM-ER's .split pairs only where a collection has them, as LSTM-ER's corpus directories also hold each document unsplit", async () => {
  const dir = lstmEr('Smith paid 1\u00a01/2 million to Acme .');
  writeFileSync(join(dir, 'DOC1.txt'), 'DOC1 NEWS STORY Smith paid 1 1/2 million to Acme.\n');
  writeFileSync(join(dir, 'DOC1.ann'), 'TDOC1-E1-1\tPER 16 21\tSmith\n');
  const { docs, diagnostics } = await collect(dir, { ace05: true });
  // Both were read, one document twice under one id.
  assert.deepEqual(docs.map((d) => d.id), ['DOC1']);
  assert.equal(diagnostics.count('brat-ace05-unsplit-pair-skipped'), 1);
  assert.match(diagnostics.summary()[0].examples[0], /DOC1\.ann: LSTM-ER's ACE05 output is read from its \.split\.txt and \.split\.ann files$/);
});
