/** The bundled CoNLL04 model (models/conll04) through the library, as `Extractor.load()` finds it. */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { before, describe, it } from 'node:test';
import { DEFAULT_MODEL_DIR, Extractor, type ExtractedDocument } from '../../src/extract/index.js';
import { PAD_WORD, UNK, UNK_WORD, Vocabulary } from '../../src/model/vocab.js';

let ex: Extractor;
before(async () => {
  ex = await Extractor.load();
});

describe('the bundled model', () => {
  it('finds people, an organisation and Work_For in a CoNLL04 test sentence, with character offsets', async () => {
    // CoNLL04 test, sentence 6 (gold: Wright/Peop, University of Texas/Org, Nixon/Peop; Wright Work_For the university)
    const text = "Wright , a University of Texas law professor , served as one of Nixon 's lawyers in 1973 and 1974 .";
    const doc = await ex.extract(text);
    const find = (t: string) => doc.entities.find((e) => e.text === t);
    assert.deepEqual(find('Wright') && [find('Wright')!.type, find('Wright')!.start, find('Wright')!.end], ['Peop', 0, 6]);
    assert.deepEqual(find('Nixon') && [find('Nixon')!.type, find('Nixon')!.start, find('Nixon')!.end], ['Peop', 64, 69]);
    const uni = find('University of Texas');
    assert.ok(uni, JSON.stringify(doc.entities));
    assert.deepEqual([uni.type, uni.start, uni.end, uni.tokenStart, uni.tokenEnd], ['Org', 11, 30, 3, 6]);
    assert.ok(doc.relations.some((r) => r.type === 'Work_For' && r.head === find('Wright')!.id && r.tail === uni.id), JSON.stringify(doc.relations));
    for (const e of doc.entities) assert.ok(e.score > 0.1 && e.score <= 1, JSON.stringify(e));
  });

  it("identifies itself by the SHA-256 of its directory's checksum file", () => {
    const sum = createHash('sha256').update(readFileSync(`${DEFAULT_MODEL_DIR}/checksum`, 'utf8')).digest('hex');
    assert.equal(ex.info().checksum, sum);
  });

  it('reports its labels and the test scores stored beside it', () => {
    const info = ex.info();
    const meta = JSON.parse(readFileSync(`${DEFAULT_MODEL_DIR}/config.json`, 'utf8')).meta;
    assert.equal(info.name, 'entrel-conll04');
    assert.deepEqual(info.entityTypes, ['Loc', 'Org', 'Other', 'Peop']);
    assert.deepEqual(info.relationTypes.map((r) => r.name).sort(), ['Kill', 'Live_In', 'Located_In', 'OrgBased_In', 'Work_For']);
    assert.deepEqual(info.metrics, meta.metrics);
    assert.match(info.trainedOn ?? '', /train \+ dev/);
  });

  it('keeps offsets right around emoji and combining characters on real text', async () => {
    const text = '🎉🎉 José\u0301 Martí met Mary Smith of Acme Corp in Boston.';
    const doc = await ex.extract(text);
    assert.ok(doc.entities.length >= 3, JSON.stringify(doc.entities));
    for (const e of doc.entities) assert.equal(text.slice(e.start, e.end), e.text);
    assert.deepEqual(doc.entities.find((e) => e.text === 'Boston') && doc.entities.find((e) => e.text === 'Boston')!.type, 'Loc');
  });
});

describe('the bundled model tokenizes raw text as CoNLL04 was tokenized', () => {
  it("keeps '$' on amounts and splits contractions as `don 't` (its tokenizer setting)", async () => {
    assert.equal(ex.info().tokenizer, 'conll04');
    const text = "Acme don't pay $3.2 million to Mary Smith.";
    const doc = await ex.extract(text);
    const tokens = doc.sentences[0].tokens.map(([s, e]) => text.slice(s, e));
    assert.deepEqual(tokens, ['Acme', 'don', "'t", 'pay', '$3.2', 'million', 'to', 'Mary', 'Smith', '.']);
  });
});

describe('format characters and compatibility forms (text from web pages, PDFs, CJK sources)', () => {
  const plain = 'Mary Smith works for Acme Corp in Boston.';
  /** What the model made of a text: entity types, token spans and scores, relations. */
  const reading = (doc: ExtractedDocument) => ({
    entities: doc.entities.map((e) => [e.type, e.tokenStart, e.tokenEnd, e.score]),
    relations: doc.relations.map((r) => [r.type, r.head, r.tail, r.score]),
  });

  it('soft hyphens, zero-width spaces, word joiners and bidi marks in and between words change nothing but the text', async () => {
    // Were tokens of their own: `Bos` + U+00AD was the entity, `ton` left out.
    const text = 'Mary\u200B Smith works for Ac\u00ADme\u200E Corp in Bos\u2060ton\u200F.';
    const [doc, base] = [await ex.extract(text), await ex.extract(plain)];
    assert.deepEqual(reading(doc), reading(base));
    assert.deepEqual(doc.entities.map((e) => e.text), ['Mary\u200B Smith', 'Ac\u00ADme\u200E Corp', 'Bos\u2060ton']);
    for (const e of doc.entities) assert.equal(text.slice(e.start, e.end), e.text);
  });

  it('a U+FEFF inside a word (a rich-text editor\'s filler) is part of it, though `\\s` counts it as a space', async () => {
    // Was a space: `Bos` was the entity, Live_In lost.
    const text = '\uFEFFMary Smith works for Acme Corp in Bos\uFEFFton\uFEFF.';
    const doc = await ex.extract(text);
    assert.deepEqual(reading(doc), reading(await ex.extract(plain)));
    assert.deepEqual(doc.entities.map((e) => e.text), ['Mary Smith', 'Acme Corp', 'Bos\uFEFFton']);
  });

  it('full-width Latin is looked up by its NFKC form: the reading of the ASCII text', async () => {
    // Was UNK: Work_For fell from 0.88 to 0.50.
    const text = 'Ｍａｒｙ Ｓｍｉｔｈ works for Ａｃｍｅ Corp in Ｂｏｓｔｏｎ.';
    const doc = await ex.extract(text);
    assert.deepEqual(reading(doc), reading(await ex.extract(plain)));
    assert.deepEqual(doc.entities.map((e) => e.text), ['Ｍａｒｙ Ｓｍｉｔｈ', 'Ａｃｍｅ Corp', 'Ｂｏｓｔｏｎ']);
  });

  it("a vocabulary looks a word up by its own form first, its folded form only when it lacks that", () => {
    const vocab = new Vocabulary({ words: [PAD_WORD, UNK_WORD, 'ｂｏｓｔｏｎ', 'boston'], chars: [PAD_WORD, UNK_WORD, 'B', 'o'], tags: ['O'], relations: ['NONE'], tagScheme: 'BILOU' });
    assert.deepEqual(['Ｂｏｓｔｏｎ', 'Bos\u00ADton', 'ＢＯＳＴＯＮ', 'Bostonian'].map((w) => vocab.wordId(w)), [2, 3, 2, UNK]);
    assert.deepEqual(['Ｂｏｓｔｏｎ', 'Bos\u00ADton'].map((w) => vocab.lookupForm(w)), ['Ｂｏｓｔｏｎ', 'Boston']);
    assert.deepEqual([...vocab.charIds('Ｂo\u00ADx')], [2, 3, UNK]);
  });
});
