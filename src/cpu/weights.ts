import { directionCount, layerInputSize } from '../model/config.js';
import type { LSTM } from '../model/lstm.js';
import { paramName } from '../model/params.js';
import type { CellWeights } from './cell.js';

/** The parameters of one layer and direction, with both biases summed as every step uses them. */
export function cellWeights(model: LSTM, layer: number, direction: number): CellWeights {
  const H = model.config.hiddenSize;
  const bias = new Float64Array(4 * H);
  if (model.config.bias) {
    const bIh = model.param(paramName('bias_ih', layer, direction));
    const bHh = model.param(paramName('bias_hh', layer, direction));
    for (let r = 0; r < 4 * H; r++) bias[r] = bIh[r] + bHh[r];
  }
  return {
    inputSize: layerInputSize(model.config, layer),
    hiddenSize: H,
    weightIh: model.param(paramName('weight_ih', layer, direction)),
    weightHh: model.param(paramName('weight_hh', layer, direction)),
    bias,
  };
}

/** Calls `fn` for every (layer, direction) in execution order: layer by layer, forward before reverse. */
export function forEachLayerDirection(model: LSTM, fn: (layer: number, direction: number) => void): void {
  for (let layer = 0; layer < model.config.numLayers; layer++) {
    for (let direction = 0; direction < directionCount(model.config); direction++) fn(layer, direction);
  }
}
