/** The files of a brat collection that are not read are counted (review 15c: a `doc04.TXT`/`doc04.ANN` pair vanished without a word). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { UserError } from '../../src/errors.js';
import { collect, tmp } from './helpers.js';

const pair = (dir: string, txt: string, ann: string) => {
  writeFileSync(join(dir, txt), 'Mary works .\n');
  writeFileSync(join(dir, ann), 'T1\tPER 0 4\tMary\n');
};

test('files a collection does not read are counted, and a pair in another case is named with its renames; brat\'s own and hidden files are not', async () => {
  const dir = join(tmp(), 'coll');
  mkdirSync(join(dir, 'images'), { recursive: true }); // a directory without documents: no file, no sub-collection
  pair(dir, 'a.txt', 'a.ann');
  pair(dir, 'doc04.TXT', 'doc04.ANN'); // from Windows or an archive tool
  pair(dir, 'b.txt', 'b.Ann'); // half of it in lower case: named as a pair, not as a .txt without its .ann
  pair(dir, 'c.txt', 'c.ann');
  writeFileSync(join(dir, 'c.TXT'), 'another copy\n'); // beside a pair that is read
  writeFileSync(join(dir, 'lone.TXT'), 'no annotations\n');
  for (const f of ['README.md', 'sci_dev.json']) writeFileSync(join(dir, f), '{}\n');
  for (const f of ['annotation.conf', 'visual.conf', 'tools.conf', 'kb_shortcuts.conf', 'x.stats', '.stats_cache', '.gitignore', '.DS_Store'])
    writeFileSync(join(dir, f), f === 'annotation.conf' ? '[entities]\nPER\n' : '');
  symlinkSync('images', join(dir, 'pictures')); // a link to a directory is no file
  const { docs, diagnostics } = await collect(dir);
  assert.deepEqual(docs.map((d) => d.id), ['a', 'c']);
  // (in the directory's order, which the file system chooses)
  const examples = (code: string) => [...(diagnostics.summary().find((w) => w.code === code)?.examples ?? [])].sort();
  assert.deepEqual(examples('brat-pair-not-read'), [
    `${join(dir, 'b')}: brat's files end in lower-case .txt and .ann: rename b.Ann to b.ann`,
    `${join(dir, 'doc04')}: brat's files end in lower-case .txt and .ann: rename doc04.TXT to doc04.txt and doc04.ANN to doc04.ann`,
  ]);
  assert.equal(diagnostics.count('brat-file-not-read'), 4, diagnostics.format().join('\n'));
  const unread = ['c.TXT', 'lone.TXT', 'README.md', 'sci_dev.json'].map((f) => join(dir, f));
  for (const e of examples('brat-file-not-read')) assert.ok(unread.includes(e), e);
  assert.equal(diagnostics.count('brat-text-without-ann-skipped'), 0);
  assert.equal(diagnostics.count(), 6, diagnostics.format().join('\n'));
});

test('an .ann whose .txt is in another case is refused naming the rename (the read failed on a missing file, without saying why)', async () => {
  const dir = join(tmp(), 'half');
  mkdirSync(dir);
  pair(dir, 'a.TXT', 'a.ann');
  await assert.rejects(collect(dir), (e: unknown) => e instanceof UserError && e.message === `${join(dir, 'a.ann')}: brat's files end in lower-case .txt and .ann: rename a.TXT to a.txt`);
});

test('a collection whose pairs are all in another case is refused naming the renames, not "no .ann files" alone (review 18a finding 1)', async () => {
  const refused = (dir: string, message: string) => assert.rejects(collect(dir, { format: 'brat' }), (e: unknown) => e instanceof UserError && e.message === message);
  const upper = join(tmp(), 'upper');
  mkdirSync(upper);
  pair(upper, 'doc.TXT', 'doc.ANN');
  await refused(upper, `${upper}: no .ann files in this directory; brat's files end in lower-case .txt and .ann: rename doc.TXT to doc.txt and doc.ANN to doc.ann`);
  const half = join(tmp(), 'upper-half');
  mkdirSync(half);
  pair(half, 'doc.txt', 'doc.ANN');
  await refused(half, `${half}: no .ann files in this directory; brat's files end in lower-case .txt and .ann: rename doc.ANN to doc.ann`);
  const many = join(tmp(), 'upper-many');
  mkdirSync(many);
  for (const n of [10, 2, 1]) pair(many, `d${n}.TXT`, `d${n}.ANN`);
  await refused(many, `${many}: no .ann files in this directory; brat's files end in lower-case .txt and .ann: rename d1.TXT to d1.txt and d1.ANN to d1.ann, and so for 2 other pairs`);
  // One pair named by its file: the case variant of the other is named (it was "cannot read: no such file").
  await refused(join(half, 'doc.txt'), `${join(half, 'doc')}: brat's files end in lower-case .txt and .ann: rename doc.ANN to doc.ann`);
  await refused(join(upper, 'doc.ANN'), `${join(upper, 'doc')}: brat's files end in lower-case .txt and .ann: rename doc.TXT to doc.txt and doc.ANN to doc.ann`);
  const beside = join(tmp(), 'beside');
  mkdirSync(beside);
  pair(beside, 'doc.txt', 'doc.ann');
  writeFileSync(join(beside, 'doc.TXT'), 'another copy\n');
  await refused(join(beside, 'doc.TXT'), `${join(beside, 'doc.TXT')}: brat's files end in lower-case .txt and .ann: name doc.txt, the file brat reads`);
  const lone = join(tmp(), 'lone');
  mkdirSync(lone);
  writeFileSync(join(lone, 'doc.TXT'), 'no annotations\n');
  await refused(join(lone, 'doc.TXT'), `${join(lone, 'doc.TXT')}: brat's files end in lower-case .txt and .ann: rename doc.TXT to doc.txt`);
  assert.equal((await collect(join(beside, 'doc.txt'))).docs.length, 1, 'a lower-case pair named by its file is read');
});
