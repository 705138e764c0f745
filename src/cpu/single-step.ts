import { describeValue } from '../core/describe.js';
import { invalidShape } from '../core/errors.js';
import type { LSTM } from '../model/lstm.js';
import { hiddenOutputSize } from '../model/config.js';
import { cellStep, type CellStep } from './cell.js';
import { layerWeights } from '../model/layer-weights.js';

function checkLength(name: string, value: ArrayLike<number>, expected: number): void {
  if (value?.length !== expected) {
    throw invalidShape(`${name}: expected ${expected} values, got ${typeof value?.length === 'number' ? `${value.length} values` : describeValue(value)}`);
  }
}

/**
 * One step of the model's first layer (forward direction) for one sequence, as seed 001's
 * `LSTMCell.forward(x_t, h_prev, c_prev)`: returns the gates and the new (h, c), in float64.
 *
 * @example
 * const { h, c } = cell(model, [0.5, -1], new Float64Array(H), new Float64Array(H));
 */
export function cell(model: LSTM, x: ArrayLike<number>, h: ArrayLike<number>, c: ArrayLike<number>): CellStep {
  const { inputSize, hiddenSize } = model.config;
  checkLength('x', x, inputSize);
  checkLength('h', h, hiddenOutputSize(model.config)); // P with projSize
  checkLength('c', c, hiddenSize);
  return cellStep(layerWeights(model, 0, 0), x, 0, h, c);
}
