/**
 * Ensembles: the vote on extraction results (ensemble-vote.ts, over data/majority-vote.ts) on hand-made
 * documents, and the EnsembleExtractor on tiny models trained here.
 */
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { EnsembleExtractor, Extractor, type ExtractedDocument, type ExtractedEntity } from '../../src/extract/index.js';
import { voteExtractions } from '../../src/extract/ensemble-vote.js';
import { isUserError } from '../../src/errors.js';
import { saveModelDir } from '../../src/model/io.js';
import { modelOf } from '../../src/model/model-handle.js';
import { fitTinyModel } from '../model/tiny-fit.js';
import { syntheticSentences } from '../model/fixtures.js';
import { SCHEMA } from './tiny-model.js';
import { createHash } from 'node:crypto';
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir } from '../temp-dir.js';

const TEXT = 'Ann works for Acme in Rome';
const ent = (id: string, tokenStart: number, type: string, score: number): ExtractedEntity => ({
  id, text: TEXT.split(' ')[tokenStart], type, start: 0, end: 0, sentence: 0, tokenStart, tokenEnd: tokenStart + 1, score,
});
const docOf = (entities: ExtractedEntity[], relations: [string, string, string, number][]): ExtractedDocument => ({
  text: TEXT,
  sentences: [{ start: 0, end: TEXT.length, tokens: [] }],
  entities,
  relations: relations.map(([head, tail, type, score]) => ({ head, tail, type, score })),
});
const settings = { minVotes: 2, relationThreshold: 0, symmetric: new Set(['Kin']) };
/** `type text` of the entities and `head rel tail score` of the relations. */
const show = (d: ExtractedDocument) => {
  const text = new Map(d.entities.map((e) => [e.id, e.text]));
  return {
    entities: d.entities.map((e) => `${e.id} ${e.type} ${e.text} ${e.score.toFixed(3)}`),
    relations: d.relations.map((r) => `${text.get(r.head)} ${r.type} ${text.get(r.tail)} ${r.score.toFixed(3)}`),
  };
};

describe('voteExtractions', () => {
  // Three models: all find Ann and Acme; two find Rome as LOC, one as ORG; Work_For from two.
  const a = docOf([ent('T1', 0, 'PER', 0.9), ent('T2', 3, 'ORG', 0.8), ent('T3', 5, 'LOC', 0.7)], [['T1', 'T2', 'Work_For', 0.6]]);
  const b = docOf([ent('T1', 5, 'LOC', 0.5), ent('T2', 0, 'PER', 0.6), ent('T3', 3, 'ORG', 0.8)], [['T2', 'T3', 'Work_For', 0.9], ['T3', 'T1', 'Located_In', 0.9]]);
  const c = docOf([ent('T1', 0, 'PER', 0.9), ent('T2', 3, 'ORG', 1), ent('T3', 5, 'ORG', 0.9)], []);

  it('keeps the majority\'s items, renumbered in token order, scored by the mean with 0 for a model without them', () => {
    assert.deepEqual(show(voteExtractions([a, b, c], settings)), {
      entities: ['T1 PER Ann 0.800', 'T2 ORG Acme 0.867', 'T3 LOC Rome 0.400'],
      relations: ['Ann Work_For Acme 0.500'],
    });
  });

  it('the threshold applies to the mean score; one vote keeps everything, three only what all agree on', () => {
    assert.deepEqual(show(voteExtractions([a, b, c], { ...settings, relationThreshold: 0.51 })).relations, []);
    const union = show(voteExtractions([a, b, c], { ...settings, minVotes: 1 }));
    assert.deepEqual(union.entities, ['T1 PER Ann 0.800', 'T2 ORG Acme 0.867', 'T3 LOC Rome 0.400', 'T4 ORG Rome 0.300']);
    assert.deepEqual(union.relations, ['Ann Work_For Acme 0.500', 'Acme Located_In Rome 0.300']);
    assert.deepEqual(show(voteExtractions([a, b, c], { ...settings, minVotes: 3 })), { entities: ['T1 PER Ann 0.800', 'T2 ORG Acme 0.867'], relations: [] });
  });

  it('a symmetric type votes unordered, a directed one does not; a model listing an item twice votes once', () => {
    const kin = (h: string, t: string) => docOf([ent('T1', 0, 'PER', 1), ent('T2', 3, 'PER', 1)], [[h, t, 'Kin', 1], [h, t, 'Work_For', 1]]);
    const v = show(voteExtractions([kin('T1', 'T2'), kin('T2', 'T1'), docOf([], [])], settings));
    assert.deepEqual(v.relations, ['Ann Kin Acme 0.667']);
    // Kept in the direction the models gave, also where the spans' keys sort the other way ('10,…' before '2,…').
    const far = docOf([ent('T1', 2, 'PER', 1), ent('T2', 10, 'PER', 1)], [['T1', 'T2', 'Kin', 1]]);
    assert.deepEqual(voteExtractions([far, far], settings).relations.map((r) => `${r.head} ${r.tail}`), ['T1 T2']);
    // With one vote each direction of a directed type is kept, in the same order whichever model comes first.
    const [there, back] = [docOf(far.entities, [['T1', 'T2', 'Work_For', 1]]), docOf(far.entities, [['T2', 'T1', 'Work_For', 1]])];
    const union = (docs: ExtractedDocument[]) => voteExtractions(docs, { ...settings, minVotes: 1 }).relations.map((r) => `${r.head} ${r.tail}`);
    assert.deepEqual(union([there, back]), ['T1 T2', 'T2 T1']);
    assert.deepEqual(union([back, there]), ['T1 T2', 'T2 T1']);
    const twice = docOf([ent('T1', 0, 'PER', 1), ent('T2', 0, 'PER', 1)], []);
    assert.deepEqual(show(voteExtractions([twice, docOf([], []), docOf([], [])], settings)).entities, []);
    // A relation whose argument a model does not hold is an error naming the model, not a relation to nowhere.
    const dangling = docOf([ent('T1', 0, 'PER', 1)], [['T1', 'T9', 'Kin', 1]]);
    assert.throws(() => voteExtractions([a, dangling], settings), (e: unknown) => isUserError(e) && e.message === "model 2 of the ensemble: relation 0 (Kin) names entity 'T9', which is not among its entities");
  });
});

describe('EnsembleExtractor', () => {
  let dirA: string, dirB: string, dirC: string, other: string;
  const texts = syntheticSentences(12, 7).map((s) => s.tokens.map((t) => t.text).join(' '));

  before(() => {
    const root = tempDir('entrel-ensemble-');
    const { model } = fitTinyModel();
    [dirA, dirB, dirC] = [join(root, 'a'), join(root, 'b'), join(root, 'c')];
    saveModelDir(dirA, model, SCHEMA, { glove: false, name: 'tiny-a', version: '1' });
    saveModelDir(dirB, model, SCHEMA, { glove: false, name: 'tiny-b', version: '1' });
    saveModelDir(dirC, model, SCHEMA, { glove: false, name: 'tiny-a', version: '1' }); // a copy of a
    // The same weights with LOC called GPE (schema, tags, checksums): other labels, for an ensemble.
    other = join(root, 'other');
    cpSync(dirA, other, { recursive: true });
    const sums = ['schema.json', 'vocab.json'].map((f) => {
      const path = join(other, f);
      writeFileSync(path, readFileSync(path, 'utf8').replaceAll('LOC', 'GPE'));
      return [f, createHash('sha256').update(readFileSync(path)).digest('hex')];
    });
    const checksum = join(other, 'checksum');
    writeFileSync(checksum, readFileSync(checksum, 'utf8').split('\n').map((line) => {
      const hit = sums.find(([f]) => line.endsWith(`  ${f}`));
      return hit ? `${hit[1]}  ${hit[0]}` : line;
    }).join('\n'));
  });

  it('models that agree give what each gives alone, scores included; info names them and checksums them', async () => {
    const single = await Extractor.load(dirA, { workers: 0 });
    // Three saves of one model: the same weights, each a copy voting twice, said to onWarning.
    const warnings: string[] = [];
    const ensemble = await EnsembleExtractor.load([dirA, dirB, dirC], { workers: 0, onWarning: (m) => warnings.push(m) });
    try {
      assert.deepEqual(warnings, [dirB, dirC].map((d) => `${d} has the same weights as ${dirA} (a copy?): the vote counts that model twice`));
      // Scores to 9 digits: a mean of three equal numbers can differ from them in the last bit.
      const rounded = (docs: ExtractedDocument[]) =>
        docs.map((d) => ({ ...d, entities: d.entities.map((e) => ({ ...e, score: e.score.toFixed(9) })), relations: d.relations.map((r) => ({ ...r, score: r.score.toFixed(9) })) }));
      const alone = await single.extract(texts);
      const voted = await ensemble.extract(texts);
      assert.ok(alone.some((d) => d.relations.length > 0), 'alone.some((d) => d.relations.length > 0)');
      assert.deepEqual(rounded(voted), rounded(alone));
      assert.deepEqual(rounded([await ensemble.extract(texts[0])]), rounded([await single.extract(texts[0])]));
      // The threshold applies to the ensemble's (here equal) scores.
      const withRelations = voted.find((d) => d.relations.length > 0)!;
      const t = Math.min(...withRelations.relations.map((r) => r.score));
      const above = await ensemble.extract(withRelations.text, { relationThreshold: t + 1e-6 });
      assert.equal(above.relations.length, withRelations.relations.filter((r) => r.score >= t + 1e-6).length);
      assert.ok(above.relations.length < withRelations.relations.length, 'above.relations.length < withRelations.relations.length');
      const info = ensemble.info();
      assert.match(info.name, /^ensemble of 3 \(tiny-a, tiny-b, tiny-a; at least 2 votes\)$/);
      assert.deepEqual(info.members?.map((m) => m.name), ['tiny-a', 'tiny-b', 'tiny-a']);
      assert.match(info.checksum ?? '', /^[0-9a-f]{64}$/);
      assert.notEqual(info.checksum, single.info().checksum);
      assert.deepEqual(info.entityTypes, SCHEMA.entityTypes);
      assert.equal(ensemble.maxWorkers, 0);
    } finally {
      await single.close();
      await ensemble.close();
    }
  });

  it('a model that fails stops the others\' work on that call; a bad control is refused', async () => {
    const ensemble = await EnsembleExtractor.load([dirA, dirB], { workers: 0, batchSize: 1 });
    try {
      const [broken, working] = ensemble.members;
      broken.extract = (async () => {
        throw new Error('model A broke');
      }) as typeof broken.extract;
      let batches = 0;
      const model = modelOf(working.model);
      const predict = model.predict.bind(model);
      model.predict = (batch) => (batches++, predict(batch));
      let call: Promise<unknown> | undefined;
      const extract = working.extract.bind(working);
      working.extract = ((...args: Parameters<typeof extract>) => (call = extract(...args))) as typeof working.extract;
      await assert.rejects(ensemble.extract(texts), /model A broke/);
      // The other model stopped at its next batch, with that error, rather than running the call to its end.
      await assert.rejects(call!, /model A broke/);
      assert.ok(batches < texts.length, `${batches} of ${texts.length} batches`);
      // Refused as a single Extractor refuses it: the same message, with its hint.
      await assert.rejects(ensemble.extract('x', {}, { signal: 'soon' } as never), (e: unknown) =>
        isUserError(e) && e.location.field === 'signal' && /must be an AbortSignal \(e\.g\. AbortSignal\.timeout\(ms\) or an AbortController's signal\), got "soon"/.test(e.message));
    } finally {
      await ensemble.close();
    }
  });

  it('refuses one model, a vote count out of range, and models with other labels or another tokenizer, naming the directory', async () => {
    const fails = async (f: () => Promise<unknown>, message: RegExp, where?: string) => {
      await assert.rejects(f, (e: unknown) => isUserError(e) && message.test(e.message) && (where === undefined || e.location.file === where || e.location.field === where), String(message));
    };
    await fails(() => EnsembleExtractor.load([dirA]), /at least two model directories, got 1/, 'modelDirs');
    await fails(() => EnsembleExtractor.load([dirA, dirB], { minVotes: 3 }), /from 1 to 2 \(the models\), got 3/, 'minVotes');
    await fails(() => EnsembleExtractor.load([dirA, dirB], { minVote: 1 } as object), /minVote/);
    await fails(() => EnsembleExtractor.load([dirA, other], { workers: 0 }), /has other labels than .*a .*an ensemble's models must share them/, other);
    await fails(() => EnsembleExtractor.load([dirA, join(dirA, '..', 'missing')], { workers: 0 }), /missing/);
    // Calibrated scores and raw ones would be averaged into neither.
    const calibrated = join(dirA, '..', 'calibrated');
    const { model } = fitTinyModel();
    saveModelDir(calibrated, model, SCHEMA, { glove: false, calibration: { entities: { x: [0, 1], y: [0, 1] }, relations: { x: [0.5], y: [0.5] } } });
    await fails(() => EnsembleExtractor.load([dirA, calibrated], { workers: 0 }), /is calibrated and .*a is not: calibrate every model of an ensemble/, calibrated);
    // The bundled model reads text in CoNLL04's style, the tiny one in PTB's.
    await fails(() => EnsembleExtractor.load([dirA, 'models/conll04'], { workers: 0 }), /tokenizes as conll04, .* as ptb/, 'models/conll04');
  });
});

describe('EnsembleExtractor.load: a copy of a model', () => {
  it('is said with process.emitWarning when no onWarning is given; a non-function onWarning is refused', async () => {
    const root = tempDir('entrel-ensemble-copy-');
    const { model } = fitTinyModel();
    const [a, b] = [join(root, 'a'), join(root, 'b')];
    saveModelDir(a, model, SCHEMA, { glove: false });
    cpSync(a, b, { recursive: true });
    const seen: string[] = [];
    const listen = (w: Error) => void (w.message.startsWith(root) && seen.push(`${w.name}: ${w.message}`));
    process.on('warning', listen);
    const ensemble = await EnsembleExtractor.load([a, b], { workers: 0 });
    await new Promise((r) => setImmediate(r)); // warnings are emitted on the next tick
    process.off('warning', listen);
    await ensemble.close();
    assert.deepEqual(seen, [`EntrelWarning: ${b} has the same weights as ${a} (a copy?): the vote counts that model twice`]);
    await assert.rejects(EnsembleExtractor.load([a, b], { onWarning: 'stderr' as never }), /onWarning: must be a function, got "stderr"/);
  });
});

describe('EnsembleExtractor.load: one directory twice', () => {
  it('is refused (also with a trailing slash), before any model loads', async () => {
    await assert.rejects(EnsembleExtractor.load(['/no/such/model', '/no/such/model/']), (e: Error) =>
      e.name === 'UserError' && e.message === "modelDirs[1]: is the same model directory as modelDirs[0] (/no/such/model): that model's votes would count twice");
  });
});
