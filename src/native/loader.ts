/**
 * Loads the libtorch binding `build/Release/entrel_native.node`.
 *
 * Before the addon (and with it libtorch and OpenBLAS) is loaded, `OPENBLAS_NUM_THREADS` is set to 1
 * unless the user set it: libtorch parallelises at the op level itself, and nested OpenBLAS threads
 * oversubscribe the cores (measured: 3× slower, erratic). After loading, libtorch's intra-op thread
 * count is set from `ENTREL_THREADS` (default 2; training's `threads` and the Extractor's, default 1, then
 * set their own) and the inter-op pool to 1 (nothing here uses it).
 * `ENTREL_NATIVE_PATH` overrides the location of the .node file (a relative path is taken from the current
 * directory). A binding that cannot load is a UserError saying what to install or rebuild; nothing is
 * written to stderr here (the CLI prints the error once, a library caller gets it thrown).
 */
import { createRequire } from 'node:module';
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { UserError } from '../errors.js';

/** Opaque native tensor handle (a wrapped `at::Tensor`). */
export interface NativeHandle {
  readonly __nativeTensor: unique symbol;
}
type H = NativeHandle;
type HN = NativeHandle | null;

/** The raw binding. Dtype codes: 0 float32, 1 float64, 2 int64, 3 bool. Op codes: see tensor.ts. */
export interface NativeBinding {
  // introspection
  shape(a: H): number[];
  dtype(a: H): number;
  numel(a: H): number;
  isDisposed(a: H): boolean;
  dispose(a: H): void;
  liveCount(): number;
  track(a: H): void;
  data(a: H, dtype: number): ArrayBuffer;
  item(a: H): number;
  fromData(data: ArrayBufferView, shape: number[], dtype: number): H;
  // element-wise and generic op families
  un(a: H, op: number): H;
  unI(a: H, op: number): void;
  bin(a: H, b: H, op: number): H;
  binS(a: H, s: number, op: number): H;
  binI(a: H, b: H, op: number, alpha: number): void;
  binSI(a: H, s: number, op: number): void;
  addcI(a: H, b: H, c: H, value: number, op: number): void;
  clamp(a: H, lo: number | null, hi: number | null, inplace: boolean): H | undefined;
  // reductions
  reduce(a: H, op: number, dims: number[] | null, keepdim: boolean): H;
  max(a: H, dim: number, keepdim: boolean): [H, H];
  argmax(a: H, dim: number | null, keepdim: boolean): H;
  softmax(a: H, dim: number, log: boolean): H;
  norm(a: H, p: number): H;
  // shapes and indexing
  reshape(a: H, shape: number[], view: boolean): H;
  permute(a: H, dims: number[]): H;
  transpose(a: H, d0: number, d1: number): H;
  narrow(a: H, dim: number, start: number, len: number): H;
  slice(a: H, dim: number, start: number, end: number, step: number): H;
  indexSelect(a: H, dim: number, idx: H): H;
  gather(a: H, dim: number, idx: H): H;
  unsqueeze(a: H, dim: number): H;
  squeeze(a: H, dim: number | null): H;
  expand(a: H, shape: number[]): H;
  to(a: H, dtype: number): H;
  flip(a: H, dims: number[]): H;
  maskedFill(a: H, mask: H, v: number, inplace: boolean): H | undefined;
  where(c: H, a: H, b: H): H;
  cat(ts: H[], dim: number, stack: boolean): H;
  // autograd
  requiresGrad(a: H): boolean;
  setRequiresGrad(a: H, b: boolean): void;
  grad(a: H): HN;
  setGrad(a: H, g: HN): void;
  backward(a: H, g: HN, retainGraph: boolean): void;
  setGradEnabled(b: boolean): boolean;
  isGradEnabled(): boolean;
  inferenceMode<T>(fn: () => T): T;
  isInferenceMode(): boolean;
  // creation and randomness
  full(shape: number[], v: number, dtype: number): H;
  arange(start: number, end: number, step: number, dtype: number): H;
  randUniform(shape: number[], lo: number, hi: number, dtype: number): H;
  randNormal(shape: number[], mean: number, std: number, dtype: number): H;
  randint(lo: number, hi: number, shape: number[]): H;
  randperm(n: number): H;
  eye(n: number, dtype: number): H;
  manualSeed(seed: number): void;
  getRngState(): Uint8Array;
  setRngState(s: Uint8Array): void;
  // nn
  embedding(w: H, idx: H, paddingIdx: number): H;
  linear(x: H, w: H, b: HN): H;
  conv1d(x: H, w: H, b: HN, stride: number, padding: number, dilation: number, groups: number): H;
  dropout(x: H, p: number, train: boolean): H;
  nllLoss(logp: H, target: H, reduction: number, ignoreIndex: number): H;
  crossEntropy(logits: H, target: H, reduction: number, ignoreIndex: number, labelSmoothing: number): H;
  oneHot(idx: H, n: number): H;
  multinomial(p: H, n: number, replacement: boolean): H;
  clipGradNorm(ps: H[], maxNorm: number, normType: number): number;
  lstm(
    x: H, params: H[], lengths: HN, h0: HN, c0: HN, hasBiases: boolean, numLayers: number,
    dropout: number, train: boolean, bidirectional: boolean, batchFirst: boolean,
  ): [H, H, H];
  // threads
  setNumThreads(n: number): void;
  getNumThreads(): number;
  setInteropThreads(n: number): boolean;
}

/** What to do, naming the package directory: `npm rebuild entrel` from a project that installed it (npm
 * brings node-gyp), `npm run build:native` in a checkout (`npx node-gyp` would have to download node-gyp). */
function installHint(root: string): string {
  return (
    'entrel needs libtorch (the C++ library behind PyTorch) and its native binding. Install libtorch with ' +
    '`apt-get install -y libtorch-dev libopenblas0-pthread` (elsewhere: set ENTREL_LIBTORCH to a libtorch directory ' +
    'holding include/ and lib/), then rebuild the binding: `npm rebuild entrel` in ' +
    `the project that installed entrel, or \`npm run build:native\` in ${root}.`
  );
}

/** Most libtorch intra-op threads accepted (more only costs: each one is started as the binding loads). */
export const MAX_THREADS = 1024;

/** Package root: the nearest ancestor of this file holding binding.gyp (works from src/ and dist/). */
function packageRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 6; i++) {
    if (existsSync(join(dir, 'binding.gyp'))) return dir;
    const up = dirname(dir);
    if (up === dir) break;
    dir = up;
  }
  return join(dirname(fileURLToPath(import.meta.url)), '..', '..');
}

let cached: NativeBinding | undefined;

export function threadsFromEnv(): number {
  const v = process.env.ENTREL_THREADS;
  if (v === undefined || v === '') return 2;
  const n = Number(v);
  if (!/^\s*\d+\s*$/.test(v) || n < 1 || n > MAX_THREADS)
    throw new UserError(`ENTREL_THREADS must be an integer from 1 to ${MAX_THREADS}, got "${v}"`);
  return n;
}

/** Loads (once) and returns the native binding; throws a UserError telling what to install if it cannot. */
export function loadNative(): NativeBinding {
  if (cached) return cached;
  if (process.env.OPENBLAS_NUM_THREADS === undefined) process.env.OPENBLAS_NUM_THREADS = '1';
  const root = packageRoot();
  const candidates = [join(root, 'build', 'Release', 'entrel_native.node'), join(root, 'build', 'Debug', 'entrel_native.node')];
  // require() would take a relative path from this file's directory (or as a package name): make it absolute.
  const override = process.env.ENTREL_NATIVE_PATH ? resolve(process.env.ENTREL_NATIVE_PATH) : undefined;
  const file = override ? (existsSync(override) ? override : undefined) : candidates.find((f) => existsSync(f));
  const require = createRequire(import.meta.url);
  let mod: NativeBinding;
  try {
    if (!file)
      throw new Error(override ? `ENTREL_NATIVE_PATH names ${override}, which does not exist` : `binding not built: ${candidates[0]} does not exist`);
    mod = require(file) as NativeBinding;
  } catch (e) {
    const why = (e as Error).message.split('\n')[0];
    const missingLib = /lib(torch|c10|openblas)[^ ]*\.so/.test(why);
    throw new UserError(`${installHint(root)} (${missingLib ? 'libtorch is missing' : 'cannot load the native binding'}: ${why})`, {}, 'ENTREL_NATIVE_MISSING');
  }
  mod.setNumThreads(threadsFromEnv());
  mod.setInteropThreads(1);
  cached = mod;
  return mod;
}

/**
 * A stand-in for the binding that loads it on first use, so that importing entrel for its data and
 * evaluation functions works without libtorch. `swap` receives the real binding at that first use: the
 * importing module replaces its stand-in with it, and later calls skip the Proxy.
 */
export function lazyNative(swap: (binding: NativeBinding) => void): NativeBinding {
  return new Proxy({} as NativeBinding, {
    get(_, key) {
      const binding = loadNative();
      swap(binding);
      return Reflect.get(binding, key);
    },
  });
}
