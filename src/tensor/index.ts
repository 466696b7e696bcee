/**
 * entrel's tensor engine: libtorch (via src/native) with a TypeScript face.
 *
 *   import { tensor, zeros, tidy, F } from '../tensor/index.js';
 *   const y = tidy(() => F.linear(x, w, b).relu());
 *
 * Functional ops are exported both as named functions (cat, stack, linear, …) and as the namespace `F`.
 * Memory: use `tidy(fn)` in loops (frees every tensor made inside that is not returned); `keep(t)` to
 * escape; `t.dispose()` to free at once; everything else is freed by the GC finalizer.
 */
export { Tensor, DTYPES } from './tensor.js';
export type { DType, AnyTypedArray, NestedArray } from './tensor.js';
export {
  tensor, scalar, zeros, ones, full, zerosLike, onesLike, arange, randUniform, randNormal, randint, randperm, eye,
  manualSeed, getRngState, setRngState,
} from './create.js';
export type { TensorData } from './create.js';
export {
  cat, stack, where, embedding, linear, conv1d, dropout, nllLoss, crossEntropy, oneHot, multinomial, clipGradNorm,
  lstm, lstmWithState,
} from './functional.js';
export type { Reduction, LstmOptions } from './functional.js';
export * as F from './functional.js';
export {
  tidy, keep, noGrad, inferenceMode, enableGrad, isGradEnabled, isInferenceMode, liveTensorCount, scopeDepth,
  setNumThreads, getNumThreads,
} from './scope.js';
export { saveSafetensors, loadSafetensors, readSafetensorsHeader } from './safetensors.js';
export { MAX_THREADS } from '../native/loader.js';
