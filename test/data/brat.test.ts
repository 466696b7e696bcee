/** brat standoff on hand-made fixtures (ACE05 itself is licensed and not available). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Diagnostics } from '../../src/data/diagnostics.js';
import { CONF_MARK } from '../../src/data/formats/brat-conf.js';
import { detectFormat, loadCorpus, writeCorpus } from '../../src/data/formats/index.js';
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
  for (const code of ['brat-event-ignored', 'brat-attribute-ignored', 'brat-normalization-ignored', 'brat-note-ignored', 'brat-equivalence-ignored'])
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
  assert.ok(c.schema.relationTypes.find((r) => r.name === 'PER-SOC')?.symmetric);
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
  assert.equal(back.diagnostics.count(), 0);
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
