import { describeValue } from '../core/describe.js';
import { invalidArgument } from '../core/errors.js';
import type { ForwardOptions } from '../core/forward-options.js';
import type { Tensor } from '../core/tensor.js';
import type { LstmConfig } from '../model/config.js';
import { inputFromJSON, type InputImportOptions } from './input-json.js';
import { isPlainObject } from './model-json.js';
import { parseTensor } from './tensor-json.js';

/** One set of training data: x and its options as an input file gives them, and the targets y. */
export interface TrainingData {
  readonly x: Float64Array;
  readonly options: ForwardOptions;
  /** y as the file declares it (its shape is checked against the model and loss by the trainer's caller). */
  readonly y: Tensor<Float64Array>;
}

export interface TrainingDataFile extends TrainingData {
  readonly validation: TrainingData | null;
}

const kInputKeys = ['x', 'h0', 'c0', 'lengths'];

function readSet(json: Record<string, unknown>, config: LstmConfig, options: InputImportOptions, where: string): TrainingData {
  for (const key of Object.keys(json)) {
    if (!kInputKeys.includes(key) && key !== 'y' && !(where === '' && key === 'validation')) {
      throw invalidArgument(`${where || 'data'}: unknown key ${JSON.stringify(key)}; expected x, y, lengths, h0, c0${where === '' ? ', validation' : ''}`);
    }
  }
  if (!Object.hasOwn(json, 'y')) throw invalidArgument(`${where || 'data'}: missing "y" ({"shape": [B, O] or [T, B, O], "data": [...]})`);
  const inputPart = Object.fromEntries(kInputKeys.filter((key) => Object.hasOwn(json, key)).map((key) => [key, json[key]]));
  const { x, options: forward } = inputFromJSON(inputPart, config, options);
  return { x, options: forward, y: parseTensor(`${where}y`, json.y) };
}

/**
 * Reads a training data file: {"x", "y", optional "lengths", "h0", "c0", and optional
 * "validation": {"x", "y", ...}} with x, h0, c0 and lengths as in an input file (inputFromJSON,
 * budget included) and y a {shape, data} tensor. Untrusted: only own, known keys are read.
 */
export function trainingDataFromJSON(json: unknown, config: LstmConfig, options: InputImportOptions = {}): TrainingDataFile {
  if (!isPlainObject(json)) throw invalidArgument(`data: expected a JSON object with "x" and "y", got ${describeValue(json)}`);
  const main = readSet(json, config, options, '');
  const given = Object.hasOwn(json, 'validation') ? json.validation : undefined;
  if (given !== undefined && !isPlainObject(given)) throw invalidArgument(`validation: expected {"x", "y", ...}, got ${describeValue(given)}`);
  return { ...main, validation: given === undefined ? null : readSet(given, config, options, 'validation.') };
}
