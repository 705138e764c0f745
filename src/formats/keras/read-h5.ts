import { describeValue } from '../../core/describe.js';
import { invalidArgument, invalidParameter } from '../../core/errors.js';
import type { NonFinitePolicy } from '../../core/non-finite.js';
import type { SequenceModel } from '../../model/graph/sequence-model.js';
import { checkBudget, checkMaxBytes } from '../budget.js';
import { parseUntrustedJSON } from '../untrusted-json.js';
import { assembleModel } from './assemble.js';
import { withHdf5, type Hdf5View } from './hdf5.js';
import { keras3Lookup } from './keras3-weights.js';
import { isJson, own } from './topology.js';
import { lookupByName, type StoredWeight, type WeightLookup } from './weights.js';

/**
 * Keras's HDF5 files:
 * - a full model (Keras 2 `model.save('m.h5')`, Keras 3's legacy `.h5`): root attributes
 *   `model_config` (the config JSON) and `keras_version`, weights under `/model_weights`;
 * - weights only (Keras 2 `save_weights`): root attribute `layer_names`, with the config given
 *   separately (`model.to_json()`);
 * - in both, group `<layer>` lists its weights in attribute `weight_names` ("lstm/lstm_cell/kernel:0"),
 *   each a dataset at `<layer>/<weight name>`;
 * - Keras 3 `.weights.h5` (alone or inside a `.keras` zip): `layers/<auto name>/vars/0, 1, ...`
 *   (docs/formats.md), with the config given separately.
 */

export interface KerasReadOptions {
  /** Bytes the weights may take as float64, checked against the datasets' shapes before any is read. */
  readonly maxBytes?: number;
  readonly nonFinite?: NonFinitePolicy;
  /** The model config (parsed `model.to_json()` or config.json) for a weights-only file. */
  readonly modelConfig?: unknown;
  /** keras_version, where the file does not say (a .keras zip's metadata.json). */
  readonly kerasVersion?: string;
  /** What the source is called in messages and ModelSource.format. */
  readonly format?: string;
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

function stringList(value: unknown, where: string): string[] {
  if (value === undefined || (ArrayBuffer.isView(value) && (value as unknown as ArrayLike<number>).length === 0)) return [];
  if (!Array.isArray(value) || !value.every((v) => typeof v === 'string')) throw invalidArgument(`${where}: expected a list of names, got ${describeValue(value)}`);
  return value as string[];
}


/** Keras 2's per-layer weight lists, as stored weights named "<layer>/<weight name>". */
function legacyWeights(file: Hdf5View, root: string): StoredWeight[] {
  const layers = stringList(file.attr(root, 'layer_names'), `${root} layer_names`);
  return layers.flatMap((layer) => {
    const group = `${root === '/' ? '' : root}/${layer}`;
    if (file.kind(group) !== 'group') throw invalidParameter(`weights: layer ${JSON.stringify(layer)} is listed in layer_names but has no group`);
    return stringList(file.attr(group, 'weight_names'), `${group} weight_names`).map((name) => {
      const path = `${group}/${name}`;
      if (file.kind(path) !== 'dataset') throw invalidParameter(`weights: ${path} is listed in weight_names but is not a dataset`);
      return { name: `${layer}/${name}`, shape: file.shape(path), read: () => file.read(path) };
    });
  });
}

function budget(weights: readonly StoredWeight[], maxBytes: number): void {
  checkBudget('the file\'s weights', weights.reduce((n, w) => n + w.shape.reduce((a, b) => a * b, 1), 0), maxBytes);
}

/**
 * A Keras model from HDF5 bytes (see the module comment for the layouts). Every declared shape is
 * checked against the budget before any weight is read. Throws INVALID_ARGUMENT for a file that is
 * not HDF5, not Keras's layout, or holds unsupported layers; INVALID_PARAMETER for missing or
 * misshapen weights; LIMIT_EXCEEDED over the budget; NON_FINITE for NaN weights.
 *
 * @example
 * const model = await kerasModelFromH5(readFileSync('model.h5'));
 * const withConfig = await kerasModelFromH5(readFileSync('w.h5'), { modelConfig: JSON.parse(json) });
 */
export async function kerasModelFromH5(bytes: Uint8Array, options: KerasReadOptions = {}): Promise<SequenceModel> {
  const maxBytes = checkMaxBytes('maxBytes', options.maxBytes);
  const nonFinite = options.nonFinite ?? 'reject';
  const what = options.format === 'keras-zip' ? '.keras model.weights.h5' : 'HDF5 file';
  return withHdf5(bytes, what, (file) => {
    const storedConfig = text(file.attr('/', 'model_config'));
    const modelConfig = options.modelConfig ?? (storedConfig === undefined ? undefined : parseUntrustedJSON(storedConfig, 'model_config attribute'));
    const configVersion = isJson(modelConfig) ? text(own(modelConfig, 'keras_version')) : undefined;
    const kerasVersion = options.kerasVersion ?? text(file.attr('/', 'keras_version')) ?? text(file.attr('/model_weights', 'keras_version')) ?? configVersion;
    let lookup: WeightLookup;
    let format = options.format;
    if (file.kind('/model_weights') === 'group') {
      const stored = legacyWeights(file, '/model_weights');
      budget(stored, maxBytes);
      lookup = lookupByName(stored, nonFinite);
      format ??= 'keras-h5';
    } else if (file.attr('/', 'layer_names') !== undefined) {
      const stored = legacyWeights(file, '/');
      budget(stored, maxBytes);
      lookup = lookupByName(stored, nonFinite);
      format ??= 'keras-weights-h5';
    } else if (file.kind('/layers') === 'group' || file.kind('/vars') === 'group') {
      if (modelConfig === undefined) throw invalidArgument('a Keras 3 .weights.h5 holds no model config: give the config (model.to_json(), or the .keras file)');
      lookup = keras3Lookup(file, modelConfig, nonFinite, (stored) => budget(stored, maxBytes));
      format ??= 'keras3-weights-h5';
    } else {
      throw invalidArgument(`${what}: not a Keras file (no model_weights group, layer_names attribute or layers group)`);
    }
    if (modelConfig === undefined) throw invalidArgument(`${what}: a weights-only file holds no model config: give the config as well (model.to_json(), --model model.json --weights ${'w.h5'})`);
    return assembleModel(modelConfig, lookup, { source: { format, ...(kerasVersion ? { kerasVersion } : {}) }, runtime: 'keras' });
  });
}
