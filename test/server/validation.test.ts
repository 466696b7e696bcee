import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { fakeServer, post } from './helpers.js';

/** Every rejection is JSON `{error: {code, message}}` with the expected status and code. */
function assertError(res: Awaited<ReturnType<typeof post>>, status: number, code: string, message?: RegExp) {
  assert.equal(res.status, status, res.body);
  assert.match(String(res.headers['content-type']), /^application\/json/);
  const { error } = res.json();
  assert.equal(error.code, code);
  assert.equal(typeof error.message, 'string');
  if (message) assert.match(error.message, message);
}

describe('request validation', () => {
  const { app, fake } = fakeServer({ bodyLimit: 10_000, maxTextLength: 1000, maxTexts: 4 });
  after(() => app.close());

  it('rejects invalid JSON with 400', async () => {
    assertError(await post(app, '/v1/extract', '{"text": "a"'), 400, 'invalid_json', /not valid JSON/);
    assertError(await post(app, '/v1/extract', ''), 400, 'invalid_json', /empty/);
  });

  it('rejects other content types with 415', async () => {
    for (const type of ['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/xml']) {
      assertError(await post(app, '/v1/extract', 'text=hello', type), 415, 'unsupported_media_type', /application\/json/);
    }
  });

  it('rejects bodies that do not match the schema with 400', async () => {
    const cases: [unknown, RegExp][] = [
      [{}, /exactly one of "text"/],
      [{ text: 'a', texts: ['b'] }, /exactly one of "text"/],
      [{ text: 42 }, /^body\.text must be string$/],
      [{ texts: 'abc' }, /^body\.texts must be array$/],
      [{ texts: ['a', 1] }, /^body\.texts\[1\] must be string or object$/],
      [{ text: 'a', relation_threshold: 0.5 }, /^body has unknown property "relation_threshold"/],
      [{ text: 'a', relationThreshold: 1.5 }, /^body\.relationThreshold must be <= 1$/],
      [{ text: 'a', relationThreshold: '0.5' }, /^body\.relationThreshold must be number$/],
      [{ text: 'a', maxPairDistance: 0 }, /^body\.maxPairDistance must be >= 1$/],
      [{ text: 'a', maxPairDistance: 2.5 }, /^body\.maxPairDistance must be integer$/],
      [{ text: 'a', allowedTriples: [['Peop', 'Work_For']] }, /^body\.allowedTriples\[0\] must NOT have fewer than 3 items$/],
      // JSON's 1e999 reads as Infinity: "must be number" (Ajv's) puzzled.
      ['{"text": "a", "relationThreshold": 1e999999}', /^body\.relationThreshold must be a finite number, got Infinity \(too large for a number\)$/],
      ['{"text": "a", "maxPairDistance": -1e999}', /^body\.maxPairDistance must be a finite number, got -Infinity \(too small for a number\)$/],
      [[{ text: 'a' }], /body must be object/],
      ['"just a string"', /body must be object/],
      ['null', /body must be object/],
    ];
    for (const [body, message] of cases) assertError(await post(app, '/v1/extract', body), 400, 'invalid_request', message);
    assertError(await post(app, '/v1/render', { documents: [{ text: 'x' }] }), 400, 'invalid_request', /must have required property/);
  });

  it('names the unknown field, and the allowed ones', async () => {
    const res = await post(app, '/v1/extract', { text: 'x', threshold: 'high' });
    assertError(
      res,
      400,
      'invalid_request',
      /^body has unknown property "threshold" \(allowed: text, entities, texts, relationThreshold, allowedTriples, maxPairDistance, newlines\)$/,
    );
    assertError(await post(app, '/v1/render', { documents: [], colour: 'red' }), 400, 'invalid_request', /^body has unknown property "colour" \(allowed: documents, width\)$/);
    // A name that is no identifier, or a very long one, is quoted and cut short.
    const long = 'k'.repeat(500);
    const { error } = (await post(app, '/v1/extract', { text: 'x', [long]: 1 })).json();
    assert.match(error.message, /^body has unknown property "k{20,100}…" \(allowed: /);
    assert.ok(error.message.length < 300, error.message);
  });

  it('names the full path of a nested field in every validation message', async () => {
    const doc = { text: 'a', sentences: [{ start: 0, end: 1, tokens: [[0, 1]] }], entities: [], relations: [] };
    const cases: [unknown, RegExp][] = [
      [{ documents: [doc, { ...doc, sentences: [{ start: -1, end: 1, tokens: [] }] }] }, /^body\.documents\[1\]\.sentences\[0\]\.start must be >= 0$/],
      [{ documents: [{ ...doc, sentences: [{ start: 0, end: 1, tokens: [[0]] }] }] }, /^body\.documents\[0\]\.sentences\[0\]\.tokens\[0\] must NOT have fewer than 2 items$/],
      [{ documents: [{ text: 'a', sentences: [], entities: [] }] }, /^body\.documents\[0\] must have required property 'relations'$/],
      [{ documents: [doc], width: 5 }, /^body\.width must be >= 20$/],
    ];
    for (const [body, message] of cases) assertError(await post(app, '/v1/render', body), 400, 'invalid_request', message);
  });

  it('answers 413 for a body over the limit, with the limit in the message', async () => {
    assertError(await post(app, '/v1/extract', { text: 'a'.repeat(20_000) }), 413, 'body_too_large', /10000 bytes/);
  });

  it('answers 413 for a text over the length limit, naming the text', async () => {
    assertError(await post(app, '/v1/extract', { text: 'a'.repeat(1001) }), 413, 'text_too_long', /^text has 1001 characters; the limit is 1000$/);
    assertError(await post(app, '/v1/extract', { texts: ['ok', 'b'.repeat(1001)] }), 413, 'text_too_long', /^texts\[1\]/);
    assert.equal((await post(app, '/v1/extract', { text: 'a'.repeat(1000) })).status, 200, 'exactly at the limit is fine');
  });

  it('answers 400 for a batch over the size limit', async () => {
    assertError(await post(app, '/v1/extract', { texts: ['a', 'b', 'c', 'd', 'e'] }), 400, 'batch_too_large', /5 texts .* limit is 4/);
    assert.equal((await post(app, '/v1/extract', { texts: ['a', 'b', 'c', 'd'] })).status, 200);
  });

  it('accepts empty texts, an empty batch, control characters and no punctuation', async () => {
    for (const body of [{ text: '' }, { texts: [] }, { text: 'a\u0000b\u0007c\td' }, { text: 'John met Mary in Paris and then Bob' }]) {
      const res = await post(app, '/v1/extract', body);
      assert.equal(res.status, 200, JSON.stringify(body));
    }
  });

  it('never calls the model for a rejected request', async () => {
    const before = fake.calls.length;
    await post(app, '/v1/extract', { texts: ['a', 'b', 'c', 'd', 'e'] });
    await post(app, '/v1/extract', { text: 'a'.repeat(1001) });
    assert.equal(fake.calls.length, before);
  });
});
