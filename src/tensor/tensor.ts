/**
 * The Tensor class: a JS handle on one libtorch `at::Tensor`.
 *
 * - Out-of-place ops return new Tensors (tracked by the current `tidy` scope, if any).
 * - In-place ops (`add_`, `mul_`, …) modify this tensor and return `this`.
 * - `dispose()` frees this handle's reference at once; views, `.grad` handles etc. are separate handles
 *   on shared storage, so disposing one never invalidates another.
 * - Numbers passed where a tensor is accepted are scalars (integers stay integral for int64 tensors).
 */
import { lazyNative, type NativeBinding, type NativeHandle } from '../native/loader.js';
import { Scoped, scopeDepth } from './scope.js';
import { int, intIn, optInt, shown } from './check.js';

/** The binding, loaded at the first tensor operation (not at import). */
export let N: NativeBinding = lazyNative((binding) => (N = binding));

export type DType = 'float32' | 'float64' | 'int64' | 'bool';
const DTYPES: readonly DType[] = ['float32', 'float64', 'int64', 'bool'];
const DTYPE_CODE: Record<DType, number> = { float32: 0, float64: 1, int64: 2, bool: 3 };

type AnyTypedArray = Float32Array | Float64Array | BigInt64Array | Uint8Array;
export type NestedArray = number | boolean | NestedArray[];

export function dtypeCode(d: DType): number {
  const c = DTYPE_CODE[d];
  if (c === undefined) throw new TypeError(`unknown dtype "${String(d)}" (expected float32, float64, int64 or bool)`);
  return c;
}

// op codes shared with src/native/entrel.cc (the ones the Tensor methods use; the addon has a few more)
const U = { neg: 0, exp: 1, log: 2, sqrt: 3, abs: 4, relu: 5, tanh: 6, sigmoid: 7, contiguous: 8, clone: 9,
  logicalNot: 10, detach: 11, square: 12, reciprocal: 13, log1p: 14 } as const;
const UI = { sqrt_: 0, zero_: 1 } as const;
const B = { add: 0, sub: 1, mul: 2, div: 3, matmul: 4, eq: 5, ne: 6, lt: 7, le: 8, gt: 9, ge: 10, pow: 11,
  maximum: 12, minimum: 13, logicalAnd: 14, bmm: 15 } as const;
const BS = { add: 0, sub: 1, mul: 2, div: 3, pow: 4, eq: 5, ne: 6, lt: 7, le: 8, gt: 9, ge: 10, rsub: 11 } as const;
const BI = { add_: 0, sub_: 1, mul_: 2, div_: 3, copy_: 4 } as const;
const BSI = { add_: 0, sub_: 1, mul_: 2, div_: 3, fill_: 4 } as const;
const R = { sum: 0, mean: 1, logsumexp: 2, amax: 3 } as const;

/** A reduction's dims as the binding takes them (the binding checks the elements of an array). */
function normDims(op: string, dims: number | number[] | undefined | null): number[] | null {
  if (dims === undefined || dims === null) return null;
  return Array.isArray(dims) ? dims : [int(op, 'dim', dims)];
}

/** The error for an operand that is neither a Tensor nor a number (a string from JSON, a BigInt). */
function notOperand(codes: Record<string, number>, code: number, o: unknown): TypeError {
  const op = Object.keys(codes).find((k) => codes[k] === code);
  return new TypeError(`${op}: expected a Tensor or a number, got ${shown(o)}`);
}

/** Most JS values (nested arrays and numbers) `toArray()` builds; beyond that, toTypedArray() and shape. */
export const MAX_TO_ARRAY_VALUES = 2 ** 27;

/** How many arrays and numbers nested arrays of `shape` hold (an empty tensor can still have billions of arrays). */
function nestedValues(shape: number[]): number {
  let total = 0;
  let level = 1;
  for (const s of shape) {
    level *= s;
    total += level;
    if (level === 0) break;
  }
  return total;
}

export class Tensor extends Scoped {
  /** @internal native handle */
  _n: NativeHandle;
  private _shape: number[] | undefined;
  private _dtype: DType | undefined;

  /** @internal use the creation functions (tensor, zeros, …) instead. */
  constructor(handle: NativeHandle) {
    super();
    this._n = handle;
    if (scopeDepth() === 0) this._leftToGc();
  }

  /** @internal */
  override _leftToGc(): void {
    N.track(this._n);
  }

  // ---------------------------------------------------------------- introspection
  get shape(): number[] {
    if (this._shape === undefined) this._shape = N.shape(this._n);
    return this._shape.slice();
  }
  /** Number of dimensions. */
  get ndim(): number {
    if (this._shape === undefined) this._shape = N.shape(this._n);
    return this._shape.length;
  }
  /** Size of one dimension (negative counts from the end). */
  size(dim: number): number {
    if (this._shape === undefined) this._shape = N.shape(this._n);
    int('size', 'dim', dim);
    const d = dim < 0 ? dim + this._shape.length : dim;
    if (d < 0 || d >= this._shape.length)
      throw new RangeError(`size: dimension ${dim} out of range for shape [${this._shape.join(',')}]`);
    return this._shape[d];
  }
  get dtype(): DType {
    if (this._dtype === undefined) this._dtype = DTYPES[N.dtype(this._n)];
    return this._dtype;
  }
  get numel(): number {
    return N.numel(this._n);
  }
  override get isDisposed(): boolean {
    return N.isDisposed(this._n);
  }
  /** Frees this handle's reference to the native tensor now (idempotent). */
  override dispose(): void {
    N.dispose(this._n);
  }
  override toString(): string {
    return this.isDisposed ? 'Tensor(disposed)' : `Tensor(${this.dtype}, [${this.shape.join(',')}])`;
  }

  // ---------------------------------------------------------------- data transfer
  /**
   * A copy of the data in row-major order: float32 → Float32Array, float64 → Float64Array,
   * int64 → BigInt64Array, bool → Uint8Array (0/1). One memcpy from native memory.
   */
  toTypedArray(): AnyTypedArray {
    const buf = N.data(this._n, -1);
    switch (this.dtype) {
      case 'float32': return new Float32Array(buf);
      case 'float64': return new Float64Array(buf);
      case 'int64': return new BigInt64Array(buf);
      default: return new Uint8Array(buf);
    }
  }
  /** Data converted to int32 (indices, tags, …). */
  toInt32Array(): Int32Array {
    return new Int32Array(N.data(this._n, 4));
  }
  /** Data converted to float32. */
  toFloat32Array(): Float32Array {
    return new Float32Array(N.data(this._n, 0));
  }
  /** Data converted to float64 (exact for every dtype except int64 beyond 2^53). */
  toFloat64Array(): Float64Array {
    return new Float64Array(N.data(this._n, 1));
  }
  /** Nested JS arrays (numbers; booleans for bool tensors). A 0-d tensor gives a bare number. */
  toArray(): NestedArray {
    const shape = this.shape;
    const values = nestedValues(shape);
    if (values > MAX_TO_ARRAY_VALUES)
      throw new RangeError(`toArray: shape [${shape.join(',')}] makes ${values} nested arrays and numbers, more than ${MAX_TO_ARRAY_VALUES}; use toTypedArray() and shape`);
    const flat: ArrayLike<number> = this.dtype === 'bool' ? new Uint8Array(N.data(this._n, -1)) : this.toFloat64Array();
    const isBool = this.dtype === 'bool';
    const conv = (i: number): number | boolean => (isBool ? flat[i] !== 0 : flat[i]);
    if (shape.length === 0) return conv(0);
    let pos = 0;
    const build = (d: number): NestedArray[] => {
      const out: NestedArray[] = new Array(shape[d]);
      if (d === shape.length - 1) for (let i = 0; i < shape[d]; i++) out[i] = conv(pos++);
      else for (let i = 0; i < shape[d]; i++) out[i] = build(d + 1);
      return out;
    };
    return build(0);
  }
  /** Value of a one-element tensor (bool → 0/1). */
  item(): number {
    return N.item(this._n);
  }

  // ---------------------------------------------------------------- element-wise
  private _b(o: Tensor | number, t: number, s: number): Tensor {
    if (typeof o === 'number') return new Tensor(N.binS(this._n, o, s));
    if (o instanceof Tensor) return new Tensor(N.bin(this._n, o._n, t));
    throw notOperand(B, t, o);
  }
  add(o: Tensor | number): Tensor { return this._b(o, B.add, BS.add); }
  sub(o: Tensor | number): Tensor { return this._b(o, B.sub, BS.sub); }
  mul(o: Tensor | number): Tensor { return this._b(o, B.mul, BS.mul); }
  div(o: Tensor | number): Tensor { return this._b(o, B.div, BS.div); }
  /** this ** o (element-wise; o a number or a tensor). */
  pow(o: Tensor | number): Tensor { return this._b(o, B.pow, BS.pow); }
  /** s - this */
  rsub(s: number): Tensor { return new Tensor(N.binS(this._n, s, BS.rsub)); }
  maximum(o: Tensor): Tensor { return new Tensor(N.bin(this._n, o._n, B.maximum)); }
  minimum(o: Tensor): Tensor { return new Tensor(N.bin(this._n, o._n, B.minimum)); }
  eq(o: Tensor | number): Tensor { return this._b(o, B.eq, BS.eq); }
  ne(o: Tensor | number): Tensor { return this._b(o, B.ne, BS.ne); }
  lt(o: Tensor | number): Tensor { return this._b(o, B.lt, BS.lt); }
  le(o: Tensor | number): Tensor { return this._b(o, B.le, BS.le); }
  gt(o: Tensor | number): Tensor { return this._b(o, B.gt, BS.gt); }
  ge(o: Tensor | number): Tensor { return this._b(o, B.ge, BS.ge); }
  logicalAnd(o: Tensor): Tensor { return new Tensor(N.bin(this._n, o._n, B.logicalAnd)); }
  logicalNot(): Tensor { return new Tensor(N.un(this._n, U.logicalNot)); }
  neg(): Tensor { return new Tensor(N.un(this._n, U.neg)); }
  exp(): Tensor { return new Tensor(N.un(this._n, U.exp)); }
  log(): Tensor { return new Tensor(N.un(this._n, U.log)); }
  log1p(): Tensor { return new Tensor(N.un(this._n, U.log1p)); }
  sqrt(): Tensor { return new Tensor(N.un(this._n, U.sqrt)); }
  square(): Tensor { return new Tensor(N.un(this._n, U.square)); }
  reciprocal(): Tensor { return new Tensor(N.un(this._n, U.reciprocal)); }
  abs(): Tensor { return new Tensor(N.un(this._n, U.abs)); }
  relu(): Tensor { return new Tensor(N.un(this._n, U.relu)); }
  tanh(): Tensor { return new Tensor(N.un(this._n, U.tanh)); }
  sigmoid(): Tensor { return new Tensor(N.un(this._n, U.sigmoid)); }
  /** Clamps to [min, max]; pass null (or undefined) for an open side. */
  clamp(min: number | null | undefined, max?: number | null): Tensor {
    return new Tensor(N.clamp(this._n, min ?? null, max ?? null, false) as NativeHandle);
  }
  /** Matrix product with numpy/torch broadcasting semantics (torch.matmul). */
  matmul(o: Tensor): Tensor { return new Tensor(N.bin(this._n, o._n, B.matmul)); }
  /** Batched matrix product [b,n,m] × [b,m,p]. */
  bmm(o: Tensor): Tensor { return new Tensor(N.bin(this._n, o._n, B.bmm)); }

  // ---------------------------------------------------------------- reductions
  /** Sum over `dim` (a number or list), or over everything when omitted. */
  sum(dim?: number | number[], keepdim = false): Tensor { return new Tensor(N.reduce(this._n, R.sum, normDims('sum', dim), keepdim)); }
  mean(dim?: number | number[], keepdim = false): Tensor { return new Tensor(N.reduce(this._n, R.mean, normDims('mean', dim), keepdim)); }
  /** Max values over `dim` (or everything), no indices, differentiable. */
  amax(dim?: number | number[], keepdim = false): Tensor { return new Tensor(N.reduce(this._n, R.amax, normDims('amax', dim), keepdim)); }
  logsumexp(dim: number | number[], keepdim = false): Tensor {
    return new Tensor(N.reduce(this._n, R.logsumexp, normDims('logsumexp', dim), keepdim));
  }
  /** Max over a dimension: values and int64 indices. */
  max(dim: number, keepdim = false): { values: Tensor; indices: Tensor } {
    const [v, i] = N.max(this._n, int('max', 'dim', dim), keepdim);
    return { values: new Tensor(v), indices: new Tensor(i) };
  }
  /** Index of the max along `dim` (over the flattened tensor when omitted). */
  argmax(dim?: number, keepdim = false): Tensor { return new Tensor(N.argmax(this._n, optInt('argmax', 'dim', dim), keepdim)); }
  logSoftmax(dim: number): Tensor { return new Tensor(N.softmax(this._n, int('logSoftmax', 'dim', dim), true)); }
  softmax(dim: number): Tensor { return new Tensor(N.softmax(this._n, int('softmax', 'dim', dim), false)); }
  /** p-norm of all elements (default 2) as a 0-d tensor. */
  norm(p = 2): Tensor { return new Tensor(N.norm(this._n, p)); }

  // ---------------------------------------------------------------- shape and indexing
  reshape(shape: number[]): Tensor { return new Tensor(N.reshape(this._n, shape, false)); }
  /** Like reshape but never copies (throws if the memory layout does not allow a view). */
  view(shape: number[]): Tensor { return new Tensor(N.reshape(this._n, shape, true)); }
  permute(dims: number[]): Tensor { return new Tensor(N.permute(this._n, dims)); }
  transpose(a: number, b: number): Tensor {
    return new Tensor(N.transpose(this._n, int('transpose', 'dim0', a), int('transpose', 'dim1', b)));
  }
  /** Transpose of a 2-d tensor. */
  get T(): Tensor { return new Tensor(N.transpose(this._n, 0, 1)); }
  narrow(dim: number, start: number, length: number): Tensor {
    return new Tensor(N.narrow(this._n, int('narrow', 'dim', dim), int('narrow', 'start', start), int('narrow', 'length', length)));
  }
  /** Python-style slice [start:end:step] along dim (negative start/end count from the end). */
  slice(dim: number, start: number, end?: number, step = 1): Tensor {
    const last = end === undefined ? Number.MAX_SAFE_INTEGER : int('slice', 'end', end);
    return new Tensor(N.slice(this._n, int('slice', 'dim', dim), int('slice', 'start', start), last, intIn('slice', 'step', step, 1, Number.MAX_SAFE_INTEGER)));
  }
  /** Rows `idx` (int64, 1-d) along `dim`. */
  indexSelect(dim: number, idx: Tensor): Tensor { return new Tensor(N.indexSelect(this._n, int('indexSelect', 'dim', dim), idx._n)); }
  gather(dim: number, idx: Tensor): Tensor { return new Tensor(N.gather(this._n, int('gather', 'dim', dim), idx._n)); }
  unsqueeze(dim: number): Tensor { return new Tensor(N.unsqueeze(this._n, int('unsqueeze', 'dim', dim))); }
  /** Removes size-1 dimension `dim`, or all size-1 dimensions when omitted. */
  squeeze(dim?: number): Tensor { return new Tensor(N.squeeze(this._n, optInt('squeeze', 'dim', dim))); }
  /** Broadcast view to `shape` (-1 keeps a dimension). */
  expand(shape: number[]): Tensor { return new Tensor(N.expand(this._n, shape)); }
  contiguous(): Tensor { return new Tensor(N.un(this._n, U.contiguous)); }
  /** Converts to `dtype` (differentiable between float types). */
  to(dtype: DType): Tensor { return new Tensor(N.to(this._n, dtypeCode(dtype))); }
  clone(): Tensor { return new Tensor(N.un(this._n, U.clone)); }
  /** Copy with `value` where `mask` (bool, broadcastable) is true. */
  maskedFill(mask: Tensor, value: number): Tensor {
    return new Tensor(N.maskedFill(this._n, mask._n, value, false) as NativeHandle);
  }

  // ---------------------------------------------------------------- autograd
  get requiresGrad(): boolean { return N.requiresGrad(this._n); }
  set requiresGrad(b: boolean) { N.setRequiresGrad(this._n, b); }
  /** Sets requires_grad (leaf tensors only) and returns this. */
  requiresGrad_(b = true): this { N.setRequiresGrad(this._n, b); return this; }
  /** The accumulated gradient (a new handle on the same storage), or null. */
  get grad(): Tensor | null {
    const g = N.grad(this._n);
    return g === null ? null : new Tensor(g);
  }
  set grad(g: Tensor | null) { N.setGrad(this._n, g === null ? null : g._n); }
  /** Back-propagates from this tensor (a scalar unless `grad` is given), freeing the graph. */
  backward(grad?: Tensor): void {
    N.backward(this._n, grad ? grad._n : null, false);
  }
  /** A new handle sharing storage, cut from the graph. */
  detach(): Tensor { return new Tensor(N.un(this._n, U.detach)); }
  /** Drops the gradient (like PyTorch's zero_grad(set_to_none=True)). */
  zeroGrad(): void { N.setGrad(this._n, null); }

  // ---------------------------------------------------------------- in place (return this)
  private _bi(o: Tensor | number, t: number, s: number, alpha = 1): this {
    if (typeof o === 'number') N.binSI(this._n, alpha === 1 ? o : o * alpha, s);
    else if (o instanceof Tensor) N.binI(this._n, o._n, t, alpha);
    else throw notOperand(BI, t, o);
    return this;
  }
  /** this += alpha * o */
  add_(o: Tensor | number, alpha = 1): this { return this._bi(o, BI.add_, BSI.add_, alpha); }
  /** this -= alpha * o */
  sub_(o: Tensor | number, alpha = 1): this { return this._bi(o, BI.sub_, BSI.sub_, alpha); }
  mul_(o: Tensor | number): this { return this._bi(o, BI.mul_, BSI.mul_); }
  div_(o: Tensor | number): this { return this._bi(o, BI.div_, BSI.div_); }
  /** this += value * a * b */
  addcmul_(a: Tensor, b: Tensor, value = 1): this { N.addcI(this._n, a._n, b._n, value, 0); return this; }
  /** this += value * a / b */
  addcdiv_(a: Tensor, b: Tensor, value = 1): this { N.addcI(this._n, a._n, b._n, value, 1); return this; }
  /** Copies src (broadcastable, any dtype) into this. */
  copy_(src: Tensor): this { N.binI(this._n, src._n, BI.copy_, 1); return this; }
  zero_(): this { N.unI(this._n, UI.zero_); return this; }
  fill_(v: number): this { N.binSI(this._n, v, BSI.fill_); return this; }
  sqrt_(): this { N.unI(this._n, UI.sqrt_); return this; }
}
