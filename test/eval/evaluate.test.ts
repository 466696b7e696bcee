import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Document } from '../../src/data/corpus.js';
import { Diagnostics } from '../../src/data/diagnostics.js';
import { textToDocument } from '../../src/data/text-document.js';
import { evaluate } from '../../src/eval/evaluate.js';
import { compareSystems, confidenceIntervals } from '../../src/eval/significance.js';
import { vote } from '../../src/eval/vote.js';
import { formatReport } from '../../src/eval/table.js';
import { doc, schema, sent } from './helpers.js';

const S = schema(['Peop', 'Loc'], ['Live_In']);
const s1 = sent(4, [[0, 1, 'Peop'], [2, 3, 'Loc']], [[0, 1, 'Live_In']]);
const s2 = sent(3, [[1, 2, 'Loc']]);

test('aligns by document id regardless of order', () => {
  const gold = [doc('a', s1), doc('b', s2)];
  const r = evaluate(gold, [doc('b', s2), doc('a', s1)], { schema: S });
  assert.equal(r.sentences, 2);
  assert.equal(r.entities.micro.f1, 1);
  assert.equal(r.relations.strict.micro.f1, 1);
});

test('a missing predicted document is scored as empty and warned about', () => {
  const diagnostics = new Diagnostics();
  const r = evaluate([doc('a', s1), doc('b', s2)], [doc('a', s1)], { schema: S, diagnostics });
  // Entities: tp 2 (doc a), fn 1 (doc b) → P 1, R 2/3, F1 0.8.
  assert.deepEqual(r.entities.micro, { tp: 2, fp: 0, fn: 1, p: 1, r: 2 / 3, f1: 0.8 });
  assert.equal(diagnostics.count('missing-prediction'), 1);
  assert.match(diagnostics.format()[0], /document 'b'/);
});

test('an extra predicted document is a UserError', () => {
  assert.throws(() => evaluate([doc('a', s1)], [doc('a', s1), doc('zz', s2)], { schema: S }), {
    name: 'UserError',
    message: /predictions have document 'zz'/,
  });
});

test('a misspelt option is a UserError, not ignored', () => {
  assert.throws(() => evaluate([doc('a', s1)], [doc('a', s1)], { paperCompatt: true } as never), {
    name: 'UserError',
    message: /^options: unknown option "paperCompatt" \(allowed: schema, paperCompat, diagnostics, goldFile, predFile\)$/,
  });
  // A misspelt `samples` would run 1,000 resamples; a misspelt `minVotes` would vote by majority.
  assert.throws(() => confidenceIntervals([doc('a', s1)], [doc('a', s1)], { sample: 5 } as never), /options: unknown option "sample" \(allowed: .*samples, seed, confidence, onProgress\)$/);
  assert.throws(() => compareSystems([doc('a', s1)], [[doc('a', s1)], [doc('a', s1)]], { trial: 5 } as never), /options: unknown option "trial" \(allowed: .*, trials\)$/);
  assert.throws(() => vote([[doc('a', s1)], [doc('a', s1)]], { minVote: 2 } as never), /options: unknown option "minVote" \(allowed: minVotes, schema, files, diagnostics\)$/);
});

test('duplicate document ids are a UserError', () => {
  assert.throws(() => evaluate([doc('a', s1)], [doc('a', s1), doc('a', s1)]), /two documents with id 'a'/);
});

test('token mismatch names the document and the sentence index', () => {
  const shifted = sent(4, []);
  shifted.tokens[2] = { ...shifted.tokens[2], end: shifted.tokens[2].end + 1 };
  assert.throws(() => evaluate([doc('a', s2, s1)], [doc('a', s2, shifted)], { schema: S }), {
    name: 'UserError',
    message: /document 'a', sentence 1: predicted tokens differ/,
  });
  assert.throws(() => evaluate([doc('a', s1)], [doc('a', sent(5, []))]), /document 'a', sentence 0/);
});

test('a different sentence count names the first unmatched sentence', () => {
  assert.throws(() => evaluate([doc('a', s1, s2)], [doc('a', s1)]), /document 'a', sentence 1: predictions have 1 sentences, gold has 2/);
});

test('schema defaults to the types seen in gold and predictions', () => {
  const r = evaluate([doc('a', s1)], [doc('a', sent(4, [[0, 1, 'Org']]))]);
  assert.deepEqual(Object.keys(r.entities.perType), ['Peop', 'Loc', 'Org']);
  assert.deepEqual(Object.keys(r.relations.strict.perType), ['Live_In']);
});

test('paperCompat: gold relations with overlapping or overwritten arguments are skipped', () => {
  // Gold entities, in list order: A=Peop[0,3), B=Loc[1,2) (overwrites A's middle), C=Loc[4,5), D=Peop[5,6).
  // BIEOU after overwriting: B-Peop U-Loc E-Peop O U-Loc U-Peop → decoded chunks
  // Peop[0,1), Loc[1,2), Peop[2,3), Loc[4,5), Peop[5,6): A is gone, fragments of it appear.
  // Relations: A→B (overlapping: skipped), A→C (A not a decoded entity: skipped), D→C (kept).
  const g = sent(6, [[0, 3, 'Peop'], [1, 2, 'Loc'], [4, 5, 'Loc'], [5, 6, 'Peop']], [[0, 1, 'Live_In'], [0, 2, 'Live_In'], [3, 2, 'Live_In']]);
  const p = sent(6, [[0, 3, 'Peop'], [4, 5, 'Loc'], [5, 6, 'Peop']], [[0, 1, 'Live_In'], [2, 1, 'Live_In']]);
  const plain = evaluate([doc('a', g)], [doc('a', p)], { schema: S });
  // Plain: entities tp 3 (A, C, D), fn 1 (B) → R 3/4; relations tp 2 (A→C, D→C), fn 1 (A→B) → R 2/3.
  assert.deepEqual(plain.entities.micro, { tp: 3, fp: 0, fn: 1, p: 1, r: 0.75, f1: 6 / 7 });
  assert.deepEqual(plain.relations.strict.micro, { tp: 2, fp: 0, fn: 1, p: 1, r: 2 / 3, f1: 0.8 });
  const compat = evaluate([doc('a', g)], [doc('a', p)], { schema: S, paperCompat: true });
  // paperCompat gold entities: the 5 chunks; pred matches Loc[4,5) and Peop[5,6) → tp 2, fp 1, fn 3.
  assert.deepEqual(compat.entities.micro, { tp: 2, fp: 1, fn: 3, p: 2 / 3, r: 0.4, f1: 0.5 });
  // Relations: gold {D→C}; pred {A→C (fp), D→C (tp)} → tp 1, fp 1, fn 0.
  assert.deepEqual(compat.relations.strict.micro, { tp: 1, fp: 1, fn: 0, p: 0.5, r: 1, f1: 2 / 3 });
});

test('formatReport: aligned plain-text table in percent with 2 decimals', () => {
  const r = evaluate([doc('a', s1)], [doc('a', sent(4, [[0, 1, 'Peop']]))], { schema: S });
  const text = formatReport(r);
  assert.match(text, /^Sentences: 1$/m);
  assert.match(text, /^ {2}Peop +1 +0 +0 +100\.00 +100\.00 +100\.00$/m);
  assert.match(text, /^ {2}micro +1 +0 +1 +100\.00 +50\.00 +66\.67$/m);
  assert.match(text, /^ {2}macro +50\.00 +50\.00 +50\.00$/m);
  for (const title of ['Entities', 'Relations (strict)', 'Relations (boundaries)', 'Relations (nyt: ignore entity type)'])
    assert.ok(text.includes(title), title);
  // Every row of a block has the same column layout: the F1 column ends at the same width.
  const rows = text.split('\n').filter((l) => /\d\.\d\d$/.test(l));
  assert.equal(new Set(rows.map((l) => l.length)).size, 1);
});

test('types named like Object.prototype members keep their rows (__proto__, constructor, toString)', () => {
  // gold: __proto__[0,1) constructor[2,3) constructor[3,4); toString __proto__→constructor, valueOf __proto__→constructor#2
  const g = sent(4, [[0, 1, '__proto__'], [2, 3, 'constructor'], [3, 4, 'constructor']], [[0, 1, 'toString'], [0, 2, 'valueOf']]);
  // pred misses the second constructor and valueOf, adds a __proto__ entity
  const p = sent(4, [[0, 1, '__proto__'], [2, 3, 'constructor'], [1, 2, '__proto__']], [[0, 1, 'toString']]);
  const r = evaluate([doc('a', g)], [doc('a', p)]);
  assert.deepEqual(Object.keys(r.entities.perType), ['__proto__', 'constructor']);
  assert.deepEqual({ ...r.entities.perType.__proto__ }, { tp: 1, fp: 1, fn: 0, p: 0.5, r: 1, f1: 2 / 3 });
  assert.deepEqual({ ...r.entities.perType.constructor }, { tp: 1, fp: 0, fn: 1, p: 1, r: 0.5, f1: 2 / 3 });
  assert.deepEqual([r.entities.micro.tp, r.entities.micro.fp, r.entities.micro.fn], [2, 1, 1]);
  assert.ok(Math.abs(r.entities.macro.f1 - 2 / 3) < 1e-12, `macro F1 ${r.entities.macro.f1}`);
  assert.deepEqual(Object.keys(r.relations.strict.perType), ['toString', 'valueOf']);
  const rel = (type: string) => r.relations.strict.perType[type];
  assert.equal(rel('toString').tp, 1);
  assert.equal(rel('valueOf').fn, 1);
  assert.equal(r.relations.strict.macro.f1, 0.5);
  // a type that is not in the report is absent, not an inherited function
  assert.equal(rel('hasOwnProperty'), undefined);
  // JSON has the same shape as for any other type name
  const json = JSON.parse(JSON.stringify(r));
  assert.deepEqual(Object.keys(json.entities.perType), ['__proto__', 'constructor']);
  assert.equal(json.entities.perType.constructor.fn, 1);
  const text = formatReport(r);
  assert.match(text, /^ {2}__proto__ +1 +1 +0 +50\.00 +100\.00 +66\.67$/m);
  assert.match(text, /^ {2}constructor +1 +0 +1 +100\.00 +50\.00 +66\.67$/m);
  assert.match(text, /^ {2}valueOf +0 +0 +1 +0\.00 +0\.00 +0\.00$/m);
});

test('schema types named like Object.prototype members are scored too', () => {
  const r = evaluate([doc('a', sent(2, [[0, 1, 'X']]))], [doc('a', sent(2, [[0, 1, 'X']]))], { schema: schema(['__proto__', 'X'], ['constructor']) });
  assert.deepEqual(Object.keys(r.entities.perType), ['__proto__', 'X']);
  assert.equal(r.entities.macro.f1, 0.5); // __proto__ has no gold and no prediction: F1 0 pulls the macro down
  assert.deepEqual(Object.keys(r.relations.strict.perType), ['constructor']);
});

test('errors about the pairing name the file they are in', () => {
  const files = { goldFile: 'gold.jsonl', predFile: 'pred.jsonl' };
  assert.throws(() => evaluate([doc('a', s1)], [doc('zz', s2)], files), { message: /^pred\.jsonl: predictions have document 'zz', which gold \(gold\.jsonl\) does not have$/ });
  assert.throws(() => evaluate([doc('a', s1), doc('a', s2)], [doc('b', s2)], files), { message: /^gold\.jsonl: gold has two documents with id 'a'/ });
  assert.throws(() => evaluate([doc('a', s1, s2)], [doc('a', s1)], files), { message: /^pred\.jsonl: document 'a', sentence 1: predictions have 1 sentences/ });
  assert.throws(() => evaluate([doc('a', s1)], [doc('a', sent(5, []))], files), { message: /^pred\.jsonl: document 'a', sentence 0: predicted tokens differ/ });
});

test('repeated ids listed in the same order on both sides pair by position', () => {
  const r = evaluate([doc('a', s1), doc('a', s2)], [doc('a', s1), doc('a', sent(3, []))], { schema: S });
  assert.equal(r.sentences, 2);
  assert.deepEqual(r.entities.micro, { tp: 2, fp: 0, fn: 1, p: 1, r: 2 / 3, f1: 0.8 });
});

test('a process warning about missing predictions only without diagnostics, once, with the count; none when none is missing', (t) => {
  // Review 10a G7: a spurious warning when nothing is missing, or a second one next to the diagnostics.
  const warn = t.mock.method(process, 'emitWarning', () => {});
  evaluate([doc('a', s1), doc('b', s2)], [doc('b', s2), doc('a', s1)], { schema: S });
  assert.equal(warn.mock.callCount(), 0, 'every gold document has a prediction');
  evaluate([doc('a', s1), doc('b', s2)], [doc('a', s1)], { schema: S });
  assert.equal(warn.mock.callCount(), 1, 'one document without a prediction');
  assert.equal(warn.mock.calls[0].arguments[0], '1 gold document(s) have no prediction and were scored as empty predictions');
  evaluate([doc('a', s1), doc('b', s2), doc('c', s2)], [doc('a', s1)], { schema: S });
  assert.equal(warn.mock.callCount(), 2, 'one warning for the two documents without a prediction');
  assert.equal(warn.mock.calls[1].arguments[0], '2 gold document(s) have no prediction and were scored as empty predictions');
  const diagnostics = new Diagnostics();
  evaluate([doc('a', s1), doc('b', s2)], [doc('a', s1)], { schema: S, diagnostics });
  assert.equal(diagnostics.count('missing-prediction'), 1);
  assert.equal(warn.mock.callCount(), 2, 'said once, by the diagnostics');
});

/** A document of `text` with sentences of tokens given as [start, end) character ranges. */
const tokenDoc = (id: string, text: string, sentences: [number, number][][], entities: Document['sentences'][number]['entities'][] = []): Document => ({
  id,
  text,
  sentences: sentences.map((ts, i) => ({ tokens: ts.map(([a, b]) => ({ text: text.slice(a, b), start: a, end: b })), entities: entities[i] ?? [], relations: [] })),
});

test('on common tokens: the warning counts gold\'s sentences with tokens only, errors say where they are, a differing text is quoted', (t) => {
  t.mock.method(process, 'emitWarning', () => {});
  // Gold has an empty sentence between its two; the prediction cuts `Ab` in two. On common tokens: 2 sentences,
  // gold's own 2 (the empty one has no place in the text), so no "in N sentences for gold's M".
  const text = 'Ab c. Yes';
  const gold = tokenDoc('g', text, [[[0, 2], [3, 4], [4, 5]], [], [[6, 9]]]);
  const pred = tokenDoc('g', text, [[[0, 1], [1, 2], [3, 4], [4, 5]], [[6, 9]]]);
  const diagnostics = new Diagnostics();
  assert.equal(evaluate([gold], [pred], { diagnostics }).sentences, 2);
  assert.deepEqual(diagnostics.format(), ["warning: scored-on-common-tokens ×1 (e.g. document 'g': tokenised differently, scored on the tokens of both)"]);
  // A relation naming an entity the sentence does not hold: located in the sentence on common tokens.
  const bad = tokenDoc('g', text, [[[0, 1], [1, 2], [3, 4], [4, 5]], [[6, 9]]], [[{ id: 'x', type: 'T', start: 0, end: 1 }]]);
  bad.sentences[0].relations.push({ type: 'R', head: 'x', tail: 'nope' });
  assert.throws(() => evaluate([gold], [bad]), { name: 'UserError', message: /^document 'g', sentence 0 \(on common tokens\): relation 0 \(R\) names entity 'nope'/ });
  // Texts that differ from character 15: the prediction's next 20 characters are quoted.
  const [a, b] = [textToDocument('d', 'Ann met Bob in Paris on Monday and left for Rome.'), textToDocument('d', 'Ann met Bob in Lyon on Monday and left for Rome.')];
  assert.throws(() => evaluate([a], [b]), {
    name: 'UserError',
    message: "document 'd', sentence 0: predicted tokens differ from gold (count or character offsets); its text differs too, from character 15 (\"Lyon on Monday and l\" against the other's), so it cannot be put on common tokens",
  });
});
