/**
 * --quiet, on every command: no progress bar and no success or summary line on stderr; warnings, errors
 * and the data on stdout still show.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Command } from 'commander';
import { registerCommands } from '../../src/cli/commands/index.js';
import { entrel } from './in-process.js';
import { entrelFromSource } from './processes.js';
import { tempDir } from '../temp-dir.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const corpus = join(root, 'test', 'fixtures', 'view', 'gold.jsonl');
const model = join(root, 'models', 'conll04');

test('every command takes --quiet', () => {
  const program = new Command();
  registerCommands(program);
  assert.ok(program.commands.length >= 15);
  for (const c of program.commands) assert.ok(c.options.some((o) => o.long === '--quiet'), c.name());
});

test('--quiet drops the summary line of convert, vote, view, predict and extract --in', { timeout: 300_000 }, async () => {
  const dir = tempDir('entrel-quiet-');
  const texts = join(dir, 'texts.txt');
  writeFileSync(texts, 'John Smith works for Acme Corp in Boston.\n');
  const runs = [
    ['convert', '--to', 'jsonl', corpus, join(dir, 'c.jsonl')],
    ['vote', corpus, corpus, '--out', join(dir, 'v.jsonl')],
    ['view', corpus, '--out', join(dir, 'v.html')],
    ['predict', '--model', model, '--data', corpus, '--out', join(dir, 'p.jsonl')],
    ['extract', '--model', model, '--in', texts, '--out', join(dir, 'e.jsonl')],
  ];
  for (const args of runs) {
    const loud = await entrel(...args);
    assert.equal(loud.code, 0, loud.err);
    assert.match(loud.err, /^entrel: (wrote|kept|drew|1 text →) /m, args[0]);
    const quiet = await entrel(...args, '--quiet');
    assert.deepEqual(quiet, { code: 0, err: '' }, args[0]);
  }
});

test('--quiet keeps the warnings: what convert drops is still said', async () => {
  const dir = tempDir('entrel-quiet-');
  const input = join(dir, 'nested.jsonl');
  const tokens = [[0, 6], [7, 12], [13, 16], [17, 21], [22, 23]];
  const entities = [{ id: 'T1', type: 'Peop', start: 0, end: 1 }, { id: 'T2', type: 'Org', start: 3, end: 4 }, { id: 'T3', type: 'Loc', start: 3, end: 5 }];
  writeFileSync(input, JSON.stringify({ id: 'a', text: 'Person works for Acme .', sentences: [{ tokens, entities, relations: [] }] }) + '\n');
  const r = await entrel('convert', '--to', 'multihead', input, join(dir, 'out.txt'), '--quiet');
  assert.equal(r.code, 0, r.err);
  assert.match(r.err, /warning: overlapping-entity-dropped ×1/);
  assert.doesNotMatch(r.err, /wrote/);
});

test('--quiet keeps the warning in extract --in\'s summary: the sentences cut', { timeout: 300_000 }, async () => {
  const dir = tempDir('entrel-quiet-');
  const input = join(dir, 'long.txt');
  writeFileSync(input, `${Array.from({ length: 120 }, () => 'the').join(' ')} John works for IBM.\n`);
  const out = join(dir, 'long.jsonl');
  const r = await entrel('extract', '--model', model, '--workers', '0', '--in', input, '--out', out, '--quiet');
  assert.equal(r.code, 0, r.err);
  assert.equal(r.err, `entrel: ${out}: warning: 1 sentence cut at 100 tokens (no relation is found across a cut; such a sentence has "cut": true)\n`);
});

test('--quiet keeps the data on stdout: stats', () => {
  const r = entrelFromSource('stats', corpus, '--quiet');
  assert.equal(r.code, 0, r.err);
  assert.match(r.out, /documents: 3/);
  assert.equal(r.err, '');
});
