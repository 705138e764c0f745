import { invalidArgument, invalidParameter } from '../api/errors.js';
import { describeValue, type LstmConfigInput } from './config.js';
import { LSTM } from './lstm.js';
import { parseTensor, tensorToJSON, type Tensor } from './tensor.js';

/** The model file: PyTorch's constructor arguments and named parameters (see README, "JSON format"). */
export interface ModelJSON {
  config: {
    input_size: number;
    hidden_size: number;
    num_layers?: number;
    bidirectional?: boolean;
    batch_first?: boolean;
    bias?: boolean;
  };
  params: Record<string, { shape: number[]; data: number[] }>;
}

const kConfigKeys: Record<string, keyof LstmConfigInput | null> = {
  input_size: 'inputSize',
  hidden_size: 'hiddenSize',
  num_layers: 'numLayers',
  bidirectional: 'bidirectional',
  batch_first: 'batchFirst',
  bias: 'bias',
  proj_size: null, // accepted only as 0 (no projection), PyTorch's default
  dropout: null, // training-only in PyTorch; accepted and ignored at inference
};

/** Top-level keys a model file may hold: a model file and an input file may be one file. */
const kFileKeys = new Set(['config', 'params', 'x', 'h0', 'c0', 'lengths']);

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function parseConfig(value: unknown): LstmConfigInput {
  if (!isPlainObject(value)) throw invalidArgument(`config: expected an object, got ${describeValue(value)}`);
  const config: Record<string, unknown> = {};
  for (const key of Object.keys(value)) {
    if (!Object.hasOwn(kConfigKeys, key)) {
      throw invalidArgument(`config.${key}: unknown key; expected some of ${Object.keys(kConfigKeys).join(', ')}`);
    }
    const target = kConfigKeys[key];
    if (target) config[target] = value[key];
    else if (key === 'proj_size' && value[key] !== 0) {
      throw invalidArgument(`config.proj_size: only 0 (no projection) is supported, got ${describeValue(value[key])}`);
    }
  }
  return config as unknown as LstmConfigInput;
}

/** Reads a model from parsed model-file JSON, validating every key and parameter. */
export function modelFromJSON(json: unknown): LSTM {
  if (!isPlainObject(json)) throw invalidArgument(`model: expected a JSON object, got ${describeValue(json)}`);
  for (const key of Object.keys(json)) {
    if (!kFileKeys.has(key)) throw invalidArgument(`model: unknown top-level key ${JSON.stringify(key)}`);
  }
  if (!('config' in json)) throw invalidArgument('model: missing "config"');
  if (!isPlainObject(json.params)) throw invalidParameter(`params: expected an object of named tensors, got ${describeValue(json.params)}`);
  const params = new Map<string, Tensor<Float64Array>>();
  for (const name of Object.keys(json.params)) params.set(name, parseTensor(name, json.params[name]));
  return new LSTM(parseConfig(json.config), params);
}

export function modelToJSON(model: LSTM): ModelJSON {
  const c = model.config;
  const params: ModelJSON['params'] = {};
  for (const [name, tensor] of model.tensors()) params[name] = tensorToJSON(tensor);
  return {
    config: {
      input_size: c.inputSize,
      hidden_size: c.hiddenSize,
      num_layers: c.numLayers,
      bidirectional: c.bidirectional,
      batch_first: c.batchFirst,
      bias: c.bias,
    },
    params,
  };
}
