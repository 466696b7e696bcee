/**
 * The anchor's BiLSTM + char-CNN tagger (../shared/anchors/torch_tagger_bench.py) on entrel's tensor
 * engine, with the same shapes, initialisation families and a TypeScript Adam (in-place ops), so that
 * the two can be timed side by side.
 */
import {
  Tensor, cat, conv1d, crossEntropy, embedding, linear, lstm, noGrad, randNormal, randUniform, zeros,
} from '../../src/tensor/index.js';

export const DIMS = { V: 20000, WD: 100, CV: 100, CD: 50, NF: 25, H: 64, NT: 30, B: 32, T: 30, W: 10 };

function uniformParam(shape: number[], k: number): Tensor {
  return randUniform(shape, -k, k).requiresGrad_(true);
}

export class Tagger {
  readonly params: Tensor[];
  private readonly wemb: Tensor;
  private readonly cemb: Tensor;
  private readonly c2w: Tensor;
  private readonly c2b: Tensor;
  private readonly c3w: Tensor;
  private readonly c3b: Tensor;
  private readonly lstmW: Tensor[];
  private readonly outW: Tensor;
  private readonly outB: Tensor;

  constructor() {
    const { V, WD, CV, CD, NF, H, NT } = DIMS;
    const IN = WD + 2 * NF;
    this.wemb = randNormal([V, WD]).requiresGrad_(true);
    this.cemb = randNormal([CV, CD]).requiresGrad_(true);
    this.c2w = uniformParam([NF, CD, 2], 1 / Math.sqrt(CD * 2));
    this.c2b = uniformParam([NF], 1 / Math.sqrt(CD * 2));
    this.c3w = uniformParam([NF, CD, 3], 1 / Math.sqrt(CD * 3));
    this.c3b = uniformParam([NF], 1 / Math.sqrt(CD * 3));
    const k = 1 / Math.sqrt(H);
    this.lstmW = [];
    for (let d = 0; d < 2; d++)
      this.lstmW.push(uniformParam([4 * H, IN], k), uniformParam([4 * H, H], k), uniformParam([4 * H], k), uniformParam([4 * H], k));
    this.outW = uniformParam([NT, 2 * H], 1 / Math.sqrt(2 * H));
    this.outB = uniformParam([NT], 1 / Math.sqrt(2 * H));
    this.params = [this.wemb, this.cemb, this.c2w, this.c2b, this.c3w, this.c3b, ...this.lstmW, this.outW, this.outB];
  }

  /** words [B, T] int64, chars [B, T, W] int64 → logits [B·T, NT]. */
  forward(words: Tensor, chars: Tensor): Tensor {
    const { NF, NT, B, T, W } = DIMS;
    const we = embedding(this.wemb, words);
    const ce = embedding(this.cemb, chars.view([B * T, W])).transpose(1, 2);
    const f2 = conv1d(ce, this.c2w, this.c2b).relu().amax(2);
    const f3 = conv1d(ce, this.c3w, this.c3b).relu().amax(2);
    const cf = cat([f2, f3], 1).view([B, T, 2 * NF]);
    const x = cat([we, cf], 2);
    const hs = lstm(x, { weights: this.lstmW, bidirectional: true, batchFirst: true });
    return linear(hs, this.outW, this.outB).view([B * T, NT]);
  }
}

/** torch.optim.Adam (single-tensor path of PyTorch 1.13), written with in-place ops. */
export class Adam {
  private readonly m: Tensor[];
  private readonly v: Tensor[];
  private t = 0;
  constructor(private readonly params: Tensor[], private readonly lr = 1e-3, private readonly b1 = 0.9,
    private readonly b2 = 0.999, private readonly eps = 1e-8) {
    this.m = params.map((p) => zeros(p.shape));
    this.v = params.map((p) => zeros(p.shape));
  }
  zeroGrad(): void {
    for (const p of this.params) p.zeroGrad();
  }
  step(): void {
    this.t++;
    const bc1 = 1 - this.b1 ** this.t;
    const bc2Sqrt = Math.sqrt(1 - this.b2 ** this.t);
    noGrad(() => {
      for (let i = 0; i < this.params.length; i++) {
        const p = this.params[i];
        const g = p.grad;
        if (g === null) continue;
        const m = this.m[i];
        const v = this.v[i];
        m.mul_(this.b1).add_(g, 1 - this.b1);
        v.mul_(this.b2).addcmul_(g, g, 1 - this.b2);
        const denom = v.sqrt().div_(bc2Sqrt).add_(this.eps);
        p.addcdiv_(m, denom, -this.lr / bc1);
        denom.dispose();
        g.dispose();
      }
    });
  }
}

export function trainStep(model: Tagger, opt: Adam, words: Tensor, chars: Tensor, tags: Tensor): number {
  opt.zeroGrad();
  const loss = crossEntropy(model.forward(words, chars), tags);
  loss.backward();
  opt.step();
  return loss.item();
}
