/**
 * /v1/extract's answer made by JSON.stringify (reply-json.ts) is, byte for byte, what Fastify's serializer
 * compiled from the route's schema wrote, and is left to that serializer whenever it would write otherwise.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import Fastify from 'fastify';
import type { ExtractedDocument } from '../../src/extract/types.js';
import { ClientGone } from '../../src/server/disconnect.js';
import { buildServer } from '../../src/server/index.js';
import { extractReplyJson } from '../../src/server/reply-json.js';
import { documentSchema, extractReplySchema } from '../../src/server/schemas.js';
import { fakeExtract, FakeExtractor } from './fake-extractor.js';

/** What Fastify's serializer compiled from the route's response schema writes for `{documents}`. */
async function schemaSerializer(): Promise<(documents: unknown) => Promise<string>> {
  const app = Fastify();
  app.addSchema(documentSchema);
  let current: unknown;
  app.get('/', { schema: { response: { 200: extractReplySchema } } }, async () => ({ documents: current }));
  await app.ready();
  return async (documents) => {
    current = documents;
    const res = await app.inject({ method: 'GET', url: '/' });
    assert.equal(res.statusCode, 200, res.body);
    return res.body;
  };
}

/** The answer extractReplyJson makes, as text. */
const json = async (documents: ExtractedDocument[]) => (await extractReplyJson(documents))?.toString('utf8');

const long = (unit: string, n: number) => Array.from({ length: n }, () => unit).join('');

/** Texts whose strings fast-json-stringify writes by each of its paths (short, medium, long; plain or escaped). */
const TEXTS = [
  '',
  'John Smith works for Acme Corp in Boston.',
  'He said "Mary Jones" lives in C:\\Paris\\.',
  'Tab\there, a bell \u0007, NUL \u0000 and a line\nbreak.',
  'Lone \ud800 surrogate and \udc00 another, and a pair 😀 in Zoë Łódź 東京.',
  'Separators \u2028 and \u2029 stay, as does DEL \u007f.',
  long('Anna Berg met Carl Dahl in Tokyo. ', 200),
  long('Anna "Berg" met Carl\\Dahl in Tokyo. ', 200),
  long('Anna Berg met Carl Dahl in Tokyo. ', 20) + '\u0001',
  long('Anna Berg met Carl Dahl in Tokyo. ', 700), // more sentences, entities and relations than one slice writes
];

describe('the answer of /v1/extract made by JSON.stringify', () => {
  it('is the schema serializer\'s, byte for byte, for documents of every kind of text', async () => {
    const reference = await schemaSerializer();
    for (const text of TEXTS) {
      const documents = [fakeExtract(text)];
      assert.equal(await json(documents), await reference(documents), JSON.stringify(text.slice(0, 60)));
    }
    const all = TEXTS.map((t) => fakeExtract(t));
    assert.equal(await json(all), await reference(all));
    assert.equal(await json([]), await reference([]));
  });

  it('leaves out what the schema does not name, keeps the schema\'s order, and writes a cut sentence, infinite scores, -0 and large whole numbers as it does', async () => {
    const reference = await schemaSerializer();
    const doc = fakeExtract('Anna Berg met Carl Dahl in Tokyo.');
    const odd = {
      extra: 'dropped',
      relations: doc.relations.map((r) => ({ score: Infinity, tail: r.tail, head: r.head, type: r.type, votes: 3 })),
      entities: doc.entities.map((e, i) => ({ ...e, score: i === 0 ? -Infinity : e.score, given: true })),
      sentences: doc.sentences.map((s) => ({ ...s, cut: true as const, start: -0, end: 2 ** 53 + 2 })),
      text: doc.text,
    } as unknown as ExtractedDocument;
    const written = await json([odd]);
    assert.notEqual(written, undefined);
    assert.equal(written, await reference([odd]));
  });

  it('is not made when the schema serializer would write otherwise: the route then leaves it to that serializer', async () => {
    const reference = await schemaSerializer();
    const doc = fakeExtract('Anna Berg met Carl Dahl in Tokyo.');
    const variants: [string, ExtractedDocument][] = [
      ['a fraction where the schema says integer (truncated)', { ...doc, entities: [{ ...doc.entities[0], start: 1.5 }] }],
      ['a number in a string', { ...doc, entities: [{ ...doc.entities[0], start: '3' as unknown as number }] }],
      ['a string that is a number', { ...doc, entities: [{ ...doc.entities[0], id: 7 as unknown as string }] }],
      ['a cut that is not a boolean', { ...doc, sentences: [{ ...doc.sentences[0], cut: 1 as unknown as true }] }],
      ['a token span with a fraction', { ...doc, sentences: [{ ...doc.sentences[0], tokens: [[0, 1.25]] }] }],
      ['an object with toJSON', { ...doc, toJSON: () => ({ text: 'other', sentences: [], entities: [], relations: [] }) } as ExtractedDocument],
    ];
    for (const [what, variant] of variants) {
      assert.equal(await json([variant]), undefined, what);
      const { app, fake } = serverWith(variant);
      try {
        const res = await app.inject({ method: 'POST', url: '/v1/extract', payload: { text: 'x' } });
        assert.equal(res.statusCode, 200, what);
        assert.equal(res.body, await reference([variant]), what);
        assert.equal(fake.calls.length, 1);
      } finally {
        await app.close();
      }
    }
    for (const [what, variant] of [
      ['a NaN score', { ...doc, relations: [{ ...doc.relations[0], score: NaN }] }],
      ['a required field missing', { ...doc, entities: [{ ...doc.entities[0], type: undefined as unknown as string }] }],
      ['a null array', { ...doc, relations: null as unknown as [] }],
      // Written null by JSON.stringify, refused by the schema serializer: left to it.
      ['a token span with a hole (a sparse array)', { ...doc, sentences: [{ ...doc.sentences[0], tokens: [[0, , 1] as unknown as [number, number]] }] }],
    ] as [string, ExtractedDocument][])
      assert.equal(await json([variant]), undefined, what);
  });

  it('reaches the client as the schema serializer wrote it, headers and compressed bytes alike, without passing that serializer', async () => {
    const reference = await schemaSerializer();
    const text = long('Anna "Berg" met Carl Dahl in Tokyo.\n', 3000); // an answer of 1.7 MB
    const documents = [fakeExtract(text)];
    const expected = await reference(documents);
    assert.ok(expected.length > 1_000_000, `a large answer (${expected.length} bytes)`);
    const app = buildServer(new FakeExtractor());
    const serialized: string[] = [];
    app.addHook('preSerialization', async (request, _reply, payload) => {
      serialized.push(request.url); // Fastify calls it on what its serializer is about to write
      return payload;
    });
    try {
      for (const encoding of ['identity', 'gzip', 'br']) {
        const res = await app.inject({ method: 'POST', url: '/v1/extract', payload: { text }, headers: { 'accept-encoding': encoding } });
        assert.equal(res.statusCode, 200);
        assert.equal(res.headers['content-type'], 'application/json; charset=utf-8');
        const bytes = encoding === 'gzip' ? gunzipSync(res.rawPayload) : encoding === 'br' ? brotliDecompressSync(res.rawPayload) : res.rawPayload;
        assert.equal(bytes.toString('utf8'), expected, encoding);
        assert.equal(res.headers['content-encoding'], encoding === 'identity' ? undefined : encoding);
      }
      assert.deepEqual(serialized, [], 'the schema serializer wrote none of the answers');
      // An error answer is still the schema serializer's.
      const bad = await app.inject({ method: 'POST', url: '/v1/extract', payload: { texts: 'no' } });
      assert.equal(bad.statusCode, 400);
      assert.deepEqual(serialized, ['/v1/extract']);
    } finally {
      await app.close();
    }
  });
});

describe('the answer of /v1/extract written in slices', () => {
  it('stops when its client has gone, before or while it is written', async () => {
    const documents = [fakeExtract(long('Anna Berg met Carl Dahl in Tokyo. ', 20_000))]; // a 13 MB answer
    await assert.rejects(extractReplyJson(documents, AbortSignal.abort(new ClientGone())), ClientGone);
    const gone = new AbortController();
    const writing = extractReplyJson(documents, gone.signal);
    setImmediate(() => gone.abort(new ClientGone())); // after the first slice of 10 ms
    await assert.rejects(writing, ClientGone);
    assert.ok((await extractReplyJson(documents))!.length > 10_000_000, 'the whole answer is 13 MB');
  });
});

/** A server whose extractor answers `doc` to anything. */
function serverWith(doc: ExtractedDocument) {
  const fake = new FakeExtractor();
  const extract = fake.extract.bind(fake);
  fake.extract = async (texts, o, c) => (await extract(texts, o, c)).map(() => doc);
  return { app: buildServer(fake), fake };
}
