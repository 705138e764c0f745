import type { SequenceModel } from '../../model/graph/sequence-model.js';
import { layerConfig, layerWeightList, type KerasStyle, type KerasWeight } from './export-layers.js';

/**
 * A SequenceModel's Keras model config, written as a Sequential model (a functional chain is the
 * same computation): Keras 2 style puts `batch_input_shape` on the first layer (what TensorFlow.js
 * and Keras 2 read); Keras 3 style starts with an InputLayer with `batch_shape` and adds `module` /
 * `registered_name` as Keras 3 writes them.
 */
export function kerasModelConfig(model: SequenceModel, style: KerasStyle): Record<string, unknown> {
  const batchShape = [null, ...model.input.shape];
  const layers = model.layers.map((layer) => layerConfig(layer, style));
  const name = model.source.modelName ?? 'sequential';
  if (style === 'keras2') {
    layers[0].config = { batch_input_shape: batchShape, dtype: 'float32', ...layers[0].config };
    return { class_name: 'Sequential', config: { name, layers } };
  }
  const keras3 = (entry: { class_name: string; config: Record<string, unknown> }): Record<string, unknown> => {
    const config = { ...entry.config };
    if (config.layer && typeof config.layer === 'object') config.layer = keras3(config.layer as { class_name: string; config: Record<string, unknown> });
    return { module: 'keras.layers', class_name: entry.class_name, config: { ...config, dtype: 'float32' }, registered_name: null };
  };
  const input = { module: 'keras.layers', class_name: 'InputLayer', config: { batch_shape: batchShape, dtype: model.input.tokenIds ? 'int32' : 'float32', sparse: false, name: model.input.name }, registered_name: null };
  return { module: 'keras', class_name: 'Sequential', config: { name, trainable: true, layers: [input, ...layers.map(keras3)] }, registered_name: null, build_config: { input_shape: batchShape } };
}

/** Every layer's weights, by layer, in Keras's order. */
export function kerasWeightsByLayer(model: SequenceModel): { layer: string; weights: KerasWeight[] }[] {
  return model.layers.map((layer) => ({ layer: layer.name, weights: layerWeightList(layer) }));
}
