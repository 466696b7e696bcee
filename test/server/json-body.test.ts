/**
 * JSON bodies are UTF-8: another declared charset is a 415, bytes that are not UTF-8 a 400 saying where
 * (they were silently replaced by U+FFFD, shifting the caller's offsets), and a refused `__proto__` is
 * told as such, not as a syntax error; a syntax error says where it is.
 */
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { fakeExtract } from './fake-extractor.js';
import { fakeServer } from './helpers.js';

describe('JSON request bodies', () => {
  const { app } = fakeServer();
  after(() => app.close());

  const send = async (payload: string | Buffer, contentType = 'application/json', url = '/v1/extract') => {
    const res = await app.inject({ method: 'POST', url, payload, headers: { 'content-type': contentType } });
    return { status: res.statusCode, body: res.json() };
  };
  const error = (status: number, code: string, message: string) => ({ status, body: { error: { code, message } } });

  it('refuses a charset other than UTF-8 with 415 naming it, and takes utf-8 however written', async () => {
    const latin1 = Buffer.from('{"text":"Café Mary works for IBM."}', 'latin1');
    assert.deepEqual(await send(latin1, 'application/json; charset=iso-8859-1'), error(415, 'unsupported_media_type', 'Content-Type charset must be utf-8 (JSON is UTF-8), got "iso-8859-1"'));
    assert.deepEqual(await send(Buffer.from('{"text":"x"}', 'utf16le'), 'application/json; charset=utf-16le'), error(415, 'unsupported_media_type', 'Content-Type charset must be utf-8 (JSON is UTF-8), got "utf-16le"'));
    for (const contentType of ['application/json; charset=UTF-8', 'application/json;charset="utf8"', 'application/json']) {
      assert.deepEqual(await send('{"text":"Café"}', contentType), { status: 200, body: { documents: [fakeExtract('Café')] } }, contentType);
    }
  });

  it('refuses bytes that are not UTF-8 with 400 naming the byte, and keeps an encoded U+FFFD as it is', async () => {
    // é in Latin-1 (0xE9) at byte 12, sent without a charset.
    assert.deepEqual(await send(Buffer.from('{"text":"Café Mary works for IBM."}', 'latin1')), error(400, 'invalid_json', 'request body is not valid UTF-8 (from byte 12); send JSON encoded as UTF-8'));
    // After a real U+FFFD (3 bytes) and an emoji (4 bytes): a 3-byte sequence cut short at byte 17.
    const cut = Buffer.concat([Buffer.from('{"text":"\ufffd😀 '), Buffer.from([0xe2, 0x82]), Buffer.from(' x"}')]);
    assert.deepEqual(await send(cut), error(400, 'invalid_json', 'request body is not valid UTF-8 (from byte 17); send JSON encoded as UTF-8'));
    const text = 'Caf\ufffd 😀 Mary';
    assert.deepEqual(await send(Buffer.from(JSON.stringify({ text }), 'utf8')), { status: 200, body: { documents: [fakeExtract(text)] } });
  });

  it('tells a forbidden __proto__ or constructor.prototype as such, at any depth', async () => {
    const proto = error(400, 'invalid_request', 'body has a property "__proto__", which is refused (it would change what objects inherit); remove it');
    assert.deepEqual(await send('{"text":"x","__proto__":{"a":1}}'), proto);
    assert.deepEqual(await send('{"text":"x","allowedTriples":[["a","b",{"\\u005f_proto__":1}]]}'), proto);
    assert.deepEqual(await send(`{"documents":${'['.repeat(100_000)}{"__proto__":1}${']'.repeat(100_000)}}`, 'application/json', '/v1/render'), proto);
    assert.deepEqual(
      await send('{"text":"x","entities":[{"constructor":{"prototype":{"a":1}}}]}'),
      error(400, 'invalid_request', 'body has a property "constructor" holding "prototype", which is refused (it would change what objects inherit); remove it'),
    );
  });

  it('says where a syntax error is', async () => {
    assert.deepEqual(await send('{"text": "a" "b"}'), error(400, 'invalid_json', "request body is not valid JSON: Expected ',' or '}' after property value in JSON at position 13"));
    assert.deepEqual(await send(''), error(400, 'invalid_json', 'request body is empty; send a JSON object'));
  });
});
