import { directionCount, hiddenOutputSize, layerInputSize } from './config.js';
import { kDefaultActivations, type LstmActivations } from './variants.js';
import type { LSTM } from './lstm.js';
import { paramName } from './params.js';

/** One layer-direction's parameters as the equations use them (PyTorch layout, gate blocks i, f, g, o). */
export interface LayerWeights {
  readonly inputSize: number;
  readonly hiddenSize: number;
  /** The width of h: projSize P with a projection, else H. */
  readonly outputSize: number;
  /** W_i· [4H, I] */
  readonly weightIh: Float64Array;
  /** W_h· [4H, H] ([4H, P] with projSize) */
  readonly weightHh: Float64Array;
  /** b_i· [4H], or null for a model without bias */
  readonly biasIh: Float64Array | null;
  /** b_h· [4H], or null for a model without bias */
  readonly biasHh: Float64Array | null;
  /** W_hr [P, H] with projSize, else null */
  readonly weightHr: Float64Array | null;
  /** P [3H] (blocks i, o, f) with peepholes, else null */
  readonly peephole: Float64Array | null;
  /** The gate, candidate and cell-output activations (PyTorch's sigmoid, tanh, tanh by default). */
  readonly activations: LstmActivations;
  /** The bound on every gate pre-activation (ONNX's clip), or null for none. */
  readonly cellClip: number | null;
  /** f = 1 − i (ONNX's input_forget). */
  readonly inputForget: boolean;
}

/** The parameters of one layer and direction: the model's own arrays, for reading. */
export function layerWeights(model: LSTM, layer: number, direction: number): LayerWeights {
  const { bias, projSize, peepholes } = model.config;
  return {
    inputSize: layerInputSize(model.config, layer),
    hiddenSize: model.config.hiddenSize,
    outputSize: hiddenOutputSize(model.config),
    weightIh: model.param(paramName('weight_ih', layer, direction)),
    weightHh: model.param(paramName('weight_hh', layer, direction)),
    biasIh: bias ? model.param(paramName('bias_ih', layer, direction)) : null,
    biasHh: bias ? model.param(paramName('bias_hh', layer, direction)) : null,
    weightHr: projSize !== undefined ? model.param(paramName('weight_hr', layer, direction)) : null,
    peephole: peepholes ? model.param(paramName('weight_peephole', layer, direction)) : null,
    activations: model.config.activations ?? kDefaultActivations,
    cellClip: model.config.cellClip ?? null,
    inputForget: model.config.inputForget === true,
  };
}

/** Calls `fn` for every (layer, direction) in execution order: layer by layer, forward before reverse. */
export function forEachLayerDirection(model: LSTM, fn: (layer: number, direction: number) => void): void {
  for (let layer = 0; layer < model.config.numLayers; layer++) {
    for (let direction = 0; direction < directionCount(model.config); direction++) fn(layer, direction);
  }
}
