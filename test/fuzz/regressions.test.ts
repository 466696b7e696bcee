/**
 * The bugs the fuzzer found (bench/fuzz.ts, seeds 1 and 7), pinned as plain cases so the fixed-seed slice
 * does not have to stumble on them again:
 *   - a config value nested 10,000 deep crashed zod's error formatting with a RangeError (stack overflow);
 *   - a config with bytes that are not UTF-8 was decoded leniently (U+FFFD in paths, "not found" later);
 *   - readers echoed whole fields into messages: a 5,000-character token made a 5,000-character "line".
 */
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { loadCorpus } from '../../src/data/formats/index.js';
import { loadConfig } from '../../src/train/config.js';
import { tempDir } from '../temp-dir.js';
import { userErrorAsync } from '../user-error.js';

const dir = tempDir('entrel-fuzz-regress-');

/** `fn` fails with a short one-line UserError about `file`, matching `re`. */
async function userError(fn: () => unknown, file: string, re: RegExp): Promise<void> {
  const { message } = await userErrorAsync(fn);
  assert.ok(message.startsWith(file), message);
  assert.ok(!message.includes('\n') && message.length < 300, `not a short line: ${message.slice(0, 300)}`);
  assert.match(message, re);
}

const write = (name: string, content: string | Buffer) => {
  const p = join(dir, name);
  writeFileSync(p, content);
  return p;
};

test('config: a value nested 10,000 deep is a user error, not a stack overflow', async () => {
  const n = 10_000;
  const f = write('deep.json', `{"data": {"train": "a", "dev": "b"}, "epochs": ${'['.repeat(n)}${']'.repeat(n)}}`);
  await userError(() => loadConfig(f), f, /epochs: expected a positive integer, got \[…\]$/);
  const g = write('deep-obj.json', `{"data": {"train": "a", "dev": "b"}, "model": ${'{"a":'.repeat(n)}1${'}'.repeat(n)}}`);
  await userError(() => loadConfig(g), g, /model\.a: unknown key/);
});

test('config: bytes that are not UTF-8 are a user error', async () => {
  const f = write('latin1.json', Buffer.concat([Buffer.from('{"data": {"train": "caf'), Buffer.from([0xe9]), Buffer.from('.json", "dev": "b"}}')]));
  await userError(() => loadConfig(f), f, /not valid UTF-8/);
});

test('readers quote at most a short excerpt of a bad field', async () => {
  const long = 'x'.repeat(5000);
  const mh = write('mh.txt', `#doc 1\n${long}\tJohn\tB-Peop\t['N']\t[0]\n`);
  await userError(() => loadCorpus(mh, { format: 'multihead' }), `${mh}:2`, /token index "x+…, expected 0$/);
  write('b.txt', 'John works .\n');
  const ann = write('b.ann', `T1\tPeop 0 ${long}\tJohn\n`);
  await userError(() => loadCorpus(ann, { format: 'brat' }), `${ann}:1`, /expected "TYPE START END", got "Peop 0 x+…$/);
  const jl = write('d.jsonl', JSON.stringify({ id: 'd', text: 'a b', sentences: [{ tokens: [[0, 1], [2, 3]], entities: [{ id: long, type: 'X', start: 0, end: 1 }, { id: long, type: 'X', start: 1, end: 2 }] }] }) + '\n');
  await userError(() => loadCorpus(jl, { format: 'jsonl' }), `${jl}:1`, /duplicate entity id "x+…$/);
});
