import { describeValue } from '../../core/describe.js';
import { invalidArgument } from '../../core/errors.js';
import type { Tensor } from '../../core/tensor.js';
import { variantsOf } from '../../model/config.js';
import type { GraphLayer, HostActivation, LstmLayer } from '../../model/graph/layers.js';
import { paramName } from '../../model/params.js';
import type { CellActivation } from '../../model/variants.js';
import { permuteGateBlocks } from '../gate-order.js';
import { transpose } from './build-lstm.js';

/**
 * Graph layers back into Keras's terms: each layer's config ({class_name, config}) and weights
 * (Keras's names and layout), for the TensorFlow.js, Keras HDF5 and .keras writers. `style`
 * 'keras2' is the config TensorFlow.js and Keras 2 read; 'keras3' adds what Keras 3 writes
 * (module, registered_name). hard_sigmoid is written only where the target means the same
 * function: slope 0.2 for Keras 2 and TensorFlow.js, 1/6 for Keras 3.
 */

export type KerasStyle = 'keras2' | 'keras3';

/** hard_sigmoid's slope in each style (keras.activations.hard_sigmoid of Keras 2 / tfjs, and of Keras 3). */
export const kHardSigmoidSlope: Record<KerasStyle, number> = { keras2: 0.2, keras3: 1 / 6 };

function refuse(layer: GraphLayer, what: string): never {
  throw invalidArgument(`layer ${JSON.stringify(layer.name)} (${layer.kind}): ${what}`);
}

function hostActivationName(layer: GraphLayer, activation: HostActivation, style: KerasStyle): string {
  if (activation.name === 'hard_sigmoid' && activation.hardSigmoidSlope !== kHardSigmoidSlope[style]) {
    refuse(layer, `hard_sigmoid with slope ${activation.hardSigmoidSlope} has no name in ${style === 'keras3' ? 'Keras 3' : 'Keras 2 / TensorFlow.js'} (whose hard_sigmoid has slope ${kHardSigmoidSlope[style]})`);
  }
  return activation.name;
}

function cellActivationName(layer: GraphLayer, activation: CellActivation, style: KerasStyle): string {
  const { kind, alpha, beta } = activation;
  if (kind === 'hard_sigmoid' && alpha === kHardSigmoidSlope[style] && beta === 0.5) return kind;
  if (kind === 'affine' && alpha === 1 && beta === 0) return 'linear';
  if (kind === 'elu' && alpha === 1) return kind;
  if (['sigmoid', 'tanh', 'relu', 'softsign', 'softplus'].includes(kind)) return kind;
  return refuse(layer, `the LSTM activation ${describeValue(activation)} has no Keras name in ${style === 'keras3' ? 'Keras 3' : 'Keras 2 / TensorFlow.js'}`);
}

/** The LSTM config keys Keras and TensorFlow.js read (their defaults for what matters only in training). */
function lstmConfig(layer: LstmLayer, name: string, style: KerasStyle, backward = false): Record<string, unknown> {
  const config = layer.lstm.config;
  const unsupported = variantsOf(config).filter((v) => v !== 'activations' && v !== 'goBackwards');
  if (unsupported.length) refuse(layer, `the LSTM variant(s) ${unsupported.join(', ')} have no Keras equivalent`);
  const activations = config.activations;
  const candidate = activations ? cellActivationName(layer, activations.candidate, style) : 'tanh';
  const cellOutput = activations ? cellActivationName(layer, activations.cellOutput, style) : 'tanh';
  if (candidate !== cellOutput) refuse(layer, `Keras's LSTM has one activation for the candidate and the cell output; this one has ${candidate} and ${cellOutput}`);
  return {
    name,
    trainable: true,
    units: config.hiddenSize,
    activation: candidate,
    recurrent_activation: activations ? cellActivationName(layer, activations.gate, style) : 'sigmoid',
    use_bias: config.bias,
    return_sequences: layer.returnSequences,
    return_state: false,
    go_backwards: layer.goBackwards || backward,
    stateful: false,
    unroll: false,
    ...(layer.zeroOutputForMask ? { zero_output_for_mask: true } : {}),
    unit_forget_bias: true,
    dropout: 0,
    recurrent_dropout: 0,
  };
}

/** A layer's config as Keras writes it: {class_name, config}. */
export function layerConfig(layer: GraphLayer, style: KerasStyle): { class_name: string; config: Record<string, unknown> } {
  const name = layer.name;
  switch (layer.kind) {
    case 'lstm': {
      if (layer.mergeMode === null) return { class_name: 'LSTM', config: lstmConfig(layer, name, style) };
      const inner = layer.innerName ?? `lstm_in_${name}`;
      const wrappedLstm = { class_name: 'LSTM', config: lstmConfig(layer, inner, style) };
      return { class_name: 'Bidirectional', config: { name, trainable: true, merge_mode: layer.mergeMode, layer: wrappedLstm } };
    }
    case 'dense': {
      const dense = { name: layer.timeDistributed ? `${name}_dense` : name, trainable: true, units: layer.kernel.shape[1], activation: hostActivationName(layer, layer.activation, style), use_bias: layer.bias !== null };
      return layer.timeDistributed ? { class_name: 'TimeDistributed', config: { name, trainable: true, layer: { class_name: 'Dense', config: dense } } } : { class_name: 'Dense', config: dense };
    }
    case 'activation':
      return { class_name: 'Activation', config: { name, trainable: true, activation: hostActivationName(layer, layer.activation, style) } };
    case 'identity':
      return { class_name: layer.className, config: { name, trainable: true, ...(layer.className === 'GaussianNoise' ? { stddev: layer.rate } : { rate: layer.rate }) } };
    case 'embedding':
      return { class_name: 'Embedding', config: { name, trainable: true, input_dim: layer.embeddings.shape[0], output_dim: layer.embeddings.shape[1], mask_zero: layer.maskZero } };
    case 'masking':
      return { class_name: 'Masking', config: { name, trainable: true, mask_value: layer.maskValue } };
    case 'batchNorm':
    case 'layerNorm':
      return {
        class_name: layer.kind === 'batchNorm' ? 'BatchNormalization' : 'LayerNormalization',
        config: { name, trainable: true, axis: -1, epsilon: layer.epsilon, center: layer.beta !== null, scale: layer.gamma !== null, ...(layer.kind === 'batchNorm' ? { momentum: 0.99 } : {}) },
      };
    case 'repeatVector':
      return { class_name: 'RepeatVector', config: { name, trainable: true, n: layer.n } };
    case 'flatten':
      return { class_name: 'Flatten', config: { name, trainable: true } };
  }
}

/** One weight in Keras's terms: the scopes inside its layer (a Bidirectional's forward_<lstm>), its name, its values. */
export interface KerasWeight {
  readonly scope: readonly string[];
  readonly name: string;
  readonly tensor: Tensor<Float64Array>;
}

function lstmWeights(layer: LstmLayer, direction: number, scope: string[]): KerasWeight[] {
  const { hiddenSize: H, bias } = layer.lstm.config;
  const ih = layer.lstm.param(paramName('weight_ih', 0, direction));
  const I = ih.length / (4 * H);
  const toKeras = (w: Float64Array, cols: number) => transpose(permuteGateBlocks(w, 'pytorch', 'keras'), 4 * H, cols);
  const weights: KerasWeight[] = [
    { scope, name: 'kernel', tensor: { shape: [I, 4 * H], data: toKeras(ih, I) } },
    { scope, name: 'recurrent_kernel', tensor: { shape: [H, 4 * H], data: toKeras(layer.lstm.param(paramName('weight_hh', 0, direction)), H) } },
  ];
  if (bias) {
    const sum = layer.lstm.param(paramName('bias_ih', 0, direction)).map((b, k) => b + layer.lstm.param(paramName('bias_hh', 0, direction))[k]);
    weights.push({ scope, name: 'bias', tensor: { shape: [4 * H], data: permuteGateBlocks(sum, 'pytorch', 'keras') } });
  }
  return weights;
}

/** A layer's weights in the order Keras creates them (the order Keras 3's vars/0, 1, ... follow). */
export function layerWeightList(layer: GraphLayer): KerasWeight[] {
  switch (layer.kind) {
    case 'lstm':
      if (layer.mergeMode === null) return lstmWeights(layer, 0, []);
      return [0, 1].flatMap((d) => lstmWeights(layer, d, [`${d === 0 ? 'forward' : 'backward'}_${layer.innerName ?? `lstm_in_${layer.name}`}`]));
    case 'dense':
      return [{ scope: [], name: 'kernel', tensor: layer.kernel }, ...(layer.bias ? [{ scope: [], name: 'bias', tensor: layer.bias }] : [])];
    case 'embedding':
      return [{ scope: [], name: 'embeddings', tensor: layer.embeddings }];
    case 'batchNorm':
    case 'layerNorm':
      return [
        ...(layer.gamma ? [{ scope: [], name: 'gamma', tensor: layer.gamma }] : []),
        ...(layer.beta ? [{ scope: [], name: 'beta', tensor: layer.beta }] : []),
        ...(layer.movingMean ? [{ scope: [], name: 'moving_mean', tensor: layer.movingMean }] : []),
        ...(layer.movingVariance ? [{ scope: [], name: 'moving_variance', tensor: layer.movingVariance }] : []),
      ];
    default:
      return [];
  }
}
