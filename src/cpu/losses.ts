import type { LossKind } from '../core/training.js';
import { sigmoid } from './activations.js';

/**
 * The losses in float64, each the mean over the target elements that count (PyTorch's
 * reduction='mean'), with its gradient. Rows are prediction rows of O features; `counts[r]` = 0
 * leaves row r out (a step past its sequence's length, over 'sequence').
 *
 * With d = p − y over the n counted elements:
 *   mse   L = Σ d² / n                      ∂L/∂p = 2d / n                         (nn.MSELoss)
 *   mae   L = Σ |d| / n                     ∂L/∂p = sign(d) / n, 0 at d = 0        (nn.L1Loss)
 *   huber L = Σ (|d| ≤ 1 ? ½d² : |d| − ½) / n   ∂L/∂p = clamp(d, −1, 1) / n        (nn.HuberLoss, δ = 1)
 * Folded into the output activation, from the logits z of the last layer:
 *   binary-cross-entropy  L = Σ max(z, 0) − z·y + log(1 + e^(−|z|)) / n,  ∂L/∂z = (σ(z) − y) / n
 *                         (nn.BCEWithLogitsLoss: log σ never underflows to −∞)
 *   cross-entropy  per row, label c:  L = Σ_rows (logsumexp(z) − z_c) / rows,
 *                  ∂L/∂z = (softmax(z) − onehot(c)) / rows            (nn.CrossEntropyLoss)
 *                  over a softmax or a log_softmax head: on log_softmax(z) it is nn.NLLLoss,
 *                  whose −log_softmax(z)_c is the same logsumexp(z) − z_c
 */
export interface LossResult {
  readonly value: number;
  /** ∂L/∂prediction [N, O], or ∂L/∂logits for the folded losses (see lossReadsLogits). */
  readonly gradient: Float64Array;
}

/** Whether the loss reads the last layer's pre-activation (its activation folded into the loss). */
export function lossReadsLogits(kind: LossKind): boolean {
  return kind === 'binary-cross-entropy' || kind === 'cross-entropy';
}

/**
 * The loss of `rows` prediction rows of `width` features against `target` ([N, O], or [N] class
 * indices for cross-entropy), leaving out rows whose `counts` entry is 0 (null: all count).
 * `values` is the prediction, or the logits when lossReadsLogits(kind).
 */
export function lossAndGradient(
  kind: LossKind,
  values: Float64Array,
  target: Float64Array,
  counts: Uint8Array | null,
  rows: number,
  width: number,
): LossResult {
  const gradient = new Float64Array(rows * width);
  let countedRows = 0;
  for (let r = 0; r < rows; r++) countedRows += counts ? counts[r] : 1;
  if (kind === 'cross-entropy') return crossEntropy(values, target, counts, rows, width, countedRows, gradient);
  const n = countedRows * width;
  const element = kElementLosses[kind];
  let sum = 0;
  for (let r = 0; r < rows; r++) {
    if (counts && !counts[r]) continue;
    for (let j = r * width; j < (r + 1) * width; j++) {
      const [value, slope] = element(values[j], target[j]);
      sum += value;
      gradient[j] = slope / n;
    }
  }
  return { value: sum / n, gradient };
}

/** Each element's loss and its derivative in the prediction (or logit), before the mean. */
const kElementLosses: Record<Exclude<LossKind, 'cross-entropy'>, (p: number, y: number) => [number, number]> = {
  mse: (p, y) => [(p - y) ** 2, 2 * (p - y)],
  mae: (p, y) => [Math.abs(p - y), Math.sign(p - y)],
  huber: (p, y) => {
    const d = p - y;
    return Math.abs(d) <= 1 ? [0.5 * d * d, d] : [Math.abs(d) - 0.5, Math.sign(d)];
  },
  'binary-cross-entropy': (z, y) => [Math.max(z, 0) - z * y + Math.log1p(Math.exp(-Math.abs(z))), sigmoid(z) - y],
};

function crossEntropy(
  z: Float64Array,
  labels: Float64Array,
  counts: Uint8Array | null,
  rows: number,
  width: number,
  countedRows: number,
  gradient: Float64Array,
): LossResult {
  let sum = 0;
  for (let r = 0; r < rows; r++) {
    if (counts && !counts[r]) continue;
    const offset = r * width;
    let max = -Infinity;
    for (let j = 0; j < width; j++) max = Math.max(max, z[offset + j]);
    let expSum = 0;
    for (let j = 0; j < width; j++) expSum += Math.exp(z[offset + j] - max);
    const logSumExp = max + Math.log(expSum);
    const label = labels[r];
    sum += logSumExp - z[offset + label];
    for (let j = 0; j < width; j++) {
      gradient[offset + j] = (Math.exp(z[offset + j] - logSumExp) - (j === label ? 1 : 0)) / countedRows;
    }
  }
  return { value: sum / countedRows, gradient };
}

/**
 * Which prediction rows count: over 'sequence' with lengths, row t·B + b counts while t < lengths[b];
 * otherwise every row (null).
 */
export function countedRows(over: 'last' | 'sequence', lengths: Int32Array | null, steps: number, batch: number): Uint8Array | null {
  if (over === 'last' || !lengths) return null;
  const counts = new Uint8Array(steps * batch);
  for (let t = 0; t < steps; t++) for (let b = 0; b < batch; b++) counts[t * batch + b] = t < lengths[b] ? 1 : 0;
  return counts;
}
