/**
 * JSON bodies are UTF-8: a declared charset in which the body would read otherwise is a 415, as is a
 * compressed body; bytes that are not UTF-8 a 400 saying where (they were silently replaced by U+FFFD,
 * shifting the caller's offsets), and a refused `__proto__` is told as such, not as a syntax error; a
 * syntax error says where it is.
 */
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { brotliCompressSync, deflateSync, gzipSync } from 'node:zlib';
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

  it('takes a declared charset in which the body reads as in UTF-8, and refuses with 415 one in which it does not', async () => {
    const ok = (text: string) => ({ status: 200, body: { documents: [fakeExtract(text)] } });
    // RFC 8259: the charset parameter has no effect. us-ascii (as some older clients send) for UTF-8 too.
    for (const contentType of ['application/json; charset=UTF-8', 'application/json;charset="utf8"', 'application/json', 'application/json; charset=us-ascii', 'application/json; charset = "UTF-8"; x=1;']) {
      assert.deepEqual(await send('{"text":"Café"}', contentType), ok('Café'), contentType);
    }
    // Latin-1 and its kin read ASCII as UTF-8 does: a body of ASCII bytes is taken.
    for (const contentType of ['application/json; charset=ISO-8859-1', 'application/json; charset=windows-1252']) {
      assert.deepEqual(await send('{"text":"Cafe"}', contentType), ok('Cafe'), contentType);
    }
    // A "charset" inside another parameter's quoted value is no charset: this body is UTF-8.
    assert.deepEqual(await send('{"text":"Café"}', 'application/json; foo="x;charset=latin1"'), ok('Café'));

    const latin1 = Buffer.from('{"text":"Café Mary works for IBM."}', 'latin1');
    assert.deepEqual(
      await send(latin1, 'application/json; charset=iso-8859-1'),
      error(415, 'unsupported_media_type', 'request body reads otherwise in its Content-Type charset "iso-8859-1" than in UTF-8, which JSON is (RFC 8259): send it as UTF-8, with charset=utf-8 or none'),
    );
    assert.deepEqual((await send(Buffer.from('{"text":"x"}', 'utf16le'), 'application/json; charset=utf-16le')).status, 415);
    assert.deepEqual(
      await send('{"text":"x"}', 'application/json; charset=klingon'),
      error(415, 'unsupported_media_type', 'Content-Type charset "klingon" is unknown; JSON is UTF-8 (RFC 8259): send it so, with charset=utf-8 or none'),
    );
    for (const contentType of ['application/json; charset', 'application/json; charset=', 'application/json; charset="utf-8']) {
      assert.deepEqual(
        await send('{"text":"x"}', contentType),
        error(415, 'unsupported_media_type', `Content-Type ${JSON.stringify(contentType)} has malformed parameters (expected ; name=value, the value a token or "quoted")`),
        contentType,
      );
    }
  });

  it('refuses a compressed body with 415 naming Content-Encoding (it is not inflated)', async () => {
    const json = '{"text":"Ann"}';
    for (const [coding, payload] of [['gzip', gzipSync(json)], ['deflate', deflateSync(json)], ['br', brotliCompressSync(json)]] as const) {
      const res = await app.inject({ method: 'POST', url: '/v1/extract', payload, headers: { 'content-type': 'application/json', 'content-encoding': coding } });
      assert.equal(res.statusCode, 415, coding);
      assert.equal(res.headers['accept-encoding'], 'identity');
      assert.deepEqual(res.json(), { error: { code: 'unsupported_media_type', message: `Content-Encoding "${coding}" is not supported: send the JSON body uncompressed` } });
    }
    const plain = await app.inject({ method: 'POST', url: '/v1/extract', payload: json, headers: { 'content-type': 'application/json', 'content-encoding': 'identity' } });
    assert.equal(plain.statusCode, 200);
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
