import { Unzip, UnzipInflate, unzipSync, type UnzipFileInfo } from 'fflate';
import { describeValue } from '../../core/describe.js';
import { invalidArgument, LstmError } from '../../core/errors.js';
import type { SequenceModel } from '../../model/graph/sequence-model.js';
import { checkMaxBytes, kBytesPerValue } from '../budget.js';
import { checkBudget } from '../budget.js';
import { parseUntrustedJSON } from '../untrusted-json.js';
import { isJson, own } from './topology.js';
import { kerasModelFromH5, type KerasReadOptions } from './read-h5.js';

/**
 * Keras 3's `.keras` file: a zip of `config.json` (the model config), `metadata.json`
 * (`keras_version`) and `model.weights.h5` (src/formats/keras/keras3-weights.ts), read with fflate.
 * Only those three entries are inflated, and only after the sizes the zip's directory declares for
 * them have passed the memory budget. They are inflated as a stream, a few kilobytes of compressed
 * input at a time, and the read stops as soon as an entry's output passes its declared size: an
 * entry that declares 16 bytes and deflates to gigabytes of zeros (a zip bomb) costs a few
 * megabytes of work, not the whole inflation.
 */

/** The entries a .keras file holds; anything else in the zip is left compressed. */
const kEntries = ['config.json', 'metadata.json', 'model.weights.h5'] as const;

/** A budget for the two JSON entries even when the caller gives none: configs are kilobytes. */
const kMaxJsonBytes = 64 << 20;

/**
 * Compressed bytes handed to the inflater at a time. Deflate expands at most about 1032:1, so
 * an entry can overshoot its declared size by at most about 4 MB before the read stops.
 */
const kInflateChunk = 4 << 10;

/** The wanted entries' sizes as the zip's central directory declares them, checked against the budget; nothing is inflated. */
function declaredSizes(bytes: Uint8Array, maxBytes: number): Map<string, number> {
  const declared = new Map<string, number>();
  unzipSync(bytes, {
    filter: (file: UnzipFileInfo) => {
      if (!(kEntries as readonly string[]).includes(file.name)) return false;
      if (file.compression !== 0 && file.compression !== 8) throw invalidArgument(`.keras entry ${file.name}: compression method ${file.compression} is not supported (stored or deflate only)`);
      if (file.name.endsWith('.json') && file.originalSize > kMaxJsonBytes) throw invalidArgument(`.keras entry ${file.name}: declares ${file.originalSize} bytes, more than ${kMaxJsonBytes} for a config`);
      if (declared.has(file.name)) throw invalidArgument(`.keras entry ${file.name}: the zip lists it twice`);
      declared.set(file.name, file.originalSize);
      // h5wasm holds the file and the float64 weights: budget the declared bytes as values too.
      checkBudget(`.keras: the entries ${[...declared.keys()].join(', ')} (declared sizes)`, Math.ceil([...declared.values()].reduce((a, b) => a + b, 0) / kBytesPerValue), maxBytes);
      return false;
    },
  });
  return declared;
}

/** The declared entries, inflated as a stream that stops at the first byte past an entry's declared size. */
function inflateEntries(bytes: Uint8Array, declared: Map<string, number>): Map<string, Uint8Array> {
  const parts = new Map<string, Uint8Array[]>();
  const unzip = new Unzip((file) => {
    const limit = declared.get(file.name);
    if (limit === undefined) return; // not one of ours: never started, never inflated
    if (parts.has(file.name)) throw invalidArgument(`.keras entry ${file.name}: the zip holds it twice`);
    const chunks: Uint8Array[] = [];
    let length = 0;
    parts.set(file.name, chunks);
    file.ondata = (error, data) => {
      // Throwing here unwinds through fflate's push, which is what stops the inflation.
      if (error) throw error instanceof LstmError ? error : invalidArgument(`.keras entry ${file.name}: cannot inflate (${error.message})`);
      length += data.length;
      if (length > limit) throw invalidArgument(`.keras entry ${file.name}: inflates past the ${limit} bytes it declares (stopped there: a corrupt file or a zip bomb)`);
      chunks.push(data);
    };
    file.start();
  });
  unzip.register(UnzipInflate);
  for (let at = 0; at < bytes.length; at += kInflateChunk) unzip.push(bytes.subarray(at, at + kInflateChunk), at + kInflateChunk >= bytes.length);
  const files = new Map<string, Uint8Array>();
  for (const [name, size] of declared) {
    const chunks = parts.get(name) ?? [];
    const length = chunks.reduce((n, c) => n + c.length, 0);
    if (length !== size) throw invalidArgument(`.keras entry ${name}: declares ${size} bytes, inflates to ${length} (truncated or corrupt)`);
    const data = new Uint8Array(size);
    let offset = 0;
    for (const chunk of chunks) {
      data.set(chunk, offset);
      offset += chunk.length;
    }
    files.set(name, data);
  }
  return files;
}

function entries(bytes: Uint8Array, maxBytes: number): Map<string, Uint8Array> {
  try {
    return inflateEntries(bytes, declaredSizes(bytes, maxBytes));
  } catch (error) {
    if (error instanceof LstmError) throw error;
    throw invalidArgument(`.keras file: not a readable zip (${(error as Error).message})`);
  }
}

function json(files: Map<string, Uint8Array>, name: string): unknown {
  const data = files.get(name);
  if (!data) throw invalidArgument(`.keras file: no ${name} entry (a .keras file holds config.json, metadata.json and model.weights.h5)`);
  return parseUntrustedJSON(data, `.keras entry ${name}`);
}

/**
 * A Keras 3 `.keras` file as a SequenceModel. Throws INVALID_ARGUMENT for a file that is not a zip
 * or lacks an entry, LIMIT_EXCEEDED when the declared sizes exceed the budget, and what
 * kerasModelFromH5 throws for the weights.
 *
 * @example
 * const model = await kerasModelFromZip(readFileSync('model.keras'));
 */
export async function kerasModelFromZip(bytes: Uint8Array, options: Omit<KerasReadOptions, 'modelConfig' | 'format'> = {}): Promise<SequenceModel> {
  const maxBytes = checkMaxBytes('maxBytes', options.maxBytes);
  const files = entries(bytes, maxBytes);
  const config = json(files, 'config.json');
  const metadata = files.has('metadata.json') ? json(files, 'metadata.json') : {};
  const version = isJson(metadata) ? own(metadata, 'keras_version') : undefined;
  if (version !== undefined && typeof version !== 'string') throw invalidArgument(`.keras metadata.json keras_version: expected a string, got ${describeValue(version)}`);
  const weights = files.get('model.weights.h5');
  if (!weights) throw invalidArgument('.keras file: no model.weights.h5 entry');
  return kerasModelFromH5(weights, { ...options, modelConfig: config, kerasVersion: version ?? options.kerasVersion ?? '3', format: 'keras-zip' });
}
