import type { ForwardOptions } from '../api/forward-input.js';
import { formatShape, invalidArgument, invalidShape } from '../api/errors.js';
import { describeValue, type LstmConfig } from './config.js';
import { isPlainObject } from './json.js';
import { parseTensor, tensorToJSON, type Tensor } from './tensor.js';

export interface ParsedInput {
  readonly x: Float64Array;
  readonly options: ForwardOptions;
}

/**
 * Reads an input file ({x, h0?, c0?, lengths?}; model keys may sit beside them) for a model:
 * T and B come from x's shape, [T, B, I] or [B, T, I] as the model is batchFirst.
 */
export function inputFromJSON(json: unknown, config: LstmConfig): ParsedInput {
  if (!isPlainObject(json)) throw invalidArgument(`input: expected a JSON object with "x", got ${describeValue(json)}`);
  for (const key of Object.keys(json)) {
    if (!['x', 'h0', 'c0', 'lengths', 'config', 'params'].includes(key)) {
      throw invalidArgument(`input: unknown top-level key ${JSON.stringify(key)}; expected x, h0, c0, lengths`);
    }
  }
  if (!('x' in json)) throw invalidArgument('input: missing "x" ({"shape": [T, B, I], "data": [...]})');
  const x = parseTensor('x', json.x);
  const layout = config.batchFirst ? '[B, T, I]' : '[T, B, I]';
  if (x.shape.length !== 3 || x.shape[2] !== config.inputSize) {
    throw invalidShape(`x: expected shape ${layout} with I = ${config.inputSize}, got ${formatShape(x.shape)}`);
  }
  const [T, B] = config.batchFirst ? [x.shape[1], x.shape[0]] : [x.shape[0], x.shape[1]];
  const state = (name: 'h0' | 'c0') => (name in json ? parseTensor(name, json[name]).data : undefined);
  let lengths: number[] | undefined;
  if ('lengths' in json) {
    if (!Array.isArray(json.lengths)) throw invalidArgument(`lengths: expected a list of integers, got ${describeValue(json.lengths)}`);
    lengths = json.lengths as number[];
  }
  const options: ForwardOptions = {
    steps: T,
    batch: B,
    ...(state('h0') ? { h0: state('h0') } : {}),
    ...(state('c0') ? { c0: state('c0') } : {}),
    ...(lengths ? { lengths } : {}),
  };
  return { x: x.data, options };
}

/** The result file: {"output": {...}, "h_n": {...}, "c_n": {...}} in the {shape, data} form. */
export function resultToJSON(result: { output: Tensor; hN: Tensor; cN: Tensor }) {
  return { output: tensorToJSON(result.output), h_n: tensorToJSON(result.hN), c_n: tensorToJSON(result.cN) };
}
