import type { OptimizerSettings } from '../core/training.js';

/**
 * The optimizers in float64, step for step as torch.optim defines them (PyTorch 1.13, the
 * single-tensor path; docs/training.md has the equations), over parameters by name. An
 * optimizer keeps its state (step count, moments, momentum buffers) between calls to `update`.
 */
export class Optimizer {
  private steps = 0;
  /** Adam's m and v, SGD's momentum buffer, created at a parameter's first update as PyTorch does. */
  private readonly first = new Map<string, Float64Array>();
  private readonly second = new Map<string, Float64Array>();

  constructor(readonly settings: OptimizerSettings) {}

  /**
   * A step whose update is skipped (its gradients were not finite): nothing changes but the step
   * count, as on the GPU, whose later steps are encoded before this one's gradients are read.
   */
  skip(): void {
    this.steps += 1;
  }

  /** One step: changes every parameter in `params` that `grads` has a gradient for, in place. */
  update(params: ReadonlyMap<string, Float64Array>, grads: ReadonlyMap<string, Float64Array>): void {
    this.steps += 1;
    for (const [name, grad] of grads) {
      const param = params.get(name)!;
      if (this.settings.kind === 'sgd') this.sgd(name, param, grad);
      else this.adam(name, param, grad);
    }
  }

  /**
   * torch.optim.Adam / AdamW:
   *   adam:  g ← g + λθ                 adamw: θ ← θ(1 − lr·λ)
   *   m ← β1 m + (1 − β1) g             v ← β2 v + (1 − β2) g²
   *   θ ← θ − (lr / (1 − β1ᵗ)) · m / (√v / √(1 − β2ᵗ) + ε)
   */
  private adam(name: string, param: Float64Array, grad: Float64Array): void {
    const { kind, lr, beta1, beta2, eps, weightDecay } = this.settings;
    const m = state(this.first, name, param.length);
    const v = state(this.second, name, param.length);
    const stepSize = lr / (1 - beta1 ** this.steps);
    const correction2Sqrt = Math.sqrt(1 - beta2 ** this.steps);
    for (let k = 0; k < param.length; k++) {
      let g = grad[k];
      if (kind === 'adamw') param[k] *= 1 - lr * weightDecay;
      else if (weightDecay !== 0) g += weightDecay * param[k];
      m[k] = m[k] * beta1 + (1 - beta1) * g;
      v[k] = v[k] * beta2 + (1 - beta2) * g * g;
      param[k] -= stepSize * (m[k] / (Math.sqrt(v[k]) / correction2Sqrt + eps));
    }
  }

  /**
   * torch.optim.SGD (dampening 0, no Nesterov):
   *   g ← g + λθ;   with momentum μ > 0: b ← g at the first step, else b ← μ b + g; g ← b
   *   θ ← θ − lr · g
   */
  private sgd(name: string, param: Float64Array, grad: Float64Array): void {
    const { lr, momentum, weightDecay } = this.settings;
    const firstStep = !this.first.has(name);
    const buffer = momentum !== 0 ? state(this.first, name, param.length) : null;
    for (let k = 0; k < param.length; k++) {
      let g = grad[k] + (weightDecay !== 0 ? weightDecay * param[k] : 0);
      if (buffer) g = buffer[k] = firstStep ? g : momentum * buffer[k] + g;
      param[k] -= lr * g;
    }
  }
}

function state(states: Map<string, Float64Array>, name: string, length: number): Float64Array {
  let value = states.get(name);
  if (!value) states.set(name, (value = new Float64Array(length)));
  return value;
}

/**
 * torch.nn.utils.clip_grad_norm_ over every gradient together: total = √(Σ g²); when
 * maxNorm / (total + 1e-6) < 1, every gradient is scaled by that factor, in place. Returns total.
 * The norm is taken as s·√(Σ (g/s)²) with s = max |g|, the GPU's overflow-safe form (Σ g² itself
 * overflows once the norm passes 1e154 in float64, 1.8e19 in float32).
 */
export function clipGradNorm(grads: ReadonlyMap<string, Float64Array>, maxNorm: number): number {
  let largest = 0;
  for (const grad of grads.values()) for (const g of grad) largest = Math.max(largest, Math.abs(g));
  let sumSquares = 0;
  if (largest > 0) for (const grad of grads.values()) for (const g of grad) sumSquares += (g / largest) ** 2;
  const total = largest * Math.sqrt(sumSquares);
  const coefficient = maxNorm / (total + 1e-6);
  if (coefficient < 1) for (const grad of grads.values()) for (let k = 0; k < grad.length; k++) grad[k] *= coefficient;
  return total;
}
