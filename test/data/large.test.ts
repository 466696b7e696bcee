/** A ~50 MB file per streaming reader: read in bounded memory, in seconds. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { join } from 'node:path';
import { readCorpus } from '../../src/data/formats/index.js';
import { Diagnostics } from '../../src/data/diagnostics.js';
import { tmp } from './helpers.js';

const TARGET = 50 * 1024 * 1024;
const words = Array.from({ length: 40 }, (_, i) => `word${i}`);
/** The tokens of `words.join(' ')`. */
const spans = words.map((_, k) => words.slice(0, k).join(' ').length + (k && 1)).map((start, k) => [start, start + words[k].length]);

async function generate(file: string, open: string, record: (i: number) => string, sep: string, close: string) {
  const out = createWriteStream(file);
  let size = 0;
  out.write(open);
  for (let i = 0; size < TARGET; i++) {
    const r = (i ? sep : '') + record(i);
    size += r.length;
    if (!out.write(r)) await once(out, 'drain');
  }
  out.end(close);
  await once(out, 'finish');
}

const cases: [string, string, (i: number) => string, string, string][] = [
  ['unified', '[', () => JSON.stringify({ tokens: words, entities: [[0, 2, 'X'], [5, 6, 'Y']], relations: [[0, 2, 5, 6, 'R']] }), ',\n', ']'],
  ['jsonl', '', (i) => JSON.stringify({ id: `d${i}`, text: words.join(' '), sentences: [{ tokens: spans.slice(0, 10), entities: [{ id: 'a', type: 'X', start: 0, end: 2 }], relations: [] }] }), '\n', '\n'],
  ['dygie', '', (i) => JSON.stringify({ doc_key: `d${i}`, sentences: [words, words], ner: [[[0, 1, 'X']], [[40, 41, 'Y']]], relations: [[], []] }), '\n', '\n'],
  ['multihead', '', (i) => `#doc ${i}\n` + words.map((w, k) => `${k}\t${w}\t${k === 0 ? 'B-X' : 'O'}\t['N']\t[${k}]\n`).join(''), '', ''],
];

for (const [format, open, record, sep, close] of cases)
  test(`${format}: 50 MB streamed with bounded memory`, async () => {
    const file = join(tmp(), `big.${format}`);
    await generate(file, open, record, sep, close);
    const base = process.memoryUsage().rss;
    let peak = base;
    let docs = 0;
    for await (const d of readCorpus(file, { format, diagnostics: new Diagnostics() })) {
      docs += d.sentences.length > 0 ? 1 : 0;
      if ((docs & 1023) === 0) peak = Math.max(peak, process.memoryUsage().rss);
    }
    assert.ok(docs > 50_000, `${docs} documents`);
    const growth = (peak - base) / 2 ** 20;
    assert.ok(growth < 300, `RSS grew by ${growth.toFixed(0)} MB`);
  });
