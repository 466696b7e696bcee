/** extractStream's arguments: what the source may hold, and misuse as a UserError naming the argument. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { extractStream } from '../../src/extract/stream.js';
import { FakeExtractor } from '../server/fake-extractor.js';
import { userErrorAsync } from '../user-error.js';

const all = async <T>(it: AsyncIterable<T>) => {
  const out: T[] = [];
  for await (const x of it) out.push(x);
  return out;
};

/** The UserError message iterating the stream rejects with. */
async function streamError(...args: Parameters<typeof extractStream>): Promise<string> {
  return (await userErrorAsync(() => all(extractStream(...args)))).message;
}

test('extractStream: the source may hold strings and {text, id?}; ids default to the position', async () => {
  const gen = async function* () {
    yield 'Ann met Bob.';
    yield { text: 'Carl met Dan.', id: 'c' };
    yield { text: 'Eve met Fay.' };
  };
  for (const source of [gen(), ['Ann met Bob.', { text: 'Carl met Dan.', id: 'c' }, { text: 'Eve met Fay.' }]]) {
    const docs = await all(extractStream(new FakeExtractor(), source, {}, { chunkTexts: 2 }));
    assert.deepEqual(docs.map((d) => [d.id, d.doc.text]), [['0', 'Ann met Bob.'], ['c', 'Carl met Dan.'], ['2', 'Eve met Fay.']]);
  }
});

test('extractStream: a bad extractor, source, item or stream option is a UserError naming it', async () => {
  const fake = new FakeExtractor();
  const source = /^texts: must be an iterable or async iterable of strings or \{text, id\?\} \(e\.g\. an array or an async generator\), got /;
  assert.match(await streamError(fake, 5 as never), new RegExp(`${source.source}5$`));
  assert.match(await streamError(fake, 'one text' as never), new RegExp(`${source.source}"one text"$`));
  assert.match(await streamError(fake, undefined as never), new RegExp(`${source.source}undefined$`));
  assert.match(await streamError(fake, ['ok', 7] as never), /^texts\[1\]: must be a string or \{text, id\?, entities\?\} with a string text, got 7$/);
  assert.match(await streamError(fake, [{ id: 'a' }] as never), /^texts\[0\]: must be a string or \{text, id\?, entities\?\} .*got an object \{"id":"a"\}$/);
  assert.match(await streamError(fake, [{ text: 'x', id: 3 }] as never), /^texts\[0\]\.id: must be a string, got 3$/);
  // A misspelt field would be dropped without a word (`extract` refuses one too).
  assert.match(await streamError(fake, ['ok', { text: 'x', ID: 'a' }] as never), /^texts\[1\]: unknown field "ID" \(an item has text, and optionally id and entities\)$/);
  assert.match(await streamError(fake, [{ text: 'x', where: 'oops' }] as never), /^texts\[0\]\.where: must be \{file, line\}, got "oops"$/);
  assert.match(await streamError(fake, [{ text: 'x', bytesRead: 'lots' }] as never), /^texts\[0\]\.bytesRead: must be a number of bytes, got "lots"$/);
  assert.match(await streamError(undefined as never, ['x']), /^extractor: must be an Extractor \(Extractor\.load\(\)\), got undefined$/);
  assert.match(await streamError(fake, ['x'], {}, 5 as never), /^streamOptions: must be an object \{chunkTexts, chunkChars\}, got 5$/);
  assert.match(await streamError(fake, ['x'], {}, { chunk: 3 } as never), /^streamOptions: unknown option "chunk" \(allowed: chunkTexts, chunkChars\)$/);
  assert.match(await streamError(fake, ['x'], {}, { chunkTexts: 0 }), /^chunkTexts: must be a positive integer, got 0$/);
  assert.match(await streamError(fake, ['x'], {}, { chunkChars: NaN }), /^chunkChars: must be a positive integer, got NaN$/);
  assert.deepEqual(fake.calls, [], 'nothing was extracted');
});

test("extractStream: given entities are checked as read, and the checked copy is extracted (a source may reuse its objects)", async () => {
  const fake = new FakeExtractor();
  const shared = [{ start: 0, end: 3, type: 'Org' }];
  async function* source() {
    yield { text: 'IBM hired Tom.', entities: shared };
    shared[0].type = 'Loc'; // the next item's entities, in the same array
    yield { text: 'IBM is in Ohio.', entities: shared };
  }
  for await (const _ of extractStream(fake, source())) void _;
  const inputs = fake.inputs.flat() as unknown as { text: string; entities: { type: string }[] }[];
  assert.deepEqual(inputs.map((x) => x.entities[0].type), ['Org', 'Loc']);
  const bad = async function* () {
    yield 'fine';
    yield { text: 'IBM', entities: [{ start: 0, end: 3, type: 'Drug' }] };
  };
  await assert.rejects(
    (async () => {
      for await (const _ of extractStream(fake, bad())) void _;
    })(),
    /texts\[1\]\.entities\[0\]\.type: "Drug" is not one of the model's entity types/,
  );
});
