/**
 * Input that parses but is doubtful: the same relation twice in a sentence, a relation from an entity to
 * itself, two documents with one id in a file. Every format passes through one check (readCorpus), which
 * counts a warning naming the file and the line (or record) of the document.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Diagnostics } from '../../src/data/diagnostics.js';
import { loadCorpus, writeCorpus } from '../../src/data/formats/index.js';
import { computeStats } from '../../src/data/stats.js';
import { evaluate } from '../../src/eval/evaluate.js';
import { collect, shape, tmp } from './helpers.js';

const dir = tmp();
let n = 0;
function file(content: string, ext = '.jsonl'): string {
  const f = join(dir, `f${++n}${ext}`);
  writeFileSync(f, content);
  return f;
}

type Rel = { type: string; head: string; tail: string };
const J = (id: string, relations: Rel[]) =>
  JSON.stringify({
    id,
    text: 'Bob lives in Paris .',
    sentences: [
      {
        tokens: [[0, 3], [4, 9], [10, 12], [13, 18], [19, 20]],
        entities: [{ id: 'T1', type: 'PER', start: 0, end: 1 }, { id: 'T2', type: 'LOC', start: 3, end: 4 }],
        relations,
      },
    ],
  });
const R = (type: string, head: string, tail: string): Rel => ({ type, head, tail });

test('jsonl: a relation listed twice is kept once, with a warning naming file and line', async () => {
  const f = file(`${J('a', [R('Live_In', 'T1', 'T2')])}\n${J('b', [R('Live_In', 'T1', 'T2'), R('Live_In', 'T1', 'T2'), R('Live_In', 'T1', 'T2')])}\n`);
  const { docs, diagnostics } = await collect(f);
  assert.deepEqual(shape(docs[1])[0].relations, ['0:1:PER-Live_In->3:4:LOC']);
  assert.equal(diagnostics.count('duplicate-relation-dropped'), 2);
  const [w] = diagnostics.summary().filter((s) => s.code === 'duplicate-relation-dropped');
  assert.ok(w.examples[0].startsWith(`${f}:2 `), w.examples[0]);
  assert.match(w.examples[0], /document "b", sentence 0: Live_In T1→T2/);
  // it is no longer double-counted by stats
  const c = await loadCorpus(f);
  assert.equal(computeStats(c.documents).relations.total, 2);
});

test('jsonl: the same pair with another type, or the other direction, is no duplicate', async () => {
  const f = file(`${J('a', [R('Live_In', 'T1', 'T2'), R('Work_In', 'T1', 'T2'), R('Live_In', 'T2', 'T1')])}\n`);
  const { docs, diagnostics } = await collect(f);
  assert.equal(docs[0].sentences[0].relations.length, 3);
  assert.equal(diagnostics.count(), 0);
});

const D = (docKey: unknown, relations: unknown[][]) =>
  JSON.stringify({ doc_key: docKey, sentences: [['Bob', 'lives', 'in', 'Paris'], ['He', 'left']], ner: [[[0, 0, 'PER'], [3, 3, 'LOC']], [[4, 4, 'PER']]], relations });

test('dygie: a duplicate relation is dropped with a warning; a duplicate doc_key is warned about and both kept', async () => {
  const f = file(`${D('x', [[[0, 0, 3, 3, 'R'], [0, 0, 3, 3, 'R']], []])}\n${D('y', [[], []])}\n${D('x', [[], []])}\n`);
  const { docs, diagnostics } = await collect(f, { format: 'dygie' });
  assert.equal(docs.length, 3);
  assert.deepEqual(docs.map((d) => d.id), ['x', 'y', 'x']);
  assert.equal(docs[0].sentences[0].relations.length, 1);
  assert.equal(diagnostics.count('duplicate-relation-dropped'), 1);
  assert.equal(diagnostics.count('duplicate-document-id'), 1);
  const ex = diagnostics.summary().find((s) => s.code === 'duplicate-document-id')!.examples[0];
  assert.ok(ex.startsWith(`${f}:3 `), ex);
  assert.match(ex, /"x".*line 1/);
});

test('dygie: a relation filed under another sentence than the one both arguments are in is read there, and counted', async () => {
  // D's sentence 1 is "He left", its entity He at 4; give it a second entity "left" to relate
  const rec = JSON.parse(D('m', [[[4, 4, 5, 5, 'R']], []]));
  rec.ner[1].push([5, 5, 'ACT']);
  const { docs, diagnostics } = await collect(file(`${JSON.stringify(rec)}\n`), { format: 'dygie' });
  assert.deepEqual(docs[0].sentences.map((s) => s.relations.length), [0, 1]);
  assert.deepEqual(shape(docs[0])[1].relations, ['0:1:PER-R->1:2:ACT']);
  assert.deepEqual(diagnostics.summary().map((w) => [w.code, w.count]), [['dygie-relation-in-wrong-sentence', 1]]);
  assert.match(diagnostics.format()[0], /:1 m R \[4,4\]→\[5,5\]: listed under sentence 0, read in sentence 1/);
});

test('a symmetric relation listed both ways is one relation: the second direction is dropped and counted, in every format', async () => {
  const types = file(JSON.stringify({ entities: { PER: {}, LOC: {} }, relations: { Near: { symmetric: true } } }), '.json');
  const jsonl = await loadCorpus(file(`${J('a', [R('Near', 'T1', 'T2'), R('Near', 'T2', 'T1')])}\n`), { typesFile: types });
  assert.deepEqual(jsonl.documents[0].sentences[0].relations, [R('Near', 'T1', 'T2')]);
  assert.equal(computeStats(jsonl.documents).relations.total, 1);
  assert.match(jsonl.diagnostics.format().join('\n'), /duplicate-relation-dropped ×1 \(e\.g\. .*:1 document "a", sentence 0: Near T2→T1 \("Paris" → "Bob"\) is T1→T2 the other way round \(Near is symmetric\)\)/);
  const dygie = await loadCorpus(file(`${D('x', [[[0, 0, 3, 3, 'Near'], [3, 3, 0, 0, 'Near']], []])}\n`), { format: 'dygie', symmetric: ['Near'] });
  assert.equal(dygie.documents[0].sentences[0].relations.length, 1);
  assert.equal(dygie.diagnostics.count('duplicate-relation-dropped'), 1);
});

test('dygie: doc_key 7 and "7" are the same document id', async () => {
  const { diagnostics } = await collect(file(`${D(7, [[], []])}\n${D('7', [[], []])}\n`), { format: 'dygie' });
  assert.equal(diagnostics.count('duplicate-document-id'), 1);
});

test('jsonl: a duplicate document id is warned about; evaluation pairs by position, or refuses it as gold when the order differs', async () => {
  const f = file(`${J('a', [])}\n${J('b', [])}\n${J('a', [R('Live_In', 'T1', 'T2')])}\n`);
  const c = await loadCorpus(f);
  assert.equal(c.documents.length, 3);
  assert.equal(c.diagnostics.count('duplicate-document-id'), 1);
  assert.match(c.diagnostics.format()[0], new RegExp(`${f.replace(/[.]/g, '\\.')}:3 document id "a" \\(first at line 1\\)`));
  // Predictions made from this file list its ids in its order (evaluate --model, predict): paired by position.
  assert.equal(evaluate(c.documents, c.documents).sentences, 3);
  assert.throws(() => evaluate(c.documents, [c.documents[1], c.documents[0], c.documents[2]]), /two documents with id 'a'/);
});

test('a relation from an entity to itself is kept, with a warning', async () => {
  const f = file(`${J('a', [R('Self', 'T1', 'T1'), R('Live_In', 'T1', 'T2')])}\n`);
  const { docs, diagnostics } = await collect(f);
  assert.deepEqual(shape(docs[0])[0].relations, ['0:1:PER-Self->0:1:PER', '0:1:PER-Live_In->3:4:LOC']);
  assert.equal(diagnostics.count('self-relation-kept'), 1);
  assert.match(diagnostics.format()[0], new RegExp(`${f.replace(/[.]/g, '\\.')}:1 document "a", sentence 0: Self T1→T1`));
  // DyGIE: the same span as both arguments
  const g = await collect(file(`${D('x', [[[0, 0, 0, 0, 'R']], []])}\n`), { format: 'dygie' });
  assert.equal(g.docs[0].sentences[0].relations.length, 1);
  assert.equal(g.diagnostics.count('self-relation-kept'), 1);
});

test('JSON-array formats name the record; brat names the .ann file', async () => {
  const U = JSON.stringify({ tokens: ['a', 'b'], entities: [[0, 1, 'X'], [1, 2, 'Y']], relations: [[0, 1, 1, 2, 'R'], [0, 1, 1, 2, 'R']] });
  const u = file(`[${U},\n${U}]`, '.json');
  const a = await collect(u, { format: 'unified' });
  assert.equal(a.diagnostics.count('duplicate-relation-dropped'), 2);
  assert.deepEqual(a.diagnostics.summary()[0].examples.map((x) => x.split(' document')[0]), [`${u} record 1`, `${u} record 2`]);
  // SpERT: the same orig_id twice
  const S = (id: number) => JSON.stringify({ tokens: ['a'], entities: [], relations: [], orig_id: id });
  const s = await collect(file(`[${S(4)}, ${S(5)}, ${S(4)}]`, '.json'), { format: 'spert' });
  assert.match(s.diagnostics.format().join('\n'), /record 3 document id "4" \(first at record 1\)/);

  const b = join(dir, `brat${++n}`);
  mkdirSync(b);
  writeFileSync(join(b, 'doc.txt'), 'Bob lives in Paris .\n');
  writeFileSync(join(b, 'doc.ann'), 'T1\tPER 0 3\tBob\nT2\tLOC 13 18\tParis\nR1\tLive_In Arg1:T1 Arg2:T2\nR2\tLive_In Arg1:T1 Arg2:T2\n');
  const br = await collect(b);
  assert.equal(br.docs[0].sentences[0].relations.length, 1);
  assert.equal(br.diagnostics.count('duplicate-relation-dropped'), 1);
  assert.match(br.diagnostics.format()[0], /doc\.ann document "doc", sentence 0: Live_In T1→T2/);
});

test('a type the data uses but its types file does not declare is warned about; a full declaration is quiet', async () => {
  const data = file(`${J('a', [R('Live_In', 'T1', 'T2')])}\n`);
  const types = (entities: string[], relations: string[]) =>
    file(JSON.stringify({ entities: Object.fromEntries(entities.map((t) => [t, {}])), relations: Object.fromEntries(relations.map((t) => [t, {}])) }), '.json');
  const partial = await loadCorpus(data, { typesFile: types(['PER'], []) });
  assert.equal(partial.diagnostics.count('type-not-declared'), 2);
  assert.equal(partial.diagnostics.count(), 2);
  assert.match(partial.diagnostics.format().join('\n'), /entity type "LOC" is not declared in .*\.json.*relation type "Live_In"/s);
  assert.deepEqual(partial.schema.entityTypes, ['PER', 'LOC']); // still read, so nothing is lost
  const full = await loadCorpus(data, { typesFile: types(['PER', 'LOC'], ['Live_In']) });
  assert.equal(full.diagnostics.count(), 0);
});

/** The review's case: Mary Smith is both a Peop (C) and an Org (D); Kill's head is the Org. */
const SAME_SPAN = JSON.stringify({
  id: 'n1',
  text: 'The University of New York hired Mary Smith .',
  sentences: [{
    tokens: [[0, 3], [4, 14], [15, 17], [18, 21], [22, 26], [27, 32], [33, 37], [38, 43], [44, 45]],
    entities: [{ id: 'A', type: 'Org', start: 1, end: 5 }, { id: 'B', type: 'Loc', start: 3, end: 5 }, { id: 'C', type: 'Peop', start: 6, end: 8 }, { id: 'D', type: 'Org', start: 6, end: 8 }],
    relations: [R('OrgBased_In', 'A', 'B'), R('Work_For', 'C', 'A'), R('Kill', 'D', 'A')],
  }],
});

test('unified and dygie name relation arguments by span: where two types share one, the writer and the reader count it', async () => {
  const source = await loadCorpus(file(`${SAME_SPAN}\n`));
  for (const format of ['unified', 'dygie']) {
    const out = join(dir, `same-span.${format}.json`);
    const written = new Diagnostics();
    await writeCorpus(source.documents, source.schema, out, format, written);
    // Kill's head D is read back as C, the first entity of its span: a changed relation, counted on writing…
    assert.equal(written.count('relation-argument-ambiguous'), 1, format);
    assert.match(written.format().join('\n'), /"n1": the head of Kill, Org \[6, 8\), shares its span with Peop, the entity it is read back as/);
    // …and on reading, for each relation naming that span (Work_For's head and Kill's).
    const back = await collect(out, { format });
    assert.equal(back.diagnostics.count('relation-argument-ambiguous'), 2, format);
    assert.match(back.diagnostics.format().join('\n'), /relations\[(1|0\]\[1)\]\[0\] \[6, (8\)|7\]) is the span of 2 entities \("Peop", "Org"\): attached to the first, "Peop"/);
    assert.deepEqual(shape(back.docs[0])[0].relations.at(-1), '6:8:Peop-Kill->1:5:Org');
  }
  // A relation whose head and tail both move is one relation changed: counted once (it was counted per argument).
  const both = JSON.parse(SAME_SPAN);
  both.sentences[0].entities.unshift({ id: 'Z', type: 'Loc', start: 1, end: 5 });
  both.sentences[0].relations = [R('Kill', 'D', 'A')];
  const twice = await loadCorpus(file(`${JSON.stringify(both)}\n`));
  const counted = new Diagnostics();
  await writeCorpus(twice.documents, twice.schema, join(dir, 'both.json'), 'unified', counted);
  assert.equal(counted.count('relation-argument-ambiguous'), 1);
  assert.match(counted.format().join('\n'), /"n1": the head of Kill, Org \[6, 8\), shares its span with Peop, the entity it is read back as; the tail of Kill, Org \[1, 5\), shares its span with Loc/);
  // Without a second type on a span there is nothing to count.
  const plain = JSON.parse(SAME_SPAN);
  plain.sentences[0].entities.pop();
  plain.sentences[0].relations.pop();
  const one = await loadCorpus(file(`${JSON.stringify(plain)}\n`));
  const quiet = new Diagnostics();
  await writeCorpus(one.documents, one.schema, join(dir, 'one.json'), 'unified', quiet);
  assert.equal(quiet.count('relation-argument-ambiguous'), 0);
  assert.equal((await collect(join(dir, 'one.json'), { format: 'unified' })).diagnostics.count(), 0);
});

test('an entity with the span and type of an earlier one is merged into it, its relations moved, and counted', async () => {
  const doc = JSON.parse(J('a', [R('Live_In', 'T1', 'T2'), R('Live_In', 'T3', 'T2'), R('Knows', 'T2', 'T3')]));
  doc.sentences[0].entities.push({ id: 'T3', type: 'PER', start: 0, end: 1 });
  const f = file(`${JSON.stringify(doc)}\n`);
  const c = await loadCorpus(f);
  const s = c.documents[0].sentences[0];
  assert.deepEqual(s.entities.map((e) => e.id), ['T1', 'T2']);
  // T3's Live_In is T1's again: kept once
  assert.deepEqual(s.relations, [R('Live_In', 'T1', 'T2'), R('Knows', 'T2', 'T1')]);
  assert.equal(c.diagnostics.count('duplicate-entity-merged'), 1);
  assert.equal(c.diagnostics.count('duplicate-relation-dropped'), 1);
  assert.match(c.diagnostics.format().join('\n'), new RegExp(`${f.replace(/[.]/g, '\\.')}:1 document "a", sentence 0: PER T3 = T1 \\("Bob"\\)`));
  // no longer a "nested" pair to stats
  assert.equal(computeStats(c.documents).nestedPairs, 0);
  // another type on the same span is another entity
  doc.sentences[0].entities[2].type = 'ORG';
  assert.equal((await loadCorpus(file(`${JSON.stringify(doc)}\n`))).documents[0].sentences[0].entities.length, 3);
});

test('merging repeated entities: one relation between the two is kept as the self-relation a span scorer reads, a symmetric one is kept one way', async () => {
  // T1 and T3 are both PER "Bob": Kill T1→T3 is Kill Bob→Bob to a scorer comparing spans (a false positive
  // in a prediction file, a gold relation nobody predicts), as a written self-relation is
  const doc = JSON.parse(J('a', [R('Kill', 'T1', 'T3'), R('Kill', 'T3', 'T1'), R('Live_In', 'T3', 'T2')]));
  doc.sentences[0].entities.push({ id: 'T3', type: 'PER', start: 0, end: 1 });
  const c = await loadCorpus(file(`${JSON.stringify(doc)}\n`));
  assert.deepEqual(c.documents[0].sentences[0].relations, [R('Kill', 'T1', 'T1'), R('Live_In', 'T1', 'T2')]);
  assert.equal(c.diagnostics.count('self-relation-kept'), 1);
  assert.equal(c.diagnostics.count('duplicate-relation-dropped'), 1); // Kill T3→T1 is the same self-relation again
  assert.match(c.diagnostics.format().join('\n'), /self-relation-kept ×1 \(e\.g\. .*:1 document "a", sentence 0: Kill T1→T1 \("Bob"\)\)/);
  const scored = evaluate(c.documents, [{ ...c.documents[0], sentences: [{ ...c.documents[0].sentences[0], relations: [R('Live_In', 'T1', 'T2')] }] }], { schema: c.schema });
  assert.deepEqual([scored.relations.strict.micro.tp, scored.relations.strict.micro.fn], [1, 1]);
  // Meet is symmetric (its types file says so): Meet(T1,T2) and Meet(T2,T3) with T3 = T1 are one fact
  const meet = JSON.parse(J('m', []));
  meet.sentences[0].entities.push({ id: 'T3', type: 'PER', start: 0, end: 1 });
  meet.sentences[0].relations = [R('Meet', 'T1', 'T2'), R('Meet', 'T2', 'T3')];
  const data = file(`${JSON.stringify(meet)}\n`);
  const types = file(JSON.stringify({ entities: { PER: {}, LOC: {} }, relations: { Meet: { symmetric: true } } }), '.json');
  const sym = await loadCorpus(data, { typesFile: types });
  assert.deepEqual(sym.documents[0].sentences[0].relations, [R('Meet', 'T1', 'T2')]);
  assert.equal(sym.diagnostics.count('duplicate-relation-dropped'), 1);
  // without the flag, T2→T1 is another fact than T1→T2
  assert.deepEqual((await loadCorpus(data)).documents[0].sentences[0].relations, [R('Meet', 'T1', 'T2'), R('Meet', 'T2', 'T1')]);
  // a symmetric relation listed both ways in the input is one relation too (the next test)
  const both = JSON.parse(J('b', [R('Meet', 'T1', 'T2'), R('Meet', 'T2', 'T1')]));
  both.sentences[0].entities.push({ id: 'T3', type: 'PER', start: 0, end: 1 });
  assert.equal((await loadCorpus(file(`${JSON.stringify(both)}\n`), { typesFile: types })).documents[0].sentences[0].relations.length, 1);
});

test('spert-tags and multihead: a tag sequence the decoder repairs is counted, naming the record or line', async () => {
  const tags = file(JSON.stringify([{ tokens: ['John', 'Smith', 'works', 'for', 'IBM'], tags: ['B-Peop', 'L-Org', 'O', 'O', 'U-Org'], relations: [{ head: 0, tail: 1, type: 'Work_For' }] }]), '.json');
  const a = await collect(tags, { format: 'spert-tags' });
  assert.deepEqual(shape(a.docs[0])[0].relations, ['0:1:Peop-Work_For->1:2:Org']); // what the repair makes of it…
  assert.equal(a.diagnostics.count('invalid-tag-sequence-repaired'), 2); // …is no longer silent: B-Peop that no L-Peop ends, L-Org that no B-Org opens
  assert.equal(a.diagnostics.format()[0], `warning: invalid-tag-sequence-repaired ×2 (e.g. ${tags} record 1 tags[0] "B-Peop" before "L-Org": read as an entity ending there; ${tags} record 1 tags[1] "L-Org" after "B-Peop": read as the start of an entity)`);
  const mh = file("#doc 1\n0\tJohn\tB-Peop\t['N']\t[0]\n1\tSmith\tI-Org\t['Work_For']\t[4]\n2\tworks\tO\t['N']\t[2]\n3\tfor\tO\t['N']\t[3]\n4\tIBM\tI-Org\t['N']\t[4]\n", '.txt');
  const b = await collect(mh, { format: 'multihead' });
  assert.equal(b.diagnostics.count('invalid-tag-sequence-repaired'), 2);
  assert.match(b.diagnostics.format()[0], new RegExp(`${mh.replace(/[.]/g, '\\.')}:3 tag "I-Org" after "B-Peop": read as the start of an entity; .*:6 tag "I-Org" after "O"`));
  // valid BILOU is quiet; a B- or I- that no L- ends is not valid BILOU (it was taken for valid): counted
  const ok = file(JSON.stringify([{ tokens: ['a', 'b', 'c', 'd'], tags: ['B-X', 'I-X', 'L-X', 'U-Y'], relations: [] }]), '.json');
  assert.equal((await collect(ok, { format: 'spert-tags' })).diagnostics.count(), 0);
  const unclosed = file(JSON.stringify([{ tokens: ['a', 'b', 'c', 'd', 'e', 'f'], tags: ['B-X', 'O', 'B-X', 'I-X', 'O', 'B-Y'], relations: [] }]), '.json');
  const c = await collect(unclosed, { format: 'spert-tags' });
  assert.equal(c.diagnostics.count('invalid-tag-sequence-repaired'), 3);
  assert.match(c.diagnostics.format()[0], /tags\[0\] "B-X" before "O": read as an entity ending there; .* tags\[3\] "I-X" before "O": .*; .* tags\[5\] "B-Y" before the end: read as an entity ending there\)$/);
  // in BIO (multihead), a B- alone is a one-token entity: quiet
  const bio = file("#doc 1\n0\tJohn\tB-Peop\t['N']\t[0]\n1\tworks\tO\t['N']\t[1]\n", '.txt');
  assert.equal((await collect(bio, { format: 'multihead' })).diagnostics.count(), 0);
});
