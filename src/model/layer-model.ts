import type { Tensor } from '../core/tensor.js';
import { layerInputSize } from './config.js';
import { LSTM } from './lstm.js';
import { paramName, type ParamKind } from './params.js';

/**
 * One layer and direction of `model` as a model of its own: one layer, unidirectional, time-major,
 * with that layer-direction's parameters under the names of layer 0. Running it over a sequence
 * (reversed, for direction 1) gives that layer-direction's part of the whole model's results.
 */
export function layerDirectionModel(model: LSTM, layer: number, direction: number): LSTM {
  const { hiddenSize, bias } = model.config;
  const kinds: ParamKind[] = bias ? ['weight_ih', 'weight_hh', 'bias_ih', 'bias_hh'] : ['weight_ih', 'weight_hh'];
  const tensors = model.tensors();
  const params = new Map<string, Tensor<Float64Array>>();
  for (const kind of kinds) params.set(paramName(kind, 0, 0), tensors.get(paramName(kind, layer, direction))!);
  const config = { inputSize: layerInputSize(model.config, layer), hiddenSize, numLayers: 1, bidirectional: false, bias, batchFirst: false };
  // The parent model was already checked under its own policy; nothing here is new input.
  return new LSTM(config, params, { nonFinite: 'propagate' });
}
