import type { Tensor } from '../../core/tensor.js';
import { directionCount, hiddenOutputSize, type LstmConfig } from '../../model/config.js';

/**
 * How a graph output of an ONNX file is made from this library's results, so that running the
 * model here gives every output the file names, in the file's layout:
 *
 * - 'sequence': the last layer's output in one of the forms ONNX graphs hold it: [T, B, D·H],
 *   [B, T, D·H], the LSTM node's own Y [T, D, B, H] or its layout-1 Y [B, T, D, H]; `flipped` when
 *   the file's time axis runs the other way from ours (a reverse node without a Keras-style flip).
 * - 'state': h_n or c_n rows of layers first..last ([(last−first+1)·D, B, H], or a layout-1 node's
 *   [B, D, H]).
 * - 'prediction': the head's output, over the last step [B, O] or over every step [T, B, O] / [B, T, O].
 */
export type OutputView =
  | { readonly kind: 'sequence'; readonly form: 'TBF' | 'BTF' | 'TDBH' | 'BTDH'; readonly flipped: boolean }
  | { readonly kind: 'state'; readonly which: 'h' | 'c'; readonly first: number; readonly last: number; readonly batchMajor: boolean }
  | { readonly kind: 'prediction'; readonly form: 'BF' | 'TBF' | 'BTF' };

/** This library's results, time-major: output [T, B, D·R], hN [L·D, B, R], cN [L·D, B, H], prediction. */
export interface TimeMajorResults {
  readonly steps: number;
  readonly batch: number;
  readonly output: ArrayLike<number>;
  readonly hN: ArrayLike<number>;
  readonly cN: ArrayLike<number>;
  /** [B, O] over the last step, [T, B, O] over every step; absent without a head. */
  readonly prediction?: ArrayLike<number>;
}

/** Element (i0, i1, i2) of a [n0, n1, n2] array from element (p(i)) of the source. */
function permute3(source: ArrayLike<number>, dims: number[], perm: [number, number, number], width: number): Float64Array {
  const out = new Float64Array(source.length);
  const outDims = perm.map((p) => dims[p]);
  let k = 0;
  const index = [0, 0, 0];
  for (index[0] = 0; index[0] < outDims[0]; index[0]++) {
    for (index[1] = 0; index[1] < outDims[1]; index[1]++) {
      for (index[2] = 0; index[2] < outDims[2]; index[2]++) {
        const src = [0, 0, 0];
        perm.forEach((p, axis) => (src[p] = index[axis]));
        const at = ((src[0] * dims[1] + src[1]) * dims[2] + src[2]) * width;
        for (let w = 0; w < width; w++) out[k++] = source[at + w];
      }
    }
  }
  return out;
}

/** Step t of the result is step T−1−t of `source` ([T, rowWidth]). */
function flipTime(source: ArrayLike<number>, T: number, rowWidth: number): Float64Array {
  const out = new Float64Array(T * rowWidth);
  for (let t = 0; t < T; t++) for (let k = 0; k < rowWidth; k++) out[t * rowWidth + k] = source[(T - 1 - t) * rowWidth + k];
  return out;
}

/** The graph output `view` describes, from this library's time-major results of `config`. */
export function viewResult(config: LstmConfig, view: OutputView, r: TimeMajorResults): Tensor<Float64Array> {
  const { steps: T, batch: B } = r;
  const D = directionCount(config);
  const R = hiddenOutputSize(config);
  if (view.kind === 'sequence') {
    const tbf = view.flipped ? flipTime(r.output, T, B * D * R) : Float64Array.from(r.output);
    switch (view.form) {
      case 'TBF':
        return { shape: [T, B, D * R], data: tbf };
      case 'BTF':
        return { shape: [B, T, D * R], data: permute3(tbf, [T, B, 1], [1, 0, 2], D * R) };
      case 'TDBH':
        return { shape: [T, D, B, R], data: permute3(tbf, [T, B, D], [0, 2, 1], R) };
      case 'BTDH':
        return { shape: [B, T, D, R], data: permute3(tbf, [T, B, 1], [1, 0, 2], D * R) };
    }
  }
  if (view.kind === 'state') {
    const width = view.which === 'h' ? R : config.hiddenSize;
    const source = view.which === 'h' ? r.hN : r.cN;
    const rows = (view.last - view.first + 1) * D;
    const data = Float64Array.from({ length: rows * B * width }, (_, k) => source[view.first * D * B * width + k]);
    if (!view.batchMajor) return { shape: [rows, B, width], data };
    return { shape: [B, rows, width], data: permute3(data, [rows, B, 1], [1, 0, 2], width) };
  }
  const prediction = Float64Array.from(r.prediction ?? []);
  if (view.form === 'BF') return { shape: [B, prediction.length / B], data: prediction };
  const O = prediction.length / (T * B);
  if (view.form === 'TBF') return { shape: [T, B, O], data: prediction };
  return { shape: [B, T, O], data: permute3(prediction, [T, B, 1], [1, 0, 2], O) };
}
