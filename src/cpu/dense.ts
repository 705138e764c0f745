import type { Activation } from '../model/head.js';
import { sigmoid, tanh } from './activations.js';

/**
 * One dense layer's activation over rows of width n, into a new array: a = act(z). Softmax and
 * log_softmax run over each row, shifted by the row's maximum m so exp never overflows (the shift
 * cancels: log_softmax(z)_j = (z_j − m) − log Σ_k exp(z_k − m)).
 */
export function activate(activation: Activation, z: Float64Array, rows: number, n: number): Float64Array {
  const a = new Float64Array(z.length);
  if (activation === 'softmax' || activation === 'log_softmax') {
    for (let r = 0; r < rows; r++) softmaxRow(z, a, r * n, n, activation === 'log_softmax');
    return a;
  }
  const f = kElementwise[activation];
  for (let k = 0; k < z.length; k++) a[k] = f(z[k]);
  return a;
}

const kElementwise: Record<Exclude<Activation, 'softmax' | 'log_softmax'>, (z: number) => number> = {
  linear: (z) => z,
  relu: (z) => (z > 0 ? z : 0),
  sigmoid,
  tanh,
};

function softmaxRow(z: Float64Array, a: Float64Array, offset: number, n: number, log: boolean): void {
  let max = -Infinity;
  for (let j = 0; j < n; j++) max = Math.max(max, z[offset + j]);
  let sum = 0;
  for (let j = 0; j < n; j++) sum += a[offset + j] = Math.exp(z[offset + j] - max);
  if (log) {
    const logSum = Math.log(sum);
    for (let j = 0; j < n; j++) a[offset + j] = z[offset + j] - max - logSum;
  } else {
    for (let j = 0; j < n; j++) a[offset + j] /= sum;
  }
}

/**
 * dz from da through the activation, given its input z and output a (rows of width n):
 *   linear: dz = da         relu: dz = da·[z > 0] (0 at z = 0, as PyTorch)
 *   sigmoid: dz = da·a(1−a) tanh: dz = da·(1−a²)
 *   softmax: dz_j = a_j (da_j − Σ_k a_k da_k), per row (the Jacobian diag(a) − a aᵀ times da)
 *   log_softmax: dz_j = da_j − exp(a_j) Σ_k da_k, per row (exp(a) = softmax(z); Jacobian I − 1 softmax(z)ᵀ)
 */
export function activationBackward(
  activation: Activation,
  z: Float64Array,
  a: Float64Array,
  da: Float64Array,
  rows: number,
  n: number,
): Float64Array {
  const dz = new Float64Array(da.length);
  switch (activation) {
    case 'linear':
      dz.set(da);
      break;
    case 'relu':
      for (let k = 0; k < dz.length; k++) dz[k] = z[k] > 0 ? da[k] : 0;
      break;
    case 'sigmoid':
      for (let k = 0; k < dz.length; k++) dz[k] = da[k] * a[k] * (1 - a[k]);
      break;
    case 'tanh':
      for (let k = 0; k < dz.length; k++) dz[k] = da[k] * (1 - a[k] * a[k]);
      break;
    case 'softmax':
      for (let r = 0; r < rows; r++) {
        let dot = 0;
        for (let j = 0; j < n; j++) dot += a[r * n + j] * da[r * n + j];
        for (let j = 0; j < n; j++) dz[r * n + j] = a[r * n + j] * (da[r * n + j] - dot);
      }
      break;
    case 'log_softmax':
      for (let r = 0; r < rows; r++) {
        let total = 0;
        for (let j = 0; j < n; j++) total += da[r * n + j];
        for (let j = 0; j < n; j++) dz[r * n + j] = da[r * n + j] - Math.exp(a[r * n + j]) * total;
      }
      break;
  }
  return dz;
}
