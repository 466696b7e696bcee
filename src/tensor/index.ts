/**
 * entrel's tensor engine: libtorch (via src/native) with a TypeScript face.
 *
 *   import { tensor, zeros, tidy, F } from '../tensor/index.js';
 *   const y = tidy(() => F.linear(x, w, b).relu());
 *
 * Functional ops are exported both as named functions (cat, linear, …) and as the namespace `F`.
 * Memory: use `tidy(fn)` in loops (frees every tensor made inside that is not returned); `keep(t)` to
 * escape; `t.dispose()` to free at once; everything else is freed by the GC finalizer.
 */
export { Tensor } from './tensor.js';
export type { DType } from './tensor.js';
export {
  tensor, zeros, ones, full, zerosLike, arange, randUniform, randNormal, randint, eye,
  manualSeed, getRngState, setRngState,
} from './create.js';
export {
  cat, where, embedding, linear, conv1d, dropout, crossEntropy, oneHot, clipGradNorm, lstm,
} from './functional.js';
export * as F from './functional.js';
export { tidy, keep, noGrad, inferenceMode, liveTensorCount, setNumThreads, getNumThreads, releaseFreeMemory } from './scope.js';
export { saveSafetensors, loadSafetensors, readSafetensorsHeader } from './safetensors.js';
export { MAX_THREADS } from '../native/loader.js';
