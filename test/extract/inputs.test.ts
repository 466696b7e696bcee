/** Input files for `entrel extract --in`: paragraphs of .txt, lines of .jsonl, long lines cut, bad lines located. */
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { Diagnostics } from '../../src/data/diagnostics.js';
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
  for (const t of texts) assert.ok(t.text.length <= 10, 't.text.length <= 10');
});

test('.jsonl: a JSON string or {text, id?} per line; blank lines skipped; bad lines name file and line', async () => {
  const texts = await all(readInputTexts(file('c.jsonl', '"a"\n\n{"text": "b", "id": 7}\n{"text": "c", "id": "x"}\n')));
  assert.deepEqual(texts.map((t) => [t.id, t.text]), [['line-1', 'a'], ['7', 'b'], ['x', 'c']]);
  const bad = file('d.jsonl', '"ok"\n{"text": ');
  await assert.rejects(all(readInputTexts(bad)), (e: Error) => e.message.startsWith(`${bad}:2: invalid JSON`));
  const wrong = file('e.jsonl', '["a"]\n');
  await assert.rejects(all(readInputTexts(wrong)), new RegExp(`^UserError: ${wrong}:1: text: expected a JSON string or an object`));
  const binary = join(dir, 'f.jsonl');
  writeFileSync(binary, Buffer.from([0x22, 0xff, 0x22, 0x0a]));
  await assert.rejects(all(readInputTexts(binary)), /f\.jsonl:1: not valid UTF-8/);
});

test('.jsonl: an unknown field and an id neither string nor number are errors naming file, line and field; a repeated id is counted', async () => {
  // Were dropped without a word: a misspelt `entities` lost the line's entities, an object id became `line-N`.
  const typo = file('typo.jsonl', '"ok"\n{"text": "Bob in Rome.", "entites": [{"start": 0, "end": 3, "type": "Loc"}]}\n');
  await assert.rejects(all(readInputTexts(typo)), { name: 'UserError', message: `${typo}:2: unknown field "entites" (a line has text, and optionally id and entities)` });
  const badId = file('id.jsonl', '{"text": "Bob in Rome.", "id": {"a": 1}}\n');
  await assert.rejects(all(readInputTexts(badId)), { name: 'UserError', message: `${badId}:1: id: must be a string or a number, got an object {"a":1}` });
  const diagnostics = new Diagnostics();
  const dup = file('dup.jsonl', '{"text": "a", "id": "x1"}\n{"text": "b", "id": "x1"}\n"c"\n{"text": "d", "id": "line-3"}\n{"text": "e", "id": 5}\n');
  const texts = await all(readInputTexts(dup, { diagnostics }));
  assert.deepEqual(texts.map((t) => t.id), ['x1', 'x1', 'line-3', 'line-3', '5']);
  assert.deepEqual(diagnostics.summary(), [
    { code: 'duplicate-document-id', count: 2, examples: [`${dup}:2 id "x1" (first at line 1); both kept`, `${dup}:4 id "line-3" (first at line 3); both kept`] },
  ]);
});

test('.ndjson is JSON Lines; another name whose first lines are JSON is refused, prose that starts with a bracket or quote is not', async () => {
  // Were read as plain text: the JSON syntax became the text.
  const nd = await all(readInputTexts(file('a.ndjson', '{"text": "Mary", "id": "m"}\n"John"\n')));
  assert.deepEqual(nd.map((t) => [t.id, t.text]), [['m', 'Mary'], ['line-2', 'John']]);
  const json = [
    ['arr.json', '["Mary Smith works for Acme Corp."]\n'],
    ['pretty.json', '\n[\n  {"text": "a"}\n]\n'],
    ['strings.json', '[\n  "Mary Smith works for Acme Corp.",\n  "b"\n]\n'],
    ['object.json', '{\n  "text": "a"\n}\n'],
    ['items.json', '[{"text": "a"},\n {"text": "b"}]\n'],
    ['empty.json', '[]\n'],
    ['lines.data', '{"text": "a"}\n'],
    ['strings', '"Mary Smith works for Acme Corp."\n\n"John Doe lives in Paris."\n'],
    // Were read as text after review 8a's narrowing (review 9): arrays of other values, numbers pretty-printed.
    ['nested.json', '[["John", "Smith"], ["Acme"]]\n'],
    ['nulls.json', '[null, {"text": "a"}]\n'],
    ['numbers.json', '[\n  1,\n  2.5\n]\n'],
  ];
  for (const [name, text] of json) {
    const f = file(name, text);
    await assert.rejects(all(readInputTexts(f)), (e: Error) => e.name === 'UserError' && e.message.startsWith(`${f}: looks like JSON (it starts `) && e.message.includes('.jsonl or .ndjson') && e.message.includes('.txt'), name);
  }
  // Were refused (review 8a): a quoted title, a footnote marker, a brace before prose.
  const proseFiles = [
    ['notes.md', '[Reuters] Mary Smith works for Acme Corp.\n\n"Hello," he said.\n', ['[Reuters] Mary Smith works for Acme Corp.', '"Hello," he said.']],
    ['poem.md', '"The Road Not Taken"\n\nTwo roads diverged.\n', ['"The Road Not Taken"', 'Two roads diverged.']],
    ['foot.text', '[1]\nMary Smith works for Acme Corp.\n', ['[1]\nMary Smith works for Acme Corp.']],
    ['brace', '{\n  this is not json\n}\n', ['{\n  this is not json\n}']],
    ['quote.md', '"Quoted"\n"Yes," he said.\n', ['"Quoted"\n"Yes," he said.']],
  ] as const;
  for (const [name, text, texts] of proseFiles) assert.deepEqual((await all(readInputTexts(file(name, text)))).map((t) => t.text), texts, name);
  // A .txt is plain text whatever it holds.
  assert.deepEqual((await all(readInputTexts(file('j.txt', '["a"]\n')))).map((t) => t.text), ['["a"]']);
});

test('.txt with `lines`: one text per non-blank line, ids naming the line, a long line cut as a paragraph is', async () => {
  const texts = await all(readInputTexts(file('l.txt', '\uFEFFMary Smith works for Acme Corp\r\n• John Doe lives in Paris\n\n  \n- Bob Jones, CEO of IBM\n'), { lines: true }));
  assert.deepEqual(texts.map((t) => [t.id, t.text]), [['line-1', 'Mary Smith works for Acme Corp'], ['line-2', '• John Doe lives in Paris'], ['line-5', '- Bob Jones, CEO of IBM']]);
  const long = await all(readInputTexts(file('l2.txt', 'a\naaaa bbbb cccc\n'), { lines: true, maxChars: 10 }));
  assert.deepEqual(long.map((t) => [t.id, t.text]), [['line-1', 'a'], ['line-2', 'aaaa bbbb '], ['line-2', 'cccc']]);
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
  assert.ok(byChars.calls.every((c) => c.texts.join('').length <= 40), 'byChars.calls.every((c) => c.texts.join(\'\').length <= 40)');
});
