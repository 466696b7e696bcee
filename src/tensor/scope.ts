/**
 * Memory scopes. Every Tensor created while a `tidy` callback runs is recorded in that scope; when the
 * callback returns, every recorded tensor that is not part of the return value (a Tensor, or arrays /
 * plain objects / Maps containing Tensors, searched recursively) and not `keep()`-ed is disposed.
 * Returned tensors move to the enclosing scope (if any). Outside every scope, tensors are freed by the
 * GC finalizer. Only tensors left to the GC (made outside every scope, returned from the outermost one,
 * or kept) report their storage's bytes to V8 as external memory (once per storage, however many views
 * share it; see Track in entrel.cc): a scope's own tensors die with it, and counting them made V8 run
 * full collections for "external memory pressure" in large model batches.
 */
import { lazyNative, MAX_THREADS, type NativeBinding } from '../native/loader.js';
import { intIn, shown } from './check.js';

let N: NativeBinding = lazyNative((binding) => (N = binding));

/** Base of everything a scope can track. */
export abstract class Scoped {
  /** @internal set by keep(): never disposed by a scope. */
  _kept = false;
  abstract dispose(): void;
  abstract get isDisposed(): boolean;
  /** @internal from now on the GC decides when this is freed (reports its memory to V8). */
  abstract _leftToGc(): void;
  constructor() {
    const n = stack.length;
    if (n !== 0) stack[n - 1].push(this);
  }
}

const stack: Scoped[][] = [];

function collect(v: unknown, out: Set<Scoped>, depth: number): void {
  if (v === null || typeof v !== 'object' || depth > 8) return;
  if (v instanceof Scoped) {
    out.add(v);
    return;
  }
  if (Array.isArray(v)) {
    for (const x of v) collect(x, out, depth + 1);
    return;
  }
  if (v instanceof Map) {
    for (const x of v.values()) collect(x, out, depth + 1);
    return;
  }
  if (ArrayBuffer.isView(v)) return;
  const proto = Object.getPrototypeOf(v);
  if (proto === Object.prototype || proto === null) {
    for (const k of Object.keys(v)) collect((v as Record<string, unknown>)[k], out, depth + 1);
  }
}

/**
 * Runs `fn`; disposes every tensor created inside it that is not returned or kept. `fn` must be
 * synchronous (a Promise result throws). Scopes nest.
 */
export function tidy<T>(fn: () => T): T {
  const scope: Scoped[] = [];
  stack.push(scope);
  let result: T;
  try {
    result = fn();
  } catch (e) {
    stack.pop();
    for (const t of scope) if (!t._kept) t.dispose();
    throw e;
  }
  stack.pop();
  if (result instanceof Promise) {
    for (const t of scope) if (!t._kept) t.dispose();
    throw new TypeError('tidy: the callback must be synchronous (it returned a Promise)');
  }
  const parent = stack.length ? stack[stack.length - 1] : undefined;
  if (result === undefined || result === null || typeof result !== 'object') {
    for (const t of scope) if (!t._kept) t.dispose();
    return result;
  }
  const keepSet = new Set<Scoped>();
  collect(result, keepSet, 0);
  for (const t of scope) {
    if (t._kept) continue;
    if (keepSet.has(t)) {
      if (parent) parent.push(t);
      else t._leftToGc();
    } else t.dispose();
  }
  return result;
}

/** Exempts `t` (or each tensor in an array) from every scope: only dispose() or the GC frees it. */
export function keep<T extends Scoped | Scoped[]>(t: T): T {
  for (const x of Array.isArray(t) ? t : [t]) {
    x._kept = true;
    x._leftToGc();
  }
  return t;
}

/** Runs `fn` with autograd recording disabled (like torch.no_grad()). Synchronous only. */
export function noGrad<T>(fn: () => T): T {
  const prev = N.setGradEnabled(false);
  try {
    return fn();
  } finally {
    N.setGradEnabled(prev);
  }
}

/**
 * Runs `fn` in libtorch's inference mode (like torch.inference_mode()): no autograd recording, and none
 * of the bookkeeping noGrad still does (autograd dispatch, version counters, view tracking). Tensors
 * created inside must not reach autograd afterwards (libtorch refuses them). Synchronous only.
 */
export function inferenceMode<T>(fn: () => T): T {
  if (typeof fn !== 'function') throw new TypeError(`inferenceMode: expected a function, got ${shown(fn)}`);
  return N.inferenceMode(fn);
}

/** Number of native tensors alive (created and neither disposed nor garbage-collected). For tests. */
export function liveTensorCount(): number {
  return N.liveCount();
}

/** Depth of the current tidy() nesting (0 outside every scope). Internal: tensor.ts asks it of every new tensor. */
export function scopeDepth(): number {
  return stack.length;
}

/**
 * Sets libtorch's intra-op thread count for the calling thread (the main thread or a worker), 1 to
 * MAX_THREADS; other threads keep theirs. At load: ENTREL_THREADS, default 2; training and the
 * Extractor set their own.
 */
export function setNumThreads(n: number): void {
  N.setNumThreads(intIn('setNumThreads', 'n', n, 1, MAX_THREADS));
}

export function getNumThreads(): number {
  return N.getNumThreads();
}

/**
 * Gives the memory the allocator holds free back to the system (glibc's malloc_trim; false elsewhere):
 * the training loop calls it after each epoch, whose batches of every size leave the arenas fragmented.
 */
export function releaseFreeMemory(): boolean {
  return N.trimMemory();
}
