import { describeValue } from '../core/describe.js';
import { invalidArgument } from '../core/errors.js';
import { normalizeHead, type HeadConfig, type HeadConfigInput } from './head.js';

/**
 * What an LSTM is, independent of its weights. A config object rather than positional flags, so
 * later options (peepholes, projection size, cell clip, other activations) slot in beside these.
 */
export interface LstmConfig {
  readonly inputSize: number;
  readonly hiddenSize: number;
  readonly numLayers: number;
  readonly bidirectional: boolean;
  /** Whether the model has bias_ih/bias_hh parameters. */
  readonly bias: boolean;
  /** Whether x and output are [B, T, ·] instead of time-major [T, B, ·]. */
  readonly batchFirst: boolean;
  /** Dense layers after the LSTM (src/model/head.ts); absent for a plain LSTM. */
  readonly head?: HeadConfig;
}

export type LstmConfigInput = Pick<LstmConfig, 'inputSize' | 'hiddenSize'> &
  Partial<Omit<LstmConfig, 'inputSize' | 'hiddenSize' | 'head'>> & { readonly head?: HeadConfigInput };

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

/** Fills defaults (1 layer, unidirectional, with bias, time-major) and validates every field. */
export function normalizeConfig(input: LstmConfigInput): LstmConfig {
  if (input === null || typeof input !== 'object') {
    throw invalidArgument(`config: expected an object with inputSize and hiddenSize, got ${describeValue(input)}`);
  }
  return Object.freeze({
    inputSize: checkDimension('config.inputSize', input.inputSize),
    hiddenSize: checkDimension('config.hiddenSize', input.hiddenSize),
    numLayers: checkDimension('config.numLayers', input.numLayers ?? 1, 64),
    bidirectional: checkFlag('config.bidirectional', input.bidirectional, false),
    bias: checkFlag('config.bias', input.bias, true),
    batchFirst: checkFlag('config.batchFirst', input.batchFirst, false),
    ...(input.head === undefined ? {} : { head: normalizeHead(input.head) }),
  });
}

export function directionCount(config: LstmConfig): 1 | 2 {
  return config.bidirectional ? 2 : 1;
}

/** I_k: the input width of layer k (the input size, then H·D for the stacked layers). */
export function layerInputSize(config: LstmConfig, layer: number): number {
  return layer === 0 ? config.inputSize : config.hiddenSize * directionCount(config);
}
