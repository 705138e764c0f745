import type { Tensor } from '../core/tensor.js';
import { directionCount, hiddenOutputSize, layerInputSize, type LstmConfig } from './config.js';
import { denseInputSizes, headInputSize } from './head.js';
import type { ParamSpec } from './params.js';
import type { SeededRandom } from './random.js';

/**
 * Where a seeded model starts:
 * - 'pytorch' (default): torch.nn.LSTM's U(−1/√H, 1/√H) for every LSTM weight and bias (or the
 *   'normal' distribution LSTM.random offers), and nn.Linear's U(−1/√in, 1/√in) for each dense
 *   layer's weight and bias.
 * - 'keras': Keras's defaults for LSTM and Dense — glorot-uniform kernels (W_ih and the head's
 *   weights: U(±√(6 / (fan_in + fan_out)))), orthogonal recurrent kernels, zero biases except a
 *   unit forget bias (the 1s sit in bias_ih's f block; bias_hh is zero, as Keras has one bias).
 */
export type InitScheme = 'pytorch' | 'keras';

/**
 * Every parameter of `specs`, drawn in order from one generator: each parameter completely, row
 * by row, before the next, so adding a head never changes the LSTM's draws.
 */
export function initialParams(
  config: LstmConfig,
  specs: readonly ParamSpec[],
  rng: SeededRandom,
  scheme: InitScheme,
  lstmDraw: () => number,
): Map<string, Tensor<Float64Array>> {
  const params = new Map<string, Tensor<Float64Array>>();
  for (const spec of specs) {
    const data = scheme === 'keras' ? kerasValues(config, spec, rng) : pytorchValues(config, spec, rng, lstmDraw);
    params.set(spec.name, { shape: spec.shape, data });
  }
  return params;
}

function fill(count: number, draw: () => number): Float64Array {
  const data = new Float64Array(count);
  for (let i = 0; i < count; i++) data[i] = draw();
  return data;
}

function pytorchValues(config: LstmConfig, spec: ParamSpec, rng: SeededRandom, lstmDraw: () => number): Float64Array {
  const count = spec.shape.reduce((a, b) => a * b, 1);
  if (spec.kind !== 'head_weight' && spec.kind !== 'head_bias') return fill(count, lstmDraw);
  // nn.Linear.reset_parameters: kaiming_uniform(a=√5) on the weight is U(±1/√in); the bias is U(±1/√in) too.
  const inFeatures = denseInputSizes(config.head!, headInputSize(hiddenOutputSize(config), directionCount(config)))[spec.layer];
  const bound = 1 / Math.sqrt(inFeatures);
  return fill(count, () => rng.uniform(-bound, bound));
}

function kerasValues(config: LstmConfig, spec: ParamSpec, rng: SeededRandom): Float64Array {
  const H = config.hiddenSize;
  switch (spec.kind) {
    case 'weight_ih': {
      // Keras's kernel is [I, 4H] (fan_in I, fan_out 4H); glorot's bound is symmetric in the two.
      const limit = Math.sqrt(6 / (layerInputSize(config, spec.layer) + 4 * H));
      return fill(4 * H * layerInputSize(config, spec.layer), () => rng.uniform(-limit, limit));
    }
    case 'weight_hh':
      return orthogonalColumns(4 * H, spec.shape[1], rng); // [4H, H], or [4H, P] with projSize
    case 'weight_hr': {
      // Keras has no projection; glorot-uniform as for its other kernels.
      const [P] = spec.shape;
      const limit = Math.sqrt(6 / (P + H));
      return fill(P * H, () => rng.uniform(-limit, limit));
    }
    case 'weight_peephole':
      return new Float64Array(3 * H); // Keras has no peepholes; they start closed
    case 'bias_ih': {
      const bias = new Float64Array(4 * H);
      bias.fill(1, H, 2 * H); // unit_forget_bias: gate order i, f, g, o in both frameworks
      return bias;
    }
    case 'bias_hh':
      return new Float64Array(4 * H);
    case 'head_weight': {
      const [out, inFeatures] = spec.shape;
      const limit = Math.sqrt(6 / (inFeatures + out));
      return fill(out * inFeatures, () => rng.uniform(-limit, limit));
    }
    case 'head_bias':
      return new Float64Array(spec.shape[0]);
  }
}

/**
 * A [rows, cols] row-major matrix (rows ≥ cols) with orthonormal columns, as Keras's Orthogonal
 * initialiser makes its recurrent kernel: QR of a standard-normal matrix, Q's columns signed so
 * R's diagonal is positive. Keras's kernel is [H, 4H] = Qᵀ (it transposes Q of the [4H, H] draw);
 * PyTorch's W_hh [4H, H] is that kernel transposed, so W_hh = Q. Modified Gram–Schmidt gives the
 * same Q as Householder QR with that sign fix (both are the unique Q with diag(R) > 0).
 */
export function orthogonalColumns(rows: number, cols: number, rng: SeededRandom): Float64Array {
  const a = fill(rows * cols, () => rng.normal(0, 1));
  for (let j = 0; j < cols; j++) {
    for (let k = 0; k < j; k++) {
      let dot = 0;
      for (let r = 0; r < rows; r++) dot += a[r * cols + k] * a[r * cols + j];
      for (let r = 0; r < rows; r++) a[r * cols + j] -= dot * a[r * cols + k];
    }
    let norm = 0;
    for (let r = 0; r < rows; r++) norm += a[r * cols + j] ** 2;
    norm = Math.sqrt(norm);
    for (let r = 0; r < rows; r++) a[r * cols + j] /= norm;
  }
  return a;
}
