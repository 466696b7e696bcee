/**
 * The MRT objective on a batch of sample sets, as tensors [B, M]: sentence b's members are columns
 * 0 … M−1, column 0 is the gold output y, shorter sets are padded (mask false).
 */
import { zeros, type Tensor } from '../../tensor/index.js';

/**
 * Q(ŷ | s; θ, μ, α) = [P(Ê|s)^μ · P(R̂|s,Ê)^(1−μ)]^α / Z over Y′(s)   (Eq. 6), computed in log space:
 * Q = softmax_ŷ(α·(μ·log P(Ê) + (1−μ)·log P(R̂|Ê))). Padded members get Q = 0.
 */
export function sampleDistribution(logPE: Tensor, logPR: Tensor, valid: Tensor, alpha: number, mu: number): Tensor {
  const score = logPE.mul(mu).add(logPR.mul(1 - mu)).mul(alpha);
  return score.maskedFill(valid.logicalNot(), -Infinity).softmax(1);
}

interface RiskOptions {
  /** Include Δ (false: the Γ-only system of Table 2). */
  useDelta: boolean;
  /** Include the learned loss Γ(ŷ) = 1 − Q(ŷ) and its hinge (Eq. 4–5). */
  gamma: boolean;
  /** The authors' code: the Γ risk Σ Q(Δ + Γ) is halved (reference spec §3.3.8, §7.1.4). */
  halveGamma: boolean;
}

interface Risk {
  /** Per sentence: Σ_ŷ Q(ŷ)·Δ(ŷ, y)  (Eq. 6), or Σ_ŷ Q(ŷ)·(Δ(ŷ, y) + Γ(ŷ)) with Γ. [B] */
  risk: Tensor;
  /** Per sentence: [1 − Q(y) + Q(y*)]_+ with y* the most probable non-gold member (Eq. 5); 0 without Γ. [B] */
  hinge: Tensor;
}

/**
 * Eq. 5 with P replaced by Q on Y′(s) (as the paper says after Eq. 6). Σ Q(Δ − Q) of Eq. 5 and
 * Σ Q(Δ + 1 − Q) differ by the constant Σ Q = 1; we use the latter, whose terms are Q·(Δ + Γ).
 * y* = argmin Γ over Y′ \ {y} — including y would make the hinge the constant 1. Without any non-gold
 * member there is nothing to separate y from and the hinge is 0.
 */
export function mrtRisk(Q: Tensor, delta: Tensor, opts: RiskOptions): Risk {
  const [B, M] = Q.shape;
  const cost = opts.useDelta ? delta : zeros([B, M], Q.dtype);
  if (!opts.gamma) return { risk: Q.mul(cost).sum(1), hinge: zeros([B], Q.dtype) };
  const gammaTerm = Q.rsub(1); // Γ(ŷ) = 1 − Q(ŷ)
  let risk = Q.mul(cost.add(gammaTerm)).sum(1);
  if (opts.halveGamma) risk = risk.mul(0.5);
  const hinge = M > 1 ? Q.narrow(1, 1, M - 1).amax(1).sub(Q.narrow(1, 0, 1).squeeze(1)).add(1).relu() : zeros([B], Q.dtype);
  return { risk, hinge };
}
