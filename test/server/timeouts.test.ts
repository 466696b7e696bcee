/**
 * The per-request time limit (`extractTimeout`, `entrel serve --request-timeout`) and concurrent model
 * calls: a request over the limit is answered 503 `timeout`, its work stops, and the server keeps serving.
 */
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { Extractor } from '../../src/extract/index.js';
import { MicroBatcher } from '../../src/server/batcher.js';
import { HttpError } from '../../src/server/errors.js';
import { buildServer, startServer } from '../../src/server/index.js';
import { trainTinyModelDir } from '../extract/tiny-model.js';
import { FakeExtractor, fakeExtract } from './fake-extractor.js';
import { post } from './helpers.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const isTimeout = (err: unknown) => err instanceof HttpError && err.statusCode === 503 && err.code === 'timeout';

function batcher(fake: FakeExtractor, opts: Partial<ConstructorParameters<typeof MicroBatcher>[1]> = {}) {
  return new MicroBatcher((t, o, c) => fake.extract(t, o, c), { windowMs: 1, maxBatchTexts: 64, maxQueuedTexts: 1000, ...opts });
}

describe('MicroBatcher time limit', () => {
  it('rejects a submission over the limit with 503 timeout and aborts its model call', async () => {
    const fake = new FakeExtractor();
    fake.perTextMs = 10;
    const b = batcher(fake, { timeoutMs: 80 });
    const t0 = performance.now();
    await assert.rejects(b.submit(Array.from({ length: 100 }, (_, i) => `Text ${i}`), {}), isTimeout);
    assert.ok(performance.now() - t0 < 1000, 'answered at the limit, not when the work was done');
    const done = fake.textsDone;
    assert.ok(done < 100, `${done} texts done`);
    await sleep(100);
    assert.ok(fake.textsDone <= done + 1, `work went on after the timeout: ${done} → ${fake.textsDone}`);
    assert.deepEqual(await b.submit(['Ann Lee'], {}), [fakeExtract('Ann Lee')], 'serves the next request');
  });

  it('drops a request that timed out while queued: the model never sees it', async () => {
    const fake = new FakeExtractor();
    fake.delayMs = 150;
    const b = batcher(fake, { timeoutMs: 60 });
    const first = b.submit(['first'], {}).catch((e: unknown) => e);
    await sleep(10); // `first` is running; the next one waits behind it
    await assert.rejects(b.submit(['queued'], { relationThreshold: 0.5 }), isTimeout);
    assert.equal(b.pending, 0);
    assert.ok(isTimeout(await first), 'isTimeout(await first)');
    await sleep(200);
    assert.deepEqual(fake.calls.map((c) => c.texts), [['first']]);
  });

  it('keeps a shared call going for the requests still owed an answer', async () => {
    const fake = new FakeExtractor();
    fake.delayMs = 100; // the call runs from 200 to 300 ms
    const b = batcher(fake, { windowMs: 200, timeoutMs: 250 });
    const early = b.submit(['early'], {}); // deadline 250 ms
    await sleep(150); // joins the same call, deadline 400 ms
    const late = b.submit(['late'], {});
    await assert.rejects(early, isTimeout);
    assert.deepEqual(await late, [fakeExtract('late')]);
    assert.equal(fake.calls.length, 1);
  });

  it('no limit with timeoutMs 0', async () => {
    const fake = new FakeExtractor();
    fake.delayMs = 50;
    assert.deepEqual(await batcher(fake, { timeoutMs: 0 }).submit(['Ann'], {}), [fakeExtract('Ann')]);
  });
});

describe('concurrent model calls', () => {
  it('runs as many calls at once as the extractor has worker threads', async () => {
    for (const parallelism of [1, 2]) {
      const fake = new FakeExtractor();
      fake.delayMs = 40;
      fake.parallelism = parallelism;
      const app = buildServer(fake, { batchWindowMs: 1, maxBatchTexts: 2 });
      try {
        const res = await Promise.all(Array.from({ length: 8 }, (_, i) => post(app, '/v1/extract', { text: `Person${i} Smith` })));
        assert.deepEqual(res.map((r) => r.status), Array(8).fill(200));
        res.forEach((r, i) => assert.deepEqual(r.json().documents, [fakeExtract(`Person${i} Smith`)]));
        assert.equal(fake.maxRunning, parallelism);
      } finally {
        await app.close();
      }
    }
  });
});

describe('HTTP time limit', () => {
  it('answers 503 JSON `timeout`, stops the work, and keeps serving', async () => {
    const fake = new FakeExtractor();
    fake.perTextMs = 10;
    const app = buildServer(fake, { extractTimeout: 100 });
    try {
      const texts = Array.from({ length: 64 }, (_, i) => `Person${i} works for Acme Corp.`);
      const res = await post(app, '/v1/extract', { texts });
      assert.equal(res.status, 503);
      assert.equal(res.headers['content-type'], 'application/json; charset=utf-8');
      const body = res.json();
      assert.equal(body.error.code, 'timeout');
      assert.match(body.error.message, /time limit of 0\.1 s/);
      const done = fake.textsDone;
      assert.equal((await app.inject({ url: '/health' })).statusCode, 200);
      assert.equal((await post(app, '/v1/extract', { text: 'Ann Lee' })).status, 200);
      assert.ok(fake.textsDone <= done + 2, 'the timed-out request did no more work');
    } finally {
      await app.close();
    }
  });
});

describe('HTTP time limit with the real Extractor', () => {
  let dir: string;
  before(() => {
    dir = trainTinyModelDir();
  });

  /** CPU time this process uses over `ms` milliseconds, as a fraction of one core. */
  async function cpuLoad(ms: number): Promise<number> {
    const c0 = process.cpuUsage();
    await sleep(ms);
    const c = process.cpuUsage(c0);
    return (c.user + c.system) / 1000 / ms;
  }

  for (const workers of [0, 2]) {
    it(`a huge request times out, its work stops, the next one is served (workers: ${workers})`, async () => {
      const extractor = await Extractor.load(dir, { workers });
      const { app, url } = await startServer(extractor, { port: 0, extractTimeout: 300 });
      const postText = (body: unknown) => fetch(`${url}/v1/extract`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
      try {
        // Two texts of 900,000 characters without sentence punctuation: 3,600 sentences of 100 tokens.
        const huge = 'the quick brown fox jumps over the lazy dog and runs away '.repeat(15_500).slice(0, 900_000);
        const res = await postText({ texts: [huge, huge] });
        assert.equal(res.status, 503);
        const body = (await res.json()) as { error: { code: string; message: string } };
        assert.equal(body.error.code, 'timeout');
        await sleep(200); // the batches that were computing finish
        const load = await cpuLoad(500);
        assert.ok(load < 0.3, `the server still works on the abandoned request: ${Math.round(load * 100)} % of a core`);
        const ok = await postText({ text: 'Dan works for Acme Corp .' });
        assert.equal(ok.status, 200);
        assert.deepEqual(((await ok.json()) as { documents: { entities: { text: string }[] }[] }).documents[0].entities.map((e) => e.text), ['Dan', 'Acme Corp']);
      } finally {
        await app.close();
        await extractor.close();
      }
    });
  }
});
