/**
 * Optimisers with PyTorch's exact update rules (torch.optim.Adadelta and torch.optim.Adam, no weight
 * decay, no AMSGrad), written with in-place engine ops: every buffer (the state and one or two scratch
 * tensors per parameter) is allocated on the first step and reused, so a step allocates nothing.
 * Parameters without a gradient in a step are skipped, as PyTorch does.
 *
 * State for checkpoints: tensors named `<buffer>/<parameter name>` plus string metadata: the kind and
 * the per-parameter step counts (PyTorch counts steps per parameter; Adam's bias correction uses them).
 */
import type { NamedParameters } from '../model/types.js';
import { keep, noGrad, tidy, zerosLike, type Tensor } from '../tensor/index.js';

export interface OptimizerState {
  tensors: Record<string, Tensor>;
  meta: Record<string, string>;
}

export interface Optimizer {
  readonly kind: string;
  /** Applies one update from the parameters' current gradients. */
  step(): void;
  /** Factor on the configured learning rate (the plateau schedule, src/train/schedule.ts); 1 at start. */
  lrScale: number;
  /** Drops every gradient (PyTorch's zero_grad(set_to_none=True)). */
  zeroGrad(): void;
  /** The state as named tensors (the live buffers: save them before the next step). */
  state(): OptimizerState;
  /** Restores a state saved by `state()` of the same kind over the same parameters. */
  load(state: OptimizerState): void;
}

/** Per-parameter buffers; `persistent` ones are state, the others scratch. */
abstract class BufferedOptimizer implements Optimizer {
  abstract readonly kind: string;
  lrScale = 1;
  private readonly steps = new Map<string, number>();
  private readonly bufs = new Map<string, Record<string, Tensor>>();

  constructor(
    protected readonly params: NamedParameters,
    private readonly persistent: string[],
    private readonly scratch: string[],
  ) {}

  /** One parameter's update: `g` its gradient, `b` its buffers, `t` its step count (1 on the first). */
  protected abstract update(p: Tensor, g: Tensor, b: Record<string, Tensor>, t: number): void;

  step(): void {
    noGrad(() =>
      tidy(() => {
        for (const [name, p] of this.params) {
          const g = p.grad;
          if (g === null) continue;
          const t = (this.steps.get(name) ?? 0) + 1;
          this.steps.set(name, t);
          this.update(p, g, this.buffers(name, p), t);
        }
      }),
    );
  }

  zeroGrad(): void {
    for (const p of this.params.values()) p.zeroGrad();
  }

  state(): OptimizerState {
    const tensors: Record<string, Tensor> = {};
    for (const [name, b] of this.bufs) for (const k of this.persistent) tensors[`${k}/${name}`] = b[k];
    return { tensors, meta: { kind: this.kind, steps: JSON.stringify(Object.fromEntries(this.steps)) } };
  }

  load(state: OptimizerState): void {
    if (state.meta.kind !== this.kind)
      throw new Error(`optimizer state is for ${state.meta.kind ?? 'an unknown optimizer'}, not ${this.kind}`);
    const steps = JSON.parse(state.meta.steps ?? '{}') as Record<string, number>;
    this.steps.clear();
    for (const [name, p] of this.params) {
      if (!(name in steps)) continue; // never updated yet
      this.steps.set(name, steps[name]);
      const b = this.buffers(name, p);
      for (const k of this.persistent) {
        const src = state.tensors[`${k}/${name}`];
        if (!src || src.shape.join() !== p.shape.join())
          throw new Error(`optimizer state ${k}/${name} is missing or has the wrong shape`);
        noGrad(() => b[k].copy_(src));
      }
    }
  }

  private buffers(name: string, p: Tensor): Record<string, Tensor> {
    let b = this.bufs.get(name);
    if (!b) {
      b = {};
      for (const k of [...this.persistent, ...this.scratch]) b[k] = keep(noGrad(() => zerosLike(p).detach()));
      this.bufs.set(name, b);
    }
    return b;
  }
}

interface AdadeltaOptions {
  lr: number;
  rho: number;
  eps: number;
}

/** torch.optim.Adadelta: E[g²] and E[Δx²] running averages; Δx = √(E[Δx²]+ε)/√(E[g²]+ε)·g. */
export class Adadelta extends BufferedOptimizer {
  readonly kind = 'adadelta';
  constructor(
    params: NamedParameters,
    private readonly o: AdadeltaOptions,
  ) {
    super(params, ['square_avg', 'acc_delta'], ['std', 'delta']);
  }

  protected update(p: Tensor, g: Tensor, b: Record<string, Tensor>): void {
    const { rho, eps } = this.o;
    const lr = this.o.lr * this.lrScale;
    // PyTorch's order of operations, so results agree to the last bit where libtorch's kernels do.
    b.square_avg.mul_(rho).addcmul_(g, g, 1 - rho);
    b.std.copy_(b.square_avg).add_(eps).sqrt_();
    b.delta.copy_(b.acc_delta).add_(eps).sqrt_().div_(b.std).mul_(g);
    b.acc_delta.mul_(rho).addcmul_(b.delta, b.delta, 1 - rho);
    p.add_(b.delta, -lr);
  }
}

interface AdamOptions {
  lr: number;
  beta1: number;
  beta2: number;
  eps: number;
}

/** torch.optim.Adam with bias correction (PyTorch's single-tensor formula). */
export class Adam extends BufferedOptimizer {
  readonly kind = 'adam';
  constructor(
    params: NamedParameters,
    private readonly o: AdamOptions,
  ) {
    super(params, ['exp_avg', 'exp_avg_sq'], ['denom']);
  }

  protected update(p: Tensor, g: Tensor, b: Record<string, Tensor>, t: number): void {
    const { beta1, beta2, eps } = this.o;
    const lr = this.o.lr * this.lrScale;
    const stepSize = lr / (1 - beta1 ** t);
    const bc2Sqrt = Math.sqrt(1 - beta2 ** t);
    b.exp_avg.mul_(beta1).add_(g, 1 - beta1);
    b.exp_avg_sq.mul_(beta2).addcmul_(g, g, 1 - beta2);
    b.denom.copy_(b.exp_avg_sq).sqrt_().div_(bc2Sqrt).add_(eps);
    p.addcdiv_(b.exp_avg, b.denom, -stepSize);
  }
}

export function createOptimizer(
  kind: 'adadelta' | 'adam',
  params: NamedParameters,
  c: { adadelta: AdadeltaOptions; adam: AdamOptions },
): Optimizer {
  return kind === 'adadelta' ? new Adadelta(params, c.adadelta) : new Adam(params, c.adam);
}
