/** Input files for `entrel extract --in`: paragraphs of .txt, lines of .jsonl, long lines cut, bad lines located. */
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { readInputTexts } from '../../src/extract/inputs.js';
import { extractStream } from '../../src/extract/stream.js';
import { FakeExtractor } from '../server/fake-extractor.js';
import { tempDir } from '../temp-dir.js';

const dir = tempDir('entrel-inputs-');
const file = (name: string, text: string) => {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
};
const all = async <T>(it: AsyncIterable<T>) => {
  const out: T[] = [];
  for await (const x of it) out.push(x);
  return out;
};

test('.txt: one text per paragraph, single line breaks kept, ids name the first line', async () => {
  const texts = await all(readInputTexts(file('a.txt', '\uFEFFone\r\ntwo\n\n \n\nthree 😀\n')));
  assert.deepEqual(texts.map((t) => [t.id, t.text]), [['line-1', 'one\ntwo'], ['line-6', 'three 😀']]);
  assert.equal(texts[1].bytesRead, Buffer.byteLength('\uFEFFone\r\ntwo\n\n \n\nthree 😀\n') - 3 - 1);
});

test('.txt: paragraphs past maxChars are cut at line breaks, one huge line at a space, never inside a surrogate pair', async () => {
  const texts = await all(readInputTexts(file('b.txt', 'aaaa bbbb\ncccc\n' + 'dddd eeee ffff\n' + '😀'.repeat(8)), { maxChars: 10 }));
  assert.deepEqual(texts.map((t) => t.text), ['aaaa bbbb', 'cccc', 'dddd eeee ', 'ffff', '😀'.repeat(5), '😀'.repeat(3)]);
  for (const t of texts) assert.ok(t.text.length <= 10);
});

test('.jsonl: a JSON string or {text, id?} per line; blank lines skipped; bad lines name file and line', async () => {
  const texts = await all(readInputTexts(file('c.jsonl', '"a"\n\n{"text": "b", "id": 7}\n{"text": "c", "id": {}}\n')));
  assert.deepEqual(texts.map((t) => [t.id, t.text]), [['line-1', 'a'], ['7', 'b'], ['line-4', 'c']]);
  const bad = file('d.jsonl', '"ok"\n{"text": ');
  await assert.rejects(all(readInputTexts(bad)), (e: Error) => e.message.startsWith(`${bad}:2: invalid JSON`));
  const wrong = file('e.jsonl', '["a"]\n');
  await assert.rejects(all(readInputTexts(wrong)), new RegExp(`^UserError: ${wrong}:1: text: expected a JSON string or an object`));
  const binary = join(dir, 'f.jsonl');
  writeFileSync(binary, Buffer.from([0x22, 0xff, 0x22, 0x0a]));
  await assert.rejects(all(readInputTexts(binary)), /f\.jsonl:1: not valid UTF-8/);
});

test('extractStream: chunks of texts in input order, each document with its id', async () => {
  const fake = new FakeExtractor();
  const texts = Array.from({ length: 7 }, (_, i) => ({ id: `t${i}`, text: `Person${i} met Paris.` }));
  const docs = await all(extractStream(fake, texts, {}, { chunkTexts: 3 }));
  assert.deepEqual(docs.map((d) => d.id), texts.map((t) => t.id));
  assert.deepEqual(docs.map((d) => d.doc.text), texts.map((t) => t.text));
  assert.deepEqual(fake.calls.map((c) => c.texts.length), [3, 3, 1]);
  const byChars = new FakeExtractor();
  await all(extractStream(byChars, texts, {}, { chunkChars: 40 }));
  assert.ok(byChars.calls.every((c) => c.texts.join('').length <= 40));
});
