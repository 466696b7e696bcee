/**
 * Two annotations of one raw text (two annotators, or a model's prediction and its correction) are cut
 * into different tokens and sentences where their entities differ (tokens cut at every entity edge). They
 * are compared on common tokens: every score counts an entity right exactly when its characters and type
 * are, as it counts entities on shared tokens.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { onCommonTokens } from '../../src/data/common-tokens.js';
import type { Document } from '../../src/data/corpus.js';
import { Diagnostics } from '../../src/data/diagnostics.js';
import { loadCorpus } from '../../src/data/formats/index.js';
import { calibration } from '../../src/eval/calibration.js';
import { evaluate } from '../../src/eval/evaluate.js';
import { confidenceIntervals } from '../../src/eval/significance.js';
import { vote } from '../../src/eval/vote.js';
import { compareCorpora } from '../../src/web/compare-corpora.js';
import { tempDir } from '../temp-dir.js';

const TEXT = 'Mary Jones works for Acme Inc. in Boston-based Newton. She met John in Oslo.';
const at = (s: string) => {
  const start = TEXT.indexOf(s);
  assert.ok(start >= 0, s);
  return { start_offset: start, end_offset: start + s.length };
};

/** One doccano line of TEXT with these entities (label, characters) and relations (label, from, to by index). */
async function annotation(entities: [string, string][], relations: [string, number, number][]): Promise<Document> {
  const file = join(tempDir('entrel-common-'), 'a.jsonl');
  const line = {
    id: 'd',
    text: TEXT,
    entities: entities.map(([label, s], i) => ({ id: i, label, ...at(s) })),
    relations: relations.map(([type, from, to], i) => ({ id: i, type, from_id: from, to_id: to })),
  };
  writeFileSync(file, JSON.stringify(line) + '\n');
  const { documents } = await loadCorpus(file, { format: 'doccano' });
  return documents[0];
}

// A: `Boston` inside the token `Boston-based`. B: the whole word, `Newton`, and an entity over the
// splitter's cut after `Newton.`, which joins B's first two sentences.
const A = () => annotation([['PER', 'Mary Jones'], ['ORG', 'Acme Inc.'], ['LOC', 'Boston']], [['Work_For', 0, 1]]);
const B = () =>
  annotation(
    [['PER', 'Mary Jones'], ['ORG', 'Acme Inc.'], ['LOC', 'Boston-based'], ['LOC', 'Newton'], ['MISC', 'Newton. She']],
    [['Work_For', 0, 1], ['Located_In', 1, 2]],
  );

/** Each entity as `start-end:type` in characters, each relation by its arguments' characters. */
function items(d: Document) {
  const chars = new Map<string, string>();
  const entities = d.sentences.flatMap((s) =>
    s.entities.map((e) => {
      const key = `${s.tokens[e.start].start}-${s.tokens[e.end - 1].end}:${e.type}`;
      chars.set(e.id, key);
      return key;
    }),
  );
  const relations = d.sentences.flatMap((s) => s.relations.map((r) => `${chars.get(r.head)} ${r.type} ${chars.get(r.tail)}`));
  return { entities: entities.sort(), relations: relations.sort() };
}

test('common tokens: both sides get the same sentences and tokens, every entity and relation its own characters', async () => {
  const [a, b] = [await A(), await B()];
  assert.notDeepEqual(a.sentences.map((s) => s.tokens), b.sentences.map((s) => s.tokens));
  const [ca, cb] = onCommonTokens([a, b]) as Document[];
  assert.deepEqual(ca.sentences.map((s) => s.tokens), cb.sentences.map((s) => s.tokens));
  assert.deepEqual(items(ca), items(a));
  assert.deepEqual(items(cb), items(b));
  // Tokens cut at both sides' edges: `Boston` `-based` (A) and `Boston-based` (B) → `Boston` `-based`.
  const texts = ca.sentences.flatMap((s) => s.tokens.map((t) => t.text));
  assert.deepEqual(texts.slice(7, 10), ['Boston', '-based', 'Newton']);
  // B's `Newton. She` joins the first two sentences; `She met John in Oslo.` had been one of A's.
  assert.equal(a.sentences.length, 2);
  assert.equal(ca.sentences.length, 1);
  for (const t of ca.sentences[0].tokens) assert.equal(TEXT.slice(t.start, t.end), t.text);
});

test('common tokens are refused for different texts, or tokens that are not the text\'s characters', async () => {
  const a = await A();
  assert.deepEqual(onCommonTokens([a, { ...a, text: a.text + ' ' }]), { side: 1, at: a.text.length });
  const moved = { ...a, sentences: [{ ...a.sentences[0], tokens: a.sentences[0].tokens.map((t, i) => (i === 0 ? { ...t, text: 'Maria' } : t)) }, ...a.sentences.slice(1)] };
  assert.equal(onCommonTokens([a, moved]), undefined);
});

test('common tokens leave out the white space a token spans (`New York` against `New` `York`), so every writer takes them', () => {
  const text = 'New York is big.';
  const tok = (start: number, end: number) => ({ text: text.slice(start, end), start, end });
  const one = { id: 'd', text, sentences: [{ tokens: [tok(0, 8), tok(9, 11), tok(12, 15), tok(15, 16)], entities: [{ id: 'a', type: 'Loc', start: 0, end: 1 }], relations: [] }] };
  const two = { id: 'd', text, sentences: [{ tokens: [tok(0, 3), tok(4, 8), tok(9, 11), tok(12, 15), tok(15, 16)], entities: [{ id: 'b', type: 'Loc', start: 0, end: 2 }], relations: [] }] };
  const [c1, c2] = onCommonTokens([one, two]) as Document[];
  assert.deepEqual(c1.sentences[0].tokens.map((t) => t.text), ['New', 'York', 'is', 'big', '.']);
  assert.deepEqual([c1.sentences[0].entities[0], c2.sentences[0].entities[0]].map((e) => [e.start, e.end]), [[0, 2], [0, 2]]);
  assert.equal(evaluate([one], [two]).entities.micro.f1, 1);
});

test('what cannot be put on common tokens is refused as before: documents without a text, entities outside their sentence, texts that differ (named)', async () => {
  const t = (start: number, end: number, text: string) => ({ text, start, end });
  const g = { id: 'd', sentences: [{ tokens: [t(0, 2, 'ab')], entities: [], relations: [] }] } as unknown as Document;
  const p = { id: 'd', sentences: [{ tokens: [t(0, 1, 'a'), t(1, 2, 'b')], entities: [], relations: [] }] } as unknown as Document;
  assert.throws(() => evaluate([g], [p]), { name: 'UserError', message: /document 'd', sentence 0: predicted tokens differ from gold/ });
  const [a, b] = [await A(), await B()];
  const outside = { ...b, sentences: b.sentences.map((s, i) => (i === 0 ? { ...s, entities: [{ id: 'x', type: 'PER', start: 0, end: 99 }] } : s)) };
  assert.throws(() => evaluate([a], [outside]), { name: 'UserError' });
  const longer = { ...b, text: `${b.text}\n` };
  assert.throws(() => evaluate([a], [longer], { predFile: 'b.jsonl' }), {
    message: /^b\.jsonl: document 'd', sentence 1: predictions have 1 sentences, gold has 2; its text differs too, from character 76 \(""\ against the other's\)|^b\.jsonl: document 'd', sentence 1: predictions have 1 sentences, gold has 2; its text differs too, from character 76/,
  });
  // vote names the system whose text differs, not the first one tokenised otherwise.
  assert.throws(() => vote([[a], [b], [{ ...a, text: `${a.text}\n` }]], { files: ['a', 'b', 'c'] }), { message: /^c: .*its text differs too, from character 76/ });
});

test('evaluate: two annotations of one text scored item by item on common tokens, and warned about', async () => {
  const [a, b] = [await A(), await B()];
  const diagnostics = new Diagnostics();
  const r = evaluate([a], [b], { diagnostics });
  // Entities: Mary Jones and Acme Inc. agree; Boston (A) is missed, Boston-based, Newton and `Newton. She` (B) spurious.
  assert.deepEqual([r.entities.micro.tp, r.entities.micro.fp, r.entities.micro.fn], [2, 3, 1]);
  assert.deepEqual([r.relations.strict.micro.tp, r.relations.strict.micro.fp, r.relations.strict.micro.fn], [1, 1, 0]);
  assert.equal(r.sentences, 1);
  assert.equal(diagnostics.count('scored-on-common-tokens'), 1);
  assert.match(diagnostics.format()[0], /document 'd': tokenised differently, scored on the tokens of both, in 1 sentence for gold's 2/);
  // The same annotation on both sides: shared tokens, nothing to warn about.
  const same = new Diagnostics();
  assert.equal(evaluate([a], [await A()], { diagnostics: same }).relations.strict.micro.f1, 1);
  assert.equal(same.count(), 0);
});

test('resampling by gold sentence is refused where common tokens joined them; by document it runs', async () => {
  const [a, b] = [await A(), await B()];
  assert.throws(() => confidenceIntervals([a], [b], { unit: 'sentence', samples: 10, predFile: 'b.jsonl' }), {
    name: 'UserError',
    message: /^b\.jsonl: document 'd': the predictions' sentences are not gold's .*resample by document \(--unit document\)$/,
  });
  const byDocument = confidenceIntervals([a], [b], { unit: 'document', samples: 10 });
  assert.ok(byDocument.entities.f1.low <= byDocument.entities.f1.high, 'byDocument.entities.f1.low <= byDocument.entities.f1.high');
  // Tokens cut otherwise within gold's own sentences, and an empty gold sentence: each unit is still one of gold's.
  const text = 'Ab c. De f.';
  const tok = (start: number, end: number) => ({ text: text.slice(start, end), start, end });
  const gold = { id: 'g', text, sentences: [{ tokens: [tok(0, 2), tok(3, 4), tok(4, 5)], entities: [{ id: 'x', type: 'T', start: 0, end: 1 }], relations: [] }, { tokens: [], entities: [], relations: [] }, { tokens: [tok(6, 8), tok(9, 10), tok(10, 11)], entities: [], relations: [] }] };
  const pred = { ...gold, sentences: [{ ...gold.sentences[0], tokens: [tok(0, 1), tok(1, 2), tok(3, 4), tok(4, 5)], entities: [{ id: 'x', type: 'T', start: 0, end: 2 }] }, gold.sentences[2]] };
  const bySentence = confidenceIntervals([gold], [pred], { unit: 'sentence', samples: 20 });
  assert.equal(bySentence.entities.f1.high, 1); // refused before: gold's empty sentence counted as one joined
});

test('calibration reads scores by the predictions\' own sentences, so it still needs gold\'s tokens', async () => {
  const [a, b] = [await A(), await B()];
  const scores = { entities: [b.sentences.map((s) => s.entities.map(() => 0.5))], relations: [b.sentences.map((s) => s.relations.map(() => 0.5))] };
  assert.throws(() => calibration([a], [b], scores), /document 'd', sentence 1: predictions have 1 sentences, gold has 2 \(scores are listed by the predictions' own sentences/);
});

test('vote and the comparison view put the systems on common tokens too', async () => {
  const [a, b] = [await A(), await B()];
  const diagnostics = [new Diagnostics(), new Diagnostics(), new Diagnostics()];
  const { documents } = vote([[a], [b], [await B()]], { diagnostics });
  assert.deepEqual(items(documents[0]), items(b));
  // Said of the first system that tokenises it otherwise.
  assert.deepEqual(diagnostics.map((d) => d.count('voted-on-common-tokens')), [0, 1, 0]);
  const { report, documents: compared } = compareCorpora([a], [b]);
  const [doc] = [...compared];
  const statuses = doc.entities.map((e) => `${e.text}:${e.status}`).sort();
  assert.deepEqual(statuses, ['Acme Inc.:correct', 'Boston-based:spurious', 'Boston:missed', 'Mary Jones:correct', 'Newton. She:spurious', 'Newton:spurious']);
  assert.equal(report.entities.micro.tp, 2);
});
