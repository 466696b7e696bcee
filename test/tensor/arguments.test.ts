/**
 * Arguments at the tensor API's boundary: integers that are not (NaN, ±Infinity, fractions, beyond
 * 2^53, strings, BigInts) are refused naming the op and the argument, by the TypeScript face and by the
 * binding behind it; lists and counts are checked before the binding indexes them; values an int64
 * tensor cannot hold are refused; errors name the op.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import * as T from '../../src/tensor/index.js';
import { F, MAX_THREADS, tensor, tidy, zeros } from '../../src/tensor/index.js';
import { MAX_TO_ARRAY_VALUES, N } from '../../src/tensor/tensor.js';
import { CHILD_LIMIT } from '../child-limit.js';

const root = join(import.meta.dirname, '..', '..');

function throwsNamed(fn: () => unknown, re: RegExp): void {
  assert.throws(fn, (e: unknown) => {
    assert.ok(e instanceof Error, String(e));
    assert.match(e.message, re);
    return true;
  });
}

/** Runs `code` (an ES module body with `T` and `N` in scope) in a child process: a crash fails the test, not the runner. */
function inChild(code: string): { status: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string } {
  const prelude = "const T = await import('./src/tensor/index.ts'); const { N } = await import('./src/tensor/tensor.ts');";
  return spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', prelude + code], { ...CHILD_LIMIT, cwd: root, encoding: 'utf8' });
}

const NOT_INTEGERS: unknown[] = [NaN, Infinity, -Infinity, 1.5, 2 ** 53, -(2 ** 63), '1', 1n];

test('integer arguments: NaN, ±Infinity, fractions, values beyond 2^53, strings and BigInts are refused naming the op and the argument', () => tidy(() => {
  const x = tensor([[1, 2, 3], [4, 5, 6]]);
  const idx = tensor([0], { dtype: 'int64' });
  const cases: [string, string, (v: number) => unknown][] = [
    ['narrow', 'dim', (v) => x.narrow(v, 0, 1)],
    ['narrow', 'start', (v) => x.narrow(0, v, 1)],
    ['narrow', 'length', (v) => x.narrow(1, 0, v)],
    ['slice', 'start', (v) => x.slice(1, v)],
    ['slice', 'end', (v) => x.slice(1, 0, v)],
    ['softmax', 'dim', (v) => x.softmax(v)],
    ['logSoftmax', 'dim', (v) => x.logSoftmax(v)],
    ['transpose', 'dim1', (v) => x.transpose(0, v)],
    ['indexSelect', 'dim', (v) => x.indexSelect(v, idx)],
    ['gather', 'dim', (v) => x.gather(v, tensor([[0]], { dtype: 'int64' }))],
    ['max', 'dim', (v) => x.max(v)],
    ['argmax', 'dim', (v) => x.argmax(v)],
    ['unsqueeze', 'dim', (v) => x.unsqueeze(v)],
    ['squeeze', 'dim', (v) => x.squeeze(v)],
    ['sum', 'dim', (v) => x.sum(v)],
    ['size', 'dim', (v) => x.size(v)],
    ['cat', 'dim', (v) => F.cat([x, x], v)],
    ['embedding', 'paddingIdx', (v) => F.embedding(x, idx, v)],
    ['conv1d', 'padding', (v) => F.conv1d(zeros([1, 2, 5]), zeros([2, 2, 3]), null, { padding: v })],
    ['oneHot', 'n', (v) => F.oneHot(idx, v)],
    ['randint', 'hi', (v) => T.randint(0, v, [3])],
    ['eye', 'n', (v) => T.eye(v)],
    ['manualSeed', 'seed', (v) => T.manualSeed(v)],
    ['lstm', 'numLayers', (v) => F.lstm(zeros([1, 2, 3]), { weights: [zeros([8, 3]), zeros([8, 2]), zeros([8]), zeros([8])], numLayers: v })],
    ['setNumThreads', 'n', (v) => T.setNumThreads(v)],
  ];
  for (const [op, what, call] of cases)
    for (const v of NOT_INTEGERS) throwsNamed(() => call(v as number), new RegExp(`^${op}: ${what} must be an integer`));
  // Shapes and dims lists name the element.
  throwsNamed(() => x.reshape([2, NaN]), /^reshape: shape\[1\] must be an integer within ±\(2\^53 − 1\), got NaN$/);
  throwsNamed(() => x.reshape([Infinity]), /^reshape: shape\[0\] must be an integer/);
  throwsNamed(() => x.reshape([2 ** 63]), /^reshape: shape\[0\] must be an integer/);
  throwsNamed(() => x.sum([0, 0.5]), /^sum: dims\[1\] must be an integer/);
  throwsNamed(() => x.permute([0, '1' as unknown as number]), /^permute: dims\[1\] must be a number, got the string "1"$/);
  throwsNamed(() => zeros([1e300]), /^zeros: invalid shape \[1e\+300\]/);
  throwsNamed(() => x.slice(1, 0, undefined, 0.5), /^slice: step must be an integer ≥ 1, got 0\.5$/);
  // The real values still work.
  assert.deepEqual(x.narrow(1, 1, 2).toArray(), [[2, 3], [5, 6]]);
  assert.deepEqual(x.slice(1, 0, undefined, 2).toArray(), [[1, 3], [4, 6]]);
}));

test('the binding checks integer arguments too, naming the op (not truncating or turning NaN into 0)', () => tidy(() => {
  const x = tensor([[1, 2, 3], [4, 5, 6]]);
  throwsNamed(() => N.narrow(x._n, 0, NaN, 1), /^narrow: start must be an integer within ±\(2\^53 − 1\), got NaN$/);
  throwsNamed(() => N.softmax(x._n, 0.5, false), /^softmax: dim must be an integer/);
  throwsNamed(() => N.eye(3.9, 0), /^eye: n must be an integer ≥ 0, got 3\.9$/);
  throwsNamed(() => N.oneHot(tensor([0], { dtype: 'int64' })._n, 2.7), /^oneHot: n must be an integer/);
  throwsNamed(() => N.narrow(x._n, 0, '1' as unknown as number, 1), /^narrow: start must be a number, got the string "1"$/);
  throwsNamed(() => N.narrow(x._n, 0, 1n as unknown as number, 1), /^narrow: start must be a number, got the BigInt 1n$/);
  throwsNamed(() => N.reshape(x._n, [Infinity], false), /^reshape: shape\[0\] must be an integer/);
  throwsNamed(() => N.fromData(new Float32Array(1), [274177, 67280421310721], 0), /^tensor: invalid shape .*product within int64/);
  throwsNamed(() => N.binS(x._n, '3' as unknown as number, 0), /^add: scalar must be a number, got the string "3"$/);
  throwsNamed(() => x.add('3' as unknown as number), /^add: expected a Tensor or a number, got the string "3"$/);
  throwsNamed(() => x.mul_(1n as unknown as number), /^mul_: expected a Tensor or a number, got the BigInt 1n$/);
  throwsNamed(() => N.bin(x._n, {} as never, 0), /^add: expected a Tensor argument, got an object$/);
  throwsNamed(() => N.dropout(x._n, NaN, true), /^dropout: p must be a probability in \[0, 1\], got NaN$/);
}));

test('thread counts are 1 to MAX_THREADS, refused beyond both in TypeScript and in the binding', () => {
  const before = T.getNumThreads();
  for (const n of [0, MAX_THREADS + 1, 2 ** 32 + 1, 20000]) {
    throwsNamed(() => T.setNumThreads(n), new RegExp(`^setNumThreads: n must be an integer from 1 to ${MAX_THREADS}, got ${n}$`));
    throwsNamed(() => N.setNumThreads(n), new RegExp(`^setNumThreads: n must be an integer from 1 to ${MAX_THREADS}, got ${n}$`));
  }
  assert.equal(T.getNumThreads(), before);
});

test('lstm checks numLayers and the weights list before the binding indexes it', () => tidy(() => {
  const x = zeros([1, 2, 3]);
  const layer = () => [zeros([8, 3]), zeros([8, 2]), zeros([8]), zeros([8])];
  throwsNamed(() => F.lstm(x, { weights: [], numLayers: 0 }), /^lstm: numLayers must be an integer ≥ 1, got 0$/);
  throwsNamed(() => F.lstm(x, { weights: [], numLayers: 0, bidirectional: true, lengths: [2] }), /^lstm: numLayers must be an integer ≥ 1/);
  throwsNamed(() => F.lstm(x, { weights: layer(), bidirectional: true }), /^lstm: expected 8 weight tensors \(1 layer\(s\) × 2 direction\(s\) × 4\), got 4$/);
  throwsNamed(() => F.lstm(x, { weights: layer(), numLayers: 2 }), /^lstm: expected 8 weight tensors \(2 layer\(s\) × 1 direction\(s\) × 4\), got 4$/);
  throwsNamed(() => F.lstm(x, { weights: [zeros([8, 3]), zeros([8]), zeros([8]), zeros([8])] }), /^lstm: w_hh \(weight 1\) must be 2-d/);
  assert.deepEqual(F.lstm(x, { weights: layer() }).shape, [1, 2, 2]);
}));

test('lstm with numLayers 0 straight into the binding is an error, not a crash', () => {
  // It indexed an empty weights list (SIGSEGV): in a child process, so that a regression fails this test.
  const r = inChild(`
    for (const bidir of [false, true])
      try { N.lstm(T.zeros([1, 2, 3])._n, [], null, null, null, true, 0, 0, false, bidir, true); console.log('returned'); }
      catch (e) { console.log(e.message); }`);
  assert.equal(r.signal, null, r.stderr);
  assert.equal(r.status, 0, r.stderr);
  assert.deepEqual(r.stdout.trim().split('\n'), Array(2).fill('lstm: numLayers must be an integer ≥ 1, got 0'));
});

test('lstm lengths are integers from 1 to the time dimension: 2^32 + 2 no longer wraps to 2', () => tidy(() => {
  const x = zeros([2, 3, 3]);
  const weights = [zeros([8, 3]), zeros([8, 2]), zeros([8]), zeros([8])];
  throwsNamed(() => F.lstm(x, { weights, lengths: [2 ** 32 + 2, 3] }), /^lstm: a length \(lengths\[0\] = 4294967298\) exceeds the time dimension 3$/);
  throwsNamed(() => F.lstm(x, { weights, lengths: [3, 0] }), /^lstm: lengths\[1\] is 0; a sequence needs a length of at least 1$/);
  throwsNamed(() => F.lstm(x, { weights, lengths: Int32Array.of(-1, 3) }), /^lstm: lengths\[0\] is -1/);
  throwsNamed(() => F.lstm(x, { weights, lengths: [1.5, 3] }), /^lstm: lengths\[0\] must be an integer/);
  throwsNamed(() => F.lstm(zeros([0, 3, 3]), { weights, lengths: tensor([], { dtype: 'int64' }) }), /^lstm: lengths need at least one sequence/);
  assert.deepEqual(F.lstm(x, { weights, lengths: [3, 1] }).shape, [2, 3, 2]);
}));

test('values an int64 tensor cannot hold (NaN, ±Infinity, beyond ±2^63) are refused, not stored as INT64_MIN', () => tidy(() => {
  throwsNamed(() => tensor(NaN, { dtype: 'int64' }), /^tensor: element 0 is NaN, which an int64 tensor cannot hold/);
  throwsNamed(() => tensor([1, 1e300], { dtype: 'int64' }), /^tensor: element 1 is 1e\+300/);
  throwsNamed(() => tensor(Float32Array.of(Infinity), { dtype: 'int64' }), /^tensor: element 0 is Infinity/);
  throwsNamed(() => tensor([2 ** 63], { dtype: 'int64' }), /^tensor: element 0 is 9223372036854776000/);
  throwsNamed(() => T.full([2], NaN, 'int64'), /^full: value NaN does not fit an int64 tensor$/);
  throwsNamed(() => zeros([2], 'int64').fill_(2 ** 63), /^fill_: value 9223372036854776000 does not fit an int64 tensor$/);
  throwsNamed(() => zeros([2], 'int64').maskedFill(tensor([true, false]), -Infinity), /^maskedFill: value -Infinity does not fit an int64 tensor$/);
  assert.deepEqual(tensor([-(2 ** 63), 2 ** 62], { dtype: 'int64' }).toTypedArray(), BigInt64Array.of(-(2n ** 63n), 2n ** 62n));
  assert.deepEqual(zeros([2], 'int64').fill_(-(2 ** 63)).toTypedArray(), BigInt64Array.of(-(2n ** 63n), -(2n ** 63n)));
  // Arithmetic with a float scalar promotes the result (libtorch's rule), so it is no stored value.
  assert.deepEqual(zeros([1], 'int64').add(0.5).toArray(), [0.5]);
  assert.deepEqual(zeros([2]).fill_(NaN).toArray(), [NaN, NaN]);
}));

test('toArray refuses an empty tensor of billions of nested arrays, quickly, and builds the small ones', () => tidy(() => {
  const t0 = Date.now();
  throwsNamed(() => zeros([2 ** 31, 0]).toArray(), new RegExp(`^toArray: shape \\[2147483648,0\\] makes 2147483648 nested arrays and numbers, more than ${MAX_TO_ARRAY_VALUES}; use toTypedArray\\(\\) and shape$`));
  assert.ok(Date.now() - t0 < 1000, 'Date.now() - t0 < 1000');
  assert.deepEqual(zeros([3, 0]).toArray(), [[], [], []]);
  assert.deepEqual(zeros([0, 2 ** 40]).toArray(), []);
  assert.deepEqual(zeros([]).toArray(), 0);
}));

test('errors at the boundary name the op: SharedArrayBuffer data is read, a non-function callback is refused', () => tidy(() => {
  const shared = new Float32Array(new SharedArrayBuffer(12));
  shared.set([1, 2, 3]);
  const t = tensor(shared);
  shared[0] = 9; // copied at once
  assert.deepEqual(t.toArray(), [1, 2, 3]);
  assert.deepEqual(tensor(new Float32Array(new SharedArrayBuffer(16), 4, 2).fill(5)).toArray(), [5, 5]);
  const state = T.getRngState();
  const sharedState = new Uint8Array(new SharedArrayBuffer(state.length));
  sharedState.set(state);
  T.setRngState(sharedState);
  throwsNamed(() => T.inferenceMode(42 as unknown as () => void), /^inferenceMode: expected a function, got 42$/);
  throwsNamed(() => N.inferenceMode(42 as unknown as () => void), /^inferenceMode: expected a function, got 42$/);
  throwsNamed(() => tensor(new DataView(new ArrayBuffer(8)) as unknown as Float32Array), /^tensor: expected a typed array, got a DataView$/);
  throwsNamed(() => N.fromData(new DataView(new ArrayBuffer(8)), [2], 0), /^tensor: expected a typed array, got an object$/);
}));

test('a tensor disposed by a JS getter while its op reads a later argument: the op works on the tensor it was given', () => {
  // The binding holds its tensor arguments for the call; it used to read the disposed handle (a libtorch
  // error about a tensor of size 0, by luck not a crash).
  const disposing = (x: T.Tensor, values: number[]) => {
    const a = [...values];
    Object.defineProperty(a, 0, { get: () => (x.dispose(), values[0]), enumerable: true });
    return a;
  };
  const x = tensor([1, 2, 3, 4]);
  assert.deepEqual(x.reshape(disposing(x, [2, 2])).toArray(), [[1, 2], [3, 4]]);
  assert.equal(x.isDisposed, true);
  const y = tensor([[1, 2], [3, 4]]);
  assert.deepEqual(y.sum(disposing(y, [1])).toArray(), [3, 7]);
  const z = tensor([[1, 2]]);
  assert.deepEqual(z.expand(disposing(z, [2, 2])).toArray(), [[1, 2], [1, 2]]);
  throwsNamed(() => x.add(1), /^add: tensor has been disposed/);
});
