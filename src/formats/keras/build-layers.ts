import { describeValue, formatShape } from '../../core/describe.js';
import { invalidArgument, invalidParameter } from '../../core/errors.js';
import type { Tensor } from '../../core/tensor.js';
import { kHostActivations, type GraphLayer, type HostActivation, type HostActivationName, type MergeMode } from '../../model/graph/layers.js';
import { isJson, own, type Json, type LayerSpec } from './topology.js';
import type { WeightLookup } from './weights.js';
import { buildLstmLayer } from './build-lstm.js';
import { flagOption, numberOption, unsupported, type Vintage } from './options.js';

/**
 * Keras layers (LayerSpec, from src/formats/keras/topology.ts) as graph layers
 * (src/model/graph/layers.ts), their weights taken from the file by Keras's names.
 */

/** Keras's classes this reader takes, for messages. */
export const kSupportedClasses = [
  'InputLayer', 'LSTM', 'Bidirectional(LSTM)', 'Embedding', 'Masking', 'Dense', 'TimeDistributed(Dense)', 'Activation',
  'Dropout', 'SpatialDropout1D', 'GaussianNoise', 'GaussianDropout', 'AlphaDropout', 'BatchNormalization',
  'LayerNormalization', 'RepeatVector', 'Flatten',
] as const;

/** Layers that only act while training. */
const kIdentityClasses = new Set(['Dropout', 'SpatialDropout1D', 'GaussianNoise', 'GaussianDropout', 'AlphaDropout']);

/** A Dense/Activation activation by Keras's name (absent: linear). */
export function hostActivation(layer: LayerSpec, value: unknown, vintage: Vintage): HostActivation {
  const name = value ?? 'linear';
  if (typeof name !== 'string' || !(kHostActivations as readonly string[]).includes(name)) {
    unsupported(layer, `activation ${describeValue(name)} is not supported; expected one of ${kHostActivations.join(', ')}`);
  }
  return name === 'hard_sigmoid' ? { name, hardSigmoidSlope: vintage.hardSigmoidSlope } : { name: name as HostActivationName };
}

/** The normalization axis must be the last one (-1, or its index for rank-3 input, possibly as a one-item list). */
function checkLastAxis(layer: LayerSpec, rank: number): void {
  const axis = own(layer.config, 'axis') ?? -1;
  const list = Array.isArray(axis) ? axis : [axis];
  if (list.length !== 1 || !(list[0] === -1 || list[0] === rank)) unsupported(layer, `axis ${describeValue(axis)}: only the last axis (-1) is supported`);
}

function expectShape(layer: LayerSpec, what: string, tensor: Tensor<Float64Array>, shape: readonly number[]): void {
  if (tensor.shape.length !== shape.length || tensor.shape.some((d, k) => d !== shape[k])) {
    throw invalidParameter(`layer ${JSON.stringify(layer.name)} (${layer.className}): ${what} has shape ${formatShape(tensor.shape)}, expected ${formatShape(shape)}`);
  }
}

function denseLayer(layer: LayerSpec, lookup: WeightLookup, vintage: Vintage, timeDistributed: boolean, weightLayer = layer.name): GraphLayer {
  const units = numberOption(layer, 'units', NaN);
  const useBias = flagOption(layer, 'use_bias', true);
  const [kernel, bias] = lookup.weights(weightLayer, null, useBias ? ['kernel', 'bias'] : ['kernel']);
  if (kernel.shape.length !== 2) throw invalidParameter(`layer ${JSON.stringify(layer.name)} (Dense): kernel has shape ${formatShape(kernel.shape)}, expected [in, ${units}]`);
  expectShape(layer, 'kernel', kernel, [kernel.shape[0], units]);
  if (bias) expectShape(layer, 'bias', bias, [units]);
  return { kind: 'dense', name: layer.name, activation: hostActivation(layer, own(layer.config, 'activation'), vintage), kernel, bias: bias ?? null, timeDistributed };
}

function normalization(layer: LayerSpec, lookup: WeightLookup, rank: number): GraphLayer {
  checkLastAxis(layer, rank);
  const center = flagOption(layer, 'center', true);
  const scale = flagOption(layer, 'scale', true);
  const batch = layer.className === 'BatchNormalization';
  if (batch && (own(layer.config, 'renorm') === true)) unsupported(layer, 'renorm is not supported');
  if (!batch && own(layer.config, 'rms_scaling') === true) unsupported(layer, 'rms_scaling is not supported');
  const names = [...(scale ? ['gamma'] : []), ...(center ? ['beta'] : []), ...(batch ? ['moving_mean', 'moving_variance'] : [])];
  const got = new Map(lookup.weights(layer.name, null, names).map((t, k) => [names[k], t]));
  return {
    kind: batch ? 'batchNorm' : 'layerNorm',
    name: layer.name,
    epsilon: numberOption(layer, 'epsilon', batch ? 1e-3 : 1e-3),
    gamma: got.get('gamma') ?? null,
    beta: got.get('beta') ?? null,
    ...(batch ? { movingMean: got.get('moving_mean')!, movingVariance: got.get('moving_variance')! } : {}),
  };
}

/** The wrapped layer of a Bidirectional or TimeDistributed: {class_name, config}. */
export function wrapped(layer: LayerSpec, key = 'layer'): LayerSpec {
  const inner = own(layer.config, key);
  if (!isJson(inner) || typeof own(inner, 'class_name') !== 'string' || !isJson(own(inner, 'config'))) {
    unsupported(layer, `${key}: expected the wrapped layer {"class_name", "config"}, got ${describeValue(inner)}`);
  }
  const config = own(inner, 'config') as Json;
  const name = own(config, 'name');
  return { className: own(inner, 'class_name') as string, name: typeof name === 'string' ? name : `${layer.name}_inner`, config };
}

/**
 * One Keras layer as a graph layer. `rank` is its input's rank per sample (for the normalization
 * axis). Throws INVALID_ARGUMENT for a class or option outside the supported set, naming it and
 * what is supported; INVALID_PARAMETER for missing or misshapen weights.
 */
export function buildLayer(layer: LayerSpec, lookup: WeightLookup, vintage: Vintage, rank: number): GraphLayer {
  const name = layer.name;
  switch (layer.className) {
    case 'LSTM':
      return buildLstmLayer(layer, null, lookup, vintage);
    case 'Bidirectional': {
      const mode = own(layer.config, 'merge_mode');
      if (mode !== 'concat' && mode !== 'sum' && mode !== 'mul' && mode !== 'ave') unsupported(layer, `merge_mode ${describeValue(mode)}: expected concat, sum, mul or ave`);
      return buildLstmLayer(wrapped(layer), layer, lookup, vintage, mode as MergeMode);
    }
    case 'TimeDistributed': {
      const inner = wrapped(layer);
      if (inner.className !== 'Dense') unsupported(layer, `wraps ${inner.className}; only TimeDistributed(Dense) is supported`);
      return denseLayer({ ...inner, name }, lookup, vintage, true, name);
    }
    case 'Dense':
      return denseLayer(layer, lookup, vintage, false);
    case 'Activation':
      return { kind: 'activation', name, activation: hostActivation(layer, own(layer.config, 'activation'), vintage) };
    case 'Embedding': {
      const [embeddings] = lookup.weights(name, null, ['embeddings']);
      expectShape(layer, 'embeddings', embeddings, [numberOption(layer, 'input_dim', NaN), numberOption(layer, 'output_dim', NaN)]);
      return { kind: 'embedding', name, maskZero: flagOption(layer, 'mask_zero', false), embeddings };
    }
    case 'Masking':
      return { kind: 'masking', name, maskValue: numberOption(layer, 'mask_value', 0) };
    case 'BatchNormalization':
    case 'LayerNormalization':
      return normalization(layer, lookup, rank);
    case 'RepeatVector':
      return { kind: 'repeatVector', name, n: numberOption(layer, 'n', NaN) };
    case 'Flatten':
      return { kind: 'flatten', name };
    default:
      if (kIdentityClasses.has(layer.className)) {
        const rate = own(layer.config, 'rate') ?? own(layer.config, 'stddev') ?? 0;
        return { kind: 'identity', name, className: layer.className, rate: typeof rate === 'number' ? rate : 0 };
      }
      return unsupported(layer, `this layer class is not supported; supported: ${kSupportedClasses.join(', ')}`);
  }
}
