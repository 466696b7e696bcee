/** Batch planning and the batch runner (this thread, then the worker pool), with a stand-in pool. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { planBatches } from '../../src/extract/batches.js';
import { runBatches, type BatchPool } from '../../src/extract/run-batches.js';
import type { Batch } from '../../src/model/encode.js';
import type { SentencePrediction } from '../../src/model/types.js';

describe('planBatches', () => {
  it('sorts by length, caps sentences and tokens per batch', () => {
    const lengths = [5, 1, 100, 3, 3, 50, 2, 100, 100];
    const plan = planBatches(lengths, 3, 210);
    assert.deepEqual(plan, [[1, 6, 3], [4, 0, 5], [2, 7], [8]]);
    assert.deepEqual(plan.flat().sort((a, b) => a - b), lengths.map((_, i) => i), 'every sentence once');
    for (const b of plan) {
      assert.ok(b.length <= 3 && b.reduce((n, i) => n + lengths[i], 0) <= 210, 'b.length <= 3 && b.reduce((n, i) => n + lengths[i], 0) <= 210');
    }
    assert.deepEqual(planBatches([500], 32, 100), [[0]], 'a sentence longer than the token cap runs alone');
    assert.deepEqual(planBatches([], 32), []);
  });
});

/** A batch whose sentences are identified by their lengths array (the runner only passes it along). */
const fakeBatch = (idx: number[]) => ({ lengths: Int32Array.from(idx) }) as unknown as Batch;
const predictionsOf = (batch: Batch, by: string): SentencePrediction[] =>
  Array.from(batch.lengths, (i) => ({ tags: [by], entities: [{ start: i, end: i + 1, type: 'X', score: 1 }], relations: [] }));

class StandInPool implements BatchPool {
  isReady = true;
  alive = 2;
  error?: Error;
  sent = 0;
  inFlight = 0;
  maxInFlight = 0;
  cancelled?: Int32Array;
  /** Called with the count of batches sent, as each is sent. */
  onSend: (sent: number) => void = () => {};
  async predict(batch: Batch, cancel?: Int32Array): Promise<SentencePrediction[]> {
    this.sent++;
    this.onSend(this.sent);
    this.cancelled = cancel;
    this.maxInFlight = Math.max(this.maxInFlight, ++this.inFlight);
    await new Promise((r) => setTimeout(r, 5));
    this.inFlight--;
    return predictionsOf(batch, 'pool');
  }
}

describe('runBatches', () => {
  const plan = Array.from({ length: 20 }, (_, k) => [2 * k + 1, 2 * k]);
  const local = (b: Batch) => predictionsOf(b, 'here');

  it('puts every prediction at its sentence index; two batches in flight per worker', async () => {
    const pool = new StandInPool();
    const out: SentencePrediction[] = new Array(40);
    await runBatches(plan, fakeBatch, out, { local, pool });
    out.forEach((p, i) => assert.equal(p.entities[0].start, i));
    assert.ok(out.every((p) => p.tags[0] === 'pool'), 'out.every((p) => p.tags[0] === \'pool\')');
    assert.equal(pool.maxInFlight, 4);
  });

  it('runs here while the pool starts, and hands the rest over once it is ready', async () => {
    const pool = new StandInPool();
    pool.isReady = false;
    let ran = 0;
    const out: SentencePrediction[] = new Array(40);
    await runBatches(plan, fakeBatch, out, {
      local: (b) => {
        if (++ran === 3) pool.isReady = true;
        return local(b);
      },
      pool,
    });
    assert.deepEqual([ran, pool.sent], [3, 17]);
    out.forEach((p, i) => assert.equal(p.entities[0].start, i));
  });

  it('throws the error of a pool that failed to start', async () => {
    const pool = new StandInPool();
    pool.isReady = false;
    let ran = 0;
    const err = new Error('workers could not load the model');
    const run = runBatches(plan, fakeBatch, new Array(40), {
      local: (b) => {
        if (++ran === 2) pool.error = err;
        return local(b);
      },
      pool,
    });
    await assert.rejects(run, (e) => e === err);
    assert.equal(ran, 2);
  });

  it('stops starting batches once the signal aborts, rejects with its reason, and flags the queued ones', async () => {
    const pool = new StandInPool();
    const abort = new AbortController();
    const reason = new Error('too slow');
    // Aborted as the 6th batch is sent (4 in flight), not after a delay: a loaded machine's late timer let
    // every batch go out first.
    pool.onSend = (sent) => sent === 6 && abort.abort(reason);
    await assert.rejects(runBatches(plan, fakeBatch, new Array(40), { local, pool, signal: abort.signal }), (e) => e === reason);
    assert.equal(pool.sent, 6, 'no batch sent after the abort');
    assert.equal(Atomics.load(pool.cancelled!, 0), 1, 'workers see the call abandoned');
    // Once the batches in flight have come back, still none sent.
    const t0 = Date.now();
    while (pool.inFlight > 0) {
      assert.ok(Date.now() - t0 < 10_000, `${pool.inFlight} stand-in batches still in flight after 10 s`);
      await new Promise((r) => setTimeout(r, 5));
    }
    await new Promise((r) => setImmediate(r));
    assert.equal(pool.sent, 6);
  });

  it('gives this thread a turn between batches when it runs them', async () => {
    let turns = 0;
    const ticker = setInterval(() => turns++, 0);
    await runBatches(plan, fakeBatch, new Array(40), {
      local: (b) => {
        const until = performance.now() + 2;
        while (performance.now() < until);
        return local(b);
      },
    });
    clearInterval(ticker);
    assert.ok(turns >= 5, `${turns} timer turns during 20 batches`);
  });
});
