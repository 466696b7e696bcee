/**
 * `POST /v1/extract` with entities the caller knows: `{"text", "entities"}` or `{"texts": [{"text",
 * "entities"}, …]}` reach the extractor as given; bad ones are a 400 naming the field, refused before they
 * join a batch (so they cannot fail another request's extraction).
 */
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { fakeServer, post } from './helpers.js';

describe('given entities over HTTP', () => {
  const { app, fake } = fakeServer({ batchWindowMs: 20 });
  after(() => app.close());
  const text = 'Mary Smith works for Acme Corp.';
  const entities = [{ start: 0, end: 10, type: 'Peop', id: 'mary' }, { start: 21, end: 30, type: 'Org' }];

  it('passes a text with its entities, and a list mixing plain texts and texts with entities, to the extractor', async () => {
    const one = await post(app, '/v1/extract', { text, entities });
    assert.equal(one.status, 200, one.body);
    assert.deepEqual(fake.inputs.at(-1), [{ text, entities }]);
    const many = await post(app, '/v1/extract', { texts: ['Tom lives in Ohio.', { text, entities }, { text: 'No entities known.' }] });
    assert.equal(many.status, 200, many.body);
    assert.equal(many.json().documents.length, 3);
    assert.deepEqual(fake.inputs.at(-1), ['Tom lives in Ohio.', { text, entities }, { text: 'No entities known.' }]);
  });

  it('refuses bad entities with a 400 naming the field, before they are batched with other requests', async () => {
    const calls = fake.calls.length;
    const cases: [unknown, number, string, RegExp][] = [
      [{ text, entities: [{ start: 0, end: 10, type: 'PER' }] }, 400, 'invalid_input', /^entities\[0\]\.type: "PER" is not one of the model's entity types \(Loc, Org, Peop\)$/],
      [{ texts: ['ok', { text, entities: [{ start: 0, end: 99, type: 'Peop' }] }] }, 400, 'invalid_input', /^texts\[1\]\.entities\[0\]\.end: 99 must be after start \(0\) and at most the text's length \(31\)$/],
      [{ text, entities: [{ start: 21, end: 30, type: 'Org' }, { start: 26, end: 30, type: 'Org' }] }, 400, 'invalid_input', /^entities\[1\]: "Corp" \(26–30\) overlaps entities\[0\]/],
      [{ text, entities: [{ start: 0, end: 4, type: 'Peop', id: 'a' }, { start: 5, end: 10, type: 'Peop', id: 'a' }] }, 400, 'invalid_input', /^entities\[1\]\.id: "a" is also the id of entities\[0\]$/],
      [{ texts: [text], entities }, 400, 'invalid_request', /"entities" goes with "text"; with "texts", give each text as \{"text", "entities"\}/],
      [{ text, entities: [{ start: 0, end: 10 }] }, 400, 'invalid_request', /body\.entities\[0\] must have required property 'type'/],
      [{ text, entities: [{ start: 0, end: 10, type: 'Peop', score: 1 }] }, 400, 'invalid_request', /^body\.entities\[0\] has unknown property "score" \(allowed: start, end, type, id\)$/],
      [{ texts: [{ text, extra: 1 }] }, 400, 'invalid_request', /body\.texts\[0\] has unknown property "extra" \(allowed: text, entities\)/],
    ];
    for (const [body, status, code, message] of cases) {
      const res = await post(app, '/v1/extract', body);
      assert.equal(res.status, status, `${JSON.stringify(body)}: ${res.body}`);
      assert.equal(res.json().error.code, code);
      assert.match(res.json().error.message, message);
    }
    assert.equal(fake.calls.length, calls, 'no bad request reached the extractor');
  });

  it('describes the field in the OpenAPI document', async () => {
    const doc = (await app.inject({ method: 'GET', url: '/openapi.json' })).json();
    const body = doc.paths['/v1/extract'].post.requestBody.content['application/json'].schema;
    assert.deepEqual(body.properties.entities.items.required, ['start', 'end', 'type']);
    assert.equal(body.properties.texts.items.anyOf.length, 2);
  });
});
