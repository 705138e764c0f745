import { invalidArgument } from '../../core/errors.js';
import type { GraphLayer } from '../../model/graph/layers.js';
import { layerOutputShape, SequenceModel, type FeatureShape, type ModelSource } from '../../model/graph/sequence-model.js';
import { buildLayer } from './build-layers.js';
import { vintageOf, type Vintage } from './options.js';
import { readTopology } from './topology.js';
import type { WeightLookup } from './weights.js';

/** The per-sample input shape a model without a declared one reads, from its first layer's weights. */
function inferredInput(first: GraphLayer): FeatureShape {
  switch (first.kind) {
    case 'embedding':
      return [null];
    case 'lstm':
      return [null, first.lstm.config.inputSize];
    case 'dense':
      return [first.kernel.shape[0]];
    default:
      throw invalidArgument(`the model declares no input shape and its first layer (${first.kind}) does not imply one; add an InputLayer or batch_input_shape`);
  }
}

export interface AssembleOptions {
  readonly source: Omit<ModelSource, 'modelName' | 'modelClass'>;
  readonly runtime: Vintage['runtime'];
}

/**
 * A Keras model config (any vintage, see topology.ts) and its weights as a SequenceModel. Every
 * layer is checked (class, options, weight shapes) before the model exists, and every stored weight
 * must be used: a file is loaded whole or not at all.
 */
export function assembleModel(modelConfig: unknown, lookup: WeightLookup, options: AssembleOptions): SequenceModel {
  const topology = readTopology(modelConfig);
  if (topology.layers.length === 0) throw invalidArgument('model config: the model has no layers');
  const vintage = vintageOf(options.source.kerasVersion, topology.keras3, options.runtime);
  const layers: GraphLayer[] = [];
  let shape: FeatureShape | null = topology.input.shape;
  for (const spec of topology.layers) {
    // The input's rank decides which axis is "last" for a normalization layer.
    const layer = buildLayer(spec, lookup, vintage, shape?.length ?? 2);
    shape = layerOutputShape(layer, shape ?? inferredInput(layer));
    layers.push(layer);
  }
  lookup.checkAllUsed();
  const tokenIds = layers[0].kind === 'embedding';
  const inputShape = topology.input.shape ?? inferredInput(layers[0]);
  return new SequenceModel(
    { name: topology.input.name, shape: inputShape, tokenIds },
    layers,
    { ...options.source, ...(topology.modelName ? { modelName: topology.modelName } : {}), modelClass: topology.modelClass },
  );
}
