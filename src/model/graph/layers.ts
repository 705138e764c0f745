import type { Tensor } from '../../core/tensor.js';
import type { LSTM } from '../lstm.js';

/**
 * The layers a sequence model (src/model/graph/sequence-model.ts) is built from: the small layers
 * Keras and TensorFlow.js files put around their LSTMs, with their weights in Keras's own layout
 * (a Dense kernel is [in, units], as Keras stores it), so a file read and written back is the same
 * file. Shapes below leave out the batch axis: a sequence is [T, F], a vector [F].
 *
 * Definitions are Keras's (keras.io/api/layers, the same in TensorFlow.js's tfjs-layers):
 * - embedding: token id k → row k of `embeddings` [inputDim, outputDim]; mask_zero marks id 0 as padding.
 * - masking: a step whose features all equal `maskValue` is padding.
 * - dense: y = act(x · kernel + bias) over the last axis (on [F] or on every step of [T, F]);
 *   TimeDistributed(Dense) is the same layer over [T, F] and is written back as it was read.
 * - activation: y = act(x) (softmax over the last axis).
 * - identity: Dropout, SpatialDropout1D, ... — identity at inference; kept to be written back.
 * - batchNorm: y = (x − movingMean) / √(movingVariance + ε) · γ + β over the last axis.
 * - layerNorm: y = (x − mean) / √(var + ε) · γ + β with mean and (biased) var over the last axis.
 * - repeatVector: [F] → [n, F]. flatten: [T, F] → [T·F] (the mask is dropped).
 * - lstm: an LSTM or Bidirectional(LSTM) layer (see LstmLayer).
 */

/** Activations of Dense and Activation layers, by Keras's names. */
export const kHostActivations = [
  'linear', 'relu', 'relu6', 'sigmoid', 'hard_sigmoid', 'tanh', 'softmax', 'elu', 'selu',
  'softplus', 'softsign', 'exponential', 'swish', 'silu', 'gelu', 'leaky_relu', 'log_softmax',
] as const;
export type HostActivationName = (typeof kHostActivations)[number];

/**
 * An activation as a file means it. hard_sigmoid is clip(alpha·x + 0.5, 0, 1) with alpha 0.2 in
 * Keras 2 and TensorFlow.js, 1/6 in Keras 3 (keras.activations.hard_sigmoid of each version), so
 * the slope is stored beside the name, read from the file's Keras version.
 */
export interface HostActivation {
  readonly name: HostActivationName;
  /** hard_sigmoid's slope; absent for the other activations. */
  readonly hardSigmoidSlope?: number;
}

interface LayerBase {
  /** The layer's name in the file (also what its weights are found by). */
  readonly name: string;
}

export interface EmbeddingLayer extends LayerBase {
  readonly kind: 'embedding';
  readonly maskZero: boolean;
  /** [inputDim, outputDim] */
  readonly embeddings: Tensor<Float64Array>;
}

export interface MaskingLayer extends LayerBase {
  readonly kind: 'masking';
  readonly maskValue: number;
}

export interface DenseLayer extends LayerBase {
  readonly kind: 'dense';
  readonly activation: HostActivation;
  /** [in, units] (Keras's layout) */
  readonly kernel: Tensor<Float64Array>;
  /** [units], or null for use_bias false */
  readonly bias: Tensor<Float64Array> | null;
  /** Written back as TimeDistributed(Dense) when it was read as one. */
  readonly timeDistributed: boolean;
}

export interface ActivationLayer extends LayerBase {
  readonly kind: 'activation';
  readonly activation: HostActivation;
}

/** A layer that does nothing at inference (Dropout and its kin), kept so it is written back. */
export interface IdentityLayer extends LayerBase {
  readonly kind: 'identity';
  /** Keras's class name: Dropout, SpatialDropout1D, GaussianNoise, ... */
  readonly className: string;
  /** The dropout rate (or noise level), for writing the file back. */
  readonly rate: number;
}

export interface NormalizationLayer extends LayerBase {
  readonly kind: 'batchNorm' | 'layerNorm';
  readonly epsilon: number;
  /** [F], or null for scale false */
  readonly gamma: Tensor<Float64Array> | null;
  /** [F], or null for center false */
  readonly beta: Tensor<Float64Array> | null;
  /** batchNorm only: [F] each */
  readonly movingMean?: Tensor<Float64Array>;
  readonly movingVariance?: Tensor<Float64Array>;
}

export interface RepeatVectorLayer extends LayerBase {
  readonly kind: 'repeatVector';
  readonly n: number;
}

export interface FlattenLayer extends LayerBase {
  readonly kind: 'flatten';
}

export type MergeMode = 'concat' | 'sum' | 'mul' | 'ave';

/**
 * Keras's LSTM, or Bidirectional(LSTM), as one of our LSTM models: one layer, batch-first, the
 * kernels transposed into PyTorch's layout (weight_ih = kernelᵀ, weight_hh = recurrent_kernelᵀ,
 * gate blocks i, f, c, o = PyTorch's i, f, g, o) and Keras's one bias as bias_ih (bias_hh = 0).
 * Its activations are the LSTM config's (LstmConfig; docs/model.md).
 */
export interface LstmLayer extends LayerBase {
  readonly kind: 'lstm';
  /** One layer, batchFirst; bidirectional for Bidirectional(LSTM). */
  readonly lstm: LSTM;
  /** [T, D·H] (or merged) at every step, else the last output [D·H]. */
  readonly returnSequences: boolean;
  /** Keras's go_backwards (one direction only): the input is read from the end, and the outputs come in that (reversed) order. */
  readonly goBackwards: boolean;
  /** Bidirectional's merge of the two directions; null for a plain LSTM. */
  readonly mergeMode: MergeMode | null;
  /**
   * What a masked (padding) step outputs when returnSequences: zeros (Keras's zero_output_for_mask,
   * which Keras's Bidirectional sets) or the previous step's output (Keras's default and what
   * TensorFlow.js always does).
   */
  readonly zeroOutputForMask: boolean;
  /** The name of the wrapped layer(s) in the file: the LSTM's own name inside a Bidirectional. */
  readonly innerName?: string;
}

export type GraphLayer =
  | EmbeddingLayer
  | MaskingLayer
  | DenseLayer
  | ActivationLayer
  | IdentityLayer
  | NormalizationLayer
  | RepeatVectorLayer
  | FlattenLayer
  | LstmLayer;

export type GraphLayerKind = GraphLayer['kind'];
