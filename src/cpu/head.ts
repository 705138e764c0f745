import { directionCount, hiddenOutputSize } from '../model/config.js';
import { denseInputSizes, headInputSize, headParamName, type HeadConfig } from '../model/head.js';
import type { LSTM } from '../model/lstm.js';
import { activate, activationBackward } from './dense.js';

/**
 * The dense head in float64 (src/model/head.ts has its definition). Rows are sequences (over
 * 'last', N = B) or time steps of sequences (over 'sequence', N = T·B, time-major).
 */

/** One pass through the head: every layer's input x_K, pre-activation z_K and output a_K, each [N, ·]. */
export interface HeadPass {
  readonly rows: number;
  readonly inputs: readonly Float64Array[];
  readonly z: readonly Float64Array[];
  readonly a: readonly Float64Array[];
  /** The last layer's output a (the features themselves for a head without layers), [N, O]. */
  readonly prediction: Float64Array;
  /** The last layer's pre-activation z (what the folded losses read), [N, O]. */
  readonly logits: Float64Array;
}

function headOf(model: LSTM): HeadConfig {
  if (!model.config.head) throw new RangeError('head: this model has no head');
  return model.config.head;
}

/**
 * The LSTM's results the head reads, float64 time-major: output [T, B, D·H] and h_n [L·D, B, H].
 * `output` is read only over 'sequence', so an engine may make it on demand (a getter): over
 * 'last' it is never converted.
 */
export interface LstmResults {
  readonly output: Float64Array;
  readonly hN: Float64Array;
}

/**
 * What the head reads, [N, D·H]: over 'sequence' the LSTM's time-major output itself; over 'last'
 * the top layer's final states h_n[L−1, d] side by side — the forward direction's h at each
 * sequence's last valid step and the reverse direction's at t = 0.
 */
export function headFeatures(model: LSTM, results: LstmResults, batch: number): Float64Array {
  if (headOf(model).over === 'sequence') return results.output;
  const { hN } = results;
  const { numLayers: L } = model.config;
  const H = hiddenOutputSize(model.config); // P with projSize
  const D = directionCount(model.config);
  const features = new Float64Array(batch * D * H);
  for (let b = 0; b < batch; b++) {
    for (let d = 0; d < D; d++) features.set(hN.subarray((((L - 1) * D + d) * batch + b) * H, (((L - 1) * D + d) * batch + b + 1) * H), (b * D + d) * H);
  }
  return features;
}

/** The head over the LSTM's results of a call of T steps and B sequences. */
export function headOverResults(model: LSTM, results: LstmResults, steps: number, batch: number): HeadPass {
  const rows = headOf(model).over === 'sequence' ? steps * batch : batch;
  return headForward(model, headFeatures(model, results, batch), rows);
}

/** z_K = x_K W_Kᵀ + b_K, a_K = act_K(z_K), x_{K+1} = a_K, over `rows` rows of features. */
export function headForward(model: LSTM, features: Float64Array, rows: number): HeadPass {
  const head = headOf(model);
  const inSizes = denseInputSizes(head, headInputSize(hiddenOutputSize(model.config), directionCount(model.config)));
  const inputs: Float64Array[] = [];
  const zs: Float64Array[] = [];
  const as: Float64Array[] = [];
  let x = features;
  head.layers.forEach((dense, k) => {
    const n = inSizes[k];
    const out = dense.outFeatures;
    const w = model.param(headParamName('weight', k));
    const bias = model.param(headParamName('bias', k));
    const z = new Float64Array(rows * out);
    for (let r = 0; r < rows; r++) {
      for (let o = 0; o < out; o++) {
        let sum = 0;
        for (let i = 0; i < n; i++) sum += w[o * n + i] * x[r * n + i];
        z[r * out + o] = sum + bias[o];
      }
    }
    inputs.push(x);
    zs.push(z);
    as.push(activate(dense.activation, z, rows, out));
    x = as[k];
  });
  return { rows, inputs, z: zs, a: as, prediction: x, logits: zs.length ? zs[zs.length - 1] : x };
}

/**
 * Back through the head from the loss gradient: `dTop` is ∂loss/∂prediction, or ∂loss/∂logits when
 * the loss folds the output activation in (`topIsLogits`). Per layer, from the last:
 *   dz_K = act_K'(da_K)   ∂W_K = dz_Kᵀ x_K   ∂b_K = Σ_rows dz_K   da_{K−1} = dz_K W_K
 * Returns the head parameters' gradients by name and ∂loss/∂features [N, D·H].
 */
export function headBackward(model: LSTM, pass: HeadPass, dTop: Float64Array, topIsLogits: boolean): { grads: Map<string, Float64Array>; dFeatures: Float64Array } {
  const head = headOf(model);
  const grads = new Map<string, Float64Array>();
  const rows = pass.rows;
  let da = dTop;
  for (let k = head.layers.length - 1; k >= 0; k--) {
    const dense = head.layers[k];
    const out = dense.outFeatures;
    const x = pass.inputs[k];
    const n = x.length / rows;
    const dz = k === head.layers.length - 1 && topIsLogits ? da : activationBackward(dense.activation, pass.z[k], pass.a[k], da, rows, out);
    const w = model.param(headParamName('weight', k));
    const dW = new Float64Array(out * n);
    const db = new Float64Array(out);
    const dx = new Float64Array(rows * n);
    for (let r = 0; r < rows; r++) {
      for (let o = 0; o < out; o++) {
        const g = dz[r * out + o];
        db[o] += g;
        for (let i = 0; i < n; i++) {
          dW[o * n + i] += g * x[r * n + i];
          dx[r * n + i] += g * w[o * n + i];
        }
      }
    }
    grads.set(headParamName('weight', k), dW);
    grads.set(headParamName('bias', k), db);
    da = dx;
  }
  return { grads, dFeatures: da };
}
