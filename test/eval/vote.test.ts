/** Majority voting over systems' predictions (src/eval/vote.ts). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Document } from '../../src/data/corpus.js';
import { Diagnostics } from '../../src/data/diagnostics.js';
import { isUserError } from '../../src/errors.js';
import { evaluate, vote } from '../../src/eval/index.js';
import { doc, schema, sent } from './helpers.js';

/** Items as `start-end:type` and `head>tail:type` (heads and tails as spans), for readable assertions. */
function items(d: Document, si = 0): { entities: string[]; relations: string[] } {
  const s = d.sentences[si];
  const span = new Map(s.entities.map((e) => [e.id, `${e.start}-${e.end}:${e.type}`]));
  return { entities: [...span.values()], relations: s.relations.map((r) => `${span.get(r.head)}>${span.get(r.tail)}:${r.type}`) };
}

// John(Peop) works for Acme(Org) in Boston(Loc): three systems that agree on some of it.
const A = doc('d', sent(8, [[0, 1, 'Peop'], [4, 5, 'Org'], [6, 7, 'Loc']], [[0, 1, 'Work_For'], [1, 2, 'OrgBased_In']]));
const B = doc('d', sent(8, [[0, 1, 'Peop'], [4, 5, 'Org'], [6, 7, 'Org']], [[0, 1, 'Work_For']]));
const C = doc('d', sent(8, [[0, 2, 'Peop'], [4, 5, 'Org'], [6, 7, 'Loc']], [[1, 2, 'OrgBased_In'], [0, 1, 'Work_For']]));

test('a majority keeps what at least two of three systems predicted, in text order, with document-unique ids', () => {
  const { documents, counts } = vote([[A], [B], [C]]);
  assert.deepEqual(items(documents[0]), {
    entities: ['0-1:Peop', '4-5:Org', '6-7:Loc'],
    relations: ['0-1:Peop>4-5:Org:Work_For', '4-5:Org>6-7:Loc:OrgBased_In'],
  });
  assert.deepEqual(documents[0].sentences[0].entities.map((e) => e.id), ['s0e0', 's0e1', 's0e2']);
  // Distinct entities: 0-1 Peop, 4-5 Org, 6-7 Loc, 6-7 Org, 0-2 Peop; relations: A's two, C's Work_For from 0-2.
  assert.deepEqual(counts, { systems: 3, minVotes: 2, entities: { distinct: 5, kept: 3 }, relations: { distinct: 3, kept: 2 } });
  assert.equal(documents[0].sentences[0].tokens, A.sentences[0].tokens);
});

test('min votes: 1 is the union (overlapping entities kept), all systems the intersection', () => {
  const union = items(vote([[A], [B], [C]], { minVotes: 1 }).documents[0]);
  assert.deepEqual(union.entities, ['0-1:Peop', '0-2:Peop', '4-5:Org', '6-7:Loc', '6-7:Org']);
  // Relations as a model lists them (by the pair's left entity, then its right one), whichever system comes first.
  const relations = ['0-1:Peop>4-5:Org:Work_For', '0-2:Peop>4-5:Org:Work_For', '4-5:Org>6-7:Loc:OrgBased_In'];
  assert.deepEqual(union.relations, relations);
  assert.deepEqual(items(vote([[C], [B], [A]], { minVotes: 1 }).documents[0]).relations, relations);
  const all = items(vote([[A], [B], [C]], { minVotes: 3 }).documents[0]);
  assert.deepEqual(all, { entities: ['4-5:Org'], relations: [] });
});

test('a symmetric type votes unordered; any other keeps its direction', () => {
  const two = (h: number, t: number) => doc('d', sent(4, [[0, 1, 'Peop'], [2, 3, 'Peop']], [[h, t, 'Spouse']]));
  const systems = [[two(0, 1)], [two(1, 0)], [doc('d', sent(4, [[0, 1, 'Peop'], [2, 3, 'Peop']]))]];
  assert.deepEqual(items(vote(systems).documents[0]).relations, []);
  const sym = vote(systems, { schema: schema(['Peop'], ['Spouse'], ['Spouse']) });
  assert.equal(items(sym.documents[0]).relations.length, 1);
  assert.equal(sym.counts.relations.distinct, 1);
  // Kept in the direction the systems gave, also where the spans' keys sort the other way ([10,…] before [2,…]).
  const far = doc('d', sent(12, [[2, 3, 'Peop'], [10, 11, 'Peop']], [[0, 1, 'Spouse']]));
  const agreed = vote([[far], [far]], { schema: schema(['Peop'], ['Spouse'], ['Spouse']) });
  assert.deepEqual(items(agreed.documents[0]).relations, ['2-3:Peop>10-11:Peop:Spouse']);
});

test('documents pair by id in any order; a system without a document votes for nothing there', () => {
  const gold = [doc('x', sent(3, [[0, 1, 'Loc']])), doc('y', sent(3, [[1, 2, 'Org']]), sent(2, [[0, 1, 'Peop']]))];
  const reversed = [gold[1], gold[0]];
  const onlyY = [gold[1]];
  const { documents } = vote([gold, reversed, onlyY]);
  assert.deepEqual(documents.map((d) => d.id), ['x', 'y']);
  assert.deepEqual(items(documents[0]).entities, ['0-1:Loc']);
  assert.deepEqual(documents[1].sentences.map((_, i) => items(documents[1], i).entities), [['1-2:Org'], ['0-1:Peop']]);
  // Unique ids across a document's sentences.
  assert.deepEqual(documents[1].sentences.flatMap((s) => s.entities.map((e) => e.id)), ['s0e0', 's1e0']);
  // Two of three systems lack x: it cannot reach a majority, and each is warned about.
  const warned = [new Diagnostics(), new Diagnostics(), new Diagnostics()];
  assert.deepEqual(items(vote([gold, onlyY, onlyY], { diagnostics: warned }).documents[0]).entities, []);
  assert.deepEqual(warned.map((d) => d.format()), [[], ...Array(2).fill([`warning: missing-document ×1 (e.g. document 'x' is not in this file: it votes for nothing there)`])]);
  // Voting perfect predictions gives them back, scored perfectly.
  const r = evaluate(gold, vote([gold, reversed, gold]).documents);
  assert.equal(r.entities.micro.f1, 1);
});

test('bad input: a UserError naming the system\'s file, document and sentence', () => {
  const other = doc('d', sent(9, [[0, 1, 'Peop']]));
  const bad = (f: () => unknown, message: RegExp, file?: string) =>
    assert.throws(f, (e: unknown) => isUserError(e) && message.test((e as Error).message) && (file === undefined || e.location.file === file), String(message));
  bad(() => vote([[A]]), /at least two systems' predictions, not 1/);
  bad(() => vote([[A], [B]], { minVotes: 3 }), /^minVotes: must be a whole number from 1 to 2 \(the systems\), got 3$/);
  bad(() => vote([[A], [B]], { minVotes: 0 }), /^minVotes: must be a whole number from 1 to 2 \(the systems\), got 0$/);
  bad(() => vote([[A], [B]], { minVotes: 1.5 }), /minVotes: must be a whole number .* got 1\.5$/);
  bad(() => vote([[A], [other]], { files: ['a.jsonl', 'b.jsonl'] }), /document 'd', sentence 0: tokens differ from the first system's/, 'b.jsonl');
  bad(() => vote([[A], [doc('d', A.sentences[0], A.sentences[0])]], { files: ['a', 'b'] }), /document 'd', sentence 1: this system has 2 sentences, the first system has 1/, 'b');
  bad(() => vote([[A], [doc('e', A.sentences[0])]], { files: ['a', 'b'] }), /this system has document 'e', which the first system \(a\) does not have/, 'b');
  const dangling = doc('d', { ...A.sentences[0], relations: [{ type: 'Kill', head: 'e0', tail: 'zz' }] });
  bad(() => vote([[A], [dangling]], { files: ['a', 'b'] }), /sentence 0: relation 0 \(Kill\) names entity 'zz'/, 'b');
});
