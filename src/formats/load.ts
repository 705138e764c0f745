import { describeValue } from '../core/describe.js';
import { invalidArgument, LstmError } from '../core/errors.js';
import type { NonFinitePolicy } from '../core/non-finite.js';
import { lstmToSequence, sequenceToLstm } from '../model/graph/lstm-mapping.js';
import type { SequenceModel } from '../model/graph/sequence-model.js';
import type { LSTM } from '../model/lstm.js';
import { kerasModelFromH5 } from './keras/read-h5.js';
import { kerasModelFromZip } from './keras/read-zip.js';
import { kerasModelToH5, kerasModelToZip } from './keras/write-h5.js';
import { modelFromJSON, modelToJSON } from './model-json.js';
import { modelToOnnx } from './onnx/write.js';
import { modelFromSafetensors, modelToSafetensors } from './safetensors-model.js';
import { tfjsModelFromJSON } from './tfjs/read.js';
import { tfjsModelToArtifacts } from './tfjs/write.js';
import { parseUntrustedJSON } from './untrusted-json.js';

/**
 * The model-file registry: which format a file is (from `from`, its content, or its extension),
 * how to read it, and how to write a model in a format. Platform-neutral: the caller reads the
 * files (the CLI through node:fs, with its size budget) and writes what comes back.
 *
 * Formats: 'json' (our model JSON), 'tfjs' (TensorFlow.js layers model.json + shards), 'h5'
 * (Keras HDF5: full model; or weights with a `model.to_json()` config), 'keras' (Keras 3 zip),
 * 'keras-json' (a `model.to_json()` config whose weights come separately: .h5 or .weights.h5),
 * 'onnx' (an LSTM stack and dense head), 'safetensors' (a PyTorch state_dict
 * with the config in its metadata); docs/formats.md has each.
 */
export const kModelFormats = ['json', 'tfjs', 'h5', 'keras', 'keras-json', 'onnx', 'safetensors'] as const;
export type ModelFormat = (typeof kModelFormats)[number];
/** The formats writeModelFile writes: every one but keras-json (a config without its weights). */
export const kWritableFormats: readonly ModelFormat[] = kModelFormats.filter((format) => format !== 'keras-json');

/** A model as read: ours (an LSTM, possibly with a head) or a sequence of Keras-style layers. */
export type LoadedModel = { readonly kind: 'lstm'; readonly model: LSTM } | { readonly kind: 'sequence'; readonly model: SequenceModel };

export interface ModelFiles {
  /** The model file's path (its extension helps detection; messages name it). */
  readonly path: string;
  readonly bytes: Uint8Array;
  /** --weights: the weights of a config-only file. */
  readonly weights?: { readonly path: string; readonly bytes: Uint8Array };
  /** A file next to the model file, by the relative path the model file names (tfjs shards). */
  readonly readSibling: (relativePath: string) => Uint8Array;
}

/**
 * Reads an ONNX file as our model: src/api's modelFromOnnx (the graph compiled and constant-folded
 * as OnnxSession runs it, then read as a stack), given by the caller because formats/ sits below
 * api/; src/api/model-files.ts passes it.
 */
export type OnnxReader = (bytes: Uint8Array, budget: { maxBytes?: number; nonFinite?: NonFinitePolicy }) => LSTM;

export interface LoadOptions {
  readonly from?: string;
  readonly maxBytes?: number;
  readonly nonFinite?: NonFinitePolicy;
  /** The ONNX reader (required for ONNX files). */
  readonly readOnnx?: OnnxReader;
}

const kHdf5Signature = [0x89, 0x48, 0x44, 0x46, 0x0d, 0x0a, 0x1a, 0x0a];
const kZipSignature = [0x50, 0x4b, 0x03, 0x04];

function startsWith(bytes: Uint8Array, signature: readonly number[]): boolean {
  return signature.every((b, k) => bytes[k] === b);
}

function checkFormat(name: string, value: string): ModelFormat {
  if (!(kModelFormats as readonly string[]).includes(value)) throw invalidArgument(`${name}: expected one of ${kModelFormats.join(', ')}, got ${describeValue(value)}`);
  return value as ModelFormat;
}

function parseJSON(files: ModelFiles): unknown {
  return parseUntrustedJSON(files.bytes, files.path);
}

/** The format of a model file: `from` when given, else its content (HDF5 and zip signatures, a JSON file's keys). */
export function detectFormat(files: ModelFiles, from?: string): ModelFormat {
  if (from !== undefined) return checkFormat('--from', from);
  if (startsWith(files.bytes, kHdf5Signature)) return 'h5';
  if (startsWith(files.bytes, kZipSignature)) return 'keras';
  if (files.bytes.length > 9 && files.bytes[8] === 0x7b && files.bytes[6] === 0 && files.bytes[7] === 0) return 'safetensors'; // u64 header length, then '{'
  if (/\.onnx$/i.test(files.path) || files.bytes[0] === 0x08) return 'onnx'; // ModelProto opens with ir_version (field 1, varint)
  const json = parseJSON(files);
  if (json !== null && typeof json === 'object' && !Array.isArray(json)) {
    if (Object.hasOwn(json, 'modelTopology')) return 'tfjs';
    if (Object.hasOwn(json, 'class_name') && Object.hasOwn(json, 'config')) return 'keras-json';
    if (Object.hasOwn(json, 'config') && Object.hasOwn(json, 'params')) return 'json';
  }
  throw invalidArgument(`${files.path}: not a model file this library reads (expected our model JSON, a TensorFlow.js model.json, Keras .h5 / .keras, a Keras model.to_json() with --weights, ONNX or safetensors)`);
}

/** Reads a model file of any supported format; see detectFormat and the readers' errors. */
export async function loadModelFile(files: ModelFiles, options: LoadOptions = {}): Promise<LoadedModel> {
  const format = detectFormat(files, options.from);
  const budget = { maxBytes: options.maxBytes, nonFinite: options.nonFinite };
  switch (format) {
    case 'json':
      return { kind: 'lstm', model: modelFromJSON(parseJSON(files), budget) };
    case 'tfjs':
      return { kind: 'sequence', model: tfjsModelFromJSON(parseJSON(files), files.readSibling, budget) };
    case 'keras':
      return { kind: 'sequence', model: await kerasModelFromZip(files.bytes, budget) };
    case 'h5':
      return { kind: 'sequence', model: await kerasModelFromH5(files.bytes, budget) };
    case 'onnx':
      return { kind: 'lstm', model: reduceOnnx(files.bytes, budget, options.readOnnx) };
    case 'safetensors':
      return { kind: 'lstm', model: modelFromSafetensors(files.bytes, budget) };
    case 'keras-json': {
      if (!files.weights) throw invalidArgument(`${files.path}: a Keras model.to_json() config holds no weights; give them with --weights (an .h5 from save_weights, or a Keras 3 .weights.h5)`);
      return { kind: 'sequence', model: await kerasModelFromH5(files.weights.bytes, { ...budget, modelConfig: parseJSON(files) }) };
    }
  }
}

/**
 * An ONNX graph as our model, where it is exactly an LSTM stack plus dense layers (the reader);
 * any other graph runs for inference only (OnnxSession), and this says so with the reader's reason.
 */
function reduceOnnx(bytes: Uint8Array, budget: { maxBytes?: number; nonFinite?: NonFinitePolicy }, readOnnx: OnnxReader | undefined): LSTM {
  if (!readOnnx) throw invalidArgument('onnx: reading an ONNX file as the model needs the ONNX reader (options.readOnnx); loadModelFile from the package entry passes it');
  try {
    return readOnnx(bytes, budget);
  } catch (error) {
    if (!(error instanceof LstmError) || error.code !== 'INVALID_ARGUMENT' || !/^onnx: |^node /.test(error.message)) throw error;
    // A file that does not even decode runs nowhere: say only that.
    if (error.message.startsWith('onnx: not a readable ONNX protobuf')) throw error;
    throw invalidArgument(`this ONNX graph runs for inference (\`run --model\`, OnnxSession) but is not exactly an LSTM stack with a dense head, so it does not become this library's model (which train, grad, verify and convert need): ${error.message}`);
  }
}

/** A Keras-style model as ours, for the formats that hold only an LSTM stack and a dense head. */
function asLstm(model: SequenceModel, format: string): LSTM {
  try {
    return sequenceToLstm(model);
  } catch (error) {
    throw invalidArgument(`--to ${format}: ${(error as Error).message}; write it as tfjs, h5 or keras instead`);
  }
}

/** The formats that hold exactly this library's model (an LSTM stack with an optional dense head). */
export const kLstmFormats: readonly ModelFormat[] = ['json', 'onnx', 'safetensors'];

/**
 * Reads an ONNX or safetensors file synchronously as an LSTM (what run, verify, grad and train
 * take), or returns null when the file is of another format (our JSON, Keras, TensorFlow.js).
 */
export function readLstmFile(files: ModelFiles, options: LoadOptions = {}): LSTM | null {
  const format = detectFormat(files, options.from);
  const budget = { maxBytes: options.maxBytes, nonFinite: options.nonFinite };
  if (format === 'onnx') return reduceOnnx(files.bytes, budget, options.readOnnx);
  if (format === 'safetensors') return modelFromSafetensors(files.bytes, budget);
  return null;
}

/** The model as a sequence model (ours mapped to Keras-style layers). */
export function asSequence(loaded: LoadedModel): SequenceModel {
  return loaded.kind === 'sequence' ? loaded.model : lstmToSequence(loaded.model);
}

/** The format a path's extension names, for `convert IN OUT` without --to. */
export function formatFromExtension(path: string): ModelFormat | null {
  if (/\.keras$/i.test(path)) return 'keras';
  if (/\.onnx$/i.test(path)) return 'onnx';
  if (/\.safetensors$/i.test(path)) return 'safetensors';
  if (/\.(h5|hdf5)$/i.test(path)) return 'h5';
  if (/(^|\/)model\.json$/i.test(path)) return 'tfjs';
  if (/\.json$/i.test(path)) return 'json';
  return null;
}

/**
 * The weight shard a TensorFlow.js model.json named `mainName` is written with: named after it
 * ("forecast.json" → "forecast.weights.bin", "model.json" → "model.weights.bin"), so that two
 * models written into one folder never share a shard.
 */
export function tfjsShardName(mainName: string): string {
  return `${mainName.replace(/\.json$/i, '')}.weights.bin`;
}

/**
 * The files a model is written as, by name relative to the output: `{ [name]: bytes }`. 'tfjs'
 * gives model.json's name as `mainName` and its shard beside it (tfjsShardName); 'json' needs a
 * model that is an LSTM stack with a dense head (else INVALID_ARGUMENT saying why).
 */
export async function writeModelFile(loaded: LoadedModel, to: string, mainName: string): Promise<Map<string, Uint8Array>> {
  const format = checkFormat('--to', to);
  const encode = (value: unknown) => new TextEncoder().encode(JSON.stringify(value));
  switch (format) {
    case 'json': {
      if (loaded.kind === 'lstm') return new Map([[mainName, encode(modelToJSON(loaded.model))]]);
      try {
        return new Map([[mainName, encode(modelToJSON(sequenceToLstm(loaded.model)))]]);
      } catch (error) {
        throw invalidArgument(`--to json: ${(error as Error).message}; write it as tfjs, h5 or keras instead`);
      }
    }
    case 'tfjs': {
      const artifacts = tfjsModelToArtifacts(asSequence(loaded), tfjsShardName(mainName));
      return new Map([[mainName, encode(artifacts.modelJSON)], [artifacts.shardName, artifacts.weightData]]);
    }
    case 'h5':
      return new Map([[mainName, await kerasModelToH5(asSequence(loaded))]]);
    case 'keras':
      return new Map([[mainName, await kerasModelToZip(asSequence(loaded))]]);
    case 'onnx':
    case 'safetensors': {
      const lstm = loaded.kind === 'lstm' ? loaded.model : asLstm(loaded.model, format);
      return new Map([[mainName, format === 'onnx' ? modelToOnnx(lstm) : modelToSafetensors(lstm)]]);
    }
    case 'keras-json':
      throw invalidArgument('--to keras-json: write h5 (a full model) instead');
  }
}
