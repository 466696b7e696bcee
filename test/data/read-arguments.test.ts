/**
 * What readCorpus and loadCorpus are given, checked alike (review 15d finding 4), and a directory named
 * with a format other than brat (review 15c finding 8).
 */
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { UserError } from '../../src/errors.js';
import { loadCorpus, readCorpus, type CorpusOptions } from '../../src/data/formats/index.js';
import { entrel } from '../cli/in-process.js';
import { tempDir } from '../temp-dir.js';

const file = join(tempDir('entrel-read-'), 'data.json');
writeFileSync(file, JSON.stringify([{ tokens: ['Ann', 'met', 'Bob'], entities: [[0, 1, 'Peop']], relations: [] }]));

/** The error of reading `f` with `opts` through readCorpus (at its first next()) and through loadCorpus. */
async function errors(f: unknown, opts: unknown): Promise<[unknown, unknown]> {
  const caught = (p: Promise<unknown>) => p.then(() => undefined, (e: unknown) => e);
  const read = caught(readCorpus(f as string, opts as CorpusOptions).next());
  return [await read, await caught(loadCorpus(f as string, opts as CorpusOptions))];
}

describe('reading arguments', () => {
  it('readCorpus refuses a misspelt option, a value out of its choices or no file name, as loadCorpus does', async () => {
    const cases: [unknown, unknown, RegExp][] = [
      [file, { fromat: 'unified' }, /^options: unknown option "fromat" \(allowed: format, typesFile, /],
      [file, { split: 'train' }, /^split: must be one of "dev", "test", "all", got "train"/],
      ['', {}, /^file: must be a file name, got ""/],
      [42, {}, /^file: must be a file name, got 42/],
    ];
    for (const [f, opts, message] of cases) {
      const [read, load] = await errors(f, opts);
      assert.ok(read instanceof UserError, `readCorpus(${JSON.stringify(f)}, ${JSON.stringify(opts)}) threw ${String(read)}`);
      assert.match(String((read as UserError).message), message);
      assert.equal((read as UserError).message, (load as UserError).message, 'the same message from both');
    }
    let n = 0;
    for await (const _ of readCorpus(file, { format: 'unified' })) n++;
    assert.equal(n, 1, 'right options read');
  });

  it('refuses a symmetric that is no list of names, a typesFile that is no file name and diagnostics of another kind (review 18a finding 4)', async () => {
    const cases: [unknown, RegExp][] = [
      [{ symmetric: 'Kill' }, /^symmetric: must be an array of relation type names, got "Kill"$/], // was spread into K, i, l, l
      [{ symmetric: ['Kill', 3] }, /^symmetric\[1\]: must be a relation type name, got 3$/],
      [{ symmetric: [''] }, /^symmetric\[0\]: must be a relation type name, got ""$/],
      [{ typesFile: 42 }, /^typesFile: must be a file name, got 42$/], // was "42: cannot read: ERR_INVALID_ARG_TYPE"
      [{ typesFile: '' }, /^typesFile: must be a file name, got ""$/], // was "cannot read: no such file or directory", naming none
      [{ diagnostics: {} }, /^diagnostics: must be a Diagnostics \(new Diagnostics\(\), exported with loadCorpus\), got an object \{\}$/], // was a TypeError
    ];
    for (const [opts, message] of cases) {
      const [read, load] = await errors(file, opts);
      assert.ok(read instanceof UserError, `readCorpus(file, ${JSON.stringify(opts)}) threw ${String(read)}`);
      assert.match((read as UserError).message, message);
      assert.equal((read as UserError).message, (load as UserError).message, 'the same message from both');
    }
    const { Diagnostics } = await import('../../src/data/diagnostics.js');
    const loaded = await loadCorpus(file, { symmetric: ['Kill'], diagnostics: new Diagnostics() });
    assert.equal(loaded.documents.length, 1, 'right options read');
  });

  it('says that a directory is read only as brat when it is named with another format', async () => {
    const dir = tempDir('entrel-read-dir-');
    mkdirSync(join(dir, 'sub'));
    for (const format of ['spert', 'jsonl', 'nyt', 'dygie']) {
      const [read] = await errors(dir, { format });
      assert.ok(read instanceof UserError, `${format}: a UserError, not ${String(read)}`);
      assert.equal((read as UserError).message, `${dir}: a directory, which is read only as brat (its .txt and .ann pairs), but the format given is ${format}: name a file in it, or read it as brat`);
    }
    const r = await entrel('stats', dir, '--format', 'spert');
    assert.equal(r.code, 1);
    assert.match(r.err, /a directory, which is read only as brat/);
    assert.doesNotMatch(r.err, /cannot read: is a directory/);
  });
});
