/**
 * `extract({text, entities})` on a tiny model fitted to its training sentences: with the sentences' own
 * entities given, it finds their relations; the entities come back as given (offsets, ids), scored by the
 * tagger; a wrong type is kept but scored low; worker threads and ensembles agree; bad input names its field.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { EnsembleExtractor, Extractor, type ExtractedDocument, type GivenEntity } from '../../src/extract/index.js';
import { documentFromTokens } from '../../src/data/corpus.js';
import { writeCorpus } from '../../src/data/formats/index.js';
import { loadModelDir, saveModelDir } from '../../src/model/io.js';
import { predictFile } from '../../src/train/evaluate.js';
import { syntheticSentences } from '../model/fixtures.js';
import { tempDir } from '../temp-dir.js';
import { SCHEMA, trainTinyModelDir } from './tiny-model.js';

let dir: string;
let ex: Extractor;
const train = syntheticSentences(20, 3);
const texts = train.map((s) => s.tokens.map((t) => t.text).join(' '));

/** A training sentence's entities as character spans of its text, ids `e0`, `e1`, … as the fixture numbers them. */
function givenOf(i: number): GivenEntity[] {
  const starts: number[] = [];
  let at = 0;
  for (const t of train[i].tokens) {
    starts.push(at);
    at += t.text.length + 1;
  }
  const tokens = train[i].tokens;
  return train[i].entities.map((e) => ({ id: `e${e.id.slice(1)}`, type: e.type, start: starts[e.start], end: starts[e.end - 1] + tokens[e.end - 1].text.length }));
}

/** The gold relations of sentence i as `head tail type` over the given ids (symmetric ones in text order). */
function goldRelations(i: number): string[] {
  return train[i].relations.map((r) => {
    let [h, t] = [`e${r.head.slice(1)}`, `e${r.tail.slice(1)}`];
    if (r.type === 'Kin' && train[i].entities.find((e) => e.id === r.head)!.start > train[i].entities.find((e) => e.id === r.tail)!.start) [h, t] = [t, h];
    return `${h} ${t} ${r.type}`;
  }).sort();
}

function relations(doc: ExtractedDocument): string[] {
  const start = new Map(doc.entities.map((e) => [e.id, e.start]));
  return doc.relations
    .map((r) => (r.type === 'Kin' && start.get(r.head)! > start.get(r.tail)! ? `${r.tail} ${r.head} ${r.type}` : `${r.head} ${r.tail} ${r.type}`))
    .sort();
}

/** The tiny model with score maps that send every entity score to 0.9 and every relation score to 0.8. */
function calibratedCopy(): string {
  const { model, schema } = loadModelDir(dir);
  const out = join(tempDir('entrel-given-calibrated-'), 'model');
  saveModelDir(out, model, schema, { glove: false, calibration: { entities: { x: [0], y: [0.9] }, relations: { x: [0], y: [0.8] } } });
  return out;
}

before(async () => {
  dir = trainTinyModelDir();
  ex = await Extractor.load(dir, { workers: 0 });
});
after(() => ex.close());

describe('extract with given entities', () => {
  it("keeps exactly the given entities, with their offsets and ids, and finds the sentences' relations between them", async () => {
    const docs = await ex.extract(texts.map((text, i) => ({ text, entities: givenOf(i) })));
    const found = await ex.extract(texts);
    docs.forEach((doc, i) => {
      const given = givenOf(i);
      assert.deepEqual(
        doc.entities.map((e) => [e.id, e.start, e.end, e.type]),
        given.map((e) => [e.id, e.start, e.end, e.type]),
      );
      // The fitted model finds these very entities unprompted: the same tags, so the same probability.
      assert.deepEqual(found[i].entities.map((e) => [e.start, e.end, e.type]), given.map((e) => [e.start, e.end, e.type]));
      doc.entities.forEach((e, k) => assert.ok(Math.abs(e.score - found[i].entities[k].score) < 1e-6, `${e.score} vs ${found[i].entities[k].score}`));
      assert.deepEqual(relations(doc), goldRelations(i));
    });
  });

  it('numbers entities without an id T1, T2, … in text order, passing over the ids given', async () => {
    const i = train.findIndex((s) => s.entities.length >= 2);
    const [a, b, ...rest] = givenOf(i);
    const doc = await ex.extract({ text: texts[i], entities: [{ ...b, id: 'T1' }, { start: a.start, end: a.end, type: a.type }, ...rest.map(({ id: _, ...e }) => e)] });
    assert.deepEqual(doc.entities.map((e) => e.id), ['T2', 'T1', ...rest.map((_, k) => `T${k + 3}`)]);
  });

  it('keeps a given entity of a type the tagger would not give it, scored as the tagger sees it', async () => {
    const i = train.findIndex((s) => s.entities.some((e) => e.type === 'PER'));
    const per = givenOf(i).find((e) => e.type === 'PER')!;
    const doc = await ex.extract({ text: texts[i], entities: [{ ...per, type: 'LOC' }] });
    assert.equal(doc.entities.length, 1);
    assert.equal(doc.entities[0].type, 'LOC');
    assert.ok(doc.entities[0].score < 0.1, `a fitted tagger doubts it: ${doc.entities[0].score}`);
    const none = await ex.extract({ text: texts[i], entities: [] });
    assert.deepEqual([none.entities, none.relations], [[], []], 'no entities given: none found');
  });

  it('mixes texts with and without given entities in one call, and worker threads give the same answers', async () => {
    const inputs = Array.from({ length: 400 }, (_, k) => (k % 2 ? { text: texts[k % 20], entities: givenOf(k % 20) } : texts[k % 20]));
    const local = await ex.extract(inputs);
    const pooled = await Extractor.load(dir, { workers: 2 });
    try {
      await pooled.warmUp(); // workers ready: every batch goes to them (run-batches.ts), given tags included
      assert.deepEqual(await pooled.extract(inputs), local);
    } finally {
      await pooled.close();
    }
    assert.deepEqual(local[1].entities.map((e) => e.id), givenOf(1).map((e) => e.id));
    assert.ok(local[0].entities.every((e) => /^T\d+$/.test(e.id)), 'local[0].entities.every((e) => /^T\\d+$/.test(e.id))');
  });

  it('is voted on by an ensemble, which keeps the given ids and names a single input\'s entities as such', async () => {
    const ensemble = await EnsembleExtractor.load([dir, trainTinyModelDir()], { workers: 0 });
    try {
      const [doc] = await ensemble.extract([{ text: texts[1], entities: givenOf(1) }]);
      assert.deepEqual(doc.entities.map((e) => e.id), givenOf(1).map((e) => e.id));
      assert.deepEqual(relations(doc), goldRelations(1));
      await assert.rejects(ensemble.extract({ text: texts[1], entities: [{ start: 0, end: 2, type: 'Drug' }] }), /^UserError: entities\[0\]\.type: "Drug"/);
    } finally {
      await ensemble.close();
    }
  });

  it('keeps the tagger\'s own score of a given entity in a calibrated model (the map was fitted on predicted ones)', async () => {
    const calibratedDir = calibratedCopy();
    const calibrated = await Extractor.load(calibratedDir, { workers: 0 });
    try {
      const i = train.findIndex((s) => s.entities.some((e) => e.type === 'PER') && s.relations.length > 0);
      const [found, given] = await calibrated.extract([texts[i], { text: texts[i], entities: givenOf(i).map((e) => (e.type === 'PER' ? { ...e, type: 'LOC' } : e)) }]);
      assert.ok(found.entities.every((e) => e.score === 0.9), 'predicted entities: the map');
      const wrong = given.entities.find((e) => e.type === 'LOC' && givenOf(i).find((g) => g.id === e.id)!.type === 'PER')!;
      assert.ok(wrong.score < 0.1, `a given entity the tagger rejects stays low: ${wrong.score}`);
      assert.ok(found.relations.concat(given.relations).every((r) => r.score === 0.8), 'relations: the map');
    } finally {
      await calibrated.close();
    }
  });

  it('and so does predictFile with goldEntities (evaluate/predict --gold-entities) on a calibrated model', async () => {
    const calibratedDir = calibratedCopy();
    const file = join(tempDir('entrel-gold-data-'), 'train.jsonl');
    const docs = train.map((s, i) => documentFromTokens(`d${i}`, [{ tokens: s.tokens.map((t) => t.text), entities: s.entities, relations: s.relations }]));
    await writeCorpus(docs, SCHEMA, file, 'jsonl');
    const raw = await predictFile(dir, file, { goldEntities: true });
    const mapped = await predictFile(calibratedDir, file, { goldEntities: true });
    assert.deepEqual(mapped.scores!.entities, raw.scores!.entities, "given entities keep the tagger's probability");
    assert.ok(mapped.scores!.relations.flat(2).every((x) => x === 0.8), 'relations are mapped');
    assert.ok(mapped.scores!.relations.flat(2).length > 0, 'mapped.scores!.relations.flat(2).length > 0');
  });

  it('reads the entities when called: changing them while the model runs changes nothing', async () => {
    const entities = givenOf(0);
    const pending = ex.extract({ text: texts[0], entities });
    entities[0].start = 1;
    entities[0].id = 'changed';
    const doc = await pending;
    assert.deepEqual(doc.entities.map((e) => [e.id, e.start]), givenOf(0).map((e) => [e.id, e.start]));
  });

  it('refuses bad inputs, naming the text and the entity', async () => {
    await assert.rejects(ex.extract([texts[0], { text: texts[1], entities: [{ start: 0, end: 3, type: 'Drug' }] }]), /texts\[1\]\.entities\[0\]\.type: "Drug" is not one of the model's entity types \(PER, ORG, LOC\)/);
    await assert.rejects(ex.extract({ text: 'x', entities: 'none' as unknown as GivenEntity[] }), /entities: must be an array of \{start, end, type\}/);
    await assert.rejects(ex.extract([{ text: 'x', id: 3 } as unknown as string]), /texts\[0\]: unknown field "id" \(an input has text and optional entities\)/);
    await assert.rejects(ex.extract([{ texts: 'x' } as unknown as string]), /texts\[0\]: must be a string or an object \{text, entities\?\}/);
    await assert.rejects(ex.extract(42 as unknown as string), /extract expects a string, a \{text, entities\?\} object or an array of them, got 42/);
  });
});
