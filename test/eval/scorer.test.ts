import { test } from 'node:test';
import assert from 'node:assert/strict';
import { paperCompatChanges } from '../../src/eval/paper-compat.js';
import { Scorer } from '../../src/eval/scorer.js';
import { schema, sent } from './helpers.js';

const S = schema(['Peop', 'Loc', 'Org'], ['Live_In', 'Work_For', 'Kill', 'Spouse'], ['Spouse']);

function score(gold: ReturnType<typeof sent>, pred: ReturnType<typeof sent>, sch = S) {
  const s = new Scorer(sch);
  s.add(gold, pred);
  return s.report();
}

// John(Peop) lives in Boston(Loc): one entity pair, one relation.
const G = sent(6, [[0, 1, 'Peop'], [4, 5, 'Loc']], [[0, 1, 'Live_In']]);

test('perfect prediction: every micro score is 1', () => {
  const r = score(G, G);
  assert.deepEqual(r.entities.micro, { tp: 2, fp: 0, fn: 0, p: 1, r: 1, f1: 1 });
  for (const c of ['strict', 'boundaries', 'nyt'] as const)
    assert.deepEqual(r.relations[c].micro, { tp: 1, fp: 0, fn: 0, p: 1, r: 1, f1: 1 });
  assert.equal(r.sentences, 1);
});

test('empty gold and empty prediction: all zeros, no NaN', () => {
  const r = score(sent(3, []), sent(3, []));
  assert.deepEqual(r.entities.micro, { tp: 0, fp: 0, fn: 0, p: 0, r: 0, f1: 0 });
  assert.deepEqual(r.entities.macro, { p: 0, r: 0, f1: 0 });
  assert.deepEqual(r.relations.strict.perType.Spouse, { tp: 0, fp: 0, fn: 0, p: 0, r: 0, f1: 0 });
});

test('one false positive entity', () => {
  // pred = gold + Org[2,3): tp 2, fp 1, fn 0 → P = 2/3, R = 1, F1 = 2·(2/3)/(5/3) = 0.8.
  const r = score(G, sent(6, [[0, 1, 'Peop'], [4, 5, 'Loc'], [2, 3, 'Org']], [[0, 1, 'Live_In']]));
  assert.deepEqual(r.entities.micro, { tp: 2, fp: 1, fn: 0, p: 2 / 3, r: 1, f1: 0.8 });
  assert.deepEqual(r.entities.perType.Org, { tp: 0, fp: 1, fn: 0, p: 0, r: 0, f1: 0 });
  assert.equal(r.relations.strict.micro.f1, 1);
});

test('one false negative relation', () => {
  // pred has both entities but no relation: relations tp 0, fp 0, fn 1 → P = R = F1 = 0.
  const r = score(G, sent(6, [[0, 1, 'Peop'], [4, 5, 'Loc']]));
  assert.equal(r.entities.micro.f1, 1);
  assert.deepEqual(r.relations.strict.micro, { tp: 0, fp: 0, fn: 1, p: 0, r: 0, f1: 0 });
  assert.deepEqual(r.relations.strict.perType.Live_In, { tp: 0, fp: 0, fn: 1, p: 0, r: 0, f1: 0 });
});

test('wrong relation type: one FP of the predicted type, one FN of the gold type', () => {
  const r = score(G, sent(6, [[0, 1, 'Peop'], [4, 5, 'Loc']], [[0, 1, 'Work_For']]));
  assert.deepEqual(r.relations.strict.micro, { tp: 0, fp: 1, fn: 1, p: 0, r: 0, f1: 0 });
  assert.equal(r.relations.strict.perType.Work_For.fp, 1);
  assert.equal(r.relations.strict.perType.Live_In.fn, 1);
});

test('wrong entity type: entity wrong, strict relation wrong, boundaries relation right', () => {
  // Boston predicted Org: entities tp 1 (John), fp 1, fn 1 → P = R = F1 = 1/2.
  const r = score(G, sent(6, [[0, 1, 'Peop'], [4, 5, 'Org']], [[0, 1, 'Live_In']]));
  assert.deepEqual(r.entities.micro, { tp: 1, fp: 1, fn: 1, p: 0.5, r: 0.5, f1: 0.5 });
  assert.equal(r.relations.strict.micro.f1, 0);
  assert.equal(r.relations.boundaries.micro.f1, 1);
  assert.equal(r.relations.nyt.micro.f1, 1);
});

test('wrong direction of an asymmetric relation is wrong under every criterion', () => {
  const r = score(G, sent(6, [[0, 1, 'Peop'], [4, 5, 'Loc']], [[1, 0, 'Live_In']]));
  for (const c of ['strict', 'boundaries', 'nyt'] as const)
    assert.deepEqual(r.relations[c].micro, { tp: 0, fp: 1, fn: 1, p: 0, r: 0, f1: 0 });
});

test('symmetric relation reversed still matches; duplicates in both orders count once', () => {
  const g = sent(6, [[0, 1, 'Peop'], [4, 5, 'Peop']], [[0, 1, 'Spouse']]);
  const p = sent(6, [[0, 1, 'Peop'], [4, 5, 'Peop']], [[1, 0, 'Spouse'], [0, 1, 'Spouse']]);
  const r = score(g, p);
  assert.deepEqual(r.relations.strict.micro, { tp: 1, fp: 0, fn: 0, p: 1, r: 1, f1: 1 });
  // The same pair under a schema where Spouse is not symmetric: the reversed one is a FP.
  const r2 = score(g, p, schema(['Peop'], ['Spouse']));
  assert.deepEqual(r2.relations.strict.micro, { tp: 1, fp: 1, fn: 0, p: 0.5, r: 1, f1: 2 / 3 });
});

test('paper-compat: a symmetric type is directed, as the authors\' evaluator knows no symmetric types', () => {
  const g = sent(6, [[0, 1, 'Peop'], [4, 5, 'Peop']], [[1, 0, 'Spouse']]);
  const p = sent(6, [[0, 1, 'Peop'], [4, 5, 'Peop']], [[0, 1, 'Spouse']]);
  const compat = new Scorer(S, { paperCompat: true });
  compat.add(g, p);
  assert.deepEqual(compat.report().relations.strict.micro, { tp: 0, fp: 1, fn: 1, p: 0, r: 0, f1: 0 });
  assert.equal(score(g, p).relations.strict.micro.f1, 1);
});

test('duplicate entities and relations count once', () => {
  const p = sent(6, [[0, 1, 'Peop'], [0, 1, 'Peop'], [4, 5, 'Loc']], [[0, 2, 'Live_In'], [1, 2, 'Live_In']]);
  const r = score(G, p);
  assert.deepEqual(r.entities.micro, { tp: 2, fp: 0, fn: 0, p: 1, r: 1, f1: 1 });
  assert.deepEqual(r.relations.strict.micro, { tp: 1, fp: 0, fn: 0, p: 1, r: 1, f1: 1 });
});

test('boundaries vs strict: argument types ignored, spans still exact', () => {
  // Gold: Peop[0,1) Work_For Org[2,4); Peop[5,6) Live_In Loc[7,8).
  const g = sent(9, [[0, 1, 'Peop'], [2, 4, 'Org'], [5, 6, 'Peop'], [7, 8, 'Loc']], [[0, 1, 'Work_For'], [2, 3, 'Live_In']]);
  // Pred: the first relation's Org mistyped as Loc (right under boundaries only); the second's Loc span
  // widened to [6,8) (wrong under both).
  const p = sent(9, [[0, 1, 'Peop'], [2, 4, 'Loc'], [5, 6, 'Peop'], [6, 8, 'Loc']], [[0, 1, 'Work_For'], [2, 3, 'Live_In']]);
  const r = score(g, p);
  // strict: tp 0, fp 2, fn 2 → 0.  boundaries: tp 1, fp 1, fn 1 → P = R = F1 = 0.5.
  assert.deepEqual(r.relations.strict.micro, { tp: 0, fp: 2, fn: 2, p: 0, r: 0, f1: 0 });
  assert.deepEqual(r.relations.boundaries.micro, { tp: 1, fp: 1, fn: 1, p: 0.5, r: 0.5, f1: 0.5 });
  assert.deepEqual(r.relations.nyt.micro, r.relations.boundaries.micro);
});

test('boundaries and nyt ignore the argument types only: a wrong relation type or one bound of an argument off is FP + FN', () => {
  // Gold: Live_In(Peop[0,2), Loc[4,5)) (review 10a G1: the key lost the relation type, or the head's start).
  const g = sent(6, [[0, 2, 'Peop'], [4, 5, 'Loc']], [[0, 1, 'Live_In']]);
  const wrong = { tp: 0, fp: 1, fn: 1, p: 0, r: 0, f1: 0 };
  // The same spans under another relation type: wrong under every criterion, a FP of Work_For and a FN of Live_In.
  const type = score(g, sent(6, [[0, 2, 'Peop'], [4, 5, 'Loc']], [[0, 1, 'Work_For']]));
  for (const c of ['strict', 'boundaries', 'nyt'] as const) {
    assert.deepEqual(type.relations[c].micro, wrong, `wrong relation type, ${c}`);
    assert.deepEqual([type.relations[c].perType.Work_For.fp, type.relations[c].perType.Live_In.fn], [1, 1], `wrong relation type, ${c}`);
  }
  // Each of the four bounds moved by one token on its own: wrong under every criterion.
  const moved: [string, [number, number, string][]][] = [
    ['head start', [[1, 2, 'Peop'], [4, 5, 'Loc']]],
    ['head end', [[0, 1, 'Peop'], [4, 5, 'Loc']]],
    ['tail start', [[0, 2, 'Peop'], [3, 5, 'Loc']]],
    ['tail end', [[0, 2, 'Peop'], [4, 6, 'Loc']]],
  ];
  for (const [what, entities] of moved) {
    const r = score(g, sent(6, entities, [[0, 1, 'Live_In']]));
    for (const c of ['strict', 'boundaries', 'nyt'] as const) assert.deepEqual(r.relations[c].micro, wrong, `${what} moved, ${c}`);
  }
  // Both argument types wrong, spans and relation type right: right under boundaries and nyt only.
  const types = score(g, sent(6, [[0, 2, 'Org'], [4, 5, 'Peop']], [[0, 1, 'Live_In']]));
  assert.deepEqual(types.relations.strict.micro, wrong);
  for (const c of ['boundaries', 'nyt'] as const) assert.deepEqual(types.relations[c].micro, { tp: 1, fp: 0, fn: 0, p: 1, r: 1, f1: 1 }, c);
});

test('paper-compat: a relation between two mentions of one span (overlapping arguments) is not scored', () => {
  // Gold a = Peop[0,2), b = Org[0,2), Work_For(a, b): b's tags overwrite a's, so the gold entities are Org[0,2)
  // alone and the relation's arguments overlap: the authors' evaluator skips it (review 10a G5). Without
  // the rule it would read Work_For(Org[0,2), Org[0,2)) and count a FN the prediction cannot avoid.
  const g = sent(3, [[0, 2, 'Peop'], [0, 2, 'Org']], [[0, 1, 'Work_For']]);
  const p = sent(3, [[0, 2, 'Org']]);
  const compat = new Scorer(S, { paperCompat: true });
  compat.add(g, p);
  const r = compat.report();
  assert.deepEqual(r.entities.micro, { tp: 1, fp: 0, fn: 0, p: 1, r: 1, f1: 1 });
  for (const c of ['strict', 'boundaries', 'nyt'] as const) assert.deepEqual([r.relations[c].micro.tp, r.relations[c].micro.fp, r.relations[c].micro.fn], [0, 0, 0], c);
  assert.equal(paperCompatChanges([{ id: 'd', text: '', sentences: [g] }]).relationsSkipped, 1);
  // Scored as it is, the relation is a FN.
  assert.deepEqual([score(g, p).relations.strict.micro.tp, score(g, p).relations.strict.micro.fn], [0, 1]);
});

test('macro vs micro: a rare type done badly weighs as much as a frequent one done well', () => {
  // Entities only. Peop: 3 gold, all found → F1 1. Loc: 1 gold, missed, 1 spurious Loc → F1 0.
  // Org: no gold, no prediction → F1 0 but part of the schema, so it counts in macro.
  const g = sent(10, [[0, 1, 'Peop'], [2, 3, 'Peop'], [4, 5, 'Peop'], [6, 7, 'Loc']]);
  const p = sent(10, [[0, 1, 'Peop'], [2, 3, 'Peop'], [4, 5, 'Peop'], [8, 9, 'Loc']]);
  const r = score(g, p);
  // micro: tp 3, fp 1, fn 1 → P = R = F1 = 3/4.
  assert.deepEqual(r.entities.micro, { tp: 3, fp: 1, fn: 1, p: 0.75, r: 0.75, f1: 0.75 });
  // macro over {Peop, Loc, Org}: P = (1+0+0)/3, R = (1+0+0)/3, F1 = (1+0+0)/3.
  assert.deepEqual(r.entities.macro, { p: 1 / 3, r: 1 / 3, f1: 1 / 3 });
  // A type seen only in predictions joins the average: Misc FP → macro over 4 types.
  const r2 = score(g, sent(10, [...p.entities.map((e): [number, number, string] => [e.start, e.end, e.type]), [9, 10, 'Misc']]));
  assert.deepEqual(Object.keys(r2.entities.perType), ['Peop', 'Loc', 'Org', 'Misc']);
  assert.equal(r2.entities.macro.f1, 1 / 4);
});

test('accumulates over sentences', () => {
  const s = new Scorer(S);
  s.add(G, G); // ent tp 2, rel tp 1
  s.add(G, sent(6, [])); // ent fn 2, rel fn 1
  const r = s.report();
  assert.equal(r.sentences, 2);
  assert.deepEqual(r.entities.micro, { tp: 2, fp: 0, fn: 2, p: 1, r: 0.5, f1: 2 / 3 });
  assert.deepEqual(r.relations.strict.micro, { tp: 1, fp: 0, fn: 1, p: 1, r: 0.5, f1: 2 / 3 });
});

test('a relation naming an unknown entity is a UserError with its location', () => {
  const bad = sent(6, [[0, 1, 'Peop']]);
  bad.relations.push({ type: 'Live_In', head: 'e0', tail: 'nope' });
  assert.throws(() => new Scorer(S).add(G, bad, "document 'd', sentence 2"), {
    name: 'UserError',
    message: /document 'd', sentence 2: relation 0 \(Live_In\) names entity 'nope'/,
  });
});
