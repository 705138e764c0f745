import { unzipSync, type UnzipFileInfo } from 'fflate';
import { describeValue } from '../../core/describe.js';
import { invalidArgument, LstmError } from '../../core/errors.js';
import type { SequenceModel } from '../../model/graph/sequence-model.js';
import { checkMaxBytes, kBytesPerValue } from '../budget.js';
import { checkBudget } from '../budget.js';
import { isJson, own } from './topology.js';
import { kerasModelFromH5, type KerasReadOptions } from './read-h5.js';

/**
 * Keras 3's `.keras` file: a zip of `config.json` (the model config), `metadata.json`
 * (`keras_version`) and `model.weights.h5` (src/formats/keras/keras3-weights.ts), read with fflate.
 * Only those three entries are inflated, and only after the sizes the zip's directory declares for
 * them have passed the memory budget; each is inflated into a buffer of exactly its declared size,
 * so an entry that inflates to more than it declares (a zip bomb) cannot grow past it.
 */

/** The entries a .keras file holds; anything else in the zip is left compressed. */
const kEntries = ['config.json', 'metadata.json', 'model.weights.h5'] as const;

/** A budget for the two JSON entries even when the caller gives none: configs are kilobytes. */
const kMaxJsonBytes = 64 << 20;

function entries(bytes: Uint8Array, maxBytes: number): Map<string, Uint8Array> {
  const declared = new Map<string, number>();
  let files: Record<string, Uint8Array>;
  try {
    files = unzipSync(bytes, {
      filter: (file: UnzipFileInfo) => {
        if (!(kEntries as readonly string[]).includes(file.name)) return false;
        if (file.compression !== 0 && file.compression !== 8) throw invalidArgument(`.keras entry ${file.name}: compression method ${file.compression} is not supported (stored or deflate only)`);
        if (file.name.endsWith('.json') && file.originalSize > kMaxJsonBytes) throw invalidArgument(`.keras entry ${file.name}: declares ${file.originalSize} bytes, more than ${kMaxJsonBytes} for a config`);
        declared.set(file.name, file.originalSize);
        // h5wasm holds the file and the float64 weights: budget the declared bytes as values too.
        checkBudget(`.keras: the entries ${[...declared.keys()].join(', ')} (declared sizes)`, Math.ceil([...declared.values()].reduce((a, b) => a + b, 0) / kBytesPerValue), maxBytes);
        return true;
      },
    });
  } catch (error) {
    if (error instanceof LstmError) throw error;
    throw invalidArgument(`.keras file: not a readable zip (${(error as Error).message})`);
  }
  for (const [name, size] of declared) {
    if (files[name]?.length !== size) throw invalidArgument(`.keras entry ${name}: declares ${size} bytes, inflates to ${files[name]?.length ?? 0} (truncated or corrupt)`);
  }
  return new Map(Object.entries(files));
}

function json(files: Map<string, Uint8Array>, name: string): unknown {
  const data = files.get(name);
  if (!data) throw invalidArgument(`.keras file: no ${name} entry (a .keras file holds config.json, metadata.json and model.weights.h5)`);
  try {
    return JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(data));
  } catch (error) {
    throw invalidArgument(`.keras entry ${name}: not valid JSON (${(error as Error).message})`);
  }
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
