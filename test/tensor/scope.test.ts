// Scopes, finalizers and the 20,000-step BiLSTM memory soak.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import * as T from '../../src/tensor/index.js';
import { F, keep, liveTensorCount, noGrad, tidy } from '../../src/tensor/index.js';
import { scopeDepth } from '../../src/tensor/scope.js';

test('tidy frees what it does not return; nested scopes; keep()', () => {
  const base = liveTensorCount();
  const out = tidy(() => {
    const a = T.ones([4]);
    const b = a.mul(3);
    const kept = keep(a.add(1));
    const inner = tidy(() => {
      const c = b.add(1);
      c.mul(2);
      return [c, { d: c.sub(1) }] as const;
    });
    assert.equal(liveTensorCount(), base + 5);
    return { kept, inner: inner[0] };
  });
  // kept + inner c survive; the inner {d} was returned to the outer scope, which dropped it
  assert.equal(liveTensorCount(), base + 2);
  assert.deepEqual(out.inner.toArray(), [4, 4, 4, 4]);
  out.kept.dispose();
  out.inner.dispose();
  assert.equal(liveTensorCount(), base);
  assert.equal(tidy(() => T.ones([1]).item()), 1);
  assert.throws(() => tidy(() => Promise.resolve(1)), /synchronous/);
  assert.equal(liveTensorCount(), base);
  assert.equal(scopeDepth(), 0);
});

test('GC finalizer frees unreferenced tensors', async () => {
  setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc') as () => void;
  const base = liveTensorCount();
  for (let i = 0; i < 2000; i++) T.ones([16]).add(1);
  assert.ok(liveTensorCount() > base, 'liveTensorCount() > base');
  for (let i = 0; i < 10 && liveTensorCount() > base + 100; i++) {
    gc();
    await new Promise((r) => setImmediate(r));
  }
  assert.ok(liveTensorCount() <= base + 100, `live ${liveTensorCount()} vs base ${base}`);
});

test('memory soak: 20,000 BiLSTM forward/backward steps without leaks', () => {
  // Tiny ops: one intra-op thread avoids OpenMP hand-off costs (and contention on a busy CI box).
  const threads = T.getNumThreads();
  T.setNumThreads(1);
  T.manualSeed(1);
  const V = 50, E = 8, H = 8, C = 5, B = 4, L = 4;
  const param = (shape: number[], k: number): T.Tensor => keep(T.randUniform(shape, -k, k).requiresGrad_());
  const emb = param([V, E], 0.5);
  const lw = [param([4 * H, E], 0.3), param([4 * H, H], 0.3), param([4 * H], 0.3), param([4 * H], 0.3),
    param([4 * H, E], 0.3), param([4 * H, H], 0.3), param([4 * H], 0.3), param([4 * H], 0.3)];
  const ow = param([C, 2 * H], 0.3);
  const ob = param([C], 0.3);
  const params = [emb, ...lw, ow, ob];
  const m = keep(params.map((p) => T.zeros(p.shape)));
  const words = keep(T.randint(1, V, [B, L]));
  const tags = keep(T.randint(0, C, [B * L]));
  const lengths = [4, 2, 3, 1];
  const step = (): number => tidy(() => {
    const x = F.dropout(F.embedding(emb, words, 0), 0.1, true);
    const h = F.lstm(x, { weights: lw, bidirectional: true, lengths });
    const logits = F.linear(h, ow, ob).reshape([B * L, C]);
    const loss = F.crossEntropy(logits, tags);
    loss.backward();
    F.clipGradNorm(params, 5);
    noGrad(() => {
      for (let i = 0; i < params.length; i++) {
        const g = params[i].grad!;
        m[i].mul_(0.9).add_(g, 0.1);
        params[i].sub_(m[i], 0.05);
        params[i].zeroGrad();
      }
    });
    return loss.item();
  });
  const base = liveTensorCount();
  const first = step();
  for (let i = 0; i < 2000; i++) step();
  const rss0 = process.memoryUsage().rss;
  let last = 0;
  for (let i = 0; i < 18000; i++) last = step();
  const rss1 = process.memoryUsage().rss;
  const growth = (rss1 - rss0) / rss0;
  T.setNumThreads(threads);
  // <=: tensors left to the GC by earlier tests may be finalized during the soak
  assert.ok(liveTensorCount() <= base, `no tensor handles leak (${liveTensorCount()} live, ${base} before)`);
  assert.ok(growth < 0.05, `RSS grew ${(growth * 100).toFixed(2)}% (${rss0} → ${rss1})`);
  assert.ok(last < first, `loss should fall (${first} → ${last})`);
});
