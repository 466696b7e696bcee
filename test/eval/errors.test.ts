/**
 * The error breakdown (src/eval/errors*.ts): one error of each category in hand-made sentences, symmetric
 * relation types, paper-compat, and the partition of the Scorer's fp/fn on a perturbed CoNLL04 test split.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Diagnostics } from '../../src/data/diagnostics.js';
import type { Document, Sentence } from '../../src/data/corpus.js';
import { loadCorpus } from '../../src/data/formats/index.js';
import { evaluate, evaluateWithErrors } from '../../src/eval/evaluate.js';
import type { ErrorBreakdown, ErrorReport } from '../../src/eval/errors.js';
import { formatErrors } from '../../src/eval/errors-table.js';
import type { CriterionScores, EvalReport } from '../../src/eval/index.js';
import { doc, schema, sent } from './helpers.js';

const RELS = ['Work_For', 'Live_In', 'Located_In', 'Kill', 'OrgBased_In'];
const S = schema(['Peop', 'Org', 'Loc', 'Other'], RELS);

const run = (g: Sentence, p: Sentence, opts: Parameters<typeof evaluate>[2] = { schema: S }) =>
  evaluateWithErrors([doc('d', g)], [doc('d', p)], opts);

/** Category → [fp, fn], leaving out the all-zero ones. */
function byCategory(b: ErrorBreakdown<string, unknown>): Record<string, [number, number]> {
  const out: Record<string, [number, number]> = {};
  for (const [c, x] of Object.entries(b.byCategory)) if (x.fp || x.fn) out[c] = [x.fp, x.fn];
  return out;
}

/** The Scorer's fp and fn, overall and per type, are split exactly by the categories; the confusion matrix's margins are the item counts. */
function assertPartition(b: ErrorBreakdown<string, unknown>, s: CriterionScores): void {
  assert.equal(b.fp, s.micro.fp);
  assert.equal(b.fn, s.micro.fn);
  const cats = Object.values(b.byCategory);
  assert.equal(cats.reduce((n, x) => n + x.fp, 0), s.micro.fp);
  assert.equal(cats.reduce((n, x) => n + x.fn, 0), s.micro.fn);
  assert.equal(b.errors.filter((e) => e.side === 'fp').length, s.micro.fp);
  assert.equal(b.errors.filter((e) => e.side === 'fn').length, s.micro.fn);
  assert.deepEqual(Object.keys(b.perType), Object.keys(s.perType));
  for (const [type, t] of Object.entries(s.perType)) {
    const row = Object.values(b.perType[type]);
    assert.equal(row.reduce((n, x) => n + x.fp, 0), t.fp, `${type} fp`);
    assert.equal(row.reduce((n, x) => n + x.fn, 0), t.fn, `${type} fn`);
    const i = b.confusion.labels.indexOf(type);
    assert.equal(b.confusion.counts[i][i], t.tp, `${type} diagonal`);
    assert.equal(b.confusion.counts[i].reduce((n, x) => n + x, 0), t.tp + t.fn, `${type} row`);
    assert.equal(b.confusion.counts.reduce((n, r) => n + r[i], 0), t.tp + t.fp, `${type} column`);
  }
}

function assertPartitions(r: { report: EvalReport; errors: ErrorReport }): void {
  assertPartition(r.errors.entities, r.report.entities);
  assertPartition(r.errors.relations, r.report.relations.strict);
}

test('entities: one error of each category', () => {
  const g = sent(15, [[0, 1, 'Peop'], [2, 4, 'Org'], [5, 7, 'Loc'], [11, 12, 'Other'], [13, 14, 'Loc']]);
  // type: Org on Peop's span; boundary: Org [2,3) in Org [2,4); boundary+type: Peop [6,8) across Loc [5,7);
  // spurious: Other [9,10); missed: Other [11,12); Loc [13,14) right.
  const p = sent(15, [[0, 1, 'Org'], [2, 3, 'Org'], [6, 8, 'Peop'], [9, 10, 'Other'], [13, 14, 'Loc']]);
  const r = run(g, p);
  assert.deepEqual([r.report.entities.micro.fp, r.report.entities.micro.fn], [4, 4]);
  const e = r.errors.entities;
  assert.deepEqual(byCategory(e), { type: [1, 1], boundary: [1, 1], 'boundary+type': [1, 1], spurious: [1, 0], missed: [0, 1] });
  assert.deepEqual({ ...e.perType.Org.type }, { fp: 1, fn: 0 });
  assert.deepEqual({ ...e.perType.Peop.type }, { fp: 0, fn: 1 });
  assert.deepEqual({ ...e.perType.Peop['boundary+type'] }, { fp: 1, fn: 0 });
  assert.deepEqual({ ...e.perType.Loc['boundary+type'] }, { fp: 0, fn: 1 });
  assertPartitions(r);
  // Each instance names its sentence, its item and the counterpart that decided its category.
  const [first] = e.errors;
  assert.deepEqual(first, {
    category: 'type', side: 'fp', document: 'd', sentence: 0,
    gold: { start: 0, end: 1, type: 'Peop', text: 'w0' },
    pred: { start: 0, end: 1, type: 'Org', text: 'w0' },
  });
  const spurious = e.errors.find((x) => x.category === 'spurious');
  assert.deepEqual([spurious?.gold, spurious?.pred?.text], [null, 'w9']);
  const missed = e.errors.find((x) => x.category === 'missed');
  assert.deepEqual([missed?.side, missed?.gold?.text, missed?.pred], ['fn', 'w11', null]);
  const boundary = e.errors.find((x) => x.category === 'boundary' && x.side === 'fn');
  assert.deepEqual([boundary?.gold?.text, boundary?.pred?.text], ['w2 w3', 'w2']);
  // Confusion over exact spans: Peop→Org at [0,1); every other unmatched span against NONE.
  const { labels, counts } = e.confusion;
  assert.deepEqual(labels, ['Peop', 'Org', 'Loc', 'Other', 'NONE']);
  assert.deepEqual(counts, [
    [0, 1, 0, 0, 0],
    [0, 0, 0, 0, 1],
    [0, 0, 1, 0, 1],
    [0, 0, 0, 0, 1],
    [1, 1, 0, 1, 0],
  ]);
});

test('entities: an fp overlapping several gold entities counts once, type before boundary before boundary+type', () => {
  // gold Loc [0,2), Org [1,2), Peop [2,4). Pred Peop [1,3) overlaps Loc and Org (boundary+type) and Peop
  // (boundary): boundary. Pred Org [0,2) has Loc's span (type) and overlaps Org [1,2) (boundary): type.
  const r = run(sent(6, [[0, 2, 'Loc'], [1, 2, 'Org'], [2, 4, 'Peop']]), sent(6, [[1, 3, 'Peop'], [0, 2, 'Org']]));
  const fps = r.errors.entities.errors.filter((x) => x.side === 'fp');
  assert.deepEqual(fps.map((x) => [x.pred?.text, x.category, x.gold?.text]), [['w1 w2', 'boundary', 'w2 w3'], ['w0 w1', 'type', 'w0 w1']]);
  // gold Loc [0,2): same span predicted as Org (type); Org [1,2) and Peop [2,4): same-type overlaps (boundary).
  assert.deepEqual(byCategory(r.errors.entities), { type: [1, 1], boundary: [1, 2] });
  assertPartitions(r);
});

test('relations: one error of each category', () => {
  const ents: [number, number, string][] = [
    [0, 1, 'Peop'], [2, 3, 'Org'], [4, 5, 'Loc'], [6, 7, 'Loc'], [8, 9, 'Peop'], [10, 11, 'Loc'], [12, 13, 'Peop'], [14, 15, 'Peop'], [16, 17, 'Loc'],
  ];
  // gold: Work_For 0→1, Located_In 2→3, Live_In 4→5, Live_In 7→8 (missed), Live_In 6→8 (right)
  const g = sent(18, ents, [[0, 1, 'Work_For'], [2, 3, 'Located_In'], [4, 5, 'Live_In'], [7, 8, 'Live_In'], [6, 8, 'Live_In']]);
  // pred: OrgBased_In 0→1 (type), Located_In 3→2 (direction), Live_In from Peop [8,10) (entity), Kill 6→7 (spurious)
  const pEnts = ents.map((e, i): [number, number, string] => (i === 4 ? [8, 10, 'Peop'] : e));
  const p = sent(18, pEnts, [[0, 1, 'OrgBased_In'], [3, 2, 'Located_In'], [4, 5, 'Live_In'], [6, 7, 'Kill'], [6, 8, 'Live_In']]);
  const r = run(g, p);
  assert.deepEqual([r.report.relations.strict.micro.fp, r.report.relations.strict.micro.fn], [4, 4]);
  const rel = r.errors.relations;
  assert.deepEqual(byCategory(rel), { direction: [1, 1], type: [1, 1], entity: [1, 1], spurious: [1, 0], missed: [0, 1] });
  assert.deepEqual({ ...rel.perType.OrgBased_In.type }, { fp: 1, fn: 0 });
  assert.deepEqual({ ...rel.perType.Work_For.type }, { fp: 0, fn: 1 });
  assert.deepEqual({ ...rel.perType.Kill.spurious }, { fp: 1, fn: 0 });
  // All but the entity errors have both arguments right ([8,9) Peop is predicted as [8,10)): the relation model's own.
  assert.deepEqual(rel.argumentsCorrect, {
    direction: { fp: 1, fn: 1 }, type: { fp: 1, fn: 1 }, entity: { fp: 0, fn: 0 }, spurious: { fp: 1, fn: 0 }, missed: { fp: 0, fn: 1 },
  });
  assertPartitions(r);
  const direction = rel.errors.find((x) => x.category === 'direction' && x.side === 'fp');
  assert.deepEqual(direction, {
    category: 'direction', side: 'fp', document: 'd', sentence: 0,
    gold: { type: 'Located_In', head: { start: 4, end: 5, type: 'Loc', text: 'w4' }, tail: { start: 6, end: 7, type: 'Loc', text: 'w6' } },
    pred: { type: 'Located_In', head: { start: 6, end: 7, type: 'Loc', text: 'w6' }, tail: { start: 4, end: 5, type: 'Loc', text: 'w4' } },
  });
  const entity = rel.errors.find((x) => x.category === 'entity' && x.side === 'fn');
  assert.equal(entity?.pred?.head.text, 'w8 w9');
  // Confusion over argument pairs: Work_For→OrgBased_In; a direction error is a miss and a spurious prediction.
  const m = rel.confusion;
  const at = (g: string, p: string) => m.counts[m.labels.indexOf(g)][m.labels.indexOf(p)];
  assert.equal(at('Work_For', 'OrgBased_In'), 1);
  assert.equal(at('Located_In', 'Located_In'), 0);
  assert.equal(at('Located_In', 'NONE'), 1);
  assert.equal(at('NONE', 'Located_In'), 1);
  assert.equal(at('Live_In', 'Live_In'), 1);
});

test('confusion: a relation the other way round counts against NONE on both sides, even beside a prediction of another type on the pair', () => {
  // gold Live_In Peop→Loc; pred Live_In Loc→Peop and Kill Loc→Peop on the same two arguments.
  const r = run(sent(3, [[0, 1, 'Peop'], [2, 3, 'Loc']], [[0, 1, 'Live_In']]), sent(3, [[0, 1, 'Peop'], [2, 3, 'Loc']], [[1, 0, 'Live_In'], [1, 0, 'Kill']]));
  const m = r.errors.relations.confusion;
  const at = (g: string, p: string) => m.counts[m.labels.indexOf(g)][m.labels.indexOf(p)];
  assert.deepEqual([at('Live_In', 'NONE'), at('NONE', 'Live_In'), at('NONE', 'Kill'), at('Live_In', 'Kill')], [1, 1, 1, 0]);
  assertPartitions(r);
});

test('relations: the type category matches the arguments in either order', () => {
  // gold Live_In Peop→Loc; pred Kill Loc→Peop: same two arguments, another type.
  const r = run(sent(3, [[0, 1, 'Peop'], [2, 3, 'Loc']], [[0, 1, 'Live_In']]), sent(3, [[0, 1, 'Peop'], [2, 3, 'Loc']], [[1, 0, 'Kill']]));
  assert.deepEqual(byCategory(r.errors.relations), { type: [1, 1] });
  assertPartitions(r);
});

test('relations: symmetric types have no direction and match their arguments either way round', () => {
  const sym = schema(['A'], ['Conj', 'Used'], ['Conj']);
  const ab = sent(4, [[0, 1, 'A'], [2, 3, 'A']], [[0, 1, 'Conj']]);
  const ba = sent(4, [[0, 1, 'A'], [2, 3, 'A']], [[1, 0, 'Conj']]);
  const same = run(ab, ba, { schema: sym });
  assert.equal(same.errors.relations.fp + same.errors.relations.fn, 0);
  const asym = run(ab, ba, { schema: schema(['A'], ['Conj', 'Used']) });
  assert.deepEqual(byCategory(asym.errors.relations), { direction: [1, 1] });
  assertPartitions(asym);

  // gold Conj(P [0,3), Q [1,2)); pred Conj(Q' [1,2) → P' [2,3)): the arguments overlap only crosswise.
  const g = sent(4, [[0, 3, 'A'], [1, 2, 'A']], [[0, 1, 'Conj']]);
  const p = sent(4, [[1, 2, 'A'], [2, 3, 'A']], [[0, 1, 'Conj']]);
  const crossed = run(g, p, { schema: sym });
  assert.deepEqual(byCategory(crossed.errors.relations), { entity: [1, 1] });
  assertPartitions(crossed);
  const ordered = run(g, p, { schema: schema(['A'], ['Conj', 'Used']) });
  assert.deepEqual(byCategory(ordered.errors.relations), { spurious: [1, 0], missed: [0, 1] });

  // An asymmetric relation against a symmetric one on the same two arguments is a type error.
  const used = run(sent(4, [[0, 1, 'A'], [2, 3, 'A']], [[1, 0, 'Used']]), ab, { schema: sym });
  assert.deepEqual(byCategory(used.errors.relations), { type: [1, 1] });
  assertPartitions(used);
});

test('paper-compat: errors are counted against the gold side the Scorer then uses', () => {
  // As in evaluate.test.ts: gold A=Peop[0,3) B=Loc[1,2) C=Loc[4,5) D=Peop[5,6); B overwrites A's middle, so
  // paper-compat gold entities are Peop[0,1) Loc[1,2) Peop[2,3) Loc[4,5) Peop[5,6) and its relations {D→C}.
  const L = schema(['Peop', 'Loc'], ['Live_In']);
  const g = sent(6, [[0, 3, 'Peop'], [1, 2, 'Loc'], [4, 5, 'Loc'], [5, 6, 'Peop']], [[0, 1, 'Live_In'], [0, 2, 'Live_In'], [3, 2, 'Live_In']]);
  const p = sent(6, [[0, 3, 'Peop'], [4, 5, 'Loc'], [5, 6, 'Peop']], [[0, 1, 'Live_In'], [2, 1, 'Live_In']]);
  const plain = run(g, p, { schema: L });
  assert.deepEqual(byCategory(plain.errors.entities), { 'boundary+type': [0, 1] }); // B inside predicted A
  assert.deepEqual(byCategory(plain.errors.relations), { missed: [0, 1] });
  const compat = run(g, p, { schema: L, paperCompat: true });
  // Pred Peop[0,3) is now an fp (boundary, against Peop[0,1)); the three fragments are fns.
  assert.deepEqual(byCategory(compat.errors.entities), { boundary: [1, 2], 'boundary+type': [0, 1] });
  // Pred A→C has no gold counterpart any more: spurious.
  assert.deepEqual(byCategory(compat.errors.relations), { spurious: [1, 0] });
  assertPartitions(plain);
  assertPartitions(compat);
  assert.deepEqual(compat.report, evaluate([doc('d', g)], [doc('d', p)], { schema: L, paperCompat: true }));
});

test('duplicates on either side count once, as the Scorer counts them', () => {
  const g = sent(3, [[0, 1, 'Peop'], [0, 1, 'Peop']]);
  const p = sent(3, [[0, 2, 'Peop'], [0, 2, 'Peop'], [2, 3, 'Loc']]);
  const r = run(g, p);
  assert.deepEqual(byCategory(r.errors.entities), { boundary: [1, 1], spurious: [1, 0] });
  assertPartitions(r);
});

test('formatErrors: category and confusion tables, examples per category', () => {
  const r = run(sent(4, [[0, 1, 'Peop'], [2, 3, 'Loc']], [[0, 1, 'Live_In']]), sent(4, [[0, 1, 'Org'], [2, 4, 'Loc']]));
  const text = formatErrors(r.errors, 1);
  assert.match(text, /^Entity errors by category \(FP\/FN; spurious are FPs, missed FNs\)$/m);
  assert.match(text, /^ {2}all +1\/1 +1\/1 +0\/0 +0 +0 +2\/2$/m);
  assert.match(text, /^ {2}Peop +0 +1 +0 +0 +0$/m); // gold Peop predicted as Org
  assert.match(text, /^ {4}FP document 'd', sentence 0: "w0" Peop \[0,1\) → "w0" Org \[0,1\)$/m);
  assert.match(text, /^ {4}FN document 'd', sentence 0: Live_In\("w0" Peop \[0,1\), "w2" Loc \[2,3\)\) → —$/m);
  assert.equal(text.match(/^ {4}F[PN] /gm)?.length, 3); // one per category present: type, boundary, missed
  // The missed Live_In's arguments are not both correct (Peop was predicted Org).
  assert.match(text, /^ {2}both arguments correct +0\/0 +0\/0 +0\/0 +0 +0 +0\/0$/m);
  assert.doesNotMatch(formatErrors(r.errors, 0), /first \d+ per category/);
});

test('confusion: a type named NONE keeps its own row and column, apart from the "no item" one', () => {
  // gold NONE [0,1) found; Peop [2,3) predicted as NONE; NONE [4,5) missed; Peop [6,7) spurious.
  const types = schema(['Peop', 'NONE'], ['Work_For']);
  const g = sent(8, [[0, 1, 'NONE'], [2, 3, 'Peop'], [4, 5, 'NONE']]);
  const p = sent(8, [[0, 1, 'NONE'], [2, 3, 'NONE'], [6, 7, 'Peop']]);
  const r = run(g, p, { schema: types });
  const m = r.errors.entities.confusion;
  assert.equal(m.none, '(none)');
  assert.deepEqual(m.labels, ['Peop', 'NONE', '(none)']);
  assert.deepEqual(m.counts, [
    [0, 1, 0], // gold Peop: once predicted NONE
    [0, 1, 1], // gold NONE: once right, once missed
    [1, 0, 0], // no gold item: a spurious Peop
  ]);
  assertPartitions(r);
  // Without such a type the label stays NONE, and says so.
  assert.deepEqual([r.errors.relations.confusion.none, r.errors.relations.confusion.labels], ['NONE', ['Work_For', 'NONE']]);
  // A relation type named NONE found only in the data (not in the schema), and a type named like the fallback.
  const rels = run(
    sent(4, [[0, 1, 'Peop'], [2, 3, 'Peop']], [[0, 1, 'NONE'], [1, 0, 'Work_For']]),
    sent(4, [[0, 1, 'Peop'], [2, 3, 'Peop']], [[0, 1, 'NONE']]),
    { schema: schema(['Peop'], ['Work_For', '(none)']) },
  );
  const rm = rels.errors.relations.confusion;
  assert.deepEqual([rm.none, rm.labels], ['(none 2)', ['Work_For', '(none)', 'NONE', '(none 2)']]);
  const at = (gl: string, pl: string) => rm.counts[rm.labels.indexOf(gl)][rm.labels.indexOf(pl)];
  assert.deepEqual([at('NONE', 'NONE'), at('Work_For', '(none 2)'), at('(none 2)', 'NONE')], [1, 1, 0]);
  assertPartitions(rels);
  // The JSON keeps its shape: labels, counts and the "no item" label, last.
  assert.deepEqual(Object.keys(JSON.parse(JSON.stringify(m))), ['labels', 'counts', 'none']);
});

test('formatErrors: a type named NONE or all is not mistaken for the "no item" row or the total', () => {
  const types = schema(['all', 'NONE'], []);
  const r = run(sent(6, [[0, 1, 'all'], [2, 3, 'NONE']]), sent(6, [[0, 1, 'NONE'], [4, 5, 'all']]), { schema: types });
  const text = formatErrors(r.errors, 0);
  assert.match(text, /^Entity types over exact spans \(rows gold, columns predicted; \(none\): no item, a type being named NONE\)$/m);
  assert.match(text, /^ {2}all +0 +1 +0$/m); // gold all: predicted NONE once
  assert.match(text, /^ {2}NONE +0 +0 +1$/m); // gold NONE: missed
  assert.match(text, /^ {2}\(none\) +1 +0 +0$/m); // a spurious all
  // The counts table: the type all, then the total row, labelled apart.
  assert.match(text, /^ {2}all +0\/1 +0\/0 +0\/0 +1 +0 +1\/1$/m); // all predicted NONE (an fn of all), a spurious all
  assert.match(text, /^ {2}\(all\) +1\/1 +0\/0 +0\/0 +1 +1 +2\/2$/m);
  // Relation types: none named NONE, so the title is as ever.
  assert.match(text, /^Relation types over argument-exact pairs \(rows gold, columns predicted\)$/m);
});

// A seeded perturbation of the CoNLL04 test split: every category occurs, and the partition must hold.
const TEST04 = new URL('../../../shared/data/conll04/unified_two_are_better/test.CoNLL04.json', import.meta.url).pathname;

function rng(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function perturb(docs: readonly Document[], types: string[], rels: string[]): Document[] {
  const rand = rng(7);
  const pick = <T>(xs: T[]) => xs[Math.floor(rand() * xs.length)];
  const out = structuredClone(docs) as Document[];
  for (const d of out)
    for (const s of d.sentences) {
      const n = s.tokens.length;
      for (const e of s.entities) {
        const x = rand();
        if (x < 0.08) e.type = pick(types.filter((t) => t !== e.type));
        else if (x < 0.16 && e.end < n) e.end++;
        else if (x < 0.22 && e.end - e.start > 1) e.start++;
        else if (x < 0.26) {
          e.start = Math.max(0, e.start - 1);
          e.type = pick(types.filter((t) => t !== e.type));
        }
      }
      for (const r of s.relations) {
        const x = rand();
        if (x < 0.08) [r.head, r.tail] = [r.tail, r.head];
        else if (x < 0.14) r.type = pick(rels.filter((t) => t !== r.type));
      }
      s.relations = s.relations.filter(() => rand() > 0.08);
      s.entities = s.entities.filter((e) => rand() > 0.05 || s.relations.some((r) => r.head === e.id || r.tail === e.id));
      if (rand() < 0.2 && n > 1) s.entities.push({ id: `x${s.entities.length}`, type: pick(types), start: n - 1, end: n });
      const [a, b] = [pick(s.entities), pick(s.entities)];
      if (rand() < 0.2 && a && b && a !== b) s.relations.push({ type: pick(rels), head: a.id, tail: b.id });
    }
  return out;
}

test('CoNLL04 test against a seeded perturbed copy: the categories partition fp and fn, plain and paper-compat', async () => {
  const { documents: gold, schema: sch } = await loadCorpus(TEST04, { diagnostics: new Diagnostics() });
  const pred = perturb(gold, sch.entityTypes, sch.relationTypes.map((r) => r.name));
  for (const paperCompat of [false, true]) {
    const r = evaluateWithErrors(gold, pred, { schema: sch, paperCompat });
    assert.deepEqual(r.report, evaluate(gold, pred, { schema: sch, paperCompat }));
    assert.ok(r.report.entities.micro.fp > 100 && r.report.relations.strict.micro.fn > 50, 'the perturbation makes errors');
    assertPartitions(r);
    for (const b of [r.errors.entities, r.errors.relations])
      for (const [c, x] of Object.entries(b.byCategory)) assert.ok(x.fp + x.fn > 0, `${paperCompat ? 'paper-compat ' : ''}${c} occurs`);
  }
  // Gold against itself: nothing to break down.
  const self = evaluateWithErrors(gold, gold, { schema: sch });
  assert.deepEqual([self.errors.entities.errors.length, self.errors.relations.errors.length], [0, 0]);
});
