import { formatShape, describeValue } from '../core/describe.js';
import { elementCount, type Tensor } from '../core/tensor.js';
import { nearestKey } from '../core/nearest-key.js';
import { invalidArgument, invalidParameter } from '../core/errors.js';
import type { NonFinitePolicy } from '../core/non-finite.js';
import { checkBudget, checkMaxBytes } from './budget.js';
import { normalizeConfig, type LstmConfigInput } from '../model/config.js';
import { LSTM } from '../model/lstm.js';
import { paramSpecs } from '../model/params.js';
import { headFromJSON, headToJSON, type HeadJSON } from './head-json.js';
import { declaredShape, parseTensor, tensorToJSON } from './tensor-json.js';
import { activationsFromJSON, kVariantJSONKeys, variantsToJSON, type VariantsJSON } from './variants-json.js';

/** The model file: PyTorch's constructor arguments and named parameters (see README, "JSON format"). */
export interface ModelJSON {
  config: {
    input_size: number;
    hidden_size: number;
    num_layers?: number;
    bidirectional?: boolean;
    batch_first?: boolean;
    bias?: boolean;
    /** Dense layers after the LSTM (src/formats/head-json.ts); absent for a plain LSTM. */
    head?: HeadJSON;
  } & VariantsJSON; // the LSTM variants (src/formats/variants-json.ts), each only where the model has it
  params: Record<string, { shape: number[]; data: number[] }>;
}

const kConfigKeys: Record<string, keyof LstmConfigInput | null> = {
  input_size: 'inputSize',
  hidden_size: 'hiddenSize',
  num_layers: 'numLayers',
  bidirectional: 'bidirectional',
  batch_first: 'batchFirst',
  bias: 'bias',
  head: 'head', // read by headFromJSON: snake_case keys inside
  ...kVariantJSONKeys, // activations (read by activationsFromJSON), peepholes, cell_clip, ..., proj_size
  dropout: null, // training-only in PyTorch; accepted and ignored at inference
};

/** Top-level keys a model file may hold: a model file and an input file may be one file. */
const kFileKeys = new Set(['config', 'params', 'x', 'h0', 'c0', 'lengths']);

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** The model file's "config" (snake_case keys, untrusted) in the config's input form; normalizeConfig checks the values. */
export function configFromJSON(value: unknown): LstmConfigInput {
  if (!isPlainObject(value)) throw invalidArgument(`config: expected an object, got ${describeValue(value)}`);
  const config: Record<string, unknown> = {};
  for (const key of Object.keys(value)) {
    if (!Object.hasOwn(kConfigKeys, key)) {
      const near = nearestKey(key, Object.keys(kConfigKeys));
      throw invalidArgument(`config.${key}: unknown key${near ? ` (did you mean ${JSON.stringify(near)}?)` : ''}; expected some of ${Object.keys(kConfigKeys).join(', ')}`);
    }
    const target = kConfigKeys[key];
    if (target === 'head') config.head = headFromJSON(value[key]);
    else if (target === 'activations') config.activations = activationsFromJSON(value[key]);
    else if (target) config[target] = value[key];
  }
  return config as unknown as LstmConfigInput;
}

export interface ModelImportOptions {
  /** Bytes the parameters may take as float64, checked against the config before any is read. */
  readonly maxBytes?: number;
  /** NaN, ±Infinity or values beyond float32's range in the parameters (see NonFinitePolicy). */
  readonly nonFinite?: NonFinitePolicy;
}

/**
 * Reads a model from parsed model-file JSON (untrusted: only own keys are read, every one must be
 * known, and nothing in it is evaluated). The config fixes every parameter's shape; the budget and
 * each parameter's name and declared shape are checked before its data is read.
 *
 * @example
 * const model = modelFromJSON(JSON.parse(text), { maxBytes: 64 << 20 });
 */
export function modelFromJSON(json: unknown, options: ModelImportOptions = {}): LSTM {
  const maxBytes = checkMaxBytes('maxBytes', options?.maxBytes);
  if (!isPlainObject(json)) throw invalidArgument(`model: expected a JSON object, got ${describeValue(json)}`);
  for (const key of Object.keys(json)) {
    if (!kFileKeys.has(key)) throw invalidArgument(`model: unknown top-level key ${JSON.stringify(key)}`);
  }
  if (!Object.hasOwn(json, 'config')) throw invalidArgument('model: missing "config"');
  const config = normalizeConfig(configFromJSON(json.config));
  const specs = new Map(paramSpecs(config).map((spec) => [spec.name, spec]));
  checkBudget('model: the parameters this config declares', [...specs.values()].reduce((n, spec) => n + elementCount(spec.shape), 0), maxBytes);
  const given = Object.hasOwn(json, 'params') ? json.params : undefined;
  if (!isPlainObject(given)) throw invalidParameter(`params: expected an object of named tensors, got ${describeValue(given)}`);
  const params = new Map<string, Tensor<Float64Array>>();
  for (const name of Object.keys(given)) {
    const spec = specs.get(name);
    if (!spec) throw invalidParameter(`params: unknown parameter ${JSON.stringify(name)}; this config expects ${[...specs.keys()].join(', ')}`);
    const shape = declaredShape(name, given[name], invalidParameter);
    if (shape.length !== spec.shape.length || shape.some((d, i) => d !== spec.shape[i])) {
      throw invalidParameter(`${name}: expected shape ${formatShape(spec.shape)}, got ${formatShape(shape)}`);
    }
    params.set(name, parseTensor(name, given[name], invalidParameter));
  }
  return new LSTM(config, params, { nonFinite: options?.nonFinite });
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
      ...variantsToJSON(c),
      ...(c.head ? { head: headToJSON(c.head) } : {}),
    },
    params,
  };
}
