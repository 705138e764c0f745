import type { SequenceModel } from '../../model/graph/sequence-model.js';
import { kerasModelConfig, kerasWeightsByLayer } from '../keras/export-model.js';

/** The package that wrote a file, as model.json's generatedBy says it. */
const kGeneratedBy = 'webgpu-lstm';

export interface TfjsArtifacts {
  /** model.json's content. */
  readonly modelJSON: Record<string, unknown>;
  /** The one weight shard model.json names (little-endian float32). */
  readonly shardName: string;
  readonly weightData: Uint8Array;
}

/**
 * A SequenceModel as a TensorFlow.js layers model, as tfjs-layers' own model.save writes one:
 * `modelTopology` the Keras 2 style config, one weight group in one shard (`weights.bin`), weight
 * names `<layer>/<weight>` (a Bidirectional's `<layer>/forward_<lstm>/<weight>`), which is how
 * tf.loadLayersModel finds them. Values are written as float32 (exact for weights read from
 * float32 files; rounded for float64 ones). Throws INVALID_ARGUMENT for what TensorFlow.js cannot
 * express (LSTM variants beyond activations and go_backwards, Keras 3's hard_sigmoid).
 *
 * @example
 * const { modelJSON, shardName, weightData } = tfjsModelToArtifacts(model);
 * writeFileSync('out/model.json', JSON.stringify(modelJSON)); writeFileSync(`out/${shardName}`, weightData);
 */
export function tfjsModelToArtifacts(model: SequenceModel, shardName = 'weights.bin'): TfjsArtifacts {
  const modelConfig = kerasModelConfig(model, 'keras2');
  const specs: { name: string; shape: number[]; dtype: 'float32' }[] = [];
  const values: Float64Array[] = [];
  for (const { layer, weights } of kerasWeightsByLayer(model)) {
    for (const weight of weights) {
      specs.push({ name: [layer, ...weight.scope, weight.name].join('/'), shape: [...weight.tensor.shape], dtype: 'float32' });
      values.push(weight.tensor.data);
    }
  }
  const floats = new Float32Array(values.reduce((n, v) => n + v.length, 0));
  let offset = 0;
  for (const v of values) {
    floats.set(v, offset);
    offset += v.length;
  }
  // Float32Array is platform-endian; tfjs shards are little-endian, as every platform it runs on.
  const weightData = new Uint8Array(floats.buffer);
  return {
    modelJSON: {
      modelTopology: { ...modelConfig, keras_version: `${kGeneratedBy} (tfjs-layers format)`, backend: 'tensor_flow.js' },
      weightsManifest: [{ paths: [shardName], weights: specs }],
      format: 'layers-model',
      generatedBy: kGeneratedBy,
      convertedBy: null,
    },
    shardName,
    weightData,
  };
}
