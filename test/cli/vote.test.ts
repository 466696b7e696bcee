/** `entrel vote`: files in, the majority's predictions out (any writable format), one-line errors. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Diagnostics } from '../../src/data/diagnostics.js';
import type { LabelSchema } from '../../src/data/corpus.js';
import { loadCorpus, writeCorpus } from '../../src/data/formats/index.js';
import { evaluate } from '../../src/eval/index.js';
import { entrel } from './in-process.js';
import { tempDir } from '../temp-dir.js';

const dir = tempDir('entrel-vote-');
const tokens = ['Mary', 'Smith', 'works', 'for', 'Acme', 'in', 'Boston', '.'];
const write = (name: string, entities: unknown[], relations: unknown[]) => {
  const file = join(dir, name);
  writeFileSync(file, JSON.stringify([{ tokens, entities, relations }, { tokens: ['He', 'left', '.'], entities: [[0, 1, 'Peop']], relations: [] }]));
  return file;
};
const gold = write('gold.json', [[0, 2, 'Peop'], [4, 5, 'Org'], [6, 7, 'Loc']], [[0, 2, 4, 5, 'Work_For'], [4, 5, 6, 7, 'OrgBased_In']]);
// Each system makes one mistake the others do not.
const a = write('a.json', [[0, 1, 'Peop'], [4, 5, 'Org'], [6, 7, 'Loc']], [[4, 5, 6, 7, 'OrgBased_In']]);
const b = write('b.json', [[0, 2, 'Peop'], [4, 5, 'Org'], [6, 7, 'Org']], [[0, 2, 4, 5, 'Work_For']]);
const c = write('c.json', [[0, 2, 'Peop'], [4, 5, 'Org'], [6, 7, 'Loc']], [[0, 2, 4, 5, 'Work_For'], [4, 5, 6, 7, 'OrgBased_In']]);
const read = async (f: string) => (await loadCorpus(f, { diagnostics: new Diagnostics() })).documents;

test('vote writes the majority\'s predictions, which score above every system that made a mistake', async () => {
  const out = join(dir, 'vote.jsonl');
  const r = await entrel('vote', a, b, c, '--out', out);
  assert.equal(r.code, 0, r.err);
  assert.match(r.err, /kept 4 of 6 distinct entities and 2 of 2 distinct relations \(at least 2 of 3 votes\); wrote 2 documents to .*vote\.jsonl/);
  // The files declare no labels: that a has no Work_For and b no Loc is what they predicted, not their labels.
  assert.doesNotMatch(r.err, /labels differ/);
  const g = await read(gold);
  const score = async (f: string) => evaluate(g, await read(f)).relations.strict.micro.f1;
  assert.equal(await score(out), 1);
  assert.ok((await score(a)) < 1 && (await score(b)) < 1, '(await score(a)) < 1 && (await score(b)) < 1');
  const brat = join(dir, 'vote-brat');
  assert.equal((await entrel('vote', a, b, c, '--out', brat, '--to', 'brat')).code, 0);
  assert.match(readFileSync(join(brat, 'annotation.conf'), 'utf8'), /^OrgBased_In\t/m);
  assert.equal(evaluate(g, await read(brat)).relations.strict.micro.f1, 1);
  // A file without a document votes for nothing there, and is warned about.
  const short = join(dir, 'short.json');
  writeFileSync(short, JSON.stringify(JSON.parse(readFileSync(c, 'utf8')).slice(0, 1)));
  const partial = await entrel('vote', a, b, short, '--out', join(dir, 'partial.jsonl'));
  assert.equal(partial.code, 0, partial.err);
  assert.match(partial.err, /short\.json: warning: missing-document ×1 \(e\.g\. document '2' is not in this file: it votes for nothing there\)\n/);
  const all = join(dir, 'all.jsonl');
  assert.equal((await entrel('vote', a, b, c, '--out', all, '--min-votes', '3')).code, 0);
  assert.equal(evaluate(g, await read(all)).relations.strict.micro.tp, 0);
});

test('vote refuses one file, more votes than files, an output over an input, and names the file that does not pair', async () => {
  const other = join(dir, 'other.json');
  writeFileSync(other, JSON.stringify([{ tokens: ['x'], entities: [], relations: [] }]));
  const cases: [string[], RegExp][] = [
    [['vote', a, '--out', join(dir, 'o.jsonl')], /vote needs at least two prediction files \(got 1\)/],
    [['vote', a, b, '--out', join(dir, 'o.jsonl'), '--min-votes', '3'], /--min-votes 3: there are only 2 prediction files/],
    [['vote', a, b, '--out', join(dir, 'o.jsonl'), '--min-votes', '0'], /--min-votes.*expected a positive integer/],
    [['vote', a, b, '--out', a, '--to', 'unified'], /the output is the input/],
    [['vote', a, other, '--out', join(dir, 'o.jsonl')], /other\.json: document '\d+', sentence 0: tokens differ from the first system's/],
  ];
  // The types file written beside the output (x.json → x_types.json) would be that of input x.jsonl.
  const sub = join(dir, 'sub');
  assert.equal((await entrel('vote', a, b, c, '--out', join(sub, 'x.jsonl'))).code, 0);
  cases.push([['vote', join(sub, 'x.jsonl'), b, '--out', join(sub, 'x.json'), '--to', 'spert'], /x_types\.json: the output is the input .*x_types\.json; choose another output path/]);
  for (const [args, message] of cases) {
    const r = await entrel(...args);
    assert.equal(r.code, 1, args.join(' '));
    assert.match(r.err, message, r.err);
    assert.equal(r.err.trim().split('\n').length, 1, r.err);
  }
});

test('vote warns about files whose declared labels differ, naming the files and the types, and votes all the same', async () => {
  const sub = join(dir, 'labels');
  mkdirSync(sub);
  const docs = await read(c);
  const labels = (loc: string, killSymmetric: boolean): LabelSchema => ({
    entityTypes: ['Peop', 'Org', loc],
    relationTypes: [{ name: 'Work_For', symmetric: false }, { name: 'OrgBased_In', symmetric: false }, { name: 'Kill', symmetric: killSymmetric }],
  });
  const gpe = docs.map((d) => ({ ...d, sentences: d.sentences.map((s) => ({ ...s, entities: s.entities.map((e) => ({ ...e, type: e.type === 'Loc' ? 'GPE' : e.type })) })) }));
  // As `entrel predict` writes them: JSON Lines and the model's labels in a types file beside.
  const [x, y, z] = ['x.jsonl', 'y.jsonl', 'z.jsonl'].map((f) => join(sub, f));
  await writeCorpus(docs, labels('Loc', false), x, 'jsonl');
  await writeCorpus(gpe, labels('GPE', false), y, 'jsonl');
  await writeCorpus(docs, labels('Loc', true), z, 'jsonl');
  const out = join(sub, 'vote.jsonl');
  const r = await entrel('vote', x, y, z, '--out', out);
  assert.equal(r.code, 0, r.err);
  const differ = (err: string) => err.split('\n').filter((l) => l.includes('labels differ'));
  assert.deepEqual(differ(r.err), [
    `entrel: warning: labels differ: entity type "Loc" is a label of ${x}, ${z} but ${y} does not declare it: at most 2 of the 3 files can vote for its entities`,
    `entrel: warning: labels differ: entity type "GPE" is a label of ${y} but ${x}, ${z} do not declare it: at most 1 of the 3 files can vote for its entities, and 2 votes are needed`,
    `entrel: warning: labels differ: relation type "Kill" is symmetric in ${z} but not in ${x}, ${y}: the vote takes both its directions as one relation`,
  ]);
  // Voted all the same: Loc by two of the three, GPE by one.
  const voted = (await read(out))[0].sentences[0].entities.map((e) => `${e.start}-${e.end}:${e.type}`);
  assert.deepEqual(voted, ['0-2:Peop', '4-5:Org', '6-7:Loc']);
  // A file that declares nothing is compared by the types it uses, against the labels others declare.
  assert.deepEqual(differ((await entrel('vote', y, a, c, '--out', join(sub, 'mixed.jsonl'))).err), [
    `entrel: warning: labels differ: entity type "Loc" is a label of ${a}, ${c} but ${y} does not declare it: at most 2 of the 3 files can vote for its entities`,
  ]);
  // One --types file declares the labels of all: nothing to compare.
  assert.deepEqual(differ((await entrel('vote', x, y, z, '--types', typesOf(x), '--out', join(sub, 'typed.jsonl'))).err), []);
  // Only the symmetry differs; a file given twice is named once.
  assert.deepEqual(differ((await entrel('vote', x, z, x, '--out', join(sub, 'same.jsonl'))).err), [
    `entrel: warning: labels differ: relation type "Kill" is symmetric in ${z} but not in ${x}: the vote takes both its directions as one relation`,
  ]);
});

const typesOf = (f: string) => f.replace(/\.jsonl$/, '_types.json');
