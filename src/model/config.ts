import { describeValue } from '../core/describe.js';
import { invalidArgument } from '../core/errors.js';
import { normalizeHead, type HeadConfig, type HeadConfigInput } from './head.js';
import { normalizeActivations, normalizeCellClip, type LstmActivations, type LstmActivationsInput } from './variants.js';

/**
 * What an LSTM is, independent of its weights. A config object rather than positional flags, so
 * later options (peepholes, projection size, cell clip, other activations) slot in beside these.
 */
export interface LstmConfig {
  /** I: features per time step of x (PyTorch's input_size). Required; an integer in [1, 65536]. */
  readonly inputSize: number;
  /** H: units of the hidden and cell state, per layer and direction (PyTorch's hidden_size). Required; an integer in [1, 65536]. */
  readonly hiddenSize: number;
  /** L: stacked LSTM layers; layer k > 0 reads layer k − 1's output (PyTorch's num_layers). Default 1; at most 64. */
  readonly numLayers: number;
  /** D = 2 when true: each layer also runs backward in time, and outputs are [forward, reverse] (D·H wide). Default false. */
  readonly bidirectional: boolean;
  /** Whether the model has bias_ih/bias_hh parameters. Default true. */
  readonly bias: boolean;
  /** Whether x and output are [B, T, ·] instead of time-major [T, B, ·]. Default false. */
  readonly batchFirst: boolean;
  /** Dense layers after the LSTM (docs/model.md, "Head"); absent for a plain LSTM. */
  readonly head?: HeadConfig;
  // The variants (src/model/variants.ts has the equations). Each is present only when it differs
  // from PyTorch's plain LSTM, so `hasVariants` and the model file see plain models unchanged.
  /** The gate, candidate and cell-output activations (ONNX's f, g, h); absent: sigmoid, tanh, tanh. */
  readonly activations?: LstmActivations;
  /** Peephole weights weight_peephole_l{k} [3H] (gate order i, o, f, as ONNX's P). */
  readonly peepholes?: true;
  /** Bound on every gate pre-activation: clipped to [−cellClip, cellClip] (ONNX's clip). */
  readonly cellClip?: number;
  /** f = 1 − i (ONNX's input_forget); the forget gate's weights are then unused (but present). */
  readonly inputForget?: true;
  /**
   * Keras's go_backwards (unidirectional models only): each layer runs over its input as PyTorch's
   * reverse direction does (from each sequence's last valid step back to t = 0) and returns its
   * outputs in the order it made them, as Keras does: output[T−1−t] holds the state after reading
   * x[t]. h_n is the state after t = 0.
   */
  readonly goBackwards?: true;
  /**
   * PyTorch's proj_size P (1 ≤ P < H): h' = W_hr·(o ⊙ h(c')), weight_hr_l{k} [P, H]; weight_hh is
   * [4H, P], h0/h_n are [L·D, B, P] (c0/c_n stay [L·D, B, H]), the output is D·P wide.
   */
  readonly projSize?: number;
}

type VariantInputs = {
  readonly activations?: LstmActivationsInput;
  readonly peepholes?: boolean;
  readonly cellClip?: number;
  readonly inputForget?: boolean;
  readonly goBackwards?: boolean;
  readonly projSize?: number;
};

export type LstmConfigInput = Pick<LstmConfig, 'inputSize' | 'hiddenSize'> &
  Partial<Omit<LstmConfig, 'inputSize' | 'hiddenSize' | 'head' | keyof VariantInputs>> & { readonly head?: HeadConfigInput } & VariantInputs;

/** The config fields that make a model a variant of PyTorch's LSTM (see LstmConfig). */
export const kVariantFields = ['activations', 'peepholes', 'cellClip', 'inputForget', 'goBackwards', 'projSize'] as const;

/** The variant fields a config sets, by name ([] for PyTorch's plain LSTM). */
export function variantsOf(config: LstmConfig): string[] {
  return kVariantFields.filter((field) => config[field] !== undefined);
}

/** Sizes above this are refused as absurd rather than attempted (4H·H floats would not fit anywhere). */
export const kMaxDimension = 1 << 16;

export function checkDimension(name: string, value: unknown, max = kMaxDimension): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1 || value > max) {
    throw invalidArgument(`${name}: expected an integer in [1, ${max}], got ${describeValue(value)}`);
  }
  return value;
}

function checkFlag(name: string, value: unknown, fallback: boolean): boolean {
  if (value === undefined) return fallback;
  if (typeof value !== 'boolean') throw invalidArgument(`${name}: expected true or false, got ${describeValue(value)}`);
  return value;
}

/** A flag that is true or absent in the normalized config (false and undefined both mean off). */
function optionalFlag<K extends string>(key: K, value: unknown): { [k in K]?: true } {
  return checkFlag(`config.${key}`, value, false) ? ({ [key]: true } as { [k in K]: true }) : {};
}

function checkProjSize(value: unknown, hiddenSize: number): { projSize?: number } {
  if (value === undefined || value === 0) return {};
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1 || value >= hiddenSize) {
    throw invalidArgument(`config.projSize: expected an integer in [1, ${hiddenSize - 1}] (below hiddenSize, as PyTorch requires) or 0 for none, got ${describeValue(value)}`);
  }
  return { projSize: value };
}

/** Fills defaults (1 layer, unidirectional, with bias, time-major, no variants) and validates every field. */
export function normalizeConfig(input: LstmConfigInput): LstmConfig {
  if (input === null || typeof input !== 'object') {
    throw invalidArgument(`config: expected an object with inputSize and hiddenSize, got ${describeValue(input)}`);
  }
  const inputSize = checkDimension('config.inputSize', input.inputSize);
  const hiddenSize = checkDimension('config.hiddenSize', input.hiddenSize);
  const bidirectional = checkFlag('config.bidirectional', input.bidirectional, false);
  const activations = normalizeActivations(input.activations);
  const cellClip = normalizeCellClip(input.cellClip);
  const goBackwards = optionalFlag('goBackwards', input.goBackwards);
  if (goBackwards.goBackwards && bidirectional) {
    throw invalidArgument('config.goBackwards: a unidirectional option (Keras\'s go_backwards); a bidirectional model already runs a reverse direction');
  }
  return Object.freeze({
    inputSize,
    hiddenSize,
    numLayers: checkDimension('config.numLayers', input.numLayers ?? 1, 64),
    bidirectional,
    bias: checkFlag('config.bias', input.bias, true),
    batchFirst: checkFlag('config.batchFirst', input.batchFirst, false),
    ...(input.head === undefined ? {} : { head: normalizeHead(input.head) }),
    ...(activations ? { activations } : {}),
    ...optionalFlag('peepholes', input.peepholes),
    ...(cellClip === undefined ? {} : { cellClip }),
    ...optionalFlag('inputForget', input.inputForget),
    ...goBackwards,
    ...checkProjSize(input.projSize, hiddenSize),
  });
}

export function directionCount(config: LstmConfig): 1 | 2 {
  return config.bidirectional ? 2 : 1;
}

/** The width of h per direction: projSize when the LSTM projects, else hiddenSize. */
export function hiddenOutputSize(config: LstmConfig): number {
  return config.projSize ?? config.hiddenSize;
}

/** I_k: the input width of layer k (the input size, then D·H — D·P with projSize — for the stacked layers). */
export function layerInputSize(config: LstmConfig, layer: number): number {
  return layer === 0 ? config.inputSize : hiddenOutputSize(config) * directionCount(config);
}
