/**
 * Real data: the CoNLL04 test split (unified JSON) scored against itself and against a perturbed copy
 * whose expected counts are derived here from the perturbation, not by re-running the scorer's logic.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { documentFromTokens, inferSchema, type Document } from '../../src/data/corpus.js';
import { evaluate } from '../../src/eval/evaluate.js';

interface Raw {
  tokens: string[];
  entities: [number, number, string][];
  relations: [number, number, number, number, string][];
}
const FILE = new URL('../../../shared/data/conll04/unified_two_are_better/test.CoNLL04.json', import.meta.url);
const raw: Raw[] = JSON.parse(readFileSync(FILE, 'utf8'));

/** Tiny local loader (the official readers live in src/data): one document per sentence. */
function toDocs(data: Raw[]): Document[] {
  return data.map((s, i) => {
    const id = (a: number, b: number) => `e${s.entities.findIndex((e) => e[0] === a && e[1] === b)}`;
    return documentFromTokens(`s${i}`, [
      {
        tokens: s.tokens,
        entities: s.entities.map(([start, end, type], k) => ({ id: `e${k}`, start, end, type })),
        relations: s.relations.map(([a, b, c, d, type]) => ({ type, head: id(a, b), tail: id(c, d) })),
      },
    ]);
  });
}

const gold = toDocs(raw);
const schema = inferSchema(gold);
const nEnt = raw.reduce((n, s) => n + s.entities.length, 0);
const nRel = raw.reduce((n, s) => n + s.relations.length, 0);

test('CoNLL04 test gold against itself: every F1 is 1', () => {
  // The file has no duplicate entities/relations and no two entities on one span (checked below).
  const r = evaluate(gold, toDocs(raw), { schema });
  assert.equal(r.sentences, raw.length);
  assert.deepEqual(r.entities.micro, { tp: nEnt, fp: 0, fn: 0, p: 1, r: 1, f1: 1 });
  for (const c of ['strict', 'boundaries', 'nyt'] as const) {
    assert.deepEqual(r.relations[c].micro, { tp: nRel, fp: 0, fn: 0, p: 1, r: 1, f1: 1 });
    assert.equal(r.relations[c].macro.f1, 1);
  }
  assert.equal(r.entities.macro.f1, 1);
  assert.equal(evaluate(gold, gold, { schema, paperCompat: true }).relations.strict.micro.f1, 1);
});

test('CoNLL04 test gold against a perturbed copy: counts follow from the perturbation', () => {
  const pert: Raw[] = structuredClone(raw);
  let entIdx = 0;
  let relIdx = 0;
  let shifted = 0;
  let retyped = 0;
  const exp = { strict: { tp: 0, fp: 0, fn: 0 }, bound: { tp: 0, fp: 0, fn: 0 } };
  for (const [si, s] of pert.entries()) {
    assert.equal(new Set(s.entities.map((e) => `${e[0]},${e[1]}`)).size, s.entities.length, 'one entity per span');
    const moved = new Set<number>(); // entity indices whose span changed
    const typed = new Set<number>(); // entity indices whose type changed
    s.entities.forEach((e, k) => {
      const i = entIdx++;
      const free = (a: number, b: number) => !s.entities.some((o) => o[0] === a && o[1] === b);
      if (i % 7 === 0 && e[1] < s.tokens.length && free(e[0], e[1] + 1)) {
        e[1]++; // widen by one token: 1 FP + 1 FN
        moved.add(k);
        shifted++;
      } else if (i % 11 === 0) {
        e[2] = e[2] === 'Peop' ? 'Org' : 'Peop'; // wrong type: 1 FP + 1 FN
        typed.add(k);
        retyped++;
      }
    });
    // Relations: remember argument indices against the original spans before rebuilding.
    const orig = raw[si];
    const argIdx = (a: number, b: number) => orig.entities.findIndex((e) => e[0] === a && e[1] === b);
    const kept: Raw['relations'] = [];
    for (const r of s.relations) {
      const [h, t] = [argIdx(r[0], r[1]), argIdx(r[2], r[3])];
      if (relIdx++ % 5 === 4) {
        exp.strict.fn++; // dropped
        exp.bound.fn++;
        continue;
      }
      const spanBad = moved.has(h) || moved.has(t);
      const typeBad = typed.has(h) || typed.has(t);
      for (const [c, bad] of [[exp.strict, spanBad || typeBad], [exp.bound, spanBad]] as const) {
        if (bad) (c.fp++, c.fn++);
        else c.tp++;
      }
      const [H, T] = [s.entities[h], s.entities[t]];
      kept.push([H[0], H[1], T[0], T[1], r[4]]);
    }
    s.relations = kept;
  }
  assert.ok(shifted > 50 && retyped > 10 && exp.strict.tp !== exp.bound.tp, 'the perturbation bites');

  const r = evaluate(gold, toDocs(pert), { schema });
  const bad = shifted + retyped;
  assert.deepEqual(
    { tp: r.entities.micro.tp, fp: r.entities.micro.fp, fn: r.entities.micro.fn },
    { tp: nEnt - bad, fp: bad, fn: bad },
  );
  const pick = (m: { tp: number; fp: number; fn: number }) => ({ tp: m.tp, fp: m.fp, fn: m.fn });
  assert.deepEqual(pick(r.relations.strict.micro), exp.strict);
  assert.deepEqual(pick(r.relations.boundaries.micro), exp.bound);
  assert.deepEqual(r.relations.nyt, r.relations.boundaries);
  const { tp, fp, fn } = exp.strict;
  assert.ok(Math.abs(r.relations.strict.micro.f1 - (2 * tp) / (2 * tp + fp + fn)) < 1e-12, 'Math.abs(r.relations.strict.micro.f1 - (2 * tp) / (2 * tp + fp + fn)) < 1e-12');
  // Per-type counts add up to micro.
  for (const c of [r.entities, r.relations.strict]) {
    const sum = Object.values(c.perType).reduce((a, t) => a + t.tp + t.fp + t.fn, 0);
    assert.equal(sum, c.micro.tp + c.micro.fp + c.micro.fn);
  }
});
