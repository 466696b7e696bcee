/**
 * Creating tensors. Default dtypes: nested number arrays → float32; nested booleans → bool;
 * Float32Array → float32, Float64Array → float64, Int32Array / BigInt64Array → int64, Uint8Array → bool.
 * `opts.dtype` converts (in native code, in one pass).
 */
import { N, Tensor, dtypeCode, type DType, type NestedArray } from './tensor.js';
import { int, intIn } from './check.js';

type TensorData = NestedArray | Float32Array | Float64Array | Int32Array | BigInt64Array | Uint8Array;

function inferShape(data: NestedArray): number[] {
  const shape: number[] = [];
  let cur: NestedArray = data;
  while (Array.isArray(cur)) {
    shape.push(cur.length);
    if (cur.length === 0) break;
    cur = cur[0];
  }
  return shape;
}

function checkShape(op: string, shape: number[]): void {
  if (!Array.isArray(shape)) throw new TypeError(`${op}: shape must be an array of non-negative integers`);
  for (const s of shape)
    if (!Number.isSafeInteger(s) || s < 0)
      throw new RangeError(`${op}: invalid shape [${shape.join(',')}] (sizes must be non-negative integers up to 2^53 − 1)`);
}

/** int64 holds [-2^63, 2^63), both ends exact in a double. */
const INT64_END = 2 ** 63;

/**
 * Numbers going into an int64 tensor must be finite and within int64: libtorch's conversion turns NaN,
 * ±Infinity and 1e300 into INT64_MIN without a word. Fractions truncate toward 0, as torch's `.long()`.
 */
function checkInt64Data(data: ArrayBufferView): void {
  if (!(data instanceof Float64Array || data instanceof Float32Array)) return;
  for (let i = 0; i < data.length; i++) {
    const v = data[i];
    if (!(v >= -INT64_END && v < INT64_END))
      throw new RangeError(`tensor: element ${i} is ${v}, which an int64 tensor cannot hold (a finite number within ±2^63 is needed)`);
  }
}

/** Creates a tensor from nested arrays or a typed array (copied once). `shape` defaults to 1-d. */
export function tensor(data: TensorData, opts: { dtype?: DType; shape?: number[]; requiresGrad?: boolean } = {}): Tensor {
  let flat: ArrayBufferView;
  let shape: number[];
  let dtype: DType;
  if (ArrayBuffer.isView(data)) {
    if (data instanceof DataView) throw new TypeError('tensor: expected a typed array, got a DataView');
    flat = data;
    shape = opts.shape ?? [(data as Float32Array).length];
    dtype = opts.dtype ??
      (data instanceof Float32Array ? 'float32' : data instanceof Float64Array ? 'float64'
        : data instanceof Uint8Array ? 'bool' : 'int64');
  } else if (typeof data === 'number' || typeof data === 'boolean') {
    shape = opts.shape ?? [];
    dtype = opts.dtype ?? (typeof data === 'boolean' ? 'bool' : 'float32');
    flat = typeof data === 'boolean' ? Uint8Array.of(data ? 1 : 0) : Float64Array.of(data);
  } else {
    const inferred = inferShape(data);
    const out: (number | boolean)[] = (data as unknown[]).flat(Infinity) as (number | boolean)[];
    let n = 1;
    for (const s of inferred) n *= s;
    if (out.length !== n)
      throw new RangeError(`tensor: ragged nested array (shape [${inferred.join(',')}] implies ${n} elements, got ${out.length})`);
    const isBool = out.length > 0 && typeof out[0] === 'boolean';
    dtype = opts.dtype ?? (isBool ? 'bool' : 'float32');
    if (isBool) flat = Uint8Array.from(out as boolean[], (b) => (b ? 1 : 0));
    else {
      const f = new Float64Array(out.length);
      for (let i = 0; i < out.length; i++) {
        const v = out[i];
        if (typeof v !== 'number') throw new TypeError(`tensor: element ${i} is ${typeof v}, expected a number`);
        f[i] = v;
      }
      flat = f;
    }
    shape = opts.shape ?? inferred;
  }
  checkShape('tensor', shape);
  if (dtype === 'int64') checkInt64Data(flat);
  const t = new Tensor(N.fromData(flat, shape, dtypeCode(dtype)));
  if (opts.requiresGrad) t.requiresGrad_(true);
  return t;
}

export function zeros(shape: number[], dtype: DType = 'float32'): Tensor {
  checkShape('zeros', shape);
  return new Tensor(N.full(shape, 0, dtypeCode(dtype)));
}
export function ones(shape: number[], dtype: DType = 'float32'): Tensor {
  checkShape('ones', shape);
  return new Tensor(N.full(shape, 1, dtypeCode(dtype)));
}
export function full(shape: number[], value: number, dtype: DType = 'float32'): Tensor {
  checkShape('full', shape);
  return new Tensor(N.full(shape, value, dtypeCode(dtype)));
}
export function zerosLike(t: Tensor): Tensor {
  return zeros(t.shape, t.dtype);
}

/** arange(n) = [0..n), arange(start, end[, step]); dtype defaults to int64. */
export function arange(startOrN: number, end?: number, dtypeOrStep?: DType | number, dtype?: DType): Tensor {
  const start = end === undefined ? 0 : startOrN;
  const stop = end === undefined ? startOrN : end;
  const step = typeof dtypeOrStep === 'number' ? dtypeOrStep : 1;
  const dt: DType = typeof dtypeOrStep === 'string' ? dtypeOrStep : (dtype ?? 'int64');
  return new Tensor(N.arange(start, stop, step, dtypeCode(dt)));
}

/** Uniform samples in [lo, hi) from libtorch's default generator (see manualSeed). */
export function randUniform(shape: number[], lo = 0, hi = 1, dtype: DType = 'float32'): Tensor {
  checkShape('randUniform', shape);
  return new Tensor(N.randUniform(shape, lo, hi, dtypeCode(dtype)));
}
export function randNormal(shape: number[], mean = 0, std = 1, dtype: DType = 'float32'): Tensor {
  checkShape('randNormal', shape);
  return new Tensor(N.randNormal(shape, mean, std, dtypeCode(dtype)));
}
/** Integers uniform in [lo, hi), int64. */
export function randint(lo: number, hi: number, shape: number[]): Tensor {
  checkShape('randint', shape);
  return new Tensor(N.randint(int('randint', 'lo', lo), int('randint', 'hi', hi), shape));
}
export function eye(n: number, dtype: DType = 'float32'): Tensor {
  return new Tensor(N.eye(intIn('eye', 'n', n, 0, Number.MAX_SAFE_INTEGER), dtypeCode(dtype)));
}

/** Seeds libtorch's default CPU generator (all rand*, dropout). */
export function manualSeed(seed: number): void {
  N.manualSeed(intIn('manualSeed', 'seed', seed, 0, Number.MAX_SAFE_INTEGER));
}
/** The generator's full state (copy) — store it in checkpoints to resume exactly. */
export function getRngState(): Uint8Array {
  return N.getRngState();
}
export function setRngState(state: Uint8Array): void {
  if (!(state instanceof Uint8Array)) throw new TypeError('setRngState: expected a Uint8Array');
  N.setRngState(state);
}
