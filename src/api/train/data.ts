import { describeValue, formatShape } from '../../core/describe.js';
import { invalidArgument, invalidShape, LstmError } from '../../core/errors.js';
import { describePosition } from '../../core/positions.js';
import { swapLeadingAxes, type PreparedInput } from '../../core/prepared-input.js';
import type { LossKind, TrainingBatch } from '../../core/training.js';
import { directionCount } from '../../model/config.js';
import { headInputSize, headOutputSize } from '../../model/head.js';
import type { LSTM } from '../../model/lstm.js';
import { prepareInput } from '../forward-input.js';
import type { DataOptions } from './types.js';

/** x, y and the options of one call, checked and time-major, before it is cut into minibatches. */
export interface Dataset {
  readonly input: PreparedInput;
  /** Time-major: [B, w] over 'last', [T, B, w] over 'sequence'; w = O, or 1 class index for cross-entropy. */
  readonly target: Float64Array;
  readonly targetWidth: number;
  readonly over: 'last' | 'sequence';
  /** L·D: the blocks of h0/c0 [L·D, B, H]. */
  readonly stateBlocks: number;
}

/** O: the width of the model's prediction. */
export function predictionWidth(model: LSTM): number {
  return headOutputSize(model.config.head!, headInputSize(model.config.hiddenSize, directionCount(model.config)));
}

/** The caller's shape of y and its axis names: [B, O] / [T, B, O] / [B, T, O], without O for cross-entropy. */
export function targetShape(model: LSTM, loss: LossKind, T: number, B: number): { shape: number[]; axes: string[] } {
  const { head, batchFirst } = model.config;
  const rows = head!.over === 'last' ? { shape: [B], axes: ['b'] } : batchFirst ? { shape: [B, T], axes: ['b', 't'] } : { shape: [T, B], axes: ['t', 'b'] };
  if (loss === 'cross-entropy') return rows;
  return { shape: [...rows.shape, predictionWidth(model)], axes: [...rows.axes, 'o'] };
}

/**
 * Checks y against the model, the loss and x's T and B: its length for the shape, numbers only,
 * finite (NON_FINITE names the first bad one's position), in [0, 1] for binary-cross-entropy,
 * integer class indices in [0, O) for cross-entropy. Returns it time-major.
 */
export function checkTarget(model: LSTM, loss: LossKind, y: unknown, T: number, B: number, name = 'y'): Float64Array {
  const { shape, axes } = targetShape(model, loss, T, B);
  const count = shape.reduce((a, b) => a * b, 1);
  const layout = `[${axes.map((a) => ({ b: 'B', t: 'T', o: 'O' })[a]).join(', ')}] = ${formatShape(shape)}`;
  const isList = y !== null && typeof y === 'object' && typeof (y as ArrayLike<number>).length === 'number';
  if (!isList || (y as ArrayLike<number>).length !== count) {
    const given = isList ? `${(y as ArrayLike<number>).length} values` : describeValue(y);
    throw invalidShape(`${name}: expected ${count} values for shape ${layout}${loss === 'cross-entropy' ? ' (one class index per prediction)' : ''}, got ${given}`);
  }
  const values = y as ArrayLike<unknown>;
  const out = new Float64Array(count);
  const O = predictionWidth(model);
  for (let k = 0; k < count; k++) {
    const v = values[k];
    const at = () => describePosition(k, shape, axes);
    if (typeof v !== 'number') throw invalidArgument(`${name} at ${at()} is ${describeValue(v)}; expected a number`);
    if (!Number.isFinite(v)) throw new LstmError('NON_FINITE', `${name} at ${at()} is ${v}; targets must be finite`);
    if (loss === 'binary-cross-entropy' && (v < 0 || v > 1)) throw invalidArgument(`${name} at ${at()} is ${v}; binary-cross-entropy expects targets in [0, 1]`);
    if (loss === 'cross-entropy' && (!Number.isInteger(v) || v < 0 || v >= O)) {
      throw invalidArgument(`${name} at ${at()} is ${v}; cross-entropy expects a class index, an integer in [0, ${O - 1}]`);
    }
    out[k] = v;
  }
  const width = loss === 'cross-entropy' ? 1 : O;
  return model.config.head!.over === 'sequence' && model.config.batchFirst ? swapLeadingAxes(out, B, T, width) : out;
}

/** Checks x, y and the data options of a call (x, h0, c0 and lengths as forward checks them). */
export function prepareDataset(model: LSTM, loss: LossKind, x: ArrayLike<number>, y: unknown, options: DataOptions, prefix = ''): Dataset {
  if (options === null || typeof options !== 'object') throw invalidArgument(`${prefix}options: expected { steps, batch, ... }, got ${describeValue(options)}`);
  const { steps, batch, lengths, h0, c0, nonFinite } = options;
  const input = prepareInput(model.config, x, { steps, batch, lengths, h0, c0, nonFinite });
  const target = checkTarget(model, loss, y, input.steps, input.batch, `${prefix}y`);
  const stateBlocks = model.config.numLayers * directionCount(model.config);
  return { input, target, targetWidth: loss === 'cross-entropy' ? 1 : predictionWidth(model), over: model.config.head!.over, stateBlocks };
}

/** Sequences `indices` of the dataset, in that order, as one time-major minibatch. */
export function takeSequences(data: Dataset, indices: readonly number[]): TrainingBatch {
  const { input, target, targetWidth } = data;
  const T = input.steps;
  const B = input.batch;
  const n = indices.length;
  const rowsOf = (source: Float32Array | Float64Array, blocks: number, width: number) => {
    const out = new Float64Array(blocks * n * width);
    for (let block = 0; block < blocks; block++) {
      indices.forEach((b, j) => out.set(source.subarray((block * B + b) * width, (block * B + b + 1) * width), (block * n + j) * width));
    }
    return out;
  };
  const I = input.x.length / (T * B);
  const states = (s: Float64Array | null) => (s ? rowsOf(s, data.stateBlocks, s.length / (data.stateBlocks * B)) : null);
  return {
    input: {
      steps: T,
      batch: n,
      x: rowsOf(input.x, T, I),
      h0: states(input.h0),
      c0: states(input.c0),
      lengths: input.lengths ? Int32Array.from(indices, (b) => input.lengths![b]) : null,
      trace: false,
    },
    target: rowsOf(target, data.over === 'sequence' ? T : 1, targetWidth),
  };
}

/** [lo, lo + 1, ..., hi − 1]. */
export function range(lo: number, hi: number): number[] {
  return Array.from({ length: hi - lo }, (_, k) => lo + k);
}
