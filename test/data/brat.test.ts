/** brat standoff on hand-made fixtures (ACE05 itself is licensed and not available). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Diagnostics } from '../../src/data/diagnostics.js';
import { CONF_MARK, COPY_MARK } from '../../src/data/formats/brat-conf.js';
import { copyDocuments } from '../../src/data/formats/brat-copy.js';
import { refuseForeignDirectory } from '../../src/data/formats/brat-write.js';
import { detectFormat, loadCorpus, writeCorpus } from '../../src/data/formats/index.js';
import { UserError } from '../../src/errors.js';
import { toBratAnn } from '../../src/extract/brat.js';
import { FIXTURES, collect, shape, tmp } from './helpers.js';

const SIMPLE = join(FIXTURES, 'brat', 'simple');
const ACE = join(FIXTURES, 'brat', 'ace05');

test('brat directory, lines layout: lines are sentences, char spans become token spans', async () => {
  assert.equal(await detectFormat(SIMPLE), 'brat');
  const { docs, diagnostics } = await collect(SIMPLE, { bratLayout: 'lines' });
  assert.deepEqual(docs.map((d) => d.id), ['doc1', 'doc2']);
  const [d1] = docs;
  assert.equal(d1.sentences.length, 3); // the empty line is no sentence
  const s = shape(d1);
  // T9 "ohn Smi", widened to tokens, is T1: merged into it
  assert.deepEqual(s[0].entities, ['0:2:PER', '4:6:ORG', '7:8:LOC']);
  assert.deepEqual(s[0].relations, ['0:2:PER-Work_For->4:6:ORG', '4:6:ORG-Located_In->7:8:LOC']);
  assert.deepEqual(s[1].relations, ['0:1:PER-Live_In->2:3:LOC']);
  // code point offsets after an emoji land on the right UTF-16 slice
  assert.deepEqual(s[2].entities, ['2:3:LOC', '4:5:LOC']);
  const too = d1.sentences[2].tokens[4];
  assert.equal(d1.text.slice(too.start, too.end), 'too');

  const w = (code: string) => diagnostics.count(code);
  assert.equal(w('brat-discontinuous-entity-dropped'), 1);
  assert.equal(w('relation-dropped-with-entity'), 1); // R5 uses the discontinuous T8
  assert.equal(w('cross-sentence-relation-dropped'), 1); // R4: Mary → Montréal
  assert.equal(w('brat-entity-widened-to-tokens'), 1); // T9 "ohn Smi"
  assert.equal(w('duplicate-entity-merged'), 1); // T9 = T1
  // dropped from the documents, and so from a file written from them (a split copies the files instead)
  // E1's trigger, T10 "works" (an Attack), is no entity: dropped with its event
  for (const code of ['brat-event-dropped', 'brat-event-trigger-dropped', 'brat-attribute-dropped', 'brat-normalization-dropped', 'brat-note-dropped', 'brat-equivalence-dropped'])
    assert.equal(w(code), 1, code);
});

test('brat single pair, named by either file', async () => {
  for (const f of ['doc2.ann', 'doc2.txt']) {
    const { docs } = await collect(join(SIMPLE, f), { format: 'brat', bratLayout: 'lines' });
    assert.deepEqual(shape(docs[0])[0].relations, ['2:3:PER-PER-SOC->0:1:PER']); // no reordering outside ace05
  }
});

test('brat ace05 mode: 3 header lines, date line, PER-SOC in text order', async () => {
  const c = await loadCorpus(ACE, { ace05: true });
  const [d] = c.documents;
  assert.equal(d.id, 'CNN_TEST');
  assert.equal(d.sentences.length, 2);
  const s = shape(d);
  assert.deepEqual(s[0].tokens.join(' '), 'John Doe met his wife Jane in Paris .');
  assert.deepEqual(s[0].relations, ['0:1:PER-PER-SOC->4:5:PER', '0:1:PER-PHYS->7:8:GPE']);
  assert.deepEqual(s[1].relations, ['3:4:PER-ORG-AFF->1:2:ORG']);
  assert.equal(c.diagnostics.count('brat-entity-in-header-dropped'), 1);
  assert.equal(c.diagnostics.count('relation-dropped-with-entity'), 1);
  assert.ok(c.schema.relationTypes.find((r) => r.name === 'PER-SOC')?.symmetric, 'c.schema.relationTypes.find((r) => r.name === \'PER-SOC\')?.symmetric');
  // without the option the header lines are sentences and the date line too
  const plain = await collect(ACE, { bratLayout: 'lines' });
  assert.equal(plain.docs[0].sentences.length, 6);
});

test('brat writer round-trips text, entities and relations', async () => {
  const c = await loadCorpus(SIMPLE);
  const out = join(tmp(), 'brat-out');
  await writeCorpus(c.documents, c.schema, out, 'brat');
  const back = await collect(out);
  assert.deepEqual(back.docs.map((d) => d.text), c.documents.map((d) => d.text));
  assert.deepEqual(back.docs.map(shape), c.documents.map(shape));
  // T9 "ohn Smi" cuts two words, in the output as in the input: counted on reading either.
  assert.deepEqual(back.diagnostics.summary().map((w) => [w.code, w.count]), [['entity-edge-inside-word', 2]]);
});

test('brat warnings quote span text on one line (a span ending in a line break printed a two-line warning)', async () => {
  const dir = join(tmp(), 'nl');
  mkdirSync(dir);
  writeFileSync(join(dir, 'd.txt'), 'John Smith works.\nMary.\n');
  writeFileSync(join(dir, 'd.ann'), 'T1\tPER 0 18\tJohn Smith works.\n');
  const { diagnostics } = await collect(dir, { bratLayout: 'lines' });
  const lines = diagnostics.format();
  assert.equal(lines.length, 2);
  for (const l of lines) assert.ok(!l.includes('\n'), l);
  assert.match(lines.join(' '), /T1 "John Smith works\." vs "John Smith works\.\\n"/);
});

test('a .txt without its .ann in a brat directory is counted, not skipped silently', async () => {
  const dir = join(tmp(), 'lone');
  mkdirSync(dir);
  writeFileSync(join(dir, 'a.txt'), 'Mary works.\n');
  writeFileSync(join(dir, 'a.ann'), 'T1\tPER 0 4\tMary\n');
  writeFileSync(join(dir, 'b.txt'), 'An unannotated text.\n');
  const { docs, diagnostics } = await collect(dir);
  assert.deepEqual(docs.map((d) => d.id), ['a']);
  assert.equal(diagnostics.count('brat-text-without-ann-skipped'), 1);
  assert.match(diagnostics.format().join('\n'), /brat-text-without-ann-skipped ×1 \(e\.g\. .*b\.txt\)/);
});

test('the reference text of a T line is the rest of the line: a span over a tab is no mismatch', async () => {
  const dir = join(tmp(), 'tab');
  mkdirSync(dir);
  writeFileSync(join(dir, 'a.txt'), 'John\tSmith works.\n');
  writeFileSync(join(dir, 'a.ann'), 'T1\tPER 0 10\tJohn\tSmith\n');
  const { docs, diagnostics } = await collect(dir);
  assert.deepEqual(shape(docs[0])[0].entities, ['0:2:PER']);
  assert.equal(diagnostics.count(), 0, diagnostics.format().join('\n'));
});

test('a brat output carries annotation.conf: the schema round-trips, symmetric types and types no document uses included', async () => {
  // PER-SOC, in a document but not in the schema, is declared after the schema's types.
  const { documents } = await loadCorpus(SIMPLE, { bratLayout: 'lines' });
  const schema = {
    entityTypes: ['PER', 'ORG', 'LOC', 'MISC'], // MISC: declared, in no document
    relationTypes: [{ name: 'Work_For', symmetric: false }, { name: 'Located_In', symmetric: false }, { name: 'Live_In', symmetric: false }, { name: 'Kin', symmetric: true }],
  };
  const out = join(tmp(), 'out');
  const diagnostics = new Diagnostics();
  await writeCorpus(documents, schema, out, 'brat', diagnostics);
  assert.equal(diagnostics.count('symmetric-flag-not-kept'), 0);
  assert.equal(
    readFileSync(join(out, 'annotation.conf'), 'utf8'),
    [CONF_MARK, '# entrel layout: lines (a sentence a line, tokens between spaces)', '[entities]', 'PER', 'ORG', 'LOC', 'MISC', '', '[relations]',
      'Work_For\tArg1:<ENTITY>, Arg2:<ENTITY>', 'Located_In\tArg1:<ENTITY>, Arg2:<ENTITY>', 'Live_In\tArg1:<ENTITY>, Arg2:<ENTITY>',
      'Kin\tArg1:<ENTITY>, Arg2:<ENTITY>, <REL-TYPE>:symmetric', 'PER-SOC\tArg1:<ENTITY>, Arg2:<ENTITY>', '', '[events]', '', '[attributes]', ''].join('\n'),
  );
  assert.deepEqual((await loadCorpus(out)).schema, { ...schema, relationTypes: [...schema.relationTypes, { name: 'PER-SOC', symmetric: false }] });
  // The conf is entrel's own: writing there again replaces the directory.
  await writeCorpus(documents.slice(0, 1), schema, out, 'brat');
  assert.deepEqual((await loadCorpus(out)).documents.map((d) => d.id), ['doc1']);
});

test("a brat project's annotation.conf is read: hierarchy, groups, macros and flags; undeclared types are named", async () => {
  const dir = join(tmp(), 'project');
  mkdirSync(dir);
  writeFileSync(join(dir, 'annotation.conf'), [
    '# a hand-written brat configuration', '[entities]', '!Agent', '\tPerson', '\tOrganization', 'Location', '',
    '[relations]', '<OVERLAP>\tArg1:<ENTITY>, Arg2:<ENTITY>, <OVL-TYPE>:<ANY>', 'Employs\tArg1:Organization, Arg2:Person',
    'Sibling\tArg1:Person, Arg2:Person, <REL-TYPE>:symmetric-transitive', '', '[events]', '', '[attributes]', 'Negated\tArg:<EVENT>', '',
  ].join('\r\n'));
  writeFileSync(join(dir, 'a.txt'), 'Ann works at Acme in Oslo .\n');
  writeFileSync(join(dir, 'a.ann'), 'T1\tPerson 0 3\tAnn\nT2\tOrganization 13 17\tAcme\nT3\tCity 21 25\tOslo\nR1\tEmploys Arg1:T2 Arg2:T1\n');
  const c = await loadCorpus(dir);
  assert.deepEqual(c.schema, {
    entityTypes: ['Person', 'Organization', 'Location', 'City'],
    relationTypes: [{ name: 'Employs', symmetric: false }, { name: 'Sibling', symmetric: true }],
  });
  const w = c.diagnostics.summary().find((x) => x.code === 'type-not-declared');
  assert.deepEqual(w?.examples, [`entity type "City" is not declared in ${join(dir, 'annotation.conf')}`]);
  // It is the user's: a brat output there is refused, not written over.
  await assert.rejects(writeCorpus(c.documents, c.schema, dir, 'brat'), /holds "annotation\.conf", which is not a brat \.txt\/\.ann pair/);
});

/** A brat project with a sub-collection (its own conf), a hidden directory and a link back up the tree. */
function nestedProject(): string {
  const dir = join(tmp(), 'nested');
  mkdirSync(join(dir, 'sub', 'deeper'), { recursive: true });
  mkdirSync(join(dir, '.git'));
  const conf = '[entities]\nPeop\nOrg\n[relations]\nWork_For\tArg1:Peop, Arg2:Org\n[events]\n[attributes]\nNegated\tArg:<ENTITY>\n';
  writeFileSync(join(dir, 'annotation.conf'), conf);
  writeFileSync(join(dir, 'sub', 'annotation.conf'), conf.replace('Org\n', 'Org\nLoc\n'));
  const txt = 'John Smith works for IBM.\n';
  const ann = 'T1\tPeop 0 10\tJohn Smith\nT2\tOrg 21 24\tIBM\nR1\tWork_For Arg1:T1 Arg2:T2\nA1\tNegated T1\n#1\tAnnotatorNotes T2\tcheck\n';
  for (const doc of ['doc10', 'doc2', 'sub/doc1', 'sub/deeper/x', '.git/y']) {
    writeFileSync(join(dir, `${doc}.txt`), txt);
    writeFileSync(join(dir, `${doc}.ann`), ann);
  }
  symlinkSync('..', join(dir, 'sub', 'up'));
  return dir;
}

test('a brat collection is read without its sub-collections, each counted by name; with no document of its own, the refusal names them', async () => {
  const dir = nestedProject();
  const { docs, diagnostics } = await collect(dir);
  // a sub-collection may be entrel's own output (split --out inside the collection): read, it grew the corpus on each run
  assert.deepEqual(docs.map((d) => d.id), ['doc2', 'doc10']);
  assert.equal(diagnostics.count('brat-subcollection-not-read'), 1); // sub, not the hidden .git
  assert.match(diagnostics.format().join('\n'), /brat-subcollection-not-read ×1 \(e\.g\. .*nested\/sub holds brat documents, which are not read with this collection: name that directory to read them\)/);
  // named, the sub-collection is read as a collection (its own sub-collections counted in turn)
  const sub = await collect(join(dir, 'sub'));
  assert.deepEqual([sub.docs.map((d) => d.id), sub.diagnostics.count('brat-subcollection-not-read')], [['doc1'], 2]); // deeper, and the link up
  // the parent of a split's parts (data.train=my-data): refused, naming where the documents are
  const parent = join(tmp(), 'my-data');
  for (const part of ['train', 'dev', 'test']) {
    mkdirSync(join(parent, part), { recursive: true });
    writeFileSync(join(parent, part, 'd.txt'), 'A b.\n');
    writeFileSync(join(parent, part, 'd.ann'), '');
  }
  mkdirSync(join(parent, 'notes'));
  await assert.rejects(collect(parent), (e: unknown) => e instanceof UserError && e.message === `${parent}: no .ann files in this directory; its subdirectories dev, test, train hold some: name one`);
  await assert.rejects(collect(join(parent, 'notes')), (e: unknown) => e instanceof UserError && /notes: no \.ann files in this directory$/.test(e.message));
});

test('a brat output replaces only a directory of pairs and the conf entrel wrote or copied: sub-collections, brat\'s .stats_cache and a conf of the user\'s are refused', async () => {
  const c = await loadCorpus(SIMPLE, { bratLayout: 'lines' });
  const out = join(tmp(), 'out');
  await writeCorpus(c.documents, c.schema, out, 'brat');
  assert.doesNotThrow(() => refuseForeignDirectory(out)); // entrel's own output
  const part = join(tmp(), 'part');
  await copyDocuments(nestedProject(), {}, c.schema, [{ at: 0, id: 'doc2' }], part);
  assert.doesNotThrow(() => refuseForeignDirectory(part)); // a split's copy, its conf marked
  // a data directory of sub-collections without a conf (it used to count as entrel's, and was replaced whole)
  const data = join(tmp(), 'D');
  for (const p of ['proj1', 'proj2']) {
    mkdirSync(join(data, p), { recursive: true });
    writeFileSync(join(data, p, '1.txt'), 'A b.\n');
    writeFileSync(join(data, p, '1.ann'), '');
  }
  await assert.rejects(writeCorpus(c.documents, c.schema, data, 'brat'), /D: holds "proj1" and 1 more, which is not a brat \.txt\/\.ann pair/);
  assert.deepEqual(readdirSync(data), ['proj1', 'proj2']);
  writeFileSync(join(out, '.stats_cache'), 'x'); // brat opened the collection: the user's now
  assert.throws(() => refuseForeignDirectory(out), /holds "\.stats_cache", which is not a brat \.txt\/\.ann pair/);
});

test('copyDocuments writes brat parts as copies of the files and the conf; a later split may replace them', async () => {
  const dir = nestedProject();
  const c = await loadCorpus(dir);
  const out = join(tmp(), 'part');
  await copyDocuments(dir, {}, c.schema, [{ at: 1, id: c.documents[1].id }], out);
  assert.deepEqual(readdirSync(out).sort(), ['annotation.conf', 'doc10.ann', 'doc10.txt']);
  // the annotations entrel does not read (A1, #1) are there, byte for byte
  for (const f of ['doc10.ann', 'doc10.txt']) assert.equal(readFileSync(join(out, f), 'utf8'), readFileSync(join(dir, f), 'utf8'), f);
  // the conf: marked as a copy, with the layout the collection was read with, then the collection's own
  const conf = readFileSync(join(out, 'annotation.conf'), 'utf8').split('\n');
  assert.deepEqual(conf.slice(0, 2), [COPY_MARK, '# entrel layout: text, tokenizer ptb (raw text, split into sentences and tokens as entrel extract does)']);
  assert.equal(conf.slice(2).join('\n'), readFileSync(join(dir, 'annotation.conf'), 'utf8'));
  // read back: the document at that position
  const back = await collect(out);
  assert.deepEqual(back.docs.map(shape), [shape(c.documents[1])]);
  // the ids are checked against the collection
  await assert.rejects(copyDocuments(dir, {}, c.schema, [{ at: 1, id: 'doc2' }], join(tmp(), 'p')), /document 1 of .* is doc10, not doc2/);
});

test('a collection without its own conf gets the schema\'s in a copied part, with the layout it was read with', async () => {
  const c = await loadCorpus(SIMPLE, { bratLayout: 'lines' });
  const out = join(tmp(), 'part');
  await copyDocuments(SIMPLE, { bratLayout: 'lines' }, c.schema, [{ at: 1, id: 'doc2' }], out);
  assert.match(readFileSync(join(out, 'annotation.conf'), 'utf8'), new RegExp(`^${CONF_MARK}\\n# entrel layout: lines `));
  assert.deepEqual((await collect(out)).docs.map(shape), [shape(c.documents[1])]);
});

test("an entity over any line break Python's splitlines knows (brat reads .ann files by those) is written as fragments around it, and read back whole", async () => {
  // Were written with the break inside the text column: brat cut the line in two and lost the entity.
  const names = ['John\vDoe', 'Bob\fJones', 'Ann\u0085Lee', 'Sue\u2028Kim', 'Tom\u2029Ray', 'Al\x1cBo', 'Cy\x1dDi', 'Ed\x1eFo', 'Jo\r\nLi'];
  const text = `${names.join(' met ')} today.`;
  const entities = names.map((name, i) => {
    const start = text.indexOf(name);
    return { id: `T${i + 1}`, text: name, type: 'PER', start, end: start + name.length, sentence: 0, tokenStart: 0, tokenEnd: 0, score: 1 };
  });
  const ann = toBratAnn({ text, sentences: [], entities, relations: [] });
  const pythonLines = ann.split(/\r\n|[\n\r\v\f\x1c-\x1e\x85\u2028\u2029]/).filter((l) => l !== '');
  assert.equal(pythonLines.length, names.length, JSON.stringify(ann));
  for (const line of pythonLines) assert.match(line, /^T\d+\tPER \d+ \d+(;\d+ \d+)+\t\S+( \S+)+$/);
  const dir = join(tmp(), 'breaks');
  mkdirSync(dir);
  writeFileSync(join(dir, 'a.txt'), text);
  writeFileSync(join(dir, 'a.ann'), ann);
  const { docs, diagnostics } = await collect(dir, { bratLayout: 'text' });
  assert.equal(diagnostics.count(), 0, diagnostics.format().join('\n'));
  const spans = docs[0].sentences.flatMap((s) => s.entities.map((e) => text.slice(s.tokens[e.start].start, s.tokens[e.end - 1].end)));
  assert.deepEqual(spans, names);
});
