import { describeValue } from '../../core/describe.js';
import { invalidArgument, invalidParameter, LstmError } from '../../core/errors.js';
import type { NonFinitePolicy } from '../../core/non-finite.js';
import type { SequenceModel } from '../../model/graph/sequence-model.js';
import { checkBudget, checkMaxBytes } from '../budget.js';
import { assembleModel } from '../keras/assemble.js';
import { isJson, own } from '../keras/topology.js';
import { lookupByName, type StoredWeight } from '../keras/weights.js';
import { decodeWeights, weightByteLength, type ManifestWeight } from './dtypes.js';

/**
 * TensorFlow.js's layers format (tfjs-layers' model.save, tensorflowjs_converter): model.json with
 * `modelTopology` (a Keras model config, or `{model_config, keras_version}` around one) and
 * `weightsManifest` (groups of weights, each group's bytes split over its shard files `paths`,
 * little-endian, in the order the group lists its weights). Every vintage reads the same way: the
 * 2018 files without `format` and with several groups and suffix-less shards, files converted from
 * Keras 2 and Keras 3, and files tfjs-layers saved.
 */

export interface TfjsReadOptions {
  /** Bytes the weights may take as float64, checked against the manifest before any shard is read. */
  readonly maxBytes?: number;
  /** NaN and ±Infinity in the weights: refused ('reject', default) or kept. */
  readonly nonFinite?: NonFinitePolicy;
}

/** Reads one shard by the path the manifest gives (relative to model.json). */
export type ShardReader = (path: string) => Uint8Array;

/**
 * A shard path as the manifest gives it, refused when it could leave model.json's folder: absolute,
 * with "..", a backslash, a drive or URL scheme, or empty.
 */
export function checkShardPath(path: unknown, where: string): string {
  if (typeof path !== 'string' || path === '' || path.startsWith('/') || path.includes('\\') || /^[a-zA-Z][a-zA-Z0-9+.-]*:/.test(path) || path.split('/').includes('..')) {
    throw invalidArgument(`${where}: expected a shard file name relative to model.json (no "..", no absolute path or URL), got ${describeValue(path)}`);
  }
  return path;
}

interface Group {
  readonly paths: string[];
  readonly weights: ManifestWeight[];
}

function readManifest(manifest: unknown): Group[] {
  if (!Array.isArray(manifest)) throw invalidArgument(`model.json weightsManifest: expected a list of {paths, weights}, got ${describeValue(manifest)}`);
  return manifest.map((group, g) => {
    const where = `model.json weightsManifest[${g}]`;
    if (!isJson(group)) throw invalidArgument(`${where}: expected {paths, weights}, got ${describeValue(group)}`);
    const paths = own(group, 'paths');
    const weights = own(group, 'weights');
    if (!Array.isArray(paths)) throw invalidArgument(`${where}.paths: expected a list of shard files, got ${describeValue(paths)}`);
    if (!Array.isArray(weights)) throw invalidArgument(`${where}.weights: expected a list of {name, shape, dtype}, got ${describeValue(weights)}`);
    return {
      paths: paths.map((p, k) => checkShardPath(p, `${where}.paths[${k}]`)),
      weights: weights.map((w, k): ManifestWeight => {
        const at = `${where}.weights[${k}]`;
        if (!isJson(w)) throw invalidArgument(`${at}: expected {name, shape, dtype}, got ${describeValue(w)}`);
        const name = own(w, 'name');
        const shape = own(w, 'shape');
        if (typeof name !== 'string') throw invalidArgument(`${at}.name: expected a string, got ${describeValue(name)}`);
        if (!Array.isArray(shape) || !shape.every((d) => Number.isInteger(d) && d >= 0 && d <= 2 ** 31)) throw invalidArgument(`${at} (${name}).shape: expected a list of non-negative integers, got ${describeValue(shape)}`);
        return { name, shape: shape as number[], dtype: own(w, 'dtype'), quantization: own(w, 'quantization') };
      }),
    };
  });
}

/** The Keras model config and keras_version inside modelTopology, whichever way the file nests them. */
export function tfjsTopology(modelJSON: Record<string, unknown>): { modelConfig: unknown; kerasVersion: string | undefined } {
  const topology = own(modelJSON, 'modelTopology');
  if (!isJson(topology)) throw invalidArgument(`model.json modelTopology: expected an object, got ${describeValue(topology)}`);
  const nested = own(topology, 'model_config');
  const version = own(topology, 'keras_version');
  return { modelConfig: nested ?? topology, kerasVersion: typeof version === 'string' ? version : undefined };
}

/**
 * A TensorFlow.js layers model from its model.json (parsed) and shard reader. Checks, before
 * reading any shard: the manifest (names, shapes, dtypes, paths) and the memory budget; then that
 * each group's shards hold exactly its weights' bytes. Throws INVALID_ARGUMENT for what the format
 * or the supported layers do not allow, INVALID_PARAMETER for weights that do not fit the layers,
 * LIMIT_EXCEEDED over the budget, NON_FINITE for NaN or ±Infinity weights.
 *
 * @example
 * const model = tfjsModelFromJSON(JSON.parse(text), (path) => readFileSync(join(folder, path)));
 */
export function tfjsModelFromJSON(modelJSON: unknown, readShard: ShardReader, options: TfjsReadOptions = {}): SequenceModel {
  const maxBytes = checkMaxBytes('maxBytes', options.maxBytes);
  if (!isJson(modelJSON)) throw invalidArgument(`model.json: expected a JSON object, got ${describeValue(modelJSON)}`);
  const format = own(modelJSON, 'format');
  if (format !== undefined && format !== 'layers-model') {
    throw invalidArgument(`model.json format ${describeValue(format)}: only the layers format ("layers-model") is supported; a graph model (tf.loadGraphModel) is not`);
  }
  const { modelConfig, kerasVersion } = tfjsTopology(modelJSON);
  const groups = readManifest(own(modelJSON, 'weightsManifest') ?? []);
  const all = groups.flatMap((g) => g.weights);
  checkBudget('model.json: the weights the manifest declares', all.reduce((n, w) => n + w.shape.reduce((a, b) => a * b, 1), 0), maxBytes);
  const stored: StoredWeight[] = [];
  groups.forEach((group, g) => {
    const declared = group.weights.reduce((n, w) => n + weightByteLength(w), 0);
    const bytes = joinShards(group.paths.map((path, k) => readOneShard(readShard, path, `model.json weightsManifest[${g}].paths[${k}]`)), declared, `weightsManifest[${g}] (${group.paths.join(', ')})`);
    let offset = 0;
    for (const weight of group.weights) {
      const start = offset;
      offset += weightByteLength(weight);
      stored.push({ name: weight.name, shape: weight.shape, read: () => decodeWeights(weight, bytes.subarray(start, start + weightByteLength(weight))) });
    }
  });
  return assembleModel(modelConfig, lookupByName(stored, options.nonFinite ?? 'reject'), {
    source: { format: 'tfjs', ...(kerasVersion ? { kerasVersion } : {}) },
    runtime: 'tfjs',
  });
}

/**
 * One shard from the caller's reader. The reader is the caller's code (a file system, fetch, a
 * test's map), so whatever it throws becomes INVALID_ARGUMENT naming the shard, and what it
 * returns must be bytes.
 */
function readOneShard(readShard: ShardReader, path: string, where: string): Uint8Array {
  let bytes: unknown;
  try {
    bytes = readShard(path);
  } catch (error) {
    if (error instanceof LstmError) throw error;
    throw invalidArgument(`${where}: reading the shard ${JSON.stringify(path)} failed (${error instanceof Error ? error.message : describeValue(error)})`);
  }
  if (!(bytes instanceof Uint8Array)) throw invalidArgument(`${where}: the shard reader returned ${describeValue(bytes)} for ${JSON.stringify(path)}, expected a Uint8Array`);
  return bytes;
}

function joinShards(shards: Uint8Array[], declared: number, where: string): Uint8Array {
  const total = shards.reduce((n, s) => n + s.length, 0);
  if (total !== declared) {
    throw invalidParameter(`${where}: the shards hold ${total} bytes, the manifest's weights need ${declared}${total < declared ? ' (truncated?)' : ''}`);
  }
  if (shards.length === 1) return shards[0];
  const out = new Uint8Array(total);
  let offset = 0;
  for (const shard of shards) {
    out.set(shard, offset);
    offset += shard.length;
  }
  return out;
}
