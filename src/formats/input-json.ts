import { formatShape, describeValue } from '../core/describe.js';
import { elementCount } from '../core/tensor.js';
import { kMaxStepsTimesBatch, type ForwardOptions } from '../core/forward-options.js';
import { invalidArgument, invalidShape } from '../core/errors.js';
import { checkBudget, checkMaxBytes } from './budget.js';
import { directionCount, type LstmConfig } from '../model/config.js';
import { isPlainObject } from './model-json.js';
import { declaredShape, parseTensor } from './tensor-json.js';

export interface ParsedInput {
  readonly x: Float64Array;
  readonly options: ForwardOptions;
}

export interface InputImportOptions {
  /**
   * Bytes, as float64, that the input's tensors and the results of running it (output, h_n, c_n)
   * may take; checked against the declared shapes before any data is read.
   */
  readonly maxBytes?: number;
}

const kInputKeys = ['x', 'h0', 'c0', 'lengths'];
const kModelKeys = ['config', 'params'];

/**
 * Reads an input file ({x, h0?, c0?, lengths?}; model keys may sit beside them) for a model:
 * T and B come from x's shape, [T, B, I] or [B, T, I] as the model is batchFirst. Untrusted: only
 * own keys are read and every one must be known.
 *
 * @example
 * const { x, options } = inputFromJSON(JSON.parse(text), model.config, { maxBytes: 64 << 20 });
 * const result = await runner.forward(x, options);
 */
export function inputFromJSON(json: unknown, config: LstmConfig, importOptions: InputImportOptions = {}): ParsedInput {
  const maxBytes = checkMaxBytes('maxBytes', importOptions?.maxBytes);
  if (!isPlainObject(json)) throw invalidArgument(`input: expected a JSON object with "x", got ${describeValue(json)}`);
  for (const key of Object.keys(json)) {
    if (!kInputKeys.includes(key) && !kModelKeys.includes(key)) {
      throw invalidArgument(`input: unknown top-level key ${JSON.stringify(key)}; expected x, h0, c0, lengths`);
    }
  }
  const has = (key: string) => Object.hasOwn(json, key);
  if (!has('x')) throw invalidArgument('input: missing "x" ({"shape": [T, B, I], "data": [...]})');
  const xShape = declaredShape('x', json.x);
  const [T, B] = checkXShape(xShape, config);
  const D = directionCount(config);
  const stateShape = [config.numLayers * D, B, config.hiddenSize];
  for (const name of ['h0', 'c0']) {
    if (!has(name)) continue;
    const shape = declaredShape(name, json[name]);
    if (shape.length !== 3 || shape.some((d, i) => d !== stateShape[i])) {
      throw invalidShape(`${name}: expected shape [L·D, B, H] = ${formatShape(stateShape)}, got ${formatShape(shape)}`);
    }
  }
  const states = (has('h0') ? 1 : 0) + (has('c0') ? 1 : 0);
  const stateValues = elementCount(stateShape);
  const values = elementCount(xShape) + states * stateValues + T * B * D * config.hiddenSize + 2 * stateValues;
  checkBudget(`input: x ${formatShape(xShape)}${states ? ', h0/c0' : ''} and the output, h_n and c_n it implies`, values, maxBytes);

  const x = parseTensor('x', json.x);
  const state = (name: 'h0' | 'c0') => (has(name) ? parseTensor(name, json[name]).data : undefined);
  let lengths: number[] | undefined;
  if (has('lengths')) {
    if (!Array.isArray(json.lengths)) throw invalidArgument(`lengths: expected a list of integers, got ${describeValue(json.lengths)}`);
    lengths = json.lengths as number[];
  }
  const h0 = state('h0');
  const c0 = state('c0');
  const options: ForwardOptions = {
    steps: T,
    batch: B,
    ...(h0 ? { h0 } : {}),
    ...(c0 ? { c0 } : {}),
    ...(lengths ? { lengths } : {}),
  };
  return { x: x.data, options };
}

/**
 * x's declared shape gives T and B, so it is checked here, in the file's own terms (x and its
 * shape), rather than later as the forward options it becomes.
 */
function checkXShape(shape: readonly number[], config: LstmConfig): [T: number, B: number] {
  const layout = config.batchFirst ? '[B, T, I]' : '[T, B, I]';
  const [T, B] = config.batchFirst ? [shape[1], shape[0]] : [shape[0], shape[1]];
  if (shape.length !== 3 || !(T >= 1) || !(B >= 1) || shape[2] !== config.inputSize) {
    throw invalidShape(`x: expected shape ${layout} with T ≥ 1, B ≥ 1 and I = ${config.inputSize}, got ${formatShape(shape)}`);
  }
  if (T * B > kMaxStepsTimesBatch) {
    throw invalidArgument(`x: shape ${formatShape(shape)} holds T × B = ${T * B} steps of sequences, more than the ${kMaxStepsTimesBatch} a call may take`);
  }
  return [T, B];
}
