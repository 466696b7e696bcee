import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { MicroBatcher } from '../../src/server/batcher.js';
import { HttpError } from '../../src/server/errors.js';
import { FakeExtractor, fakeExtract } from './fake-extractor.js';
import { fakeServer, post } from './helpers.js';

function batcher(fake: FakeExtractor, opts: Partial<ConstructorParameters<typeof MicroBatcher>[1]> = {}) {
  return new MicroBatcher((t, o) => fake.extract(t, o), { windowMs: 5, maxBatchTexts: 64, maxQueuedTexts: 1000, ...opts });
}

describe('MicroBatcher', () => {
  it('joins concurrent submissions into one call and hands each its own documents', async () => {
    const fake = new FakeExtractor();
    const b = batcher(fake);
    const inputs = [['Ann met Bob.'], ['Carl.', 'Dora in Paris.'], ['Emil'], []];
    const results = await Promise.all(inputs.map((t) => b.submit(t, {})));
    assert.equal(fake.calls.length, 1);
    assert.deepEqual(fake.calls[0].texts, inputs.flat());
    results.forEach((docs, i) => assert.deepEqual(docs, inputs[i].map((t) => fakeExtract(t))));
  });

  it('keeps requests with different options in different calls', async () => {
    const fake = new FakeExtractor();
    const b = batcher(fake);
    await Promise.all([b.submit(['a'], {}), b.submit(['b'], { relationThreshold: 0.5 }), b.submit(['c'], {})]);
    assert.deepEqual(fake.calls.map((c) => c.texts), [['a', 'c'], ['b']]);
    assert.deepEqual(fake.calls[1].options, { relationThreshold: 0.5 });
  });

  it('caps a call at maxBatchTexts and starts at once when a full batch waits', async () => {
    const fake = new FakeExtractor();
    const b = batcher(fake, { windowMs: 10_000, maxBatchTexts: 3 });
    const t0 = Date.now();
    await Promise.all(['a', 'b', 'c', 'd', 'e', 'f'].map((t) => b.submit([t], {})));
    assert.ok(Date.now() - t0 < 5000, 'did not wait for the window');
    assert.deepEqual(fake.calls.map((c) => c.texts.length), [3, 3]);
  });

  it('batches what arrives while the model is busy', async () => {
    const fake = new FakeExtractor();
    let release!: () => void;
    fake.busy = new Promise((resolve) => (release = resolve));
    const b = batcher(fake, { windowMs: 1 });
    const running = fake.nextCall();
    const first = b.submit(['first'], {});
    await running; // the first call runs now, and until released
    const rest = ['a', 'b', 'c', 'd'].map((t) => b.submit([t], {}));
    release();
    await Promise.all([first, ...rest]);
    assert.deepEqual(fake.calls.map((c) => c.texts), [['first'], ['a', 'b', 'c', 'd']]);
  });

  it('fails only the request whose text breaks the model, not its batch mates', async () => {
    const fake = new FakeExtractor();
    fake.failWhen = (texts) => (texts.includes('BOOM') ? new Error('boom') : undefined);
    const b = batcher(fake);
    const results = await Promise.allSettled([b.submit(['ok one'], {}), b.submit(['BOOM'], {}), b.submit(['ok two'], {})]);
    assert.deepEqual(results.map((r) => r.status), ['fulfilled', 'rejected', 'fulfilled']);
  });

  it('rejects a wrong number of documents from the extractor', async () => {
    const b = new MicroBatcher(async () => [], { windowMs: 1, maxBatchTexts: 8, maxQueuedTexts: 8 });
    await assert.rejects(b.submit(['a'], {}), /returned 0 documents for 1 texts/);
  });

  it('refuses work beyond the queue limit with a 503 error', async () => {
    const fake = new FakeExtractor();
    const b = batcher(fake, { maxQueuedTexts: 3 });
    const ok = b.submit(['a', 'b', 'c'], {});
    await assert.rejects(b.submit(['d'], {}), (err: unknown) => err instanceof HttpError && err.statusCode === 503 && err.headers['Retry-After'] === '1');
    await ok;
    assert.equal(b.pending, 0);
    await b.submit(['e'], {}); // room again once the queue drained
  });
});

describe('batching over HTTP', () => {
  const { app, fake } = fakeServer({ batchWindowMs: 20 });
  after(() => app.close());

  it('serves N concurrent requests with fewer model calls, each with its own results', async () => {
    const texts = Array.from({ length: 20 }, (_, i) => `Person${i} Smith works for Acme Corp in Boston, number ${i}.`);
    fake.calls.length = 0;
    const responses = await Promise.all(
      texts.map((text, i) => post(app, '/v1/extract', i % 2 ? { text } : { texts: [text, `Extra${i} text`] })),
    );
    assert.ok(fake.calls.length < texts.length / 2, `${fake.calls.length} calls for ${texts.length} requests`);
    responses.forEach((res, i) => {
      assert.equal(res.status, 200);
      const docs = res.json().documents;
      const expected = i % 2 ? [texts[i]] : [texts[i], `Extra${i} text`];
      assert.deepEqual(docs, expected.map((t) => fakeExtract(t)));
    });
  });
});
