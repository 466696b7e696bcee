/**
 * `extract --format brat` output, corrected in brat and used again, reads back as extract made it: the
 * bundled model's tokenizer (conll04) recorded in annotation.conf, entities over a line break written as
 * brat's fragments and read back whole, a text of spaces only skipped rather than written unreadable.
 * Runs the CLI in this process, with the bundled model.
 */
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { entrel } from './in-process.js';
import { tempDir } from '../temp-dir.js';

interface JsonlDoc {
  id: string;
  text: string;
  sentences: { tokens: [number, number][]; entities?: { start: number; end: number; type: string }[] }[];
  entities: { start: number; end: number; type: string }[];
  relations: unknown[];
}

const readJsonl = (file: string) => readFileSync(file, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as JsonlDoc);
const tokens = (d: JsonlDoc) => d.sentences.map((s) => s.tokens.map(([a, b]) => d.text.slice(a, b)));

test('extract --format brat reads back with the sentences, tokens and entities extract made', async () => {
  const dir = tempDir('entrel-brat-trip-');
  const input = join(dir, 'in.jsonl');
  const text2 = 'Mary\nSmith of Acme Corp. paid $300 to IBM.';
  writeFileSync(input, [
    JSON.stringify('Mary Smith, who works for Acme Corp. in Boston, paid $300 to IBM and didn\'t leave.'),
    JSON.stringify({ text: text2, entities: [{ start: 0, end: 10, type: 'Peop' }, { start: 14, end: 24, type: 'Org' }] }),
    JSON.stringify('   '),
  ].join('\n') + '\n');
  const asJsonl = join(dir, 'out.jsonl');
  const asBrat = join(dir, 'out-brat');
  assert.equal((await entrel('extract', '--in', input, '--out', asJsonl)).code, 0);
  const written = await entrel('extract', '--in', input, '--out', asBrat, '--format', 'brat');
  assert.equal(written.code, 0, written.err);
  assert.match(written.err, /warning: line-3: a text of spaces only: no brat pair written/);
  assert.match(readFileSync(join(asBrat, 'annotation.conf'), 'utf8'), /^# entrel layout: text, tokenizer conll04 /m);
  // the entity over the line break is brat's two fragments
  assert.match(readFileSync(join(asBrat, 'line-2.ann'), 'utf8'), /^T1\tPeop 0 4;5 10\tMary Smith$/m);

  const back = join(dir, 'back.jsonl');
  const converted = await entrel('convert', '--from', 'brat', '--to', 'jsonl', asBrat, back);
  assert.equal(converted.code, 0, converted.err);
  assert.doesNotMatch(converted.err, /warning/);
  const extracted = readJsonl(asJsonl).filter((d) => d.text.trim() !== '');
  const read = readJsonl(back);
  assert.deepEqual(read.map(tokens), extracted.map(tokens)); // `$300`, `didn 't`: conll04's, not ptb's
  assert.ok(tokens(read[0]).flat().includes('$300'));
  const spans = (d: JsonlDoc) => d.entities.map((e) => `${e.start}-${e.end}:${e.type}`).sort();
  const readSpans = (d: JsonlDoc) =>
    d.sentences.flatMap((s) => (s.entities ?? []).map((e) => `${s.tokens[e.start][0]}-${s.tokens[e.end - 1][1]}:${e.type}`)).sort();
  assert.deepEqual(read.map(readSpans), extracted.map(spans));
  assert.ok(readSpans(read[1]).includes('0-10:Peop'));
});
