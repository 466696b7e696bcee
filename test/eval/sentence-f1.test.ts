import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import type { CompactSentence, RelTuple, SpanTuple } from '../../src/eval/compact.js';
import { canonicalRelation } from '../../src/eval/compact.js';
import { Scorer } from '../../src/eval/scorer.js';
import { deltaE, deltaER, deltaR, sentenceF1, setF1 } from '../../src/eval/sentence-f1.js';
import { schema } from './helpers.js';

const gold: CompactSentence = {
  entities: [[0, 1, 0], [3, 5, 1]],
  relations: [[0, 1, 0, 3, 5, 1, 2]],
};

test('F = 1 when gold and prediction are both empty (tp = fp = fn = 0)', () => {
  assert.deepEqual(sentenceF1({ entities: [], relations: [] }, { entities: [], relations: [] }), { ent: 1, rel: 1 });
  assert.equal(deltaER({ entities: [], relations: [] }, { entities: [], relations: [] }), 0);
});

test('hand-computed sentence F1 and deltas', () => {
  // Entities: pred {[0,1,0], [3,4,1]} vs gold {[0,1,0], [3,5,1]} → tp 1, |g| 2, |p| 2 → F 2/4 = 0.5.
  // Relations: pred's tail span [3,4) is wrong → tp 0 → F 0.
  const pred: CompactSentence = { entities: [[0, 1, 0], [3, 4, 1]], relations: [[0, 1, 0, 3, 4, 1, 2]] };
  assert.deepEqual(sentenceF1(gold, pred), { ent: 0.5, rel: 0 });
  assert.equal(deltaE(gold, pred), 0.5);
  assert.equal(deltaR(gold, pred), 1);
  assert.equal(deltaER(gold, pred), 0.75);
  // Nothing predicted while gold has items → F 0 (fn > 0).
  assert.deepEqual(sentenceF1(gold, { entities: [], relations: [] }), { ent: 0, rel: 0 });
});

test('string and numeric labels; duplicates count once', () => {
  assert.equal(setF1([[0, 1, 'Peop']], [[0, 1, 'Peop'], [0, 1, 'Peop']]), 1);
  assert.equal(setF1([[0, 1, 'Peop']], [[0, 1, 'Loc']]), 0);
});

test('canonicalRelation orders symmetric arguments by text position', () => {
  const r: RelTuple = [4, 5, 'Peop', 0, 1, 'Peop', 'Spouse'];
  assert.deepEqual(canonicalRelation(r, true), [0, 1, 'Peop', 4, 5, 'Peop', 'Spouse']);
  assert.equal(canonicalRelation(r, false), r);
});

const span = fc.tuple(fc.nat(8), fc.integer({ min: 1, max: 3 }), fc.nat(2)).map(([s, l, t]): SpanTuple => [s, s + l, t]);
const rel = fc.tuple(span, span, fc.nat(2)).map(([h, t, r]): RelTuple => [h[0], h[1], h[2], t[0], t[1], t[2], r]);
const compact = fc.record({ entities: fc.array(span, { maxLength: 6 }), relations: fc.array(rel, { maxLength: 6 }) });

test('property: sentenceF1 agrees with the corpus scorer on a single sentence', () => {
  const sch = schema(['0', '1', '2'], ['0', '1', '2']);
  fc.assert(
    fc.property(compact, compact, (g, p) => {
      const s = new Scorer(sch);
      s.addCompact(g, p);
      const r = s.report();
      const f = sentenceF1(g, p);
      const expect = (m: { tp: number; fp: number; fn: number; f1: number }) => (m.tp + m.fp + m.fn === 0 ? 1 : m.f1);
      assert.ok(Math.abs(f.ent - expect(r.entities.micro)) < 1e-12);
      assert.ok(Math.abs(f.rel - expect(r.relations.strict.micro)) < 1e-12);
      assert.equal(setF1(g.entities, g.entities), 1);
    }),
  );
});

test('fast: 100k sentence rewards of 20 entities / 10 relations in under 2 s of CPU time', () => {
  const ents: SpanTuple[] = Array.from({ length: 20 }, (_, i) => [2 * i, 2 * i + 1, i % 4]);
  const rels: RelTuple[] = Array.from({ length: 10 }, (_, i) => [2 * i, 2 * i + 1, i % 4, 2 * i + 2, 2 * i + 3, 1, i % 3]);
  const g = { entities: ents, relations: rels };
  const p = { entities: ents.slice(5), relations: rels.slice(2) };
  // CPU time, not wall time: other jobs on the machine (CI runners, experiments) must not fail it.
  const t0 = process.cpuUsage();
  let acc = 0;
  for (let i = 0; i < 100_000; i++) acc += deltaER(g, p);
  assert.ok(acc > 0);
  const { user, system } = process.cpuUsage(t0);
  assert.ok((user + system) / 1000 < 2000, `${(user + system) / 1000} ms of CPU`);
});
