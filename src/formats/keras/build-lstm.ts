import { describeValue } from '../../core/describe.js';
import { invalidParameter } from '../../core/errors.js';
import type { Tensor } from '../../core/tensor.js';
import type { LstmConfigInput } from '../../model/config.js';
import type { LstmLayer, MergeMode } from '../../model/graph/layers.js';
import { LSTM } from '../../model/lstm.js';
import { paramName } from '../../model/params.js';
import type { CellActivationInput } from '../../model/variants.js';
import { permuteGateBlocks } from '../gate-order.js';
import { own, type LayerSpec } from './topology.js';
import { flagOption, numberOption, unsupported, type Vintage } from './options.js';
import type { WeightLookup, WeightPart } from './weights.js';

/** Keras's LSTM activations our LSTM config has (ONNX's list; Keras's linear is affine(1, 0)). */
const kCellActivations = new Set(['tanh', 'sigmoid', 'hard_sigmoid', 'relu', 'linear', 'softsign', 'softplus', 'elu']);

/** A Keras LSTM activation as our config's (hard_sigmoid with the file's slope: 0.2 Keras 2 / tfjs, 1/6 Keras 3). */
export function cellActivation(layer: LayerSpec, key: string, fallback: string, vintage: Vintage): CellActivationInput {
  const name = own(layer.config, key) ?? fallback;
  if (typeof name !== 'string' || !kCellActivations.has(name)) {
    unsupported(layer, `${key} ${describeValue(name)} is not supported in an LSTM; expected one of ${[...kCellActivations].join(', ')}`);
  }
  if (name === 'hard_sigmoid') return { kind: 'hard_sigmoid', alpha: vintage.hardSigmoidSlope, beta: 0.5 };
  return name as CellActivationInput;
}

/** [rows, cols] row-major → [cols, rows]. */
export function transpose(data: Float64Array, rows: number, cols: number): Float64Array {
  const out = new Float64Array(data.length);
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) out[c * rows + r] = data[r * cols + c];
  return out;
}

interface KerasLstmWeights {
  readonly kernel: Tensor<Float64Array>;
  readonly recurrent: Tensor<Float64Array>;
  readonly bias: Tensor<Float64Array> | undefined;
}

function directionWeights(weightLayer: string, part: WeightPart, lookup: WeightLookup, useBias: boolean, units: number): KerasLstmWeights {
  const [kernel, recurrent, bias] = lookup.weights(weightLayer, part, useBias ? ['kernel', 'recurrent_kernel', 'bias'] : ['kernel', 'recurrent_kernel']);
  const where = `layer ${JSON.stringify(weightLayer)}${part ? ` (${part})` : ''}`;
  if (kernel.shape.length !== 2 || kernel.shape[1] !== 4 * units) throw invalidParameter(`${where}: kernel has shape [${kernel.shape}], expected [input, ${4 * units}] (4·units, gates i, f, c, o)`);
  if (recurrent.shape.length !== 2 || recurrent.shape[0] !== units || recurrent.shape[1] !== 4 * units) throw invalidParameter(`${where}: recurrent_kernel has shape [${recurrent.shape}], expected [${units}, ${4 * units}]`);
  if (bias && (bias.shape.length !== 1 || bias.shape[0] !== 4 * units)) throw invalidParameter(`${where}: bias has shape [${bias.shape}], expected [${4 * units}]`);
  return { kernel, recurrent, bias };
}

/**
 * Keras's LSTM (or the LSTM inside a Bidirectional `outer`) as an LstmLayer: weight_ih = kernelᵀ,
 * weight_hh = recurrent_kernelᵀ (Keras's gate order i, f, c, o is PyTorch's i, f, g, o), bias_ih =
 * bias and bias_hh = 0 (Keras has one bias). Options that change inference and are not supported
 * (return_state, stateful, time_major) are refused; dropout, unroll and initializers do not matter
 * at inference and are ignored.
 */
export function buildLstmLayer(layer: LayerSpec, outer: LayerSpec | null, lookup: WeightLookup, vintage: Vintage, mergeMode: MergeMode | null = null): LstmLayer {
  if (layer.className !== 'LSTM') unsupported(outer ?? layer, `wraps ${layer.className}; only LSTM (and Bidirectional(LSTM)) is supported`);
  for (const key of ['return_state', 'stateful', 'time_major']) {
    if (own(layer.config, key) === true) unsupported(layer, `${key}: true is not supported`);
  }
  const units = numberOption(layer, 'units', NaN);
  const useBias = flagOption(layer, 'use_bias', true);
  const goBackwards = flagOption(layer, 'go_backwards', false);
  if (outer && goBackwards) unsupported(outer, 'a Bidirectional whose wrapped LSTM has go_backwards: true is not supported');
  const activation = cellActivation(layer, 'activation', 'tanh', vintage);
  const config: LstmConfigInput = {
    inputSize: 1,
    hiddenSize: units,
    numLayers: 1,
    bidirectional: outer !== null,
    bias: useBias,
    batchFirst: true,
    activations: { gate: cellActivation(layer, 'recurrent_activation', 'sigmoid', vintage), candidate: activation, cellOutput: activation },
    goBackwards,
  };
  const weightLayer = outer?.name ?? layer.name;
  const parts: WeightPart[] = outer ? ['forward', 'backward'] : [null];
  const params = new Map<string, Tensor<Float64Array>>();
  let inputSize = 0;
  parts.forEach((part, direction) => {
    const w = directionWeights(weightLayer, part, lookup, useBias, units);
    inputSize = w.kernel.shape[0];
    const toPyTorch = (t: Tensor<Float64Array>, rows: number) => permuteGateBlocks(transpose(t.data, rows, 4 * units), 'keras', 'pytorch');
    params.set(paramName('weight_ih', 0, direction), { shape: [4 * units, inputSize], data: toPyTorch(w.kernel, inputSize) });
    params.set(paramName('weight_hh', 0, direction), { shape: [4 * units, units], data: toPyTorch(w.recurrent, units) });
    if (w.bias) {
      params.set(paramName('bias_ih', 0, direction), { shape: [4 * units], data: permuteGateBlocks(w.bias.data, 'keras', 'pytorch') });
      params.set(paramName('bias_hh', 0, direction), { shape: [4 * units], data: new Float64Array(4 * units) });
    }
  });
  const inner = outer ? layer.name : undefined;
  return {
    kind: 'lstm',
    name: weightLayer,
    // Non-finite weights were refused (or allowed) when read; nothing here is new input.
    lstm: new LSTM({ ...config, inputSize }, params, { nonFinite: 'propagate' }),
    returnSequences: flagOption(layer, 'return_sequences', false),
    goBackwards,
    mergeMode: outer ? mergeMode : null,
    // Keras honours its config's zero_output_for_mask; TensorFlow.js ignores it (and repeats the last output).
    zeroOutputForMask: vintage.runtime === 'keras' && own(layer.config, 'zero_output_for_mask') === true,
    ...(inner ? { innerName: inner } : {}),
  };
}
