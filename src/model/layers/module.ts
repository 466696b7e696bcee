/**
 * A minimal torch.nn-like module: owns named trainable parameters and child modules, and a train/eval
 * flag that propagates to the children. Parameter names are dotted paths (`lstm.weight_ih_l0`), stable
 * across versions: they are the keys of the weights file (model/io.ts).
 */
import { keep, randUniform, zeros, type DType, type Tensor } from '../../tensor/index.js';

export abstract class Module {
  training = true;
  private readonly ownParams = new Map<string, Tensor>();
  private readonly children = new Map<string, Module>();

  /** Registers a trainable parameter (made a leaf that requires grad). */
  protected param(name: string, t: Tensor): Tensor {
    t.requiresGrad_(true);
    keep(t); // parameters outlive every tidy scope
    this.ownParams.set(name, t);
    return t;
  }

  protected child<M extends Module>(name: string, m: M): M {
    this.children.set(name, m);
    return m;
  }

  /** Every parameter under this module, keyed by dotted name, in registration order. */
  namedParameters(prefix = '', out = new Map<string, Tensor>()): Map<string, Tensor> {
    for (const [n, t] of this.ownParams) out.set(prefix + n, t);
    for (const [n, m] of this.children) m.namedParameters(`${prefix}${n}.`, out);
    return out;
  }

  train(on = true): this {
    this.training = on;
    for (const m of this.children.values()) m.train(on);
    return this;
  }

  eval(): this {
    return this.train(false);
  }
}

let paramDType: DType = 'float32';

/** dtype of parameters created by the layers (float64 only for gradient checks). */
export function currentParamDType(): DType {
  return paramDType;
}

/** Runs `fn` (which builds modules) with parameters created in `dtype`. */
export function withParamDType<T>(dtype: DType, fn: () => T): T {
  const prev = paramDType;
  paramDType = dtype;
  try {
    return fn();
  } finally {
    paramDType = prev;
  }
}

let skipInit = false;

/** Whether layers should skip random initialisation (weights about to be loaded). */
export function initSkipped(): boolean {
  return skipInit;
}

/**
 * Runs `fn` (which builds modules) with parameters created as zeros instead of random values: for
 * models whose weights are loaded right after (faster, and leaves libtorch's generator untouched).
 */
export function withoutInit<T>(fn: () => T): T {
  const prev = skipInit;
  skipInit = true;
  try {
    return fn();
  } finally {
    skipInit = prev;
  }
}

/** U(−bound, bound) leaf tensor (PyTorch 0.4 default initialisations, reference spec §2.9). */
export function uniform(shape: number[], bound: number): Tensor {
  return skipInit ? zeros(shape, paramDType) : randUniform(shape, -bound, bound, paramDType);
}
