import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { fakeServer, post } from './helpers.js';

describe('offsets over HTTP', () => {
  const { app } = fakeServer();
  after(() => app.close());

  it('round-trips emoji, combining characters and other scripts as UTF-16 offsets', async () => {
    const text = '😀😀 Zoë and Jose\u0301 Núñez met 👩‍👩‍👧 Ⅻ Åsa in Paris. 東京 Ünal works for Acme Corp. \u{1D400}ddy';
    const res = await post(app, '/v1/extract', { texts: [text, text.normalize('NFD')] });
    assert.equal(res.status, 200);
    const docs = res.json().documents;
    for (const [i, doc] of docs.entries()) {
      assert.equal(doc.text, i === 0 ? text : text.normalize('NFD'), 'text comes back unchanged');
      assert.ok(doc.entities.length >= 5, 'doc.entities.length >= 5');
      for (const e of doc.entities) assert.equal(doc.text.slice(e.start, e.end), e.text);
      for (const s of doc.sentences) for (const [a, b] of s.tokens) assert.ok(a < b && b <= doc.text.length, 'a < b && b <= doc.text.length');
    }
    const jose = docs[0].entities.find((e: { text: string }) => e.text.startsWith('Jose'));
    assert.equal(jose.text, 'Jose\u0301 Núñez', 'the combining accent stays inside the entity');
    assert.equal(jose.start, text.indexOf('Jose'));
  });
});
