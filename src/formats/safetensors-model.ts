import { describeValue } from '../core/describe.js';
import { invalidArgument, invalidParameter } from '../core/errors.js';
import type { NonFinitePolicy } from '../core/non-finite.js';
import type { Tensor } from '../core/tensor.js';
import { LSTM } from '../model/lstm.js';
import { headParamName } from '../model/head.js';
import { checkMaxBytes } from './budget.js';
import { configFromJSON, modelToJSON } from './model-json.js';
import { readSafetensors, writeSafetensors } from './safetensors.js';
import { checkJsonDepth } from './untrusted-json.js';

/**
 * A PyTorch state_dict as safetensors ↔ an LSTM (README, "Bring your model"):
 *
 * - LSTM tensors as torch.nn.LSTM names them, under any prefix: `weight_ih_l0`, `lstm.weight_hh_l1_reverse`,
 *   `model.encoder.bias_ih_l0`, `lstm.weight_hr_l0` (proj_size); the prefix is what precedes weight_ih_l0.
 * - The head: every other tensor, as nn.Linear layers — one module (`fc.weight`/`fc.bias`, `linear.*`, ...)
 *   or an nn.Sequential (`head.0.weight`, `head.2.weight`, ...: its Linear layers in index order).
 * - The config: the metadata's "config" (the model file's config object as a JSON string), or its keys
 *   one by one (input_size "3", bidirectional "true", head "{...}", ... each a JSON value), or a side
 *   file's config given as `config`. Sizes it leaves out are read off the tensors' shapes (I, H, L,
 *   directions, bias, proj_size); batch_first defaults to false and a head to {"over": "last"} with
 *   linear activations.
 */
export interface SafetensorsReadOptions {
  readonly maxBytes?: number;
  readonly nonFinite?: NonFinitePolicy;
  /** A config (the model file's "config" object) from a side file, used where the metadata has none. */
  readonly config?: Record<string, unknown>;
}

function parseMetadataConfig(metadata: Record<string, string>): Record<string, unknown> {
  const parse = (key: string, text: string) => {
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      throw invalidArgument(`safetensors: metadata ${JSON.stringify(key)} is not a JSON value: ${describeValue(text)}`);
    }
    checkJsonDepth(value, `safetensors: metadata ${JSON.stringify(key)}`);
    return value;
  };
  if (metadata.config !== undefined) return parse('config', metadata.config) as Record<string, unknown>; // configFromJSON checks it
  const config: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(metadata)) if (key !== 'format') config[key] = parse(key, value);
  return config;
}

/** I, H, L, directions, bias and proj_size as the LSTM tensors' shapes show them. */
function inferredConfig(tensors: Map<string, { shape: number[] }>): Record<string, unknown> {
  const ih = tensors.get('weight_ih_l0')!.shape;
  const hr = tensors.get('weight_hr_l0')?.shape;
  let layers = 0;
  while (tensors.has(`weight_ih_l${layers}`)) layers++;
  return {
    input_size: ih[1],
    hidden_size: ih[0] / 4,
    num_layers: layers,
    bidirectional: tensors.has('weight_ih_l0_reverse'),
    bias: tensors.has('bias_ih_l0'),
    ...(hr ? { proj_size: hr[0] } : {}),
  };
}

/**
 * Reads a safetensors state_dict as an LSTM (see above for names and config). Sizes are checked
 * before allocation (readSafetensors); names, shapes and values as for the model file.
 */
export function modelFromSafetensors(bytes: Uint8Array, options: SafetensorsReadOptions = {}): LSTM {
  const maxBytes = checkMaxBytes('maxBytes', options?.maxBytes);
  const file = readSafetensors(bytes, maxBytes);
  const anchor = [...file.tensors.keys()].find((name) => name.endsWith('weight_ih_l0'));
  if (anchor === undefined) throw invalidParameter(`safetensors: no LSTM weights (a tensor named weight_ih_l0, with any prefix); the file holds ${[...file.tensors.keys()].join(', ') || 'no tensors'}`);
  const prefix = anchor.slice(0, -'weight_ih_l0'.length);
  const lstm = new Map<string, { shape: number[]; data: Float64Array }>();
  const rest = new Map<string, { shape: number[]; data: Float64Array }>();
  for (const [name, t] of file.tensors) {
    const local = name.startsWith(prefix) ? name.slice(prefix.length) : null;
    if (local !== null && /^(weight|bias)_[a-z]+_l\d+(_reverse)?$/.test(local)) lstm.set(local, t);
    else rest.set(name, t);
  }
  const given = { ...inferredConfig(lstm), ...(options.config ?? {}), ...parseMetadataConfig(file.metadata) };
  const head = headTensors(rest, given.head as { layers?: unknown[] } | undefined);
  if (head.layers.length > 0 && given.head === undefined) given.head = { layers: head.layers.map((l) => ({ out_features: l.shape[0], activation: 'linear' })), over: 'last' };
  const params: Record<string, Tensor<Float64Array>> = {};
  for (const [name, t] of lstm) params[name] = t;
  head.layers.forEach((weight, k) => {
    params[headParamName('weight', k)] = weight;
    if (head.biases[k]) params[headParamName('bias', k)] = head.biases[k]!;
  });
  return new LSTM(configFromJSON(given), new Map(Object.entries(params)), { nonFinite: options.nonFinite });
}

/** The tensors left after the LSTM's, as nn.Linear layers: one module, or an nn.Sequential's Linear layers in index order. */
function headTensors(rest: Map<string, { shape: number[]; data: Float64Array }>, declared: { layers?: unknown[] } | undefined) {
  const modules = new Map<string, { weight?: { shape: number[]; data: Float64Array }; bias?: { shape: number[]; data: Float64Array } }>();
  for (const [name, t] of rest) {
    const match = /^(.*)\.(weight|bias)$/.exec(name);
    if (!match) throw invalidParameter(`safetensors: tensor ${JSON.stringify(name)} is neither an LSTM parameter nor an nn.Linear weight or bias`);
    const entry = modules.get(match[1]) ?? {};
    entry[match[2] as 'weight' | 'bias'] = t;
    modules.set(match[1], entry);
  }
  const names = [...modules.keys()];
  const sequential = names.map((n) => /^(.*)\.(\d+)$/.exec(n));
  const ordered = sequential.every((m) => m && m[1] === sequential[0]![1])
    ? names.sort((a, b) => Number(a.split('.').pop()) - Number(b.split('.').pop()))
    : names.length <= 1
      ? names
      : (() => {
          throw invalidParameter(`safetensors: the tensors besides the LSTM's form several modules (${names.join(', ')}); a head is one nn.Linear or one nn.Sequential`);
        })();
  const layers = ordered.map((n) => {
    const m = modules.get(n)!;
    if (!m.weight || m.weight.shape.length !== 2) throw invalidParameter(`safetensors: ${n}.weight: expected an nn.Linear weight [out, in], got ${m.weight ? JSON.stringify(m.weight.shape) : 'nothing'}`);
    return m.weight;
  });
  if (declared?.layers && declared.layers.length !== layers.length) throw invalidParameter(`safetensors: the metadata's head declares ${declared.layers.length} dense layers, the file holds ${layers.length} (${ordered.join(', ')})`);
  return { layers, biases: ordered.map((n) => modules.get(n)!.bias ?? null) };
}

export interface SafetensorsWriteOptions {
  /** The module name of the LSTM's tensors (default 'lstm.', as `self.lstm = nn.LSTM(...)`); '' for none. */
  readonly prefix?: string;
}

/**
 * Writes the model as a safetensors state_dict: the LSTM's tensors as `lstm.weight_ih_l0`, ...,
 * the head's as `head.K.weight` / `head.K.bias`, and the model file's config (variants included)
 * as the metadata's "config". Each tensor is F32 when every value is a float32, else F64, so
 * reading the file back gives exactly this model.
 */
export function modelToSafetensors(model: LSTM, options: SafetensorsWriteOptions = {}): Uint8Array {
  const prefix = options.prefix ?? 'lstm.';
  const { config } = modelToJSON(model);
  const tensors = new Map<string, { dtype: 'F32' | 'F64'; shape: readonly number[]; data: Float64Array }>();
  for (const [name, t] of model.tensors()) {
    const dtype = t.data.every((v) => Math.fround(v) === v || Number.isNaN(v)) ? 'F32' : 'F64';
    tensors.set(name.startsWith('head.') ? name : `${prefix}${name}`, { dtype, shape: t.shape, data: t.data });
  }
  return writeSafetensors(tensors, { format: 'pt', config: JSON.stringify(config) });
}
