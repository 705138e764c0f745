import type { HostActivation } from '../../model/graph/layers.js';
import { sigmoid } from '../activations.js';

/**
 * Keras's activations (keras.activations, the same in tfjs-layers) in float64, over rows of width
 * n, into a new array. softmax and log_softmax run over each row, shifted by the row's maximum so
 * exp never overflows. hard_sigmoid's slope is the file's (0.2 for Keras 2 and TensorFlow.js, 1/6
 * for Keras 3; see HostActivation). gelu is Keras's exact form x·Φ(x) (approximate=False).
 */
export function applyActivation(activation: HostActivation, x: Float64Array, n: number): Float64Array {
  const out = new Float64Array(x.length);
  if (activation.name === 'softmax' || activation.name === 'log_softmax') {
    for (let offset = 0; offset < x.length; offset += n) softmaxRow(x, out, offset, n, activation.name === 'log_softmax');
    return out;
  }
  const f = elementwise(activation);
  for (let k = 0; k < x.length; k++) out[k] = f(x[k]);
  return out;
}

/** SELU's constants (Klambauer et al. 2017, as keras.activations.selu). */
const kSeluAlpha = 1.6732632423543772;
const kSeluScale = 1.0507009873554805;

function elementwise(activation: HostActivation): (x: number) => number {
  switch (activation.name) {
    case 'linear':
      return (x) => x;
    case 'relu':
      return (x) => (x > 0 ? x : 0);
    case 'relu6':
      return (x) => Math.min(Math.max(x, 0), 6);
    case 'sigmoid':
      return sigmoid;
    case 'hard_sigmoid': {
      const slope = activation.hardSigmoidSlope ?? 0.2;
      return (x) => Math.min(Math.max(slope * x + 0.5, 0), 1);
    }
    case 'tanh':
      return Math.tanh;
    case 'elu':
      return (x) => (x > 0 ? x : Math.expm1(x));
    case 'selu':
      return (x) => kSeluScale * (x > 0 ? x : kSeluAlpha * Math.expm1(x));
    case 'softplus':
      // log(1 + eˣ) without overflow: max(x, 0) + log1p(e^(−|x|)).
      return (x) => Math.max(x, 0) + Math.log1p(Math.exp(-Math.abs(x)));
    case 'softsign':
      return (x) => x / (1 + Math.abs(x));
    case 'exponential':
      return Math.exp;
    case 'swish':
    case 'silu':
      return (x) => x * sigmoid(x);
    case 'gelu':
      return (x) => 0.5 * x * (1 + erf(x / Math.SQRT2));
    case 'leaky_relu':
      // keras.activations.leaky_relu's default negative slope.
      return (x) => (x > 0 ? x : 0.2 * x);
    default:
      throw new RangeError(`activation ${activation.name} is not elementwise`);
  }
}

function softmaxRow(x: Float64Array, out: Float64Array, offset: number, n: number, log: boolean): void {
  let max = -Infinity;
  for (let j = 0; j < n; j++) max = Math.max(max, x[offset + j]);
  let sum = 0;
  for (let j = 0; j < n; j++) sum += Math.exp(x[offset + j] - max);
  for (let j = 0; j < n; j++) out[offset + j] = log ? x[offset + j] - max - Math.log(sum) : Math.exp(x[offset + j] - max) / sum;
}

/** erf to float64 precision (Abramowitz–Stegun 7.1.26 is too coarse; this is W. J. Cody's rational form via erfc for |x| > 0.5). */
function erf(x: number): number {
  const t = Math.abs(x);
  if (t < 0.5) {
    // Taylor series: converges fast for small |x|.
    let term = x;
    let sum = x;
    const x2 = x * x;
    for (let k = 1; k < 40; k++) {
      term *= -x2 / k;
      const next = term / (2 * k + 1);
      sum += next;
      if (Math.abs(next) < 1e-17 * Math.abs(sum)) break;
    }
    return (2 / Math.sqrt(Math.PI)) * sum;
  }
  // Continued fraction for erfc (Lentz), accurate for |x| ≥ 0.5.
  let f = t;
  let c = t;
  let d = 0;
  for (let k = 1; k < 200; k++) {
    const a = k / 2;
    d = t + a * d;
    d = d === 0 ? 1e-300 : 1 / d;
    c = t + a / c;
    const delta = c * d;
    f *= delta;
    if (Math.abs(delta - 1) < 1e-16) break;
  }
  const erfc = Math.exp(-t * t) / (f * Math.sqrt(Math.PI));
  return x > 0 ? 1 - erfc : erfc - 1;
}
