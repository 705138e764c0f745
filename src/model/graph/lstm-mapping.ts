import type { Tensor } from '../../core/tensor.js';
import { layerInputSize, type LstmConfig } from '../config.js';
import { headParamName, kActivations, type Activation, type DenseLayerConfig } from '../head.js';
import { LSTM } from '../lstm.js';
import { paramSpecs } from '../params.js';
import type { DenseLayer, GraphLayer, LstmLayer } from './layers.js';
import { SequenceModel } from './sequence-model.js';

/**
 * Between a sequence model and our LSTM + dense head (src/model/head.ts), for the models that are
 * both: a stack of LSTM layers (same size, variant and direction; Bidirectional with concat) and
 * Dense layers after it, with only Dropout-like layers between. Such a Keras model then trains
 * with our trainer and is written as our JSON model; any of our models is written as Keras.
 */

function transpose(data: Float64Array, rows: number, cols: number): Float64Array {
  const out = new Float64Array(data.length);
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) out[c * rows + r] = data[r * cols + c];
  return out;
}

/** Why a sequence model is not an LSTM stack + dense head, or null when it is. */
function stackProblem(layers: readonly GraphLayer[]): string | null {
  const lstms = layers.filter((l): l is LstmLayer => l.kind === 'lstm');
  if (lstms.length === 0) return 'it has no LSTM layer';
  const first = lstms[0].lstm.config;
  const sameVariant = (c: LstmConfig) => JSON.stringify({ ...c, inputSize: 0, batchFirst: true }) === JSON.stringify({ ...first, inputSize: 0, batchFirst: true });
  let seenDense = false;
  for (const [k, layer] of layers.entries()) {
    if (layer.kind === 'identity') continue;
    if (layer.kind === 'lstm') {
      if (seenDense) return `LSTM layer ${JSON.stringify(layer.name)} comes after a Dense layer`;
      if (!sameVariant(layer.lstm.config)) return `LSTM layer ${JSON.stringify(layer.name)} differs from the first in size, direction or variant`;
      if (layer.goBackwards) return `LSTM layer ${JSON.stringify(layer.name)} has go_backwards`;
      if (layer.mergeMode !== null && layer.mergeMode !== 'concat') return `Bidirectional layer ${JSON.stringify(layer.name)} merges with ${layer.mergeMode}, not concat`;
      if (layer !== lstms[lstms.length - 1] && !layer.returnSequences) return `LSTM layer ${JSON.stringify(layer.name)} feeds another LSTM without return_sequences`;
      continue;
    }
    if (layer.kind === 'dense') {
      seenDense = true;
      if (!(kActivations as readonly string[]).includes(layer.activation.name)) return `Dense layer ${JSON.stringify(layer.name)}'s activation ${layer.activation.name} is not one of the head's (${kActivations.join(', ')})`;
      if (layer.bias === null) return `Dense layer ${JSON.stringify(layer.name)} has no bias`;
      continue;
    }
    if (layer.kind === 'activation' && layers[k - 1]?.kind === 'dense' && (layers[k - 1] as DenseLayer).activation.name === 'linear' && (kActivations as readonly string[]).includes(layer.activation.name)) continue;
    return `layer ${JSON.stringify(layer.name)} (${layer.kind}) is neither an LSTM, a Dense nor an identity at inference`;
  }
  return null;
}

/**
 * The sequence model as one LSTM (numLayers = the LSTM layers, batchFirst) with a dense head, or
 * throws RangeError saying why it is not one (see stackProblem). Weights are copied exactly.
 */
export function sequenceToLstm(model: SequenceModel): LSTM {
  const problem = model.input.tokenIds ? 'its input is token ids (an Embedding)' : stackProblem(model.layers);
  if (problem) throw new RangeError(`this model is not an LSTM stack with a dense head: ${problem}`);
  const lstms = model.lstmLayers;
  const last = lstms[lstms.length - 1];
  const base = lstms[0].lstm.config;
  const dense: { layer: DenseLayer; activation: Activation }[] = [];
  for (const layer of model.layers) {
    if (layer.kind === 'dense') dense.push({ layer, activation: layer.activation.name as Activation });
    if (layer.kind === 'activation') dense[dense.length - 1].activation = layer.activation.name as Activation;
  }
  const head = dense.length || !last.returnSequences ? { layers: dense.map(({ layer, activation }): DenseLayerConfig => ({ outFeatures: layer.kernel.shape[1], activation })), over: last.returnSequences ? ('sequence' as const) : ('last' as const) } : undefined;
  const config = { ...base, numLayers: lstms.length, batchFirst: true, head };
  const params = new Map<string, Tensor<Float64Array>>();
  lstms.forEach((layer, k) => {
    for (const [name, tensor] of layer.lstm.tensors()) params.set(name.replace(/_l0(_reverse)?$/, `_l${k}$1`), tensor);
  });
  dense.forEach(({ layer }, k) => {
    const [inputs, outputs] = layer.kernel.shape;
    params.set(headParamName('weight', k), { shape: [outputs, inputs], data: transpose(layer.kernel.data, inputs, outputs) });
    params.set(headParamName('bias', k), layer.bias!);
  });
  return new LSTM(config, params, { nonFinite: 'propagate' });
}

/** Whether sequenceToLstm can map the model; the reason when it cannot. */
export function lstmMappingProblem(model: SequenceModel): string | null {
  return model.input.tokenIds ? 'its input is token ids (an Embedding)' : stackProblem(model.layers);
}

/**
 * One of our LSTMs (with its head, if any) as a sequence model: a Keras LSTM (Bidirectional with
 * concat) per layer, Dense layers for the head. Batch-first, as Keras is. Without a head, or with
 * a head over 'sequence', the last LSTM returns sequences.
 */
export function lstmToSequence(model: LSTM, name = 'sequential'): SequenceModel {
  const c = model.config;
  const tensors = model.tensors();
  const layers: GraphLayer[] = [];
  for (let k = 0; k < c.numLayers; k++) {
    const params = new Map<string, Tensor<Float64Array>>();
    for (const spec of paramSpecs({ ...c, numLayers: 1, head: undefined, inputSize: layerInputSize(c, k) })) {
      params.set(spec.name, tensors.get(spec.name.replace(/_l0(_reverse)?$/, `_l${k}$1`))!);
    }
    const lstm = new LSTM({ ...c, numLayers: 1, batchFirst: true, head: undefined, inputSize: layerInputSize(c, k) }, params, { nonFinite: 'propagate' });
    const last = k === c.numLayers - 1;
    layers.push({ kind: 'lstm', name: k === 0 ? 'lstm' : `lstm_${k}`, lstm, returnSequences: !last || !c.head || c.head.over === 'sequence', goBackwards: c.goBackwards === true, mergeMode: c.bidirectional ? 'concat' : null, zeroOutputForMask: true, ...(c.bidirectional ? { innerName: `lstm_cell_${k}` } : {}) });
  }
  c.head?.layers.forEach((dense, k) => {
    const weight = tensors.get(headParamName('weight', k))!;
    const [outputs, inputs] = weight.shape;
    layers.push({ kind: 'dense', name: k === 0 ? 'dense' : `dense_${k}`, activation: { name: dense.activation }, kernel: { shape: [inputs, outputs], data: transpose(weight.data, outputs, inputs) }, bias: tensors.get(headParamName('bias', k))!, timeDistributed: false });
  });
  return new SequenceModel({ name: 'input_layer', shape: [null, c.inputSize], tokenIds: false }, layers, { format: 'lstm', modelName: name, modelClass: 'sequential' });
}

