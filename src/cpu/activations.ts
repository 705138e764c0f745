import type { CellActivation } from '../model/variants.js';

/** σ(x) = 1 / (1 + e^(−x)), in a form whose exp never overflows. */
export function sigmoid(x: number): number {
  if (x >= 0) return 1 / (1 + Math.exp(-x));
  const e = Math.exp(x);
  return e / (1 + e);
}

export const tanh = Math.tanh;

/** log(1 + eˣ) without overflow for large x (and exact to float64 for large negative x). */
function softplus(x: number): number {
  return x > 0 ? x + Math.log1p(Math.exp(-x)) : Math.log1p(Math.exp(x));
}

/**
 * One of ONNX's RNN activations (src/model/variants.ts lists them with their definitions, from
 * the ONNX operator spec) as a function of one number, its α and β bound. A normalized activation
 * always carries the parameters its kind uses.
 */
export function cellActivation(activation: CellActivation): (x: number) => number {
  const alpha = activation.alpha ?? NaN;
  const beta = activation.beta ?? NaN;
  switch (activation.kind) {
    case 'sigmoid':
      return sigmoid;
    case 'tanh':
      return tanh;
    case 'hard_sigmoid':
      return (x) => Math.min(Math.max(alpha * x + beta, 0), 1);
    case 'relu':
      return (x) => Math.max(x, 0); // NaN stays NaN, as in PyTorch and onnxruntime
    case 'affine':
      return (x) => alpha * x + beta;
    case 'softsign':
      return (x) => x / (1 + Math.abs(x));
    case 'softplus':
      return softplus;
    case 'elu':
      return (x) => (x >= 0 ? x : alpha * Math.expm1(x));
    case 'leaky_relu':
      return (x) => (x >= 0 ? x : alpha * x);
    case 'thresholded_relu':
      return (x) => (x <= alpha ? 0 : x); // NaN stays NaN
    case 'scaled_tanh':
      return (x) => alpha * Math.tanh(beta * x);
  }
}
