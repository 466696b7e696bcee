/**
 * Loads the libtorch binding `build/Release/entrel_native.node`.
 *
 * Before the addon (and with it libtorch and OpenBLAS) is loaded, `OPENBLAS_NUM_THREADS` is set to 1
 * unless the user set it: libtorch parallelises at the op level itself, and nested OpenBLAS threads
 * oversubscribe the cores (measured: 3× slower, erratic). After loading, libtorch's intra-op thread
 * count is set from `ENTREL_THREADS` (default 2; training's `threads` and the Extractor's, default 1, then
 * set their own) and the inter-op pool to 1 (nothing here uses it).
 * `ENTREL_NATIVE_PATH` overrides the location of the .node file (a relative path is taken from the current
 * directory). A binding that cannot load is a UserError (ENTREL_NATIVE_MISSING) saying what went wrong
 * and what to install, rebuild or change; nothing is written to stderr here (the CLI prints the error
 * once, a library caller gets it thrown).
 */
import { createRequire } from 'node:module';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { envCount, UserError } from '../errors.js';

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
  reportedBytes(): number;
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
  inferenceMode<T>(fn: () => T): T;
  // creation and randomness
  full(shape: number[], v: number, dtype: number): H;
  arange(start: number, end: number, step: number, dtype: number): H;
  randUniform(shape: number[], lo: number, hi: number, dtype: number): H;
  randNormal(shape: number[], mean: number, std: number, dtype: number): H;
  randint(lo: number, hi: number, shape: number[]): H;
  eye(n: number, dtype: number): H;
  manualSeed(seed: number): void;
  getRngState(): Uint8Array;
  setRngState(s: Uint8Array): void;
  // nn
  embedding(w: H, idx: H, paddingIdx: number): H;
  linear(x: H, w: H, b: HN): H;
  conv1d(x: H, w: H, b: HN, stride: number, padding: number, dilation: number, groups: number): H;
  dropout(x: H, p: number, train: boolean): H;
  crossEntropy(logits: H, target: H, reduction: number, ignoreIndex: number, labelSmoothing: number): H;
  oneHot(idx: H, n: number): H;
  clipGradNorm(ps: H[], maxNorm: number, normType: number): number;
  lstm(
    x: H, params: H[], lengths: HN, h0: HN, c0: HN, hasBiases: boolean, numLayers: number,
    dropout: number, train: boolean, bidirectional: boolean, batchFirst: boolean,
  ): [H, H, H];
  // threads
  setNumThreads(n: number): void;
  getNumThreads(): number;
  setInteropThreads(n: number): boolean;
  // memory
  trimMemory(): boolean;
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

/**
 * Most libtorch intra-op threads accepted (more only costs: each one is started as the binding loads).
 * The binding refuses more too (kMaxThreads in entrel.cc).
 */
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

/** How to rebuild the binding, naming the package directory (see installHint). */
function rebuildHint(root: string): string {
  return `\`npm rebuild entrel\` in the project that installed entrel, or \`npm run build:native\` in ${root}`;
}

/** What to do about a file that loads but is not entrel's binding. */
function fixBinding(root: string): string {
  return process.env.ENTREL_NATIVE_PATH ? "point ENTREL_NATIVE_PATH at entrel's binding, or unset it" : `rebuild it, ${rebuildHint(root)}`;
}

/**
 * What went wrong, and what to do, from the dynamic loader's message (`why`), as sharp does for libvips:
 * a library that is not there is installed, one of another version means rebuilding the binding
 * against it, a damaged one reinstalling it.
 */
function loadFailure(why: string, root: string): string {
  const path = process.env.LD_LIBRARY_PATH ? `LD_LIBRARY_PATH, now ${process.env.LD_LIBRARY_PATH}` : 'LD_LIBRARY_PATH';
  if (/undefined symbol/.test(why))
    return `the libtorch found is not the version the binding was built against (${why}): rebuild the binding against it, ${rebuildHint(root)}; or put the libtorch it was built with first (${path})`;
  if (/version `[^']*' not found/.test(why))
    return `a system library is older than the one the binding was built against (${why}): rebuild the binding on this system, ${rebuildHint(root)}`;
  if (/did not self-register/.test(why)) return `a shared library that is no Node.js addon was found instead of the binding (${why}): ${fixBinding(root)}`;
  const ofLibtorch = /lib(torch|c10|openblas)[^ :]*\.so/.test(why);
  if (ofLibtorch && /cannot open shared object file/.test(why)) return `${installHint(root)} (libtorch is missing: ${why})`;
  if (ofLibtorch)
    return `a libtorch library that was found is damaged or not one for this machine (${why}): reinstall libtorch (\`apt-get install --reinstall -y libtorch-dev libopenblas0-pthread\`), or take its directory off the library path (${path})`;
  return `${installHint(root)} (cannot load the native binding: ${why})`;
}

/** The functions the loader calls: a module without them is not entrel's binding. */
function isBinding(mod: unknown): mod is NativeBinding {
  const m = mod as Record<string, unknown> | null;
  return typeof m === 'object' && m !== null && ['setNumThreads', 'setInteropThreads', 'fromData'].every((k) => typeof m[k] === 'function');
}

/** libtorch's header that the build needs (scripts/libtorch-paths.cjs), when it is there; else undefined. */
function libtorchHeader(root: string): string | undefined {
  try {
    const { header } = createRequire(import.meta.url)(join(root, 'scripts', 'libtorch-paths.cjs')) as { header?: unknown };
    return typeof header === 'string' && existsSync(header) ? header : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Why the install script built nothing, as scripts/install-native.cjs recorded it in build/skipped.json
 * (npm hid its message): the reason on one line, and whether node-gyp ran and failed. undefined: no record
 * (an install script before the record, or one that never ran).
 */
function skipRecord(root: string): { reason: string; buildFailed: boolean } | undefined {
  try {
    const r = JSON.parse(readFileSync(join(root, 'build', 'skipped.json'), 'utf8')) as { reason?: unknown; buildFailed?: unknown } | null;
    return typeof r?.reason === 'string' ? { reason: r.reason.replace(/\s+/g, ' ').trim(), buildFailed: r.buildFailed === true } : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Why the binding was not built although libtorch is installed now: what the install script recorded
 * (libtorch was missing then, node-gyp could not run, or the build failed); else, with no build/ at all,
 * the script never ran (`--ignore-scripts`, or pnpm, which runs a dependency's build script only when the
 * project allows it) or ran before it kept a record; with a build/, the build failed (npm hid its output:
 * the install step lets the install finish). Installing libtorch, what installHint says first, would change
 * nothing.
 */
function notBuilt(root: string, file: string, header: string): string {
  const start = `the native binding was not built (${file} does not exist), though libtorch is installed (${header})`;
  const rebuild = `Run \`npm rebuild entrel\` (pnpm: \`pnpm rebuild entrel\`) in the project that installed entrel, or \`npm run build:native\` in ${root}.`;
  const failed = (why: string) =>
    `${start}: its build failed when entrel was installed${why}. Run \`npm rebuild entrel --foreground-scripts\` in the project that installed entrel to build it again and see the errors, or \`npm run build:native\` in ${root}.`;
  const skipped = skipRecord(root);
  if (skipped?.buildFailed) return failed(` (${skipped.reason})`);
  if (skipped) return `${start}: when entrel was installed, its install script did not build it: ${skipped.reason}. ${rebuild}`;
  if (!existsSync(join(root, 'build')))
    return (
      `${start}: it was not built when entrel was installed (its install script did not run, or libtorch was not installed then; ` +
      `pnpm runs a dependency's install script only when it is listed in onlyBuiltDependencies). ${rebuild}`
    );
  return failed('');
}

/** The .node file to load, or a UserError saying why there is none. */
function bindingFile(root: string): string {
  const candidates = [join(root, 'build', 'Release', 'entrel_native.node'), join(root, 'build', 'Debug', 'entrel_native.node')];
  const fail = (why: string) => new UserError(`${installHint(root)} (cannot load the native binding: ${why})`, {}, 'ENTREL_NATIVE_MISSING');
  const name = process.env.ENTREL_NATIVE_PATH;
  if (!name) {
    const built = candidates.find((f) => existsSync(f));
    if (built) return built;
    const header = libtorchHeader(root);
    if (header !== undefined) throw new UserError(notBuilt(root, candidates[0], header), {}, 'ENTREL_NATIVE_MISSING');
    const skipped = skipRecord(root);
    throw fail(`binding not built: ${candidates[0]} does not exist${skipped ? `; when entrel was installed, its install script did not build it: ${skipped.reason}` : ''}`);
  }
  // require() would take a relative path from this file's directory (or as a package name): make it absolute.
  const override = resolve(name);
  if (!existsSync(override)) throw fail(`ENTREL_NATIVE_PATH names ${override}, which does not exist`);
  // require() runs any other file as JavaScript.
  if (!override.endsWith('.node'))
    throw new UserError(`ENTREL_NATIVE_PATH names ${override}, which is not a native addon (a .node file): point it at entrel's binding (${candidates[0]} once built) or unset it`, {}, 'ENTREL_NATIVE_MISSING');
  return override;
}

/** Loads (once) and returns the native binding; throws a UserError telling what to install if it cannot. */
function loadNative(): NativeBinding {
  if (cached) return cached;
  if (process.env.OPENBLAS_NUM_THREADS === undefined) process.env.OPENBLAS_NUM_THREADS = '1';
  const root = packageRoot();
  const file = bindingFile(root);
  let mod: unknown;
  try {
    mod = createRequire(import.meta.url)(file);
  } catch (e) {
    throw new UserError(loadFailure((e as Error).message.split('\n')[0], root), {}, 'ENTREL_NATIVE_MISSING');
  }
  if (!isBinding(mod))
    throw new UserError(`${file} is a native addon but not entrel's binding (it has no setNumThreads): ${fixBinding(root)}`, {}, 'ENTREL_NATIVE_MISSING');
  // ENTREL_THREADS, read by the rule training and extraction read it by (envCount), else 2.
  mod.setNumThreads(envCount('ENTREL_THREADS', 1, MAX_THREADS) ?? 2);
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
