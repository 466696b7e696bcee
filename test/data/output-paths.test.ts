/**
 * Output paths. A brat output directory is replaced whole (no pair of an earlier output is read back
 * with the new documents), and one holding anything else is refused, not deleted: `convert --to brat`
 * and `extract --format brat` alike; `out/` is the directory `out`. A file output named `x/` is refused.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { UserError } from '../../src/errors.js';
import { loadCorpus, writeCorpus } from '../../src/data/formats/index.js';
import { writeExtractions } from '../../src/cli/extract-outputs.js';
import type { StreamedDocument } from '../../src/extract/stream.js';
import { documentFromTokens } from '../../src/data/corpus.js';
import { makeDirs } from '../../src/data/dirs.js';
import { tmp } from './helpers.js';

const SIMPLE_DOCS = ['a', 'b'].map((id) => documentFromTokens(id, [{ tokens: ['Mary', 'works'], entities: [{ id: 'T1', type: 'Peop', start: 0, end: 1 }], relations: [] }]));

test('convert --to brat over an earlier output leaves only the new documents', async () => {
  const out = join(tmp(), 'out');
  const [a, b] = SIMPLE_DOCS;
  await writeCorpus([a, b], { entityTypes: [], relationTypes: [] }, out, 'brat');
  await writeCorpus([b], { entityTypes: [], relationTypes: [] }, out, 'brat');
  assert.deepEqual(readdirSync(out).sort(), ['annotation.conf', 'b.ann', 'b.txt']);
  assert.deepEqual((await loadCorpus(out)).documents.map((d) => d.id), ['b']);
});

test('a directory holding other files is refused and left as it was', async () => {
  for (const other of ['notes.md', 'annotation.conf', 'lone.ann']) {
    const out = join(tmp(), 'mine');
    mkdirSync(out);
    writeFileSync(join(out, other), 'keep me');
    await assert.rejects(writeCorpus(SIMPLE_DOCS, { entityTypes: [], relationTypes: [] }, out, 'brat'), (e: unknown) =>
      e instanceof UserError && e.message === `${out}: holds "${other}", which is not a brat .txt/.ann pair: a brat output replaces the whole directory, so choose a new or empty one`);
    assert.deepEqual(readdirSync(out), [other]);
    const extracted: StreamedDocument[] = [{ id: 'x', doc: { text: 'Mary', sentences: [], entities: [], relations: [] } }];
    await assert.rejects(writeExtractions((async function* () { yield* extracted; })(), out, 'brat'), /not a brat \.txt\/\.ann pair/);
    assert.ok(existsSync(join(out, other)), 'extract --format brat deleted the directory');
  }
});

test('an output directory named with a trailing "/" is the directory itself (was: EINVAL renaming it into itself)', async () => {
  const out = join(tmp(), 'out') + '/';
  for (let i = 0; i < 2; i++) await writeCorpus(SIMPLE_DOCS, { entityTypes: [], relationTypes: [] }, out, 'brat');
  assert.deepEqual(readdirSync(out).sort(), ['a.ann', 'a.txt', 'annotation.conf', 'b.ann', 'b.txt']);
  const extracted: StreamedDocument[] = [{ id: 'x', doc: { text: 'Mary', sentences: [], entities: [], relations: [] } }];
  const ex = join(tmp(), 'ex') + '/';
  for (let i = 0; i < 2; i++) await writeExtractions((async function* () { yield* extracted; })(), ex, 'brat');
  assert.deepEqual(readdirSync(ex).sort(), ['x.ann', 'x.txt']);
});

test('a file output named with a trailing "/" is refused by name (was: ENOTDIR, "a parent in the path is a file")', async () => {
  const out = join(tmp(), 'preds') + '/';
  await assert.rejects(writeCorpus(SIMPLE_DOCS, { entityTypes: [], relationTypes: [] }, out, 'jsonl'), (e: unknown) =>
    e instanceof UserError && e.message === `${out}: ends in "/", which names a directory: the output is a file, give its name`);
});

test('makeDirs makes every missing directory, and fails at once where mkdir cannot (Node 20 recursive mkdir spins under /proc)', () => {
  const deep = join(tmp(), 'a', 'b', 'c');
  makeDirs(deep);
  makeDirs(deep); // already there
  assert.ok(existsSync(deep), 'existsSync(deep)');
  const file = join(tmp(), 'f');
  writeFileSync(file, '');
  assert.throws(() => makeDirs(join(file, 'x')), { code: 'ENOTDIR' });
  assert.throws(() => makeDirs(file), { code: 'EEXIST' }); // a file where the directory should be
  if (existsSync('/proc/self')) {
    // In a child with a deadline: the old code never returned.
    const r = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e',
      `const { makeDirs } = await import(${JSON.stringify(new URL('../../src/data/dirs.ts', import.meta.url).href)}); const { fsReason } = await import(${JSON.stringify(new URL('../../src/errors.ts', import.meta.url).href)}); try { makeDirs('/proc/entrel-no-such/out'); } catch (e) { console.log(e.code, fsReason(e)); }`],
    { encoding: 'utf8', timeout: 20_000 });
    assert.equal(r.stdout.trim(), 'ENOENT this file system does not allow a new directory here (ENOENT)', r.stderr || `status ${r.status} signal ${r.signal}`);
  }
});

test('a data file and its types file are written together: when the types file cannot be, the earlier pair stays', async () => {
  const dir = tmp();
  const out = join(dir, 'c.jsonl');
  const schema = { entityTypes: ['Peop'], relationTypes: [] };
  await writeCorpus(SIMPLE_DOCS, schema, out, 'jsonl');
  const before = [readFileSync(out, 'utf8'), readFileSync(join(dir, 'c_types.json'), 'utf8')];
  // A directory where the types file goes: refused before the data file replaces the earlier one.
  rmSync(join(dir, 'c_types.json'));
  mkdirSync(join(dir, 'c_types.json'));
  await assert.rejects(writeCorpus(SIMPLE_DOCS.slice(1), { entityTypes: ['Peop', 'Org'], relationTypes: [] }, out, 'jsonl'), /c_types\.json: is a directory: the output is a file/);
  assert.equal(readFileSync(out, 'utf8'), before[0], 'the data file of the failed pair did not replace the earlier one');
  assert.deepEqual(readdirSync(dir).sort(), ['c.jsonl', 'c_types.json'], 'no temporary file left');
});
